#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpora of the jose fuzz targets (fuzz/corpus/jose_*).

usage: /usr/bin/python3 tests/jose/fuzz_seeds.py BUILD/tests/jose/jose_tool

JWEs are encrypted to, and JWS signed by, the fixed published test keys in
fuzz/jose/fuzz_keys.h, so the seeds decrypt/verify in the fuzz targets.
Needs python3-jwcrypto (to turn the JWKs into PEM for jose_tool).
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from jwcrypto import jwe, jwk, jws

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
CORPUS = os.path.join(SRC, "fuzz", "corpus")
TOOL = sys.argv[1]
TMP = tempfile.mkdtemp()


def keys():
    text = open(os.path.join(SRC, "fuzz", "jose", "fuzz_keys.h")).read()
    out = {}
    for name, body in re.findall(r'#define FUZZ_KEY_(\w+) ((?:"[^\n]*"'
                                 r'(?: \\\n\t)?)+)', text):
        out[name] = jwk.JWK(**json.loads("".join(
            s.encode().decode("unicode_escape")
            for s in re.findall(r'"((?:[^"\\]|\\.)*)"', body))))
    return out


def seed(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def tmpfile(name, data):
    p = os.path.join(TMP, name)
    with open(p, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
    return p


def tool(*args):
    subprocess.run([TOOL] + list(args), check=True)


def main():
    k = keys()
    for name in ("P256", "P384", "RSA", "ES256", "ED25519"):
        tmpfile(name + ".pem", k[name].export_to_pem(private_key=True,
                                                    password=None))
        tmpfile(name + ".jwk", k[name].export_public())
    pt = tmpfile("pt", "a disk key 0123456789abcdef")
    for key, alg, out in (("P256", "ECDH-ES+A256KW", "ecdh_p256.json"),
                          ("P384", "ECDH-ES+A256KW", "ecdh_p384.json"),
                          ("RSA", "RSA-OAEP-256", "rsa_oaep256.json"),
                          ("RSA", "RSA1_5", "rsa1_5.json")):
        tool("encrypt", os.path.join(TMP, key + ".jwk"), alg, pt,
             os.path.join(TMP, out))
        seed("jose_jwe", out, open(os.path.join(TMP, out)).read())
    f = json.load(open(os.path.join(TMP, "ecdh_p384.json")))
    seed("jose_jwe", "ecdh_p384.compact", ".".join(
        f[m] for m in ("protected", "encrypted_key", "iv", "ciphertext",
                       "tag")))
    e = jwe.JWE(b"jwcrypto", protected=json.dumps(
        {"alg": "ECDH-ES+A256KW", "enc": "A256GCM"}), aad=b"aad")
    e.add_recipient(k["P256"])
    seed("jose_jwe", "jwcrypto_header_aad.json", e.serialize())
    seed("jose_jwe", "rfc7520_5.4.json", open(os.path.join(
        SRC, "tests", "unit", "jose", "vectors", "rfc7520_5.4.jwef")).read())

    claims = tmpfile("claims.json", json.dumps(
        {"iss": "cvmm-broker", "iat": 1700000000, "exp": 1700000300,
         "submods": {"cpu0": {"ear.status": "affirming"}}}))
    for key, alg, out in (("ES256", "ES256", "es256_jwk.jwt"),
                          ("ED25519", "EdDSA", "eddsa_jwk.jwt")):
        tool("sign", os.path.join(TMP, key + ".pem"), alg, claims,
             os.path.join(TMP, out), "--embed-jwk")
        seed("jose_jws", out, open(os.path.join(TMP, out)).read())
    s = jws.JWS(b'{"sub":"admin"}')
    s.add_signature(k["ED25519"], alg="EdDSA",
                    protected=json.dumps({"alg": "EdDSA"}))
    seed("jose_jws", "jwcrypto_eddsa.jwt", s.serialize(compact=True))
    seed("jose_jws", "rfc7515_a3.jwt",
         "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAs"
         "DQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38"
         "VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg"
         "6NU1Q")

    for name in ("P256", "P384", "RSA", "ED25519"):
        seed("jose_jwk", name.lower() + ".json", k[name].export_public())
    seed("jose_jwk", "p384_private.json", k["P384"].export_private())
    seed("jose_jwk", "ed25519_private.json", k["ED25519"].export_private())

    seed("jose_jcs", "rfc8785_sample.json",
         '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, '
         '0.000000000000000000000000001],\n "string": "\\u20ac$\\u000F'
         '\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",\n'
         ' "literals": [null, true, false]}\n')
    seed("jose_jcs", "rfc8785_sort.json",
         '{"\\u20ac":1,"\\r":2,"\\ufb33":3,"1":4,"\\ud83d\\ude00":5,'
         '"\\u0080":6,"\\u00f6":7}')
    seed("jose_jcs", "trustee.json", '{"a":"test","b":1,"c":{"d":"e"}}')
    seed("jose_jcs", "numbers.json",
         "[0,-0.0,5e-324,1e21,1e-7,1e20,9007199254740992,-1.5,"
         "1.7976931348623157e308]")

    for name, data in (("kbs_header", "eyJhbGciOiJmYWtlYWxnIiwiZW5jIjoiZmFr"
                                      "ZWVuYyJ9"),
                       ("std_padded", "Zm9vYmE="), ("url", "Zm9vYg"),
                       ("url_alphabet", "-_-_"), ("std_alphabet", "+/+/")):
        seed("jose_b64url", name, data)


if __name__ == "__main__":
    main()
