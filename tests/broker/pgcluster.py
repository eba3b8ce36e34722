# SPDX-License-Identifier: GPL-2.0-only
"""A throwaway PostgreSQL cluster for cvmm-broker's tests and benchmark.

The cluster lives in a fresh temporary directory, listens on a UNIX socket
in that directory only (no TCP port), trusts local connections, and is
stopped and deleted at the end.  PostgreSQL refuses to run as root, so
under root the cluster runs as an unprivileged user (CVMM_PG_USER, default
"nobody") through runuser or setpriv.  Binaries: CVMM_PG_BIN, else the
newest /usr/lib/postgresql/*/bin (Debian's postgresql package).

  usage: pgcluster.py run -- COMMAND [ARGS...]
     start a cluster, run COMMAND with CVMM_TEST_PG_* in its environment
     (CVMM_TEST_PG_URI names a fresh database "cvmm"), stop the cluster,
     exit with COMMAND's status; exit 77 (skip) with one line when
     PostgreSQL is not installed.

Importable: Cluster.from_env() in a COMMAND gives the running cluster
(uri(), createdb(), stop(), start(), restart()).  Standard library only.
"""
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ENV = ("CVMM_TEST_PG_DIR", "CVMM_TEST_PG_BIN", "CVMM_TEST_PG_RUNAS")


def find_bin():
    b = os.environ.get("CVMM_PG_BIN")
    if b:
        return b if os.path.exists(os.path.join(b, "initdb")) else None
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    return os.path.dirname(cands[-1]) if cands else None


class Cluster:
    def __init__(self, bindir, root, runas):
        self.bin, self.dir, self.runas = bindir, root, runas
        self.data = os.path.join(root, "data")
        self.sock = root
        self.port = 5432                  # names the socket file only: no TCP
        self.user = runas or pwd.getpwuid(os.getuid()).pw_name
        self.log = os.path.join(root, "postgresql.log")

    @classmethod
    def create(cls):
        bindir = find_bin()
        if not bindir:
            return None
        runas = None
        if os.getuid() == 0:
            runas = os.environ.get("CVMM_PG_USER", "nobody")
        root = tempfile.mkdtemp(prefix="cvmm-pg-")
        c = cls(bindir, root, runas)
        if runas:
            pw = pwd.getpwnam(runas)
            os.chown(root, pw.pw_uid, pw.pw_gid)
        return c

    @classmethod
    def from_env(cls):
        d = os.environ.get("CVMM_TEST_PG_DIR")
        if not d:
            return None
        return cls(os.environ["CVMM_TEST_PG_BIN"], d,
                   os.environ.get("CVMM_TEST_PG_RUNAS") or None)

    def env(self):
        return {"CVMM_TEST_PG_DIR": self.dir, "CVMM_TEST_PG_BIN": self.bin,
                "CVMM_TEST_PG_RUNAS": self.runas or "",
                "CVMM_TEST_PG_URI": self.uri("cvmm")}

    def _as_user(self, argv):
        if not self.runas:
            return argv
        if shutil.which("runuser"):
            return ["runuser", "-u", self.runas, "--"] + argv
        pw = pwd.getpwnam(self.runas)
        return ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid,
                "--clear-groups", "--"] + argv

    def _run(self, tool, *args, check=True, timeout=60):
        argv = self._as_user([os.path.join(self.bin, tool)] + list(args))
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, cwd=self.dir)
        if check and r.returncode:
            raise RuntimeError("%s: %s" % (tool, r.stdout.decode(errors="replace")[-2000:]))
        return r

    def uri(self, db):
        return "postgresql:///%s?host=%s&port=%d&user=%s" % (db, self.sock, self.port,
                                                             self.user)

    def init(self):
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", self.user, "-E", "UTF8",
                  "--no-sync", "--no-instructions")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write("listen_addresses = ''\n"
                    "unix_socket_directories = '%s'\n"
                    "port = %d\n"
                    "fsync = %s\n"
                    "shared_buffers = 32MB\n"
                    "max_connections = 200\n" % (self.sock, self.port,
                                                 os.environ.get("CVMM_PG_FSYNC", "off")))

    def start(self):
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", self.data, "-l", self.log)

    def stop(self, mode="fast"):
        return self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", mode, "-D", self.data,
                         check=False).returncode == 0

    def restart(self):
        self.stop()
        self.start()

    def running(self):
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def psql(self, db, sql):
        return self._run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.sock,
                         "-p", str(self.port), "-U", self.user, "-d", db, "-c", sql)

    def createdb(self, name):
        self.psql("postgres", 'CREATE DATABASE "%s"' % name)
        return self.uri(name)

    def destroy(self):
        if self.running() and not self.stop():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def run(argv):
    c = Cluster.create()
    if c is None:
        print("SKIP: PostgreSQL is not installed (apt-get install postgresql)")
        return 77
    if c.runas:
        try:
            pwd.getpwnam(c.runas)
        except KeyError:
            print("SKIP: no user %s to run PostgreSQL as (set CVMM_PG_USER)" % c.runas)
            return 77
    child = None

    def on_signal(sig, frame):
        if child and child.poll() is None:
            child.send_signal(sig)
        raise SystemExit(128 + sig)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        t0 = time.time()
        c.init()
        c.start()
        c.createdb("cvmm")
        print("pgcluster: PostgreSQL up in %.1f s at %s" % (time.time() - t0, c.sock),
              flush=True)
        child = subprocess.Popen(argv, env=dict(os.environ, **c.env()))
        return child.wait()
    finally:
        c.destroy()


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] != "run" or sys.argv[2] != "--":
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: pgcluster.py run -- COMMAND [ARGS...]", file=sys.stderr)
        sys.exit(2)
    sys.exit(run(sys.argv[3:]))
