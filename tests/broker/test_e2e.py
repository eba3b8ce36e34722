# SPDX-License-Identifier: GPL-2.0-only
"""cvmm-broker end to end: a real `cvmm-broker serve` (TLS on 127.0.0.1, and
a UNIX socket), the admin client, and an independent KBS client
(kbsclient.py) with SEV-SNP reports signed by a throwaway test chain.

usage: /usr/bin/python3 test_e2e.py CVMM_BROKER PKI_DIR WORK_DIR
Prints one line per case and "N passed, N failed"; exit 0 iff all passed.

The store is SQLite, or PostgreSQL when CVMM_TEST_PG_URI names a throwaway
cluster (tests/broker/pgcluster.py run -- …): the same cases, each named
store a database of its own.  Only the KEK rotation differs: replicas that
share a PostgreSQL store rotate to a KEK installed beside theirs as
KEKFILE.new (docs/broker.md), which kill9 exercises.
"""
import atexit
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kbsclient as kc  # noqa: E402
import pgcluster  # noqa: E402

BROKER, PKI, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
PG = pgcluster.Cluster.from_env()
PG_DBS = set()


def store_uri(path):
    """sqlite:PATH, or a PostgreSQL database named after PATH's file name."""
    if not PG:
        return "sqlite:" + path
    name = os.path.basename(path).split(".")[0]
    if name not in PG_DBS:
        PG.createdb(name)
        PG_DBS.add(name)
    return PG.uri(name)
SECRET = os.urandom(64)
RESULTS = []


SERVERS = []


def kill_servers():
    """A failed case must not leave a broker holding the test's output open."""
    for srv in SERVERS:
        if srv.p.poll() is None:
            srv.p.kill()


atexit.register(kill_servers)


