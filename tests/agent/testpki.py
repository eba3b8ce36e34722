#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Test PKI for cvmm-agent's tests, made fresh in a temporary directory.

  snp_chain(dir)   a *test* AMD-style chain: ARK (RSA-4096, self-signed,
                   CN ARK-Milan) -> ASK (RSA-4096, CN SEV-Milan) -> VCEK
                   (EC P-384, CN SEV-VCEK) with the VCEK extensions a
                   verifier checks (product name, TCB SPLs, HWID = chip id);
                   RSASSA-PSS SHA-384 signatures as AMD's.  Writes
                   vcek.key (private: the sim-TEE signs with it), vcek.der,
                   ask.der, ark.der and test-roots.pem (ASK then ARK, the
                   form `cvmm-broker --test-roots` and `cvmm verify --ca` take)
  tls_cert(dir, name)  a self-signed P-256 server certificate + key and the
                   curl pin "sha256//<base64 SHA-256 of its SPKI>"

Nothing here is trusted by anything unless a test says so explicitly; the
private keys live only in the test's temporary directory.
"""
import base64
import datetime
import hashlib
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID

AMD = "1.3.6.1.4.1.3704.1."
# A Milan TCB: bootloader 3, tee 0, snp 8, microcode 115 (byte layout of the
# report's TCB_VERSION for Milan/Genoa: bl, tee, 4 reserved, snp, ucode).
TCB = {"bootloader": 3, "tee": 0, "snp": 8, "microcode": 115}
CHIP_ID = bytes(range(1, 65))


def tcb_u64(t=TCB):
    return (t["bootloader"] | t["tee"] << 8 | t["snp"] << 48 |
            t["microcode"] << 56)


def _name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME,
                                         "cvmm test (untrusted)")])


def _pss():
    return padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)


def _der_int(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return bytes([2, len(b)]) + b


def _der_ia5(s):
    return bytes([0x16, len(s)]) + s.encode()


def _cert(subject, issuer, pub, signer, serial, exts=(), ca=False):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(_name(subject))
         .issuer_name(_name(issuer)).public_key(pub).serial_number(serial)
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=3650))
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    for oid, value in exts:
        b = b.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), value),
                            critical=False)
    return b.sign(signer, hashes.SHA384(), rsa_padding=_pss())


def snp_chain(d, tcb=TCB, chip_id=CHIP_ID):
    ark_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    ask_key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    vcek_key = ec.generate_private_key(ec.SECP384R1())
    ark = _cert("ARK-Milan", "ARK-Milan", ark_key.public_key(), ark_key, 1, ca=True)
    ask = _cert("SEV-Milan", "ARK-Milan", ask_key.public_key(), ark_key, 2, ca=True)
    exts = [(AMD + "1", _der_int(1)), (AMD + "2", _der_ia5("Milan-B0")),
            (AMD + "3.1", _der_int(tcb["bootloader"])), (AMD + "3.2", _der_int(tcb["tee"])),
            (AMD + "3.3", _der_int(tcb["snp"])), (AMD + "3.8", _der_int(tcb["microcode"])),
            (AMD + "4", bytes(chip_id))]
    vcek = _cert("SEV-VCEK", "SEV-Milan", vcek_key.public_key(), ask_key, 3, exts)
    os.makedirs(d, exist_ok=True)
    der = serialization.Encoding.DER
    for name, c in (("ark.der", ark), ("ask.der", ask), ("vcek.der", vcek)):
        with open(os.path.join(d, name), "wb") as f:
            f.write(c.public_bytes(der))
    with open(os.path.join(d, "test-roots.pem"), "wb") as f:
        f.write(ask.public_bytes(serialization.Encoding.PEM))
        f.write(ark.public_bytes(serialization.Encoding.PEM))
    fd = os.open(os.path.join(d, "vcek.key"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(vcek_key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return {"vcek_key": vcek_key, "vcek": vcek, "ask": ask, "ark": ark}


def spki_pin(cert):
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return "sha256//" + base64.b64encode(hashlib.sha256(spki).digest()).decode()


def tls_cert(d, name="broker"):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .sign(key, hashes.SHA256()))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name + ".pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(os.path.join(d, name + ".key"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    return spki_pin(cert)
