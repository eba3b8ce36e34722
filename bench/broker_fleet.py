# SPDX-License-Identifier: GPL-2.0-only
"""bench/broker-fleet.sh: full attestations per second of cvmm-broker as a
fleet of 1, 2 and 3 replicas on one PostgreSQL, side by side with the
SQLite broker alone, in one run on this machine.

Every configuration gets the same load (bench/broker_load.py: CLIENTS
processes x FLOWS flows of auth + attest + resource over keep-alive HTTPS on
127.0.0.1, each step of a flow on the next replica), and the same
fresh store with one secret and its policy.  Beside the rate and p50/p99
latency it reports where the CPU went, per flow: the broker replicas, the
PostgreSQL server processes, and the clients (which run on the same cores
and sign every report), so the table says what bounds the rate.

usage: /usr/bin/python3 bench/broker_fleet.py BROKER   (run by broker-fleet.sh)
"""
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRC, "tests", "broker"))
import pgcluster  # noqa: E402

BROKER = sys.argv[1]
CLIENTS = int(os.environ.get("CLIENTS", "4"))
FLOWS = int(os.environ.get("FLOWS", "50"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """utime + stime of a process, in seconds (0 if it is gone)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(d))
            except OSError:
                pass
    return out


class Broker:
    def __init__(self, pki, store, name, work):
        self.p = subprocess.Popen(
            [BROKER, "serve", "--listen", "127.0.0.1:0", "--tls-cert", pki + "/tls.pem",
             "--tls-key", pki + "/tls.key", "--store", store, "--kek", pki + "/kek",
             "--admin-key", pki + "/admin.pub", "--test-roots", pki + "/test-roots.pem",
             "--threads", str(CLIENTS), "--replica-name", name],
            stderr=subprocess.PIPE, text=True)
        self.port = None
        ev = threading.Event()
        log = open(os.path.join(work, name + ".log"), "w")

        def read():
            for line in self.p.stderr:
                log.write(line)
                if '"serve.started"' in line:
                    self.port = json.loads(line)["port"]
                    ev.set()
            ev.set()
        threading.Thread(target=read, daemon=True).start()
        ev.wait(30)
        if not self.port:
            raise SystemExit("broker-fleet: %s did not start (%s)" % (name, log.name))
        self.url = "https://127.0.0.1:%d" % self.port

    def stop(self):
        self.p.terminate()
        self.p.wait(30)


def admin(pki, url, *args):
    subprocess.run([BROKER, "admin", "--url", url, "--admin-key", pki + "/admin.key",
                    "--cacert", pki + "/tls.pem"] + list(args), check=True,
                   stdout=subprocess.DEVNULL)


def run(label, pki, work, store, n, pg):
    brokers = [Broker(pki, store, "%s-%d" % (label.split()[0], i), work) for i in range(n)]
    urls = [b.url for b in brokers]
    try:
        with open(os.path.join(work, "secret"), "wb") as f:
            f.write(os.urandom(32))
        admin(pki, urls[0], "put-secret", "bench/key/disk", os.path.join(work, "secret"))
        with open(os.path.join(work, "policy.json"), "w") as f:
            json.dump({"snp": {"min_tcb": {"bootloader": 3, "snp": 8, "microcode": 115}}}, f)
        admin(pki, urls[-1], "set-policy", "bench/*", os.path.join(work, "policy.json"))
        pg_pids = children(pg) if pg else []
        b0 = sum(cpu_s(b.p.pid) for b in brokers)
        p0 = sum(cpu_s(p) for p in pg_pids)
        out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "broker_load.py"),
                              ",".join(urls), pki, str(CLIENTS), str(FLOWS)],
                             capture_output=True, text=True, check=True).stdout
        res = json.loads(out)
        pg_pids = set(pg_pids) | set(children(pg) if pg else [])
        res["broker_cpu_s"] = sum(cpu_s(b.p.pid) for b in brokers) - b0
        res["pg_cpu_s"] = sum(cpu_s(p) for p in pg_pids) - p0 if pg else 0.0
    finally:
        for b in brokers:
            b.stop()
    res["label"] = label
    return res


def main():
    work = tempfile.mkdtemp(prefix="cvmm-bench-fleet-")
    pki = os.path.join(work, "pki")
    subprocess.run(["python3", os.path.join(SRC, "tests", "broker", "testpki.py"), pki],
                   check=True)
    cluster = pgcluster.Cluster.create()
    if cluster is None:
        raise SystemExit("broker-fleet: PostgreSQL is not installed (apt-get install postgresql)")
    configs = [("sqlite, 1 broker", "sqlite:" + os.path.join(work, "bench.db"), 1)]
    runs = {}
    try:
        os.environ.setdefault("CVMM_PG_FSYNC", "on")     # a server as deployed
        cluster.init()
        cluster.start()
        with open(os.path.join(cluster.data, "postmaster.pid")) as f:
            postmaster = int(f.readline())
        for n in (1, 2, 3):
            configs.append(("postgresql, %d replica%s" % (n, "s" if n > 1 else ""),
                            cluster.createdb("bench%d" % n), n))
        # interleaved rounds: a load that comes and goes on the machine hits
        # every configuration alike; each figure is the median of the rounds
        for _ in range(ROUNDS):
            for label, store, n in configs:
                runs.setdefault(label, []).append(
                    run(label, pki, work, store, n,
                        None if store.startswith("sqlite:") else postmaster))
    finally:
        cluster.destroy()
        subprocess.run(["rm", "-rf", work])
    report([median_row(runs[c[0]]) for c in configs])


def median_row(rs):
    med = lambda k: sorted(r[k] for r in rs)[len(rs) // 2]
    out = {k: med(k) for k in ("rate", "p50_ms", "p99_ms")}
    per = lambda k: 1000.0 * sum(r[k] for r in rs) / sum(r["flows"] for r in rs)
    for k in ("broker_cpu_s", "pg_cpu_s", "client_cpu_s"):
        out[k + "_per_flow_ms"] = per(k)
    out["busy"] = sum(r["broker_cpu_s"] + r["pg_cpu_s"] + r["client_cpu_s"]
                      for r in rs) / sum(r["seconds"] for r in rs)
    out["failures"] = sum(r["failures"] for r in rs)
    out["label"] = rs[0]["label"]
    return out


def report(rows):
    print("cpu: %s (%d cores); clients: %d x %d flows, each step on the next replica;"
          " median of %d interleaved rounds" % (cpu_model(), os.cpu_count(), CLIENTS,
                                                  FLOWS, ROUNDS))
    print("%-24s %8s %7s %7s  %s" % ("", "flows/s", "p50 ms", "p99 ms",
                                     "CPU ms/flow: broker postgres clients  total"
                                     "  flows/CPU-s  cores busy"))
    for r in rows:
        b, p, c = (r[k + "_per_flow_ms"] for k in ("broker_cpu_s", "pg_cpu_s", "client_cpu_s"))
        r["total"] = b + p + c
        print("%-24s %8.1f %7.2f %7.2f  %18.2f %8.2f %7.2f %6.2f %12.1f %11.2f" % (
            r["label"], r["rate"], r["p50_ms"], r["p99_ms"], b, p, c, r["total"],
            1000.0 / r["total"], r["busy"]))
    base, one = rows[0]["rate"], rows[1]["rate"]
    print("ratios: postgresql/sqlite (1 broker) %.2f; 2 replicas/1 %.2f; 3 replicas/1 %.2f"
          % (one / base, rows[2]["rate"] / one, rows[3]["rate"] / one))
    print("bound: %d cores / %.1f CPU ms per flow (3 replicas, clients included) = %.0f"
          " flows/s on this machine alone" % (os.cpu_count(), rows[3]["total"],
                                               os.cpu_count() * 1000.0 / rows[3]["total"]))
    fails = sum(r["failures"] for r in rows)
    if fails:
        raise SystemExit("broker-fleet: %d flows failed" % fails)


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "?"


if __name__ == "__main__":
    main()
