#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cross-check src/jose against independent JOSE implementations.

usage: /usr/bin/python3 crosscheck.py JOSE_TOOL

- Debian's python3-jwcrypto decrypts cvmm's JWEs for every alg and curve and
  verifies cvmm's JWS; cvmm decrypts jwcrypto's JWEs (flattened with the epk
  in the unprotected header, with "aad", compact) and verifies its JWS.
- The jose CLI (libjose 11) does the same for the algs it has: ECDH-ES+A256KW,
  RSA1_5, ES256/384/512 (it has neither RSA-OAEP-256 nor EdDSA).
- A Trustee-style client recomputes the AAD from the re-serialized, key-sorted
  protected header; it must equal the header cvmm sent (key-broker.md).
- JCS: Trustee's vector and random objects against a JCS written here from
  RFC 8785; numbers against ECMAScript's rule applied to Python's shortest
  round-trip repr().
Runs with /usr/bin/python3 (Debian's, which has python3-jwcrypto).
Exit 0 when every check passes, 77 (skip) when jwcrypto or the jose CLI is
missing (setup.sh installs both), 1 otherwise.
"""
import base64
import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile

try:
    from jwcrypto import jwe, jwk, jws
except ImportError:
    print("SKIP: python3-jwcrypto is not installed (setup.sh installs it)")
    sys.exit(77)
JOSE_CLI = shutil.which("jose")
if not JOSE_CLI:
    print("SKIP: the jose CLI is not installed (setup.sh installs it)")
    sys.exit(77)

TOOL = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="jose-crosscheck-")
RESULTS = {"passed": 0, "failed": 0}
ALL_JWE_ALGS = ["ECDH-ES+A256KW", "RSA-OAEP-256", "RSA1_5", "A256GCM"]
JWE_CASES = [("P-256", "ECDH-ES+A256KW"), ("P-384", "ECDH-ES+A256KW"),
             ("P-521", "ECDH-ES+A256KW"), ("RSA-2048", "RSA-OAEP-256"),
             ("RSA-3072", "RSA-OAEP-256"), ("RSA-2048", "RSA1_5")]
JWS_CASES = [("P-256", "ES256"), ("P-384", "ES384"), ("P-521", "ES512"),
             ("Ed25519", "EdDSA")]
CLI_JWE = {"ECDH-ES+A256KW", "RSA1_5"}
CLI_JWS = {"ES256", "ES384", "ES512"}


def check(name, cond, detail=""):
    if cond:
        RESULTS["passed"] += 1
        print("ok - " + name)
    else:
        RESULTS["failed"] += 1
        print("not ok - %s %s" % (name, detail))


def path(name):
    return os.path.join(TMP, name)


def write(name, data):
    with open(path(name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return path(name)


def read(name):
    with open(path(name), "rb") as f:
        return f.read()


def tool(*args):
    p = subprocess.run([TOOL] + list(args), capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode(errors="replace").strip()


def b64u_dec(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64u_enc(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def jwcrypto_key(kind):
    if kind.startswith("P-"):
        return jwk.JWK.generate(kty="EC", crv=kind)
    if kind.startswith("RSA-"):
        return jwk.JWK.generate(kty="RSA", size=int(kind[4:]))
    return jwk.JWK.generate(kty="OKP", crv="Ed25519")


def cvmm_key(kind, tag, alg=None):
    args = ["genkey", kind, path(tag + ".pem"), path(tag + ".jwk")]
    rc, _, err = tool(*(args + ([alg] if alg else [])))
    assert rc == 0, err
    with open(path(tag + ".pem"), "rb") as f:
        priv = jwk.JWK.from_pem(f.read())
    return priv, json.loads(read(tag + ".jwk"))


# --- JCS ---------------------------------------------------------------

def es_number(d):
    """ECMAScript Number::toString from Python's shortest repr()."""
    if d == 0:
        return "0"
    if d < 0:
        return "-" + es_number(-d)
    mant, _, exp = repr(d).partition("e")
    ip, _, fp = mant.partition(".")
    allds = ip + fp
    digits = allds.lstrip("0")
    n = len(ip) + (int(exp) if exp else 0) - (len(allds) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * -n + digits
    e = n - 1
    return (digits[0] + ("." + digits[1:] if k > 1 else "") + "e" +
            ("+" if e >= 0 else "-") + str(abs(e)))


def jcs(v):
    """RFC 8785 for strings, ints, bools, null, arrays and objects."""
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: kv[0].encode("utf-16-be"))
        return "{" + ",".join(jcs(k) + ":" + jcs(x) for k, x in items) + "}"
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def random_string(rng):
    pool = ["a", "b", "Z", "1", "\u00e9", "\u0080", "\u20ac", "\ufb33",
            "\uffff", "\U0001f600", "\U00010000", "\n", "\x01", '"', "\\",
            "/", "\x7f", "\u2028"]
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 4)))


def random_value(rng, depth=0):
    r = rng.random()
    if depth > 3 or r < 0.3:
        return rng.choice([None, True, False, rng.randint(-2**53, 2**53),
                           random_string(rng)])
    if r < 0.6:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_string(rng): random_value(rng, depth + 1)
            for _ in range(rng.randint(0, 6))}


