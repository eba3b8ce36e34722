# SPDX-License-Identifier: GPL-2.0-only
"""An independent client for the Trustee KBS "RCAR" protocol 0.4.0, written
from shared/reference/key-broker.md (not from cvmm-broker's code), plus a
simulated SEV-SNP "guest" that signs attestation reports with a test VCEK.

Runs under Debian's /usr/bin/python3 (python3-requests, python3-jwcrypto,
python3-cryptography).  The JWE is decrypted twice: by jwcrypto (AAD = the
protected member as sent) and by hand the way Trustee's guest-components
does it, recomputing the AAD from a re-serialized, key-sorted header.
"""
import base64
import hashlib
import json
import struct

import requests
from cryptography.hazmat.primitives import hashes, keywrap, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding as apadding, utils
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.concatkdf import ConcatKDFHash
from jwcrypto import jwe as jjwe, jwk as jjwk, jwt as jjwt

VERSION = "0.4.0"


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def unb64u(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jcs(obj):
    """RFC 8785 for the values used here (strings, objects, small ints)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


# ---------------------------------------------------------------- the TEE key
class TeeKey:
    """The guest's ephemeral key: EC P-256/P-521 (ECDH-ES+A256KW) or RSA."""

    def __init__(self, kind="P-256", alg=None):
        if kind.startswith("RSA"):
            self.jwk = jjwk.JWK.generate(kty="RSA", size=int(kind[4:]))
            self.alg = alg or "RSA-OAEP-256"
            pub = json.loads(self.jwk.export_public())
            self.public = {"kty": "RSA", "alg": self.alg, "n": pub["n"], "e": pub["e"]}
        else:
            self.jwk = jjwk.JWK.generate(kty="EC", crv=kind)
            self.alg = alg or "ECDH-ES+A256KW"
            pub = json.loads(self.jwk.export_public())
            self.public = {"kty": "EC", "crv": kind, "alg": self.alg,
                           "x": pub["x"], "y": pub["y"]}
        self.key = serialization.load_pem_private_key(
            self.jwk.export_to_pem(private_key=True, password=None), None)


def report_data(nonce, tee_pubkey, additional=""):
    rd = {"nonce": nonce, "tee-pubkey": tee_pubkey, "additional-evidence": additional}
    return hashlib.sha384(jcs(rd)).digest() + bytes(16)


# ------------------------------------------------------- the simulated guest
class SnpGuest:
    """Builds SEV-SNP ATTESTATION_REPORTs (v3, Milan) signed by a test VCEK."""

    def __init__(self, pki):
        with open(pki + "/vcek.key", "rb") as f:
            self.vcek = serialization.load_pem_private_key(f.read(), None)
        with open(pki + "/vcek.der", "rb") as f:
            self.vcek_der = f.read()
        with open(pki + "/hwid.hex") as f:
            self.chip_id = bytes.fromhex(f.read().strip())
        self.fields = {
            "version": 3, "guest_svn": 2, "policy": 0x30000, "family_id": bytes(range(16)),
            "image_id": bytes(range(16, 32)), "vmpl": 0, "sig_algo": 1,
            "plat_info": 0x25, "key_info": 0,
            "measurement": hashlib.sha384(b"cvmm test guest").digest(),
            "host_data": bytes(32), "id_key_digest": bytes(48),
            "author_key_digest": bytes(48), "report_id": bytes(range(32)),
            "report_id_ma": bytes([0xff] * 32),
            "tcb": {"bootloader": 3, "tee": 0, "snp": 8, "microcode": 115},
            "cpuid": (0x19, 0x01, 0x01), "current": (1, 55, 40),
        }

    @staticmethod
    def tcb_bytes(t):
        return bytes([t["bootloader"], t["tee"], 0, 0, 0, 0, t["snp"], t["microcode"]])

    def report(self, rdata, **over):
        f = dict(self.fields, **over)
        r = bytearray(0x4A0)
        struct.pack_into("<IIQ", r, 0, f["version"], f["guest_svn"], f["policy"])
        r[0x10:0x20] = f["family_id"]
        r[0x20:0x30] = f["image_id"]
        struct.pack_into("<II", r, 0x30, f["vmpl"], f["sig_algo"])
        tcb = self.tcb_bytes(f["tcb"])
        r[0x38:0x40] = tcb
        struct.pack_into("<QI", r, 0x40, f["plat_info"], f["key_info"])
        r[0x50:0x90] = rdata
        r[0x90:0xC0] = f["measurement"]
        r[0xC0:0xE0] = f["host_data"]
        r[0xE0:0x110] = f["id_key_digest"]
        r[0x110:0x140] = f["author_key_digest"]
        r[0x140:0x160] = f["report_id"]
        r[0x160:0x180] = f["report_id_ma"]
        r[0x180:0x188] = tcb
        r[0x188:0x18B] = bytes(f["cpuid"])
        r[0x1A0:0x1E0] = self.chip_id
        r[0x1E0:0x1E8] = tcb
        major, minor, build = f["current"]
        r[0x1E8:0x1EB] = bytes([build, minor, major])
        r[0x1EC:0x1EF] = bytes([build, minor, major])
        r[0x1F0:0x1F8] = tcb
        der = self.vcek.sign(bytes(r[:0x2A0]), ec.ECDSA(hashes.SHA384()))
        rr, ss = utils.decode_dss_signature(der)
        r[0x2A0:0x2A0 + 72] = rr.to_bytes(72, "little")
        r[0x2E8:0x2E8 + 72] = ss.to_bytes(72, "little")
        return bytes(r), f

    def serde(self, rdata, with_vcek=True, **over):
        """Trustee's serde form of a report + cert_chain."""
        raw, f = self.report(rdata, **over)
        lst = lambda b: list(b)
        tcb = dict(f["tcb"], fmc=None)
        major, minor, build = f["current"]
        ar = {"version": f["version"], "guest_svn": f["guest_svn"], "policy": f["policy"],
              "family_id": lst(f["family_id"]), "image_id": lst(f["image_id"]),
              "vmpl": f["vmpl"], "sig_algo": f["sig_algo"], "current_tcb": tcb,
              "plat_info": f["plat_info"], "key_info": f["key_info"],
              "report_data": lst(rdata), "measurement": lst(f["measurement"]),
              "host_data": lst(f["host_data"]), "id_key_digest": lst(f["id_key_digest"]),
              "author_key_digest": lst(f["author_key_digest"]),
              "report_id": lst(f["report_id"]), "report_id_ma": lst(f["report_id_ma"]),
              "reported_tcb": tcb, "cpuid_fam_id": f["cpuid"][0],
              "cpuid_mod_id": f["cpuid"][1], "cpuid_step": f["cpuid"][2],
              "chip_id": lst(self.chip_id), "committed_tcb": tcb,
              "current": {"major": major, "minor": minor, "build": build},
              "committed": {"major": major, "minor": minor, "build": build},
              "launch_tcb": tcb,
              "signature": {"r": lst(raw[0x2A0:0x2E8]), "s": lst(raw[0x2E8:0x330])}}
        chain = [{"cert_type": "VCEK", "data": lst(self.vcek_der)}] if with_vcek else None
        return {"attestation_report": ar, "cert_chain": chain}


# ---------------------------------------------------------------- JWE (by hand)
def decrypt_like_guest_components(j, tee):
    """Decrypt a flattened JWE recomputing the AAD from the sorted header."""
    assert set(j) == {"protected", "encrypted_key", "iv", "ciphertext", "tag"}, sorted(j)
    header = json.loads(unb64u(j["protected"]))
    aad = b64u(jcs(header)).encode()
    assert aad.decode() == j["protected"], "protected header is not canonical"
    assert header["enc"] == "A256GCM"
    ek = unb64u(j["encrypted_key"])
    if header["alg"] == "ECDH-ES+A256KW":
        epk = header["epk"]
        assert set(epk) == {"crv", "kty", "x", "y"}
        curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
        peer = ec.EllipticCurvePublicNumbers(int.from_bytes(unb64u(epk["x"]), "big"),
                                             int.from_bytes(unb64u(epk["y"]), "big"),
                                             curve[epk["crv"]]).public_key()
        z = tee.key.exchange(ec.ECDH(), peer)
        alg = header["alg"].encode()
        other = struct.pack(">I", len(alg)) + alg + struct.pack(">I", 0) * 2 + \
            struct.pack(">I", 256)
        kek = ConcatKDFHash(hashes.SHA256(), 32, other).derive(z)
        cek = keywrap.aes_key_unwrap(kek, ek)
    elif header["alg"] == "RSA-OAEP-256":
        cek = tee.key.decrypt(ek, apadding.OAEP(apadding.MGF1(hashes.SHA256()),
                                                hashes.SHA256(), None))
    else:
        cek = tee.key.decrypt(ek, apadding.PKCS1v15())
    ct = unb64u(j["ciphertext"]) + unb64u(j["tag"])
    return AESGCM(cek).decrypt(unb64u(j["iv"]), ct, aad)


def decrypt_with_jwcrypto(j, tee):
    obj = jjwe.JWE()
    if tee.alg == "RSA1_5":
        obj.allowed_algs = ["RSA1_5", "A256GCM"]
    obj.deserialize(json.dumps(j), key=tee.jwk)
    return obj.payload


def verify_token(token):
    """The EAR token verifies under the jwk in its header (ES256)."""
    head = json.loads(unb64u(token.split(".")[0]))
    assert head["alg"] == "ES256", head
    key = jjwk.JWK(**head["jwk"])
    t = jjwt.JWT(jwt=token, key=key, algs=["ES256"])
    return json.loads(t.claims)


# ---------------------------------------------------------------- the protocol
class KbsClient:
    def __init__(self, url, verify=True):
        self.url = url.rstrip("/")
        self.s = requests.Session()
        self.verify = verify
        self.nonce = None

    def auth(self, tee="snp", version=VERSION):
        r = self.s.post(self.url + "/kbs/v0/auth", verify=self.verify,
                        json={"version": version, "tee": tee, "extra-params": {}})
        if r.status_code == 200:
            self.nonce = r.json()["nonce"]
        return r

    def attest(self, evidence, tee_pubkey, nonce=None, init_data=None):
        body = {"runtime-data": {"nonce": nonce or self.nonce, "tee-pubkey": tee_pubkey},
                "tee-evidence": {"primary_evidence": evidence, "additional_evidence": ""}}
        if init_data is not None:
            body["init-data"] = {"format": "toml", "body": init_data}
        return self.s.post(self.url + "/kbs/v0/attest", json=body, verify=self.verify)

    def resource(self, path, token=None):
        h = {"Authorization": "Bearer " + token} if token else {}
        if token:
            return requests.get(self.url + "/kbs/v0/resource/" + path, headers=h,
                                verify=self.verify)
        return self.s.get(self.url + "/kbs/v0/resource/" + path, verify=self.verify)
