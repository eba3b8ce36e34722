#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""cvmm-agent's RCAR client against a real cvmm-broker, on the host.

The agent runs here (not in a guest) with its evidence from the sim-TEE
stand-in (simtee.py) and the broker reached through UNIX sockets -- the
same byte streams cvmm's hybrid vsock carries -- with TLS and the broker's
public key pinned.  Without device-mapper on this host the agent's
`check-key` command stands in for `unlock`: it attests, fetches the key and
checks that it opens a LUKS2 image (cryptsetup --test-passphrase).

Cases (each prints one line):
  serde    Trustee's real e2e-evidence.json, re-encoded into the 1184-byte
           layout here (an encoder written from the SNP ABI), gives back the
           same attestation_report through `cvmm-agent snp-serde`
  positive attest over TLS on a UNIX socket, get the key, it opens the image
  v5       the same with a version-5 report
  deny     a policy for another measurement: exit 2, the broker's reason in
           one line ("HTTP 403: ..."), no key
  unknown  an unknown resource: exit 2, HTTP 404
  pin      a pin for another key: exit 6, "does not match the pin"
  down     no broker: exit 3 at the deadline (4 s), not long after
  wrongkey the key does not open the image: exit 5
  replay   evidence from an earlier session (an earlier boot), replayed:
           whole (its runtime-data names the old nonce: HTTP 401) and with
           the new nonce (REPORT_DATA does not bind it: HTTP 403,
           broker.report_data); the first session itself gets its token
           (a small RCAR client here, over the same TLS socket)
and after all of them: no key byte (hex or base64) in any output or log.

usage: agent_host.py --build DIR [--vectors DIR (tests/data/attest)]   (77: skipped)
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import hostside  # noqa: E402
import simtee  # noqa: E402
import testpki  # noqa: E402

SKIP = 77
MEASUREMENT = bytes.fromhex("5a" * 48)
OUT = []


def tcb_bytes(t):
    if t.get("fmc") is not None:        # Turin: fmc, bl, tee, snp, 3 reserved, ucode
        return bytes([t["fmc"], t["bootloader"], t["tee"], t["snp"], 0, 0, 0, t["microcode"]])
    return bytes([t["bootloader"], t["tee"], 0, 0, 0, 0, t["snp"], t["microcode"]])


def encode_report(r):
    """Trustee's serde attestation_report -> the SNP ABI layout (independent)."""
    b = bytearray(1184)
    struct.pack_into("<IIQ", b, 0, r["version"], r["guest_svn"], r["policy"])
    b[0x10:0x20] = bytes(r["family_id"])
    b[0x20:0x30] = bytes(r["image_id"])
    struct.pack_into("<II", b, 0x30, r["vmpl"], r["sig_algo"])
    b[0x38:0x40] = tcb_bytes(r["current_tcb"])
    struct.pack_into("<QI", b, 0x40, r["plat_info"], r["key_info"])
    for name, off in (("report_data", 0x50), ("measurement", 0x90), ("host_data", 0xc0),
                      ("id_key_digest", 0xe0), ("author_key_digest", 0x110),
                      ("report_id", 0x140), ("report_id_ma", 0x160), ("chip_id", 0x1a0)):
        b[off:off + len(r[name])] = bytes(r[name])
    b[0x180:0x188] = tcb_bytes(r["reported_tcb"])
    if r["version"] >= 3:
        b[0x188:0x18b] = bytes([r["cpuid_fam_id"], r["cpuid_mod_id"], r["cpuid_step"]])
    b[0x1e0:0x1e8] = tcb_bytes(r["committed_tcb"])
    b[0x1e8:0x1eb] = bytes([r["current"]["build"], r["current"]["minor"], r["current"]["major"]])
    b[0x1ec:0x1ef] = bytes([r["committed"]["build"], r["committed"]["minor"],
                            r["committed"]["major"]])
    b[0x1f0:0x1f8] = tcb_bytes(r["launch_tcb"])
    b[0x2a0:0x2e8] = bytes(r["signature"]["r"])
    b[0x2e8:0x330] = bytes(r["signature"]["s"])
    return bytes(b)


def result(name, ok, detail=""):
    OUT.append((name, ok))
    print("%-9s %s%s" % (name, "ok" if ok else "FAIL",
                         (": " + detail) if detail and (not ok or "skip" in detail) else ""),
          flush=True)


