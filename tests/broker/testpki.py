#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Create a throwaway test PKI for the cvmm-broker end-to-end test.

Run with a Python whose `cryptography` can sign certificates with RSA-PSS
(the pyenv python3 on PATH; Debian 12's python3-cryptography cannot).
Writes into DIR (nothing is committed; every run makes fresh keys):

  ark.pem, ask.pem        test ARK-Milan / SEV-Milan (RSA, RSASSA-PSS SHA-384)
  test-roots.pem          ASK then ARK: the form `--test-roots` and `cvmm verify --ca` take
  vcek.pem, vcek.key      a SEV-VCEK (P-384) with AMD extensions: product Milan-B0,
                          BL 3, TEE 0, SNP 8, microcode 115, HWID = hwid.hex
  hwid.hex                the chip id (64 bytes, hex)
  tls.pem, tls.key        a P-256 server certificate for localhost / 127.0.0.1
  admin.key, admin.pub    an Ed25519 admin key pair
  admin-ec.key, admin-ec.pub  an ECDSA P-256 admin key pair
  kek                     32 random bytes, mode 0600
"""
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import NameOID

AMD = "1.3.6.1.4.1.3704.1."
TCB = {"bl": 3, "tee": 0, "snp": 8, "ucode": 115}


def name(cn):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Engineering"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, "Santa Clara"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Advanced Micro Devices"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def pss():
    return padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)


def der_int(v):
    b = v.to_bytes((v.bit_length() + 8) // 8 or 1, "big")
    return bytes([0x02, len(b)]) + b


def der_ia5(s):
    b = s.encode()
    return bytes([0x16, len(b)]) + b


def builder(subject, issuer, pub, serial, ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
         .public_key(pub).serial_number(serial)
         .not_valid_before(now - datetime.timedelta(days=1))
         .not_valid_after(now + datetime.timedelta(days=365)))
    if ca:
        b = b.add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        b = b.add_extension(x509.KeyUsage(True, False, False, False, False, True, True,
                                          False, False), critical=True)
    return b


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def pub_pem(key):
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def write(d, fname, data, mode=0o644):
    p = os.path.join(d, fname)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(p, mode)


def amd_chain(d):
    ark_key = rsa.generate_private_key(65537, 2048)
    ask_key = rsa.generate_private_key(65537, 2048)
    ark = builder(name("ARK-Milan"), name("ARK-Milan"), ark_key.public_key(), 1, True) \
        .sign(ark_key, hashes.SHA384(), rsa_padding=pss())
    ask = builder(name("SEV-Milan"), name("ARK-Milan"), ask_key.public_key(), 2, True) \
        .sign(ark_key, hashes.SHA384(), rsa_padding=pss())
    vcek_key = ec.generate_private_key(ec.SECP384R1())
    hwid = os.urandom(64)
    b = builder(name("SEV-VCEK"), name("SEV-Milan"), vcek_key.public_key(), 3, False)
    exts = [("1", der_int(1)), ("2", der_ia5("Milan-B0")), ("3.1", der_int(TCB["bl"])),
            ("3.2", der_int(TCB["tee"])), ("3.3", der_int(TCB["snp"])),
            ("3.4", der_int(0)), ("3.5", der_int(0)), ("3.6", der_int(0)), ("3.7", der_int(0)),
            ("3.8", der_int(TCB["ucode"])), ("4", hwid)]
    for oid, val in exts:
        b = b.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(AMD + oid), val),
                            critical=False)
    vcek = b.sign(ask_key, hashes.SHA384(), rsa_padding=pss())
    write(d, "ark.pem", pem(ark))
    write(d, "ask.pem", pem(ask))
    write(d, "test-roots.pem", pem(ask) + pem(ark))
    write(d, "vcek.pem", pem(vcek))
    write(d, "vcek.der", vcek.public_bytes(serialization.Encoding.DER))
    write(d, "vcek.key", key_pem(vcek_key), 0o600)
    write(d, "hwid.hex", hwid.hex().encode())


def tls_and_admin(d):
    tls_key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cn = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    tls = (x509.CertificateBuilder().subject_name(cn).issuer_name(cn)
           .public_key(tls_key.public_key()).serial_number(x509.random_serial_number())
           .not_valid_before(now - datetime.timedelta(days=1))
           .not_valid_after(now + datetime.timedelta(days=30))
           .add_extension(x509.SubjectAlternativeName([
               x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
               critical=False)
           .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
           .sign(tls_key, hashes.SHA256()))
    write(d, "tls.pem", pem(tls))
    write(d, "tls.key", key_pem(tls_key), 0o600)
    admin = ed25519.Ed25519PrivateKey.generate()
    write(d, "admin.key", key_pem(admin), 0o600)
    write(d, "admin.pub", pub_pem(admin))
    admin_ec = ec.generate_private_key(ec.SECP256R1())
    write(d, "admin-ec.key", key_pem(admin_ec), 0o600)
    write(d, "admin-ec.pub", pub_pem(admin_ec))
    write(d, "kek", os.urandom(32), 0o600)


if __name__ == "__main__":
    os.makedirs(sys.argv[1], exist_ok=True)
    amd_chain(sys.argv[1])
    tls_and_admin(sys.argv[1])
