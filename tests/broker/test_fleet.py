# SPDX-License-Identifier: GPL-2.0-only
"""cvmm-broker as a fleet: three replicas (`cvmm-broker serve` processes on
127.0.0.1) share one throwaway PostgreSQL cluster; an independent client
(kbsclient.py) drives guests through them like a round-robin load balancer.

  - auth on replica A, attest on B, resource on C (cookie, and B's bearer
    token on A although every replica signs tokens with its own key);
  - secrets, policies and reference values changed through one replica are
    served by the others at once;
  - a nonce replayed concurrently to two replicas is accepted once, and an
    admin token used on one replica is refused by the others;
  - the KEK rotation waits until every live replica holds the new KEK, then
    every replica serves and seals under it;
  - 200 concurrent guests, each step on another replica, one replica killed
    (SIGKILL) mid-run: no wrong answer, every flow completes or fails cleanly
    and succeeds on retry, every release in the audit log;
  - PostgreSQL restarted mid-run: the replicas report not ready, then recover
    on their own;
  - /healthz, /readyz, /metrics.

usage: /usr/bin/python3 test_fleet.py CVMM_BROKER PKI_DIR WORK_DIR, under
tests/broker/pgcluster.py run -- (exit 77 without it).  Loopback only; every
wait and loop is bounded.
"""
import json
import os
import shutil
import signal
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
SECRET = os.urandom(48)
RESULTS = []
GUESTS = int(os.environ.get("CVMM_FLEET_GUESTS", "200"))


class Replica:
    """One `cvmm-broker serve` with its own KEK file copy and token key."""

    def __init__(self, name, uri):
        self.name, self.uri = name, uri
        self.kek = os.path.join(WORK, "kek-" + name)
        if not os.path.exists(self.kek):
            shutil.copy(PKI + "/kek", self.kek)
            os.chmod(self.kek, 0o600)
        self.start()

    def start(self):
        self.log = open(os.path.join(WORK, self.name + ".log"), "a+")
        self.p = subprocess.Popen(
            [BROKER, "serve", "--listen", "127.0.0.1:0", "--insecure-http",
             "--store", self.uri, "--kek", self.kek, "--admin-key", PKI + "/admin.pub",
             "--test-roots", PKI + "/test-roots.pem", "--threads", "4",
             "--replica-name", self.name], stderr=subprocess.PIPE, text=True)
        self.port, self.down = None, False
        started = threading.Event()

        def read():
            for line in self.p.stderr:
                self.log.write(line)
                self.log.flush()
                if '"serve.started"' in line:
                    self.port = json.loads(line)["port"]
                    started.set()
            started.set()
        threading.Thread(target=read, daemon=True).start()
        started.wait(30)
        assert self.port, "replica %s did not start" % self.name
        self.url = "http://127.0.0.1:%d" % self.port

    def kill(self):
        self.p.kill()
        self.p.wait(20)
        self.down = True

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                return self.p.wait(20)
            except subprocess.TimeoutExpired:
                self.p.kill()
        return self.p.wait()

    def readyz(self):
        try:
            return requests.get(self.url + "/readyz", timeout=5).status_code
        except requests.RequestException:
            return None

    def admin(self, *args, check=True):
        r = subprocess.run([BROKER, "admin", "--url", self.url, "--admin-key",
                            PKI + "/admin.key"] + list(args), capture_output=True, timeout=60)
        if check and r.returncode:
            raise AssertionError("admin %s via %s: %s" % (args[0], self.name, r.stderr))
        return r


def case(name):
    def wrap(fn):
        def run(*a):
            t0 = time.time()
            try:
                fn(*a)
                RESULTS.append((name, None))
                print("ok   %s (%.1f s)" % (name, time.time() - t0), flush=True)
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


def until(pred, secs, what, every=0.1):
    t = time.time() + secs
    while time.time() < t:
        if pred():
            return
        time.sleep(every)
    raise AssertionError("timed out: " + what)


class Clean(Exception):
    """A flow that failed cleanly: an error status with Trustee's body, or a
    replica that went away (connection refused or reset)."""


def step(c, rep, fn, *args, want=200):
    c.url = rep.url
    try:
        r = fn(*args)
    except requests.ConnectionError as e:
        rep.down = True               # what a load balancer's health check concludes
        raise Clean("%s: connection: %s" % (rep.name, e.__class__.__name__))
    if r.status_code == want:
        return r
    body = r.json()                   # every error carries Trustee's error body
    assert body["type"].startswith("https://github.com/confidential-containers/kbs/errors/")
    if r.status_code in (401, 500, 503):
        raise Clean("%s: %d %s" % (rep.name, r.status_code, body["detail"]))
    raise AssertionError("wrong answer from %s: %d %s" % (rep.name, r.status_code, r.text))