class Server:
    def __init__(self, name, *extra, listen="127.0.0.1:0", tls=True, env=None,
                 store=None, kek=None, admin="admin.pub"):
        self.store = store or os.path.join(WORK, name + ".db")
        self.store_uri = store_uri(self.store)
        self.kek = kek or os.path.join(PKI, "kek")
        args = [BROKER, "serve", "--listen", listen, "--store", self.store_uri,
                "--kek", self.kek, "--admin-key", os.path.join(PKI, admin),
                "--threads", "4"]
        args += (["--tls-cert", PKI + "/tls.pem", "--tls-key", PKI + "/tls.key"] if tls
                 else ["--insecure-http"])
        args += list(extra)
        self.log = open(os.path.join(WORK, name + ".log"), "a+")
        self.p = subprocess.Popen(args, stderr=subprocess.PIPE, text=True,
                                  env=dict(os.environ, **(env or {})))
        SERVERS.append(self)
        self.lines = []
        self.started = threading.Event()
        self.port = None
        threading.Thread(target=self._read, daemon=True).start()
        self.started.wait(20)
        scheme = "https" if tls else "http"
        self.url = "%s://127.0.0.1:%s" % (scheme, self.port) if self.port else None
        self.admin_url = self.url if not listen.startswith("unix:") else listen

    def _read(self):
        for line in self.p.stderr:
            self.lines.append(line)
            self.log.write(line)
            self.log.flush()
            if '"serve.started"' in line:
                self.port = json.loads(line)["port"]
                self.started.set()
        self.started.set()

    def stop(self, sig=signal.SIGTERM):
        if self.p.poll() is None:
            self.p.send_signal(sig)
        try:
            return self.p.wait(20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            return self.p.wait()

    def admin(self, *args, key="admin.key", check=True, stdin=None):
        cmd = [BROKER, "admin", "--url", self.admin_url, "--admin-key",
               os.path.join(PKI, key), "--cacert", PKI + "/tls.pem"] + list(args)
        r = subprocess.run(cmd, capture_output=True, input=stdin, timeout=60)
        if check and r.returncode:
            raise AssertionError("admin %s: %s" % (args[0], r.stderr.decode()))
        return r


def case(name):
    def wrap(fn):
        def run(*a):
            try:
                fn(*a)
                RESULTS.append((name, None))
                print("ok   " + name, flush=True)
            except Exception as e:  # noqa: BLE001 - report every failure
                RESULTS.append((name, e))
                print("FAIL %s: %r" % (name, e), flush=True)
        return run
    return wrap


def write(name, data):
    p = os.path.join(WORK, name)
    with open(p, "w" if isinstance(data, str) else "wb") as f:
        f.write(data)
    return p


def expect(r, status, text=None):
    assert r.status_code == status, (r.status_code, r.text)
    if text:
        assert text in r.text, (text, r.text)
    if status >= 400:
        body = r.json()
        assert body["type"].startswith("https://github.com/confidential-containers/kbs/errors/")
        assert isinstance(body["detail"], str)


def attested(srv, guest, kind="P-256", with_vcek=True, **over):
    c = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(c.auth(), 200)
    tee = kc.TeeKey(kind)
    ev = guest.serde(kc.report_data(c.nonce, tee.public), with_vcek=with_vcek, **over)
    r = c.attest(ev, tee.public)
    return c, tee, r


GOOD = None


def good_policy(guest):
    m = guest.fields["measurement"].hex()
    return {"snp": {"measurement": [m], "min_tcb": {"bootloader": 3, "tee": 0, "snp": 8,
                                                     "microcode": 115},
                    "min_guest_svn": 1, "family_id": guest.fields["family_id"].hex()}}


@case("fetch a secret with a test-chain SNP report (P-256, serde evidence)")
def t_fetch(srv, guest):
    c, tee, r = attested(srv, guest)
    expect(r, 200)
    claims = kc.verify_token(r.json()["token"])
    sub = claims["submods"]["cpu0"]
    assert sub["ear.status"] == "affirming"
    assert claims["exp"] > time.time()
    r = c.resource("disk/key/root")
    expect(r, 200)
    assert kc.decrypt_like_guest_components(r.json(), tee) == SECRET
    assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET


@case("every JWE alg decrypts with jwcrypto and by hand (P-256, P-521, RSA-OAEP-256)")
def t_algs(srv, guest):
    for kind in ("P-256", "P-521", "RSA-2048"):
        c, tee, r = attested(srv, guest, kind)
        expect(r, 200)
        tok = r.json()["token"]
        r = c.resource("disk/key/root")
        expect(r, 200)
        assert kc.decrypt_like_guest_components(r.json(), tee) == SECRET, kind
        assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET, kind
        r = kc.KbsClient(srv.url, verify=PKI + "/tls.pem").resource("disk/key/root",
                                                                    token=tok)
        expect(r, 200)
        assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET


@case("RSA1_5 is refused by default")
def t_rsa15(srv, guest):
    c = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(c.auth(), 200)
    tee = kc.TeeKey("RSA-2048", alg="RSA1_5")
    ev = guest.serde(kc.report_data(c.nonce, tee.public))
    expect(c.attest(ev, tee.public), 400, "RSA1_5")


@case("each policy field flipped is denied (403) with its check named")
def t_policy_flips(srv, guest):
    c, tee, r = attested(srv, guest)
    expect(r, 200)
    base = good_policy(guest)
    flips = [
        ("policy.measurement", {"measurement": ["00" * 48]}),
        ("policy.family_id", {"family_id": "11" * 16}),
        ("policy.image_id", {"image_id": "11" * 16}),
        ("policy.host_data", {"host_data": "11" * 32}),
        ("policy.chip_id", {"chip_id": "11" * 64}),
        ("policy.min_tcb", {"min_tcb": {"bootloader": 4}}),
        ("policy.guest_svn", {"min_guest_svn": 3}),
        ("policy.vmpl", {"vmpl": 1}),
        ("policy.signing_key", {"signing_key": "vlek"}),
        ("policy.smt", {"allow_smt": False}),
    ]
    for check, change in flips:
        pol = json.loads(json.dumps(base))
        pol["snp"].update(change)
        srv.admin("set-policy", "disk/key/flip", write("flip.json", json.dumps(pol)))
        r = c.resource("disk/key/flip")
        expect(r, 403, check)
    srv.admin("set-policy", "disk/key/flip", write("flip.json", json.dumps(base)))
    expect(c.resource("disk/key/flip"), 200)


@case("debug guest, VMPL 1 and migration agent are denied by the default policy")
def t_defaults(srv, guest):
    for over, check in (({"policy": 0x30000 | (1 << 19)}, "policy.debug"),
                        ({"vmpl": 1}, "policy.vmpl"),
                        ({"policy": 0x30000 | (1 << 18)}, "policy.migration_agent")):
        c, tee, r = attested(srv, guest, **over)
        expect(r, 200)
        expect(c.resource("disk/key/root"), 403, check)


@case("stale TCB: a report whose TCB is not the VCEK's is refused at attest")
def t_stale_tcb(srv, guest):
    c, tee, r = attested(srv, guest, tcb={"bootloader": 2, "tee": 0, "snp": 8,
                                          "microcode": 115})
    expect(r, 403, "snp.tcb")


@case("replay into another session, swapped tee-pubkey, nonce used twice")
def t_replay(srv, guest):
    a = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    b = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(a.auth(), 200)
    expect(b.auth(), 200)
    tee = kc.TeeKey()
    ev_a = guest.serde(kc.report_data(a.nonce, tee.public))
    # A's evidence in B's session, claiming A's nonce: not B's nonce -> 401
    expect(b.attest(ev_a, tee.public, nonce=a.nonce), 401, "nonce")
    # B took its nonce with that failure; a fresh B with B's nonce but A's report -> 403
    expect(b.auth(), 200)
    expect(b.attest(ev_a, tee.public), 403, "broker.report_data")
    # swapped key: report bound to tee, runtime-data carries another key
    other = kc.TeeKey()
    expect(a.attest(ev_a, other.public), 403, "broker.report_data")
    # the nonce of A is now used: even the right evidence is refused
    expect(a.attest(ev_a, tee.public), 401, "already used")


@case("unknown resource 404, no policy 403, bad path 404, no session 401")
def t_statuses(srv, guest):
    c, tee, r = attested(srv, guest)
    expect(r, 200)
    expect(c.resource("disk/key/nope"), 404)
    expect(c.resource("nopolicy/key/x"), 403, "no policy")
    expect(c.resource("a/b"), 404)
    expect(c.resource("a/../b"), 404)
    fresh = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(fresh.resource("disk/key/root"), 401)
    expect(fresh.resource("disk/key/root", token="e30.e30.AAAA"), 401)
    fresh.s.cookies.set("kbs-session-id", "0" * 32)
    expect(fresh.resource("disk/key/root"), 401)


@case("wrong protocol version, unsupported TEE, malformed and oversized bodies")
def t_malformed(srv, guest):
    c = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(c.auth(version="0.1.1"), 400, "Version")
    expect(c.auth(tee="sgx"), 400)
    r = c.s.post(srv.url + "/kbs/v0/auth", data=b"{not json", verify=c.verify)
    expect(r, 400)
    # an oversized body is refused from its Content-Length, before it is read
    import ssl
    ctx = ssl.create_default_context(cafile=PKI + "/tls.pem")
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port)),
                         server_hostname="localhost") as so:
        so.sendall(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Length: 2097152\r\n\r\n")
        assert so.recv(64).startswith(b"HTTP/1.1 413"), "no 413"
    expect(c.auth(), 200)
    r = c.s.post(srv.url + "/kbs/v0/attest", data=b"[1,2,3]", verify=c.verify)
    expect(r, 400)
    expect(c.auth(), 200)
    tee = kc.TeeKey()
    ev = guest.serde(kc.report_data(c.nonce, tee.public))
    del ev["attestation_report"]["measurement"]
    expect(c.attest(ev, tee.public), 400, "measurement")
    expect(c.auth(), 200)
    pk = dict(tee.public, kid="extra")
    expect(c.attest(guest.serde(kc.report_data(c.nonce, pk)), pk), 400, "kid")


@case("init-data TOML is bound to HOST_DATA")
def t_initdata(srv, guest):
    toml = 'version = "0.1.0"\nalgorithm = "sha384"\n[data]\n"cfg" = \'\'\'x = 1\'\'\'\n'
    hd = hashlib.sha384(toml.encode()).digest()[:32]
    c = kc.KbsClient(srv.url, verify=PKI + "/tls.pem")
    expect(c.auth(), 200)
    tee = kc.TeeKey()
    ev = guest.serde(kc.report_data(c.nonce, tee.public), host_data=hd)
    expect(c.attest(ev, tee.public, init_data=toml), 200)
    expect(c.auth(), 200)
    ev = guest.serde(kc.report_data(c.nonce, tee.public), host_data=bytes(32))
    expect(c.attest(ev, tee.public, init_data=toml), 403, "broker.init_data")


@case("reference values from measure-style JSON feed a policy")
def t_refvals(srv, guest):
    doc = {"coco": "snp", "measurement": guest.fields["measurement"].hex()}
    srv.admin("add-reference", "golden", write("ref.json", json.dumps(doc)))
    srv.admin("set-policy", "ref/key/*",
              write("refpol.json", json.dumps({"reference_values": "golden"})))
    c, tee, r = attested(srv, guest)
    expect(r, 200)
    expect(c.resource("ref/key/a"), 404)  # policy holds but no such resource
    srv.admin("put-secret", "ref/key/a", write("s2", SECRET))
    expect(c.resource("ref/key/a"), 200)
    c2, tee2, r = attested(srv, guest, measurement=bytes(48))
    expect(r, 200)
    expect(c2.resource("ref/key/a"), 403, "policy.measurement")
    r = srv.admin("set-policy", "ref/key/b", write("refpol2.json",
                  json.dumps({"reference_values": "missing"})), check=False)
    assert r.returncode == 1 and b"missing" in r.stderr, r.stderr


@case("admin tokens: wrong key, replay and tampered path are refused")
def t_admin_auth(srv, guest):
    r = srv.admin("list", key="admin-ec.key", check=False)
    assert r.returncode == 1 and b"401" in r.stderr, r.stderr
    r = requests.post(srv.url + "/kbs/v0/resource/disk/key/evil", data=b"x",
                      verify=PKI + "/tls.pem")
    expect(r, 401)
    out = json.loads(srv.admin("list").stdout)
    assert any(x["path"] == "disk/key/root" for x in out["resources"])


@case("the audit log has one row per decision and never the secret")
def t_audit(srv, guest):
    out = subprocess.run([BROKER, "audit", "--store", srv.store_uri, "--json"],
                         capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    events = {r["event"] for r in rows}
    assert {"attest", "resource", "admin.put-secret", "admin.set-policy"} <= events, events
    allow = [r for r in rows if r["event"] == "resource" and r["verdict"] == "allow"]
    assert allow and all(r["test_evidence"] for r in allow)
    assert all(len(r.get("evidence_digest", "x" * 96)) == 96 for r in allow)
    deny = [r for r in rows if r["event"] == "resource" and r["verdict"] == "deny"
            and r.get("failed")]
    assert deny and all("check" in f for r in deny for f in r["failed"])
    blob = out.stdout + open(os.path.join(WORK, "main.log"), "rb").read()
    for s in (SECRET.hex().encode(), SECRET):
        assert s not in blob
    filt = subprocess.run([BROKER, "audit", "--store", srv.store_uri, "--json",
                           "--event", "resource", "--verdict", "allow"],
                          capture_output=True, timeout=60)
    assert len(filt.stdout.splitlines()) == len(allow)


def main():
    guest = kc.SnpGuest(PKI)
    srv = Server("main", "--test-roots", PKI + "/test-roots.pem")
    assert srv.url, "the broker did not start: " + "".join(srv.lines)
    srv.admin("put-secret", "disk/key/root", write("secret", SECRET))
    srv.admin("put-secret", "disk/key/flip", write("secret", SECRET))
    srv.admin("put-secret", "nopolicy/key/x", write("secret", SECRET))
    srv.admin("set-policy", "disk/key/*", write("pol.json", json.dumps(good_policy(guest))))
    try:
        for t in (t_fetch, t_algs, t_rsa15, t_policy_flips, t_defaults, t_stale_tcb,
                  t_replay, t_statuses, t_malformed, t_initdata, t_refvals, t_admin_auth,
                  t_audit):
            t(srv, guest)
        others(srv, guest)
    finally:
        rc = srv.stop()
    RESULTS.append(("SIGTERM stops the server with status 0", None if rc == 0 else rc))
    failed = [n for n, e in RESULTS if e is not None]
    print("%d passed, %d failed" % (len(RESULTS) - len(failed), len(failed)))
    return 1 if failed else 0


def others(srv, guest):
    offline_certs(srv, guest)
    kds_fetch(srv, guest)
    notest(srv, guest)
    expiry(srv, guest)
    unix_socket(srv, guest)
    kill9(srv, guest)


@case("a VCEK from an offline directory in AMD KDS layout (evidence without cert_chain)")
def offline_certs(main_srv, guest):
    import shutil
    c, tee, r = attested(main_srv, guest, with_vcek=False)
    expect(r, 403, "snp.vek")
    d = os.path.join(WORK, "kds", "vcek", "v1", "Milan")
    os.makedirs(d, exist_ok=True)
    shutil.copy(PKI + "/vcek.der", os.path.join(
        d, guest.chip_id.hex() + "?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115"))
    s = Server("kds", "--test-roots", PKI + "/test-roots.pem", "--certs",
               os.path.join(WORK, "kds"), store=main_srv.store)
    try:
        c, tee, r = attested(s, guest, with_vcek=False)
        expect(r, 200)
        r = c.resource("disk/key/root")
        expect(r, 200)
        assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET
    finally:
        s.stop()


@case("a VCEK fetched from a KDS URL: back-off on 429 (Retry-After), then cached")
def kds_fetch(main_srv, guest):
    import http.server
    seen = []
    with open(PKI + "/vcek.der", "rb") as f:
        der = f.read()

    class Kds(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            if len(seen) == 1:
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(der)))
            self.end_headers()
            self.wfile.write(der)

        def log_message(self, *a):
            pass

    kds = http.server.HTTPServer(("127.0.0.1", 0), Kds)
    threading.Thread(target=kds.serve_forever, daemon=True).start()
    cache = os.path.join(WORK, "kdscache")
    s = Server("kdsnet", "--test-roots", PKI + "/test-roots.pem", "--certs", cache,
               "--kds-url", "http://127.0.0.1:%d" % kds.server_port, store=main_srv.store)
    try:
        c, tee, r = attested(s, guest, with_vcek=False)
        expect(r, 503, "backing off")
        c, tee, r = attested(s, guest, with_vcek=False)
        expect(r, 503, "backing off")
        assert len(seen) == 1, seen                 # no request while backing off
        assert seen[0].startswith("/vcek/v1/Milan/" + guest.chip_id.hex() +
                                  "?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115"), seen
        time.sleep(1.2)
        c, tee, r = attested(s, guest, with_vcek=False)
        expect(r, 200)
        assert len(seen) == 2, seen
        kds.shutdown()
        kds.server_close()
        c, tee, r = attested(s, guest, with_vcek=False)   # from the cache now
        expect(r, 200)
        expect(c.resource("disk/key/root"), 200)
        assert os.path.exists(os.path.join(cache, "vcek", "v1", "Milan"))
    finally:
        s.stop()


@case("without --test-roots a test-chain report is denied")
def notest(main_srv, guest):
    s = Server("notest", store=main_srv.store)
    try:
        c, tee, r = attested(s, guest)
        expect(r, 403, "snp.chain")
    finally:
        s.stop()


@case("an expired session is refused (401)")
def expiry(main_srv, guest):
    # the cookie is sent by hand: a client's jar drops it at its Expires, whole
    # seconds, up to a second before the broker does (this tests the broker)
    s = Server("expiry", "--test-roots", PKI + "/test-roots.pem", "--session-ttl", "2",
               store=main_srv.store)
    try:
        c = kc.KbsClient(s.url, verify=PKI + "/tls.pem")
        expect(c.auth(), 200)
        sid = c.s.cookies.get("kbs-session-id")
        c.s.cookies.clear()
        tee = kc.TeeKey()
        ev = guest.serde(kc.report_data(c.nonce, tee.public))
        body = {"runtime-data": {"nonce": c.nonce, "tee-pubkey": tee.public},
                "tee-evidence": {"primary_evidence": ev, "additional_evidence": ""}}
        cookie = {"Cookie": "kbs-session-id=" + sid}
        r = requests.post(s.url + "/kbs/v0/attest", json=body, verify=c.verify,
                          headers=cookie)
        expect(r, 200)
        time.sleep(2.2)
        r = requests.get(s.url + "/kbs/v0/resource/disk/key/root", verify=c.verify,
                         headers=cookie)
        expect(r, 401, "expired")
        expect(c.auth(), 200)
        sid = c.s.cookies.get("kbs-session-id")
        time.sleep(2.2)
        ev = guest.serde(kc.report_data(c.nonce, tee.public))
        body = {"runtime-data": {"nonce": c.nonce, "tee-pubkey": tee.public},
                "tee-evidence": {"primary_evidence": ev, "additional_evidence": ""}}
        r = requests.post(s.url + "/kbs/v0/attest", json=body, verify=c.verify,
                          headers={"Cookie": "kbs-session-id=" + sid})
        expect(r, 401, "expired")
    finally:
        s.stop()


@case("a UNIX socket listener serves the admin API and the protocol")
def unix_socket(main_srv, guest):
    path = os.path.join(WORK, "broker.sock")
    s = Server("unix", listen="unix:" + path, tls=False, store=main_srv.store)
    try:
        out = json.loads(s.admin("list").stdout)
        assert out["resources"], out
        body = json.dumps({"version": "0.4.0", "tee": "snp", "extra-params": {}}).encode()
        so = socket.socket(socket.AF_UNIX)
        so.connect(path)
        so.sendall(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                   b"Connection: close\r\n\r\n" % len(body) + body)
        resp = b""
        while True:
            d = so.recv(4096)
            if not d:
                break
            resp += d
        so.close()
        assert resp.startswith(b"HTTP/1.1 200"), resp[:80]
        assert b"kbs-session-id=" in resp and b'"nonce"' in resp
        assert any("insecure-http" in line for line in s.lines)
        # SIGTERM with a request in flight: the request is answered, then exit 0
        so = socket.socket(socket.AF_UNIX)
        so.connect(path)
        so.sendall(b"POST /kbs/v0/auth HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n"
                   b"Connection: close\r\n\r\n" % len(body) + body[:10])
        time.sleep(0.3)
        s.p.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        assert s.p.poll() is None, "exited with a request in flight"
        so.sendall(body[10:])
        resp = so.recv(4096)
        so.close()
        assert resp.startswith(b"HTTP/1.1 200"), resp[:80]
        assert s.p.wait(10) == 0
    finally:
        s.stop()


FAULTS = ["put-secret.sealed", "store.put.before-commit", "store.put.committed",
          "rotate-kek.new-kek-written", "store.rewrap.row:1", "store.rewrap.row:2",
          "store.rewrap.before-commit", "rotate-kek.committed", "rotate-kek.renamed"]
# a fleet's rotation writes no file: it re-seals under KEKFILE.new in one transaction
PG_FAULTS = ["put-secret.sealed", "store.put.before-commit", "store.put.committed",
             "store.rewrap.row:1", "store.rewrap.row:2", "store.rewrap.before-commit",
             "rotate-kek.committed"]


def kek_id(path):
    """The KEK id the broker stores with each row (docs/broker.md)."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) != 32:
        raw = bytes.fromhex(raw.decode().strip())
    return hashlib.sha256(b"cvmm-broker kek id" + raw).digest()[:16].hex()


def finish_rotation(s, kek, prepare=True):
    """PostgreSQL: once a rotation committed (every row under KEKFILE.new's key),
    make KEKFILE.new the KEKFILE, as the operator does on every replica; then
    (@prepare) install a fresh KEKFILE.new for the next rotation."""
    new = kek + ".new"
    ids = {r["kek_id"] for r in json.loads(s.admin("list").stdout)["resources"]}
    assert ids <= {kek_id(kek), kek_id(new) if os.path.exists(new) else None}, ids
    if os.path.exists(new) and ids == {kek_id(new)}:
        os.replace(new, kek)
    if prepare and not os.path.exists(new):
        with open(new, "wb") as f:
            f.write(os.urandom(32))
        os.chmod(new, 0o600)


@case("kill -9 at every step of put-secret and rotate-kek: every secret stays readable")
def kill9(main_srv, guest):
    import shutil
    kek = os.path.join(WORK, "kek9")
    shutil.copy(PKI + "/kek", kek)
    os.chmod(kek, 0o600)
    store = os.path.join(WORK, "kill9.db")
    s = Server("kill9", "--test-roots", PKI + "/test-roots.pem", store=store, kek=kek)
    for i in range(3):
        s.admin("put-secret", "k9/key/%d" % i, write("s9", SECRET + bytes([i])))
    s.admin("set-policy", "k9/*", write("pol9.json", json.dumps(good_policy(guest))))
    if PG:
        finish_rotation(s, kek)
    s.stop()
    for n, fault in enumerate(PG_FAULTS if PG else FAULTS):
        s = Server("kill9", "--test-roots", PKI + "/test-roots.pem", store=store, kek=kek,
                   env={"CVMM_BROKER_TEST_FAULT": fault})
        op = ("put-secret", "k9/key/new%d" % n, write("s9", SECRET)) \
            if fault.startswith(("put", "store.put")) else ("rotate-kek",)
        r = s.admin(*op, check=False)
        rc = s.p.wait(20)
        assert rc == -signal.SIGKILL, (fault, rc, r.stderr)
        s = Server("kill9", "--test-roots", PKI + "/test-roots.pem", store=store, kek=kek)
        assert s.url, (fault, "".join(s.lines[-5:]))
        c, tee, r = attested(s, guest)
        expect(r, 200)
        for i in range(3):
            r = c.resource("k9/key/%d" % i)
            expect(r, 200)
            assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET + bytes([i]), fault
        if fault.startswith(("put", "store.put")):
            r = c.resource("k9/key/new%d" % n)
            want = 200 if fault == "store.put.committed" else 404
            assert r.status_code == want, (fault, r.status_code)
        if PG:
            finish_rotation(s, kek)
        else:
            assert not os.path.exists(kek + ".new"), fault
        assert s.stop() == 0
    if PG:   # a rotation that commits; then a replica on the new KEK alone serves
        s = Server("kill9", "--test-roots", PKI + "/test-roots.pem", store=store, kek=kek)
        for _ in range(10):   # the replica killed last counts as live for 5 s
            r = s.admin("rotate-kek", check=False)
            if r.returncode == 0 or b"does not hold" not in r.stderr:
                break
            time.sleep(1)
        assert r.returncode == 0, r.stderr
        finish_rotation(s, kek, prepare=False)
        assert not os.path.exists(kek + ".new")
        assert s.stop() == 0
        s = Server("kill9", "--test-roots", PKI + "/test-roots.pem", store=store, kek=kek)
        c, tee, r = attested(s, guest)
        expect(r, 200)
        expect(c.resource("k9/key/0"), 200)
        assert s.stop() == 0


if __name__ == "__main__":
    sys.exit(main())