def test_jcs():
    v = {"a": "test", "b": 1, "c": {"d": "e"}}
    want = hashlib.sha384(jcs(v).encode()).hexdigest()
    rc, out, err = tool("jcs-sha384", write("t.json", json.dumps(v)))
    check("JCS-SHA-384 of Trustee's vector", rc == 0 and
          out.decode().strip() == want and want.startswith("e71ce8e7") and
          want.endswith("78870c3"), out + err.encode())
    rng = random.Random(8785)
    bad = 0
    for i in range(300):
        v = random_value(rng)
        rc, out, err = tool("jcs", write("r.json", json.dumps(v)))
        if rc != 0 or out.decode() != jcs(v):
            bad += 1
            if bad < 3:
                print("# mismatch: %r\n#   cvmm %r\n#   here %r" %
                      (v, out, jcs(v)))
    check("JCS of 300 random objects (UTF-16 key order, escapes)", bad == 0)
    specials = [0x0000000000000001, 0x7fefffffffffffff, 0x0010000000000000,
                0x000fffffffffffff, 0x3ff0000000000000, 0x3ff0000000000001,
                0x444b1ae4d6e2ef50, 0x3eb0c6f7a0b5ed8d, 0x8000000000000000]
    bits = specials + [rng.getrandbits(64) for _ in range(30000)]
    bits += [(e << 52) | rng.choice([0, 1, (1 << 52) - 1])
             for e in range(1, 2047)]            # powers of two and around
    bits = [b for b in bits if (b >> 52) & 0x7ff != 0x7ff]   # no NaN/Inf
    write("n.txt", "".join("%016x\n" % b for b in bits))
    rc, out, err = tool("numbers", path("n.txt"))
    got = out.decode().split("\n")
    bad = [(b, g) for b, g in zip(bits, got)
           if g != es_number(struct.unpack(">d", b.to_bytes(8, "big"))[0])]
    check("ECMAScript numbers for %d doubles" % len(bits),
          rc == 0 and len(got) >= len(bits) and not bad, str(bad[:3]))


# --- JWE ---------------------------------------------------------------

def trustee_aad(protected):
    """The AAD guest-components recomputes: sorted compact re-serialization."""
    h = json.loads(b64u_dec(protected))
    return b64u_enc(json.dumps(h, sort_keys=True, separators=(",", ":"))
                    .encode())


def jwcrypto_decrypt(priv, data):
    e = jwe.JWE(algs=ALL_JWE_ALGS)
    e.deserialize(data, key=priv)
    return e.payload