def flow(reps, offset, guest, path="fleet/key/disk", secret=None):
    """auth, attest, resource, each on the next live replica; the session id."""
    live = [r for r in reps if not r.down] or reps
    pick = lambda i: live[(offset + i) % len(live)]
    c = kc.KbsClient(pick(0).url)
    tee = kc.TeeKey()
    step(c, pick(0), c.auth)
    ev = guest.serde(kc.report_data(c.nonce, tee.public))
    step(c, pick(1), c.attest, ev, tee.public)
    r = step(c, pick(2), c.resource, path)
    got = kc.decrypt_with_jwcrypto(r.json(), tee)
    assert got == (secret or SECRET), "wrong secret from %s" % pick(2).name
    return c.s.cookies.get("kbs-session-id")


def flow_retry(reps, offset, guest, attempts=8, pause=0.0, log=None, **kw):
    for i in range(attempts):
        try:
            return flow(reps, offset + i, guest, **kw)
        except Clean as e:
            if log is not None:
                log.append(str(e))
            time.sleep(pause)
    raise AssertionError("a flow kept failing: %s" % (log[-1] if log else "?"))


def good_policy(guest):
    return {"snp": {"measurement": [guest.fields["measurement"].hex()],
                    "min_tcb": {"bootloader": 3, "tee": 0, "snp": 8, "microcode": 115}}}


@case("auth on A, attest on B, resource on C; B's bearer token on A")
def t_cross(reps, guest):
    a, b, c_ = reps
    c = kc.KbsClient(a.url)
    tee = kc.TeeKey()
    step(c, a, c.auth)
    ev = guest.serde(kc.report_data(c.nonce, tee.public))
    tok = step(c, b, c.attest, ev, tee.public).json()["token"]
    r = step(c, c_, c.resource, "fleet/key/disk")
    assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET
    # the token is signed with B's own key; A accepts it as the token issued for the session
    r = kc.KbsClient(a.url).resource("fleet/key/disk", token=tok)
    assert r.status_code == 200, r.text
    assert kc.decrypt_with_jwcrypto(r.json(), tee) == SECRET
    forged = tok[:-4] + ("AAAA" if not tok.endswith("AAAA") else "BBBB")
    r = kc.KbsClient(c_.url).resource("fleet/key/disk", token=forged)
    assert r.status_code == 401, r.text
    # a token that verifies under the key it names, for a live attested session,
    # but is not the token issued for it: refused by every replica
    from jwcrypto import jwk as jjwk, jwt as jjwt
    sid = c.s.cookies.get("kbs-session-id")
    k = jjwk.JWK.generate(kty="EC", crv="P-256")
    now = int(time.time())
    t = jjwt.JWT(header={"alg": "ES256", "typ": "JWT",
                         "jwk": json.loads(k.export_public())},
                 claims={"jti": sid, "iat": now, "exp": now + 60, "iss": "cvmm-broker"})
    t.make_signed_token(k)
    for rep in reps:
        r = kc.KbsClient(rep.url).resource("fleet/key/disk", token=t.serialize())
        assert r.status_code == 401 and "not the token issued" in r.text, r.text


@case("secrets, policies and reference values changed on one replica are served by all at once")
def t_changes(reps, guest):
    a, b, c_ = reps
    new = os.urandom(40)
    a.admin("put-secret", "chg/key/x", write("chg", new))
    b.admin("set-policy", "chg/*", write("chg.json", json.dumps(good_policy(guest))))
    for rep in reps:
        flow([rep], 0, guest, path="chg/key/x", secret=new)
    newer = os.urandom(40)
    c_.admin("put-secret", "chg/key/x", write("chg", newer))
    flow([a], 0, guest, path="chg/key/x", secret=newer)     # no cache to go stale
    doc = {"coco": "snp", "measurement": guest.fields["measurement"].hex()}
    c_.admin("add-reference", "fleetref", write("ref.json", json.dumps(doc)))
    a.admin("set-policy", "chg/key/x", write("chg2.json",
                                              json.dumps({"reference_values": "fleetref"})))
    flow([b], 0, guest, path="chg/key/x", secret=newer)
    c_.admin("delete-policy", "chg/key/x")
    c_.admin("delete-policy", "chg/*")
    try:
        flow([a], 0, guest, path="chg/key/x")
        raise AssertionError("released without a policy")
    except AssertionError as e:
        assert "403" in str(e) and "no policy" in str(e), e


