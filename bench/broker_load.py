# SPDX-License-Identifier: GPL-2.0-only
"""Load generator for bench/broker.sh: N client processes, each with one
keep-alive HTTPS connection, each running FLOWS full KBS flows (auth,
attest with a freshly signed test-chain SNP report, resource), bounded.

usage: /usr/bin/python3 broker_load.py URL PKI_DIR CLIENTS FLOWS
Prints one JSON object: flows, failures, seconds, rate, p50_ms, p99_ms.
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
    url, pki, flows = args
    guest = kc.SnpGuest(pki)
    tee = kc.TeeKey("P-256")
    c = kc.KbsClient(url, verify=pki + "/tls.pem")
    lat, fails = [], 0
    for _ in range(flows):
        t0 = time.perf_counter()
        r = c.auth()
        if r.status_code == 200:
            ev = guest.serde(kc.report_data(c.nonce, tee.public))
            r = c.attest(ev, tee.public)
        if r.status_code == 200:
            r = c.resource("bench/key/disk")
        if r.status_code != 200:
            fails += 1
        lat.append(time.perf_counter() - t0)
    return lat, fails


def main():
    url, pki, clients, flows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with multiprocessing.Pool(clients) as pool:
        pool.map(worker, [(url, pki, 1)] * clients)          # warm-up: one flow each
        t0 = time.perf_counter()
        res = pool.map(worker, [(url, pki, flows)] * clients)
        secs = time.perf_counter() - t0
    lat = sorted(x for r in res for x in r[0])
    fails = sum(r[1] for r in res)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
    print(json.dumps({"flows": len(lat), "failures": fails, "seconds": round(secs, 3),
                      "rate": round(len(lat) / secs, 1), "p50_ms": round(pct(0.50), 2),
                      "p99_ms": round(pct(0.99), 2)}))


if __name__ == "__main__":
    main()