def case_serde(agent, tmp, vectors):
    path = os.path.join(vectors, "trustee", "snp", "e2e-evidence.json")
    if not os.path.exists(path):
        result("serde", True, "skipped: no %s" % path)
        return
    ev = json.load(open(path))
    rep = os.path.join(tmp, "e2e-report.bin")
    open(rep, "wb").write(encode_report(ev["attestation_report"]))
    p = subprocess.run([agent, "snp-serde", rep], capture_output=True, text=True)
    got = json.loads(p.stdout) if p.returncode == 0 else {}
    same = got.get("attestation_report") == ev["attestation_report"]
    result("serde", same and got.get("cert_chain") is None,
           "" if same else "differs: %s" % p.stderr.strip())


class Run:
    def __init__(self, agent, tmp, pin, broker_sock, sim_sock, image):
        self.agent, self.tmp = agent, tmp
        self.base = {"url": "https://broker", "pin": pin, "connect": "unix:" + broker_sock,
                     "tee": "sim", "sim": "unix:" + sim_sock, "device": image,
                     "resource": "default/key/disk", "timeout": "20"}
        self.logs = []

    def __call__(self, **over):
        cfg = dict(self.base, **over)
        cmdline = os.path.join(self.tmp, "cmdline")
        with open(cmdline, "w") as f:
            f.write("console=ttyS0 " + " ".join("cvmm.agent.%s=%s" % kv for kv in cfg.items())
                    + "\n")
        conf = os.path.join(self.tmp, "agent.conf")
        with open(conf, "w") as f:
            f.write("# the test's settings are on its command line\n")
        t = time.monotonic()
        p = subprocess.run([self.agent, "check-key", "--cmdline", cmdline,
                            "--config", conf], capture_output=True, text=True,
                           timeout=300)
        self.logs.append(p.stdout + p.stderr)
        return p.returncode, p.stderr, time.monotonic() - t


class UnixHTTPS(http.client.HTTPConnection):
    """HTTPS to the broker's UNIX socket, its certificate as the only CA."""

    def __init__(self, path, cafile):
        super().__init__("broker", timeout=30)
        self.path, self.ctx = path, ssl.create_default_context(cafile=cafile)

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(30)
        s.connect(self.path)
        self.sock = self.ctx.wrap_socket(s, server_hostname="broker")


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def rcar_auth(conn):
    conn.request("POST", "/kbs/v0/auth", json.dumps({"version": "0.4.0", "tee": "snp"}),
                 {"Content-Type": "application/json"})
    r = conn.getresponse()
    body = json.loads(r.read())
    cookie = r.getheader("Set-Cookie").split(";")[0]
    return body["nonce"], cookie