def admin_token(method, path, body=b""):
    """An admin bearer token as docs/broker.md describes it (Ed25519)."""
    import base64
    import hashlib
    from jwcrypto import jwk as jjwk, jws as jjws
    with open(PKI + "/admin.key", "rb") as f:
        key = jjwk.JWK.from_pem(f.read())
    now = int(time.time())
    claims = {"aud": "cvmm-broker-admin", "iat": now, "exp": now + 60,
              "jti": os.urandom(16).hex(), "htm": method, "htu": path,
              "bsh": base64.urlsafe_b64encode(hashlib.sha256(body).digest())
              .rstrip(b"=").decode()}
    t = jjws.JWS(json.dumps(claims).encode())
    t.add_signature(key, None, json.dumps({"alg": "EdDSA"}))
    return t.serialize(compact=True)


@case("an admin token is good once across the fleet")
def t_admin_replay(reps, guest):
    tok = admin_token("GET", "/kbs/v0/admin/resources")
    h = {"Authorization": "Bearer " + tok}
    r = requests.get(reps[0].url + "/kbs/v0/admin/resources", headers=h, timeout=10)
    assert r.status_code == 200, r.text
    for rep in reps:
        r = requests.get(rep.url + "/kbs/v0/admin/resources", headers=h, timeout=10)
        assert r.status_code == 401 and "already used" in r.text, (rep.name, r.text)


@case("a nonce replayed concurrently to two replicas is accepted once")
def t_nonce_race(reps, guest):
    a, b, c_ = reps
    oks = 0
    for i in range(20):
        c = kc.KbsClient(a.url)
        tee = kc.TeeKey()
        step(c, a, c.auth)
        sid = c.s.cookies.get("kbs-session-id")
        ev = guest.serde(kc.report_data(c.nonce, tee.public))
        body = {"runtime-data": {"nonce": c.nonce, "tee-pubkey": tee.public},
                "tee-evidence": {"primary_evidence": ev, "additional_evidence": ""}}
        bar, got = threading.Barrier(2), []

        def post(rep):
            s = requests.Session()
            s.get(rep.url + "/healthz")            # connected before the barrier
            bar.wait()
            got.append(s.post(rep.url + "/kbs/v0/attest", json=body,
                              headers={"Cookie": "kbs-session-id=" + sid}))
        ts = [threading.Thread(target=post, args=(rep,)) for rep in (b, c_)]
        [t.start() for t in ts]
        [t.join(30) for t in ts]
        codes = sorted(r.status_code for r in got)
        assert codes == [200, 401], codes
        assert "already used" in [r for r in got if r.status_code == 401][0].text
        oks += 1
    assert oks == 20


def kek_id(raw):
    import hashlib
    return hashlib.sha256(b"cvmm-broker kek id" + raw).digest()[:16].hex()


@case("KEK rotation: refused until every live replica holds KEKFILE.new, then fleet-wide")
def t_rotation(reps, guest):
    a, b, c_ = reps
    new = os.urandom(32)
    write("tmp.kek", new)
    for rep in (a, b):
        shutil.copy(os.path.join(WORK, "tmp.kek"), rep.kek + ".new")
        os.chmod(rep.kek + ".new", 0o600)
    # within a beat A and B report the new KEK; C, live, does not hold it
    until(lambda: b"replica c does not hold" in a.admin("rotate-kek", check=False).stderr,
          10, "rotate-kek refused because of c")
    shutil.copy(os.path.join(WORK, "tmp.kek"), c_.kek + ".new")
    os.chmod(c_.kek + ".new", 0o600)
    until(lambda: a.admin("rotate-kek", check=False).returncode == 0, 10, "rotate-kek")
    for rep in reps:                              # at once, before any beat
        flow([rep], 0, guest)
    c_.admin("put-secret", "rot/key/y", write("roty", SECRET))
    ids = {x["kek_id"] for x in json.loads(a.admin("list").stdout)["resources"]}
    assert ids == {kek_id(new)}, ids
    for rep in reps:                              # the operator finishes the rotation
        os.replace(rep.kek + ".new", rep.kek)
    time.sleep(1.5)
    c_.stop()
    c_.start()                                    # holds only the new KEK now
    for rep in reps:
        flow([rep], 0, guest)


@case("%d concurrent guests, each step on another replica, one replica SIGKILLed mid-run"
      % GUESTS)