def cli_decrypt(priv, jwe_file):
    write("cli.jwk", priv.export_private())
    p = subprocess.run([JOSE_CLI, "jwe", "dec", "-i", jwe_file, "-k",
                        path("cli.jwk"), "-O", "-"], capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout


def test_cvmm_jwe(kind, alg):
    name = "%s %s" % (alg, kind)
    priv, pub = cvmm_key(kind, "k", alg)
    pt = os.urandom(37)
    rc, _, err = tool("encrypt", path("k.jwk"), alg, write("pt", pt),
                      path("jwe.json"))
    check("cvmm encrypts " + name, rc == 0, err)
    text = read("jwe.json").decode()
    f = json.loads(text)
    check("  members are exactly protected/encrypted_key/iv/ciphertext/tag",
          sorted(f) == ["ciphertext", "encrypted_key", "iv", "protected",
                        "tag"])
    check("  a Trustee client's re-serialized AAD equals the header sent",
          trustee_aad(f["protected"]) == f["protected"])
    try:
        got = jwcrypto_decrypt(priv, text)
        compact = ".".join(f[k] for k in ("protected", "encrypted_key", "iv",
                                          "ciphertext", "tag"))
        got2 = jwcrypto_decrypt(priv, compact)
    except Exception as ex:   # noqa: BLE001 - report any jwcrypto failure
        got = got2 = repr(ex)
    check("  jwcrypto decrypts it (flattened and compact)",
          got == pt and got2 == pt, str(got)[:200])
    other = jwcrypto_key(kind)
    try:
        jwcrypto_decrypt(other, text)
        check("  jwcrypto refuses it under another key", False)
    except Exception:         # noqa: BLE001 - any failure is the point
        check("  jwcrypto refuses it under another key", True)
    if alg in CLI_JWE:
        rc, out = cli_decrypt(priv, path("jwe.json"))
        check("  the jose CLI decrypts it", rc == 0 and out == pt, out[:200])
    extra = ["--allow-rsa1_5"] if alg == "RSA1_5" else []
    rc, out, err = tool("decrypt", path("k.pem"), path("jwe.json"),
                        path("back"), *extra)
    check("  cvmm decrypts it back", rc == 0 and read("back") == pt, err)


def jwcrypto_jwes(priv, alg, pt):
    out = {}
    prot = {"alg": alg, "enc": "A256GCM", "kid": "crosscheck"}
    e = jwe.JWE(pt, protected=json.dumps(prot), algs=ALL_JWE_ALGS)
    e.add_recipient(priv)
    out["flattened"] = e.serialize()
    out["compact"] = e.serialize(compact=True)
    e = jwe.JWE(pt, protected=json.dumps(prot), aad=b"extra data",
                algs=ALL_JWE_ALGS)
    e.add_recipient(priv)
    out["flattened with aad"] = e.serialize()
    return out


def test_foreign_jwe(kind, alg):
    name = "%s %s" % (alg, kind)
    priv = jwcrypto_key(kind)
    write("f.pem", priv.export_to_pem(private_key=True, password=None))
    pt = os.urandom(33)
    extra = ["--allow-rsa1_5"] if alg == "RSA1_5" else []
    forms = jwcrypto_jwes(priv, alg, pt)
    if alg in CLI_JWE:
        write("pub.jwk", priv.export_public())
        p = subprocess.run([JOSE_CLI, "jwe", "enc", "-i",
                            json.dumps({"protected": {"alg": alg,
                                                      "enc": "A256GCM"}}),
                            "-I", write("fpt", pt), "-k", path("pub.jwk"),
                            "-o", "-"], capture_output=True, timeout=60)
        forms["jose CLI"] = p.stdout.decode() if p.returncode == 0 else "x"
    for form, data in forms.items():
        rc, _, err = tool("decrypt", path("f.pem"), write("fj", data),
                          path("fback"), *extra)
        check("cvmm decrypts %s's %s JWE (%s)" %
              ("the jose CLI" if form == "jose CLI" else "jwcrypto", name,
               form), rc == 0 and read("fback") == pt, err)
    # a flipped tag must fail, with the constant reason
    f = json.loads(forms["flattened"])
    tag = bytearray(b64u_dec(f["tag"]))
    tag[0] ^= 1
    f["tag"] = b64u_enc(bytes(tag))
    rc, _, err = tool("decrypt", path("f.pem"), write("fj", json.dumps(f)),
                      path("fback"), *extra)
    check("cvmm refuses jwcrypto's %s JWE with a flipped tag" % name,
          rc != 0 and err.endswith("decryption failed"), err)


# --- JWS ---------------------------------------------------------------

def test_cvmm_jws(kind, alg):
    priv, pub = cvmm_key(kind, "s")
    claims = {"iss": "cvmm-broker", "exp": 2000000000, "eat_profile": "x",
              "submods": {"cpu0": {"ear.status": "affirming"}}}
    rc, _, err = tool("sign", path("s.pem"), alg,
                      write("claims.json", json.dumps(claims)),
                      path("token"), "--embed-jwk")
    check("cvmm signs %s" % alg, rc == 0, err)
    token = read("token").decode()
    try:
        s = jws.JWS()
        s.deserialize(token, key=jwk.JWK(**pub))
        ok = json.loads(s.payload) == claims and \
            s.jose_header["jwk"] == pub and s.jose_header["alg"] == alg
    except Exception as ex:   # noqa: BLE001 - report any jwcrypto failure
        ok = repr(ex)
    check("  jwcrypto verifies it with the public JWK", ok is True, str(ok))
    if alg in CLI_JWS:
        p = subprocess.run([JOSE_CLI, "jws", "ver", "-i", path("token"), "-k",
                            path("s.jwk"), "-O", "-"], capture_output=True,
                           timeout=60)
        check("  the jose CLI verifies it", p.returncode == 0 and
              json.loads(p.stdout) == claims, p.stderr[:200])
    rc, out, err = tool("thumbprint", path("s.jwk"))
    check("  RFC 7638 thumbprint equals jwcrypto's",
          rc == 0 and out.decode().strip() == jwk.JWK(**pub).thumbprint(),
          err)


def test_foreign_jws(kind, alg):
    priv = jwcrypto_key(kind)
    write("fpub.jwk", priv.export_public())
    claims = {"sub": "admin", "iat": 1700000000, "x": [1, 2, {"y": None}]}
    s = jws.JWS(json.dumps(claims).encode())
    s.add_signature(priv, alg=alg, protected=json.dumps({"alg": alg,
                                                          "typ": "JWT"}))
    write("ftoken", s.serialize(compact=True))
    rc, out, err = tool("verify", path("ftoken"), path("fpub.jwk"))
    check("cvmm verifies jwcrypto's %s JWS" % alg,
          rc == 0 and json.loads(out)["claims"] == claims, err)
    other = jwcrypto_key(kind)
    write("fother.jwk", other.export_public())
    rc, out, err = tool("verify", path("ftoken"), path("fother.jwk"))
    check("cvmm refuses it under another key", rc != 0 and
          err.endswith("JWS signature does not verify"), err)


def main():
    try:
        test_jcs()
        for kind, alg in JWE_CASES:
            test_cvmm_jwe(kind, alg)
            test_foreign_jwe(kind, alg)
        for kind, alg in JWS_CASES:
            test_cvmm_jws(kind, alg)
            test_foreign_jws(kind, alg)
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    print("%d passed, %d failed" % (RESULTS["passed"], RESULTS["failed"]))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