def rcar_evidence(sim, nonce):
    """A sim-TEE report binding @nonce and a fresh P-256 tee key (as the agent does)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    nums = ec.generate_private_key(ec.SECP256R1()).public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "alg": "ECDH-ES+A256KW",
           "x": b64u(nums.x.to_bytes(32, "big")), "y": b64u(nums.y.to_bytes(32, "big"))}
    binding = json.dumps({"additional-evidence": "", "nonce": nonce, "tee-pubkey": jwk},
                         sort_keys=True, separators=(",", ":"))     # JCS for this ASCII
    rd = hashlib.sha384(binding.encode()).digest() + bytes(16)
    req = struct.pack("<IHHIII12x", 0x51545343, 1, 1, 1, 0, 3) + rd
    a = sim.answer(req)
    rep, table = a[32:32 + 1184], a[32 + 1184:]
    ev = {"report": base64.b64encode(rep).decode(),
          "cert_table": base64.b64encode(table).decode()}
    return {"runtime-data": {"nonce": nonce, "tee-pubkey": jwk},
            "tee-evidence": {"primary_evidence": ev, "additional_evidence": ""}}


def rcar_attest(conn, cookie, body):
    conn.request("POST", "/kbs/v0/attest", json.dumps(body),
                 {"Content-Type": "application/json", "Cookie": cookie})
    r = conn.getresponse()
    return r.status, r.read().decode(errors="replace")


def case_replay(sock, cafile, sim):
    conn = UnixHTTPS(sock, cafile)
    n1, c1 = rcar_auth(conn)
    first = rcar_evidence(sim, n1)
    st1, b1 = rcar_attest(conn, c1, first)
    _, c2 = rcar_auth(conn)
    st2, b2 = rcar_attest(conn, c2, first)                   # replayed as it was
    again = json.loads(json.dumps(first))
    n3, c3 = rcar_auth(conn)
    again["runtime-data"]["nonce"] = n3                      # with the new nonce
    st3, b3 = rcar_attest(conn, c3, again)
    ok = (st1 == 200 and "token" in b1 and st2 == 401 and st3 == 403 and
          "broker.report_data" in b3)
    result("replay", ok, "first %d, replayed %d (%s), re-nonced %d (%s)"
           % (st1, st2, b2[:120], st3, b3[:160]))


def lines_with(text, word):
    return [l for l in text.splitlines() if word in l]


def main():
    # a test runner's SIGTERM unwinds through the finally blocks, which stop
    # the broker and the sim-TEE
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--vectors", default=os.path.join(os.path.dirname(HERE), "data", "attest"))
    a = ap.parse_args()
    agent = os.path.join(a.build, "cvmm-agent")
    for tool in ("cryptsetup", "openssl"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"):
            print("SKIP: %s not found (apt-get install cryptsetup-bin openssl)" % tool)
            return SKIP
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    tmp = tempfile.mkdtemp(prefix="cvmm-agent-host-")
    case_serde(agent, tmp, a.vectors)

    pki = os.path.join(tmp, "pki")
    testpki.snp_chain(pki)
    key = os.urandom(32)
    image = os.path.join(tmp, "disk.img")
    with open(image, "wb") as f:
        f.truncate(32 << 20)
    fmt = ["cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2", "--pbkdf",
           "pbkdf2", "--pbkdf-force-iterations", "1000", "--key-file=-"]
    subprocess.run(fmt + [image], input=key, check=True)
    other = os.path.join(tmp, "other.img")
    shutil.copyfile(image, other)
    subprocess.run(fmt + [other], input=os.urandom(32), check=True)

    sim = simtee.SimTee(os.path.join(tmp, "v.sock_4051"), pki, MEASUREMENT).start()
    broker = hostside.Broker(a.build, tmp, pki)
    policy = json.dumps({"snp": {"measurement": [MEASUREMENT.hex()]}})
    broker.admin("default/key/disk", key, policy)
    sock = os.path.join(tmp, "v.sock_8443")
    broker.serve("unix:" + sock)
    run = Run(agent, tmp, broker.pin, sock, sim.path, image)
    try:
        rc, err, _ = run()
        result("positive", rc == 0 and lines_with(err, "the key opens"), "rc=%d %s" % (rc, err.strip()[-200:]) if rc else "")
        rc, err, _ = run(**{"report-version": "5"})
        result("v5", rc == 0, "rc=%d %s" % (rc, err.strip()[-200:]) if rc else "")
        broker.stop()
        broker.admin("default/key/other", key, json.dumps({"snp": {"measurement": ["00" * 48]}}))
        broker.serve("unix:" + sock)
        rc, err, _ = run(resource="default/key/other")
        deny = lines_with(err, "HTTP 403")
        result("deny", rc == 2 and len(deny) == 1, "rc=%d %s" % (rc, err.strip()))
        rc, err, _ = run(resource="default/key/nothing")
        result("unknown", rc == 2 and lines_with(err, "HTTP 404"), "rc=%d %s" % (rc, err.strip()))
        rc, err, _ = run(pin=testpki.tls_cert(os.path.join(tmp, "other"), "other"))
        result("pin", rc == 6 and lines_with(err, "does not match the pin"),
               "rc=%d %s" % (rc, err.strip()))
        rc, err, _ = run(device=other)
        result("wrongkey", rc == 5 and lines_with(err, "does not open"), "rc=%d %s" % (rc, err.strip()))
        case_replay(sock, broker.cert, sim)
        broker.stop()
        rc, err, took = run(timeout="4")
        result("down", rc == 3 and 3.5 < took < 12 and lines_with(err, "deadline"),
               "rc=%d in %.1f s: %s" % (rc, took, err.strip()[-300:]))
    finally:
        broker.stop()
        sim.close()
    logs = "\n".join(run.logs) + open(os.path.join(tmp, "broker.log")).read()
    leaks = [form for form in (key.hex(), base64.b64encode(key).decode().rstrip("="),
                               base64.urlsafe_b64encode(key).decode().rstrip("="))
             if form in logs]
    result("no-leak", not leaks, "key material found in logs" if leaks else "")
    failed = [n for n, ok in OUT if not ok]
    print("%d passed, %d failed" % (len(OUT) - len(failed), len(failed)))
    if not failed:
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        print("logs kept in", tmp)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