def t_load_kill(reps, guest):
    done, failures, wrong = [], [], []
    go = threading.Barrier(GUESTS + 1)

    def one(g):
        go.wait()
        try:
            done.append(flow_retry(reps, g, guest, attempts=8, log=failures))
        except Exception as e:  # noqa: BLE001
            wrong.append(repr(e))
    ts = [threading.Thread(target=one, args=(g,)) for g in range(GUESTS)]
    [t.start() for t in ts]
    go.wait()
    until(lambda: len(done) >= GUESTS // 3, 120, "a third of the flows", every=0.005)
    reps[2].kill()
    killed_at = len(done)
    [t.join(180) for t in ts]
    assert not wrong, wrong[:3]
    assert len(done) == GUESTS and len(set(done)) == GUESTS, (len(done), len(set(done)))
    assert killed_at < GUESTS, "the kill was not mid-run"
    print("     %d flows, replica c killed after %d, %d clean failures retried"
          % (len(done), killed_at, len(failures)), flush=True)
    out = subprocess.run([BROKER, "audit", "--store", reps[0].uri, "--json"],
                         capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    allowed = {(r["event"], r.get("session")) for r in rows if r.get("verdict") == "allow"}
    lost = [s for s in done if ("attest", s) not in allowed or ("resource", s) not in allowed]
    assert not lost, "releases missing from the audit log: %s" % lost[:3]
    reps[2].start()
    until(lambda: reps[2].readyz() == 200, 10, "the restarted replica ready")


@case("PostgreSQL restarted mid-run: replicas not ready, then recover without a restart")
def t_pg_restart(reps, guest):
    pids = [r.p.pid for r in reps]
    stop, done, wrong, failures = threading.Event(), [], [], []

    def worker(w):
        n = 0
        while not stop.is_set() and n < 400:
            try:
                done.append(flow_retry(reps, w + n, guest, attempts=60, pause=0.25,
                                       log=failures))
            except Exception as e:  # noqa: BLE001
                wrong.append(repr(e))
                return
            n += 1
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    [t.start() for t in ts]
    until(lambda: len(done) >= 4, 60, "flows before the restart")
    PG.stop()
    until(lambda: all(r.readyz() == 503 for r in reps), 15, "every replica not ready")
    body = requests.get(reps[0].url + "/readyz", timeout=5).json()
    assert body["status"] == "not ready" and body["detail"], body
    time.sleep(0.5)
    PG.start()
    until(lambda: all(r.readyz() == 200 for r in reps), 20, "every replica ready again")
    stop.set()
    [t.join(120) for t in ts]
    assert not wrong, wrong[:3]
    assert failures, "no flow saw the outage"
    assert [r.p.pid for r in reps] == pids and all(r.p.poll() is None for r in reps)
    for rep in reps:
        flow([rep], 0, guest)
    print("     %d flows, %d clean failures during the outage" % (len(done), len(failures)),
          flush=True)


@case("/healthz, /readyz and /metrics on every replica")
def t_health(reps, guest):
    for rep in reps:
        assert requests.get(rep.url + "/healthz", timeout=5).json() == {"status": "ok"}
        r = requests.get(rep.url + "/readyz", timeout=5).json()
        assert r["status"] == "ready" and r["replica"] == rep.name, r
        assert r["replicas_live"] == 3, r
        m = requests.get(rep.url + "/metrics", timeout=5)
        assert m.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        lines = {ln.rsplit(" ", 1)[0]: float(ln.rsplit(" ", 1)[1])
                 for ln in m.text.splitlines() if ln and not ln.startswith("#")}
        assert lines['cvmm_broker_requests_total{endpoint="resource",code="200"}'] > 0
        assert lines['cvmm_broker_request_duration_seconds_count{endpoint="attest"}'] > 0
        assert lines["cvmm_broker_ready"] == 1 and lines["cvmm_broker_replicas_live"] == 3
        assert any(k.startswith('cvmm_broker_verdicts_total{event="resource",verdict="allow"')
                   for k in lines), "no verdicts"
    agg = "".join(requests.get(r.url + "/metrics", timeout=5).text for r in reps)
    assert 'reason="policy.none"' in agg, "the no-policy denial is not counted"
    r = requests.post(reps[0].url + "/readyz", timeout=5)
    assert r.status_code == 405


def main():
    if PG is None:
        print("SKIP: no PostgreSQL cluster (run under tests/broker/pgcluster.py run --)")
        return 77
    uri = PG.createdb("fleet")
    reps = []
    try:
        for name in ("a", "b", "c"):
            reps.append(Replica(name, uri))
        guest = kc.SnpGuest(PKI)
        reps[0].admin("put-secret", "fleet/key/disk", write("secret", SECRET))
        reps[1].admin("set-policy", "fleet/*", write("pol.json",
                                                     json.dumps(good_policy(guest))))
        reps[2].admin("put-secret", "rot/key/x", write("secret", SECRET))
        reps[2].admin("set-policy", "rot/*", write("pol.json", json.dumps(good_policy(guest))))
        for t in (t_cross, t_changes, t_admin_replay, t_nonce_race, t_rotation, t_load_kill, t_pg_restart,
                  t_health):
            t(reps, guest)
    finally:
        codes = [r.stop() for r in reps]
    RESULTS.append(("SIGTERM stops every replica with status 0",
                    None if codes == [0] * len(reps) else codes))
    failed = [n for n, e in RESULTS if e is not None]
    print("%d passed, %d failed" % (len(RESULTS) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
