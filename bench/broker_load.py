# SPDX-License-Identifier: GPL-2.0-only
"""Load generator for bench/broker.sh and bench/broker-fleet.sh: N client
processes, each with keep-alive HTTPS connections, each running FLOWS full
KBS flows (auth, attest with a freshly signed test-chain SNP report,
resource), bounded.  URLS is one URL or a comma-separated list of replicas:
step i of a client's flow f goes to URLS[(client + f + i) % n], so with
three replicas every step of a flow reaches another replica.

usage: /usr/bin/python3 broker_load.py URLS PKI_DIR CLIENTS FLOWS
Prints one JSON object: flows, failures, seconds, rate, p50_ms, p99_ms,
client_cpu_s (the clients' own CPU time).
"""
import json
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                "tests", "broker"))
import kbsclient as kc  # noqa: E402


def worker(args):
    urls, pki, flows, me = args
    cpu0 = time.process_time()
    guest = kc.SnpGuest(pki)
    tee = kc.TeeKey("P-256")
    c = kc.KbsClient(urls[0], verify=pki + "/tls.pem")
    lat, fails = [], 0
    for f in range(flows):
        at = lambda i: urls[(me + f + i) % len(urls)]
        t0 = time.perf_counter()
        c.url = at(0)
        r = c.auth()
        if r.status_code == 200:
            ev = guest.serde(kc.report_data(c.nonce, tee.public))
            c.url = at(1)
            r = c.attest(ev, tee.public)
        if r.status_code == 200:
            c.url = at(2)
            r = c.resource("bench/key/disk")
        if r.status_code != 200:
            fails += 1
        lat.append(time.perf_counter() - t0)
    return lat, fails, time.process_time() - cpu0


def main():
    urls = sys.argv[1].split(",")
    pki, clients, flows = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with multiprocessing.Pool(clients) as pool:
        pool.map(worker, [(urls, pki, 1, i) for i in range(clients)])   # warm-up
        t0 = time.perf_counter()
        res = pool.map(worker, [(urls, pki, flows, i) for i in range(clients)])
        secs = time.perf_counter() - t0
    lat = sorted(x for r in res for x in r[0])
    fails = sum(r[1] for r in res)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(json.dumps({"flows": len(lat), "failures": fails, "seconds": round(secs, 3),
                      "rate": round(len(lat) / secs, 1), "p50_ms": round(pct(0.50), 2),
                      "p99_ms": round(pct(0.99), 2),
                      "client_cpu_s": round(sum(r[2] for r in res), 3)}))


if __name__ == "__main__":
    main()
