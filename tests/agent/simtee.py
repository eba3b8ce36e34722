#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A host-side stand-in for cvmm's simulated SEV-SNP platform (sim-TEE).

Serves the protocol of src/proto/simtee.h on a UNIX socket, for the agent
running on the host (tests/agent/agent_host.py, the README's host-side
example).  Guests get the real thing: `cvmm boot --coco snp,...,platform=sim`
serves vsock port 4051 itself (src/sim/sim_tee.c); this independent Python
implementation of the same answers keeps the two honest.  Each answer is a version-3
(or -5) ATTESTATION_REPORT with the REPORT_DATA and VMPL asked for,
MEASUREMENT/POLICY/HOST_DATA as configured, a Milan TCB and chip id that
match the test VCEK, signed ECDSA P-384/SHA-384 by the test VCEK, plus the
extended-report certificate table (VCEK, ASK, ARK).

usage (library): SimTee(path, pki_dir, measurement=bytes(48), policy=0x30000).start()
usage (command): simtee.py SOCKET PKI_DIR [--measurement HEX] [--policy N]
"""
import argparse
import os
import socket
import struct
import sys
import threading
import uuid

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testpki  # noqa: E402

REQ_MAGIC, RSP_MAGIC = 0x51545343, 0x52545343
REQ_SIZE, HDR_SIZE, REPORT_SIZE = 96, 32, 1184
OK, BAD_REQUEST, UNSUPPORTED, BAD_VMPL = 0, 1, 2, 3
GUIDS = {"vcek": "63da758d-e664-4564-adc5-f4b93be8accd",
         "ask": "4ab7b379-bbac-4fe4-a02f-05aef327c782",
         "ark": "c0b406a4-a803-4952-9743-3fb6014cd0ae"}


def cert_table(pki):
    """The GHCB certificate table: GUID, u32 offset, u32 length, zero entry."""
    names = ("vcek", "ask", "ark")
    blobs = [open(os.path.join(pki, n + ".der"), "rb").read() for n in names]
    off = 24 * (len(blobs) + 1)
    table, data = b"", b""
    for n, b in zip(names, blobs):
        table += uuid.UUID(GUIDS[n]).bytes + struct.pack("<II", off + len(data), len(b))
        data += b
    return table + bytes(24) + data


def build_report(key, report_data, vmpl, version, measurement, policy, host_data,
                 tcb=testpki.TCB, chip_id=testpki.CHIP_ID):
    r = bytearray(REPORT_SIZE)
    t = testpki.tcb_u64(tcb)
    struct.pack_into("<IIQ", r, 0, version, 0, policy)
    struct.pack_into("<II", r, 0x30, vmpl, 1)              # VMPL, ECDSA P-384
    struct.pack_into("<QQI", r, 0x38, t, 0x3, 0)           # current TCB, SMT+TSME, VCEK
    r[0x50:0x90] = report_data
    r[0x90:0xc0] = measurement
    r[0xc0:0xe0] = host_data
    r[0x140:0x160] = os.urandom(32)                       # REPORT_ID
    r[0x160:0x180] = b"\xff" * 32                         # no migration agent
    struct.pack_into("<Q", r, 0x180, t)                   # REPORTED_TCB
    r[0x188:0x18b] = bytes([0x19, 0x01, 0x01])            # Milan: family, model, stepping
    r[0x1a0:0x1e0] = chip_id
    struct.pack_into("<Q", r, 0x1e0, t)                   # COMMITTED_TCB
    r[0x1e8:0x1eb] = bytes([3, 55, 1])                    # current build, minor, major
    r[0x1ec:0x1ef] = bytes([3, 55, 1])
    struct.pack_into("<Q", r, 0x1f0, t)                   # LAUNCH_TCB
    der = key.sign(bytes(r[:0x2a0]), ec.ECDSA(hashes.SHA384()))
    rr, ss = decode_dss_signature(der)
    r[0x2a0:0x2a0 + 72] = rr.to_bytes(72, "little")
    r[0x2e8:0x2e8 + 72] = ss.to_bytes(72, "little")
    return bytes(r)


class SimTee:
    def __init__(self, path, pki, measurement=bytes(48), policy=0x30000,
                 host_data=bytes(32), log=None):
        self.path, self.pki = path, pki
        self.measurement, self.policy, self.host_data = measurement, policy, host_data
        with open(os.path.join(pki, "vcek.key"), "rb") as f:
            self.key = serialization.load_pem_private_key(f.read(), None)
        self.table = cert_table(pki)
        self.requests = 0
        self.errors = []
        self.log = log
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)
        self.sock.bind(path)
        self.sock.listen(8)

    def start(self):
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def _serve(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(c,), daemon=True).start()

    def _recv(self, c, n):
        b = b""
        while len(b) < n:
            d = c.recv(n - len(b))
            if not d:
                break
            b += d
        return b

    def answer(self, q):
        """The answer bytes for request bytes @q, or None (close unanswered)."""
        if len(q) != REQ_SIZE:
            return None
        magic, ver, kind, flags, vmpl, rver = struct.unpack_from("<IHHIII", q)
        if magic != REQ_MAGIC or any(q[20:32]):
            return None
        status = OK
        if ver != 1 or kind != 1 or flags & ~1 or rver not in (0, 3, 5):
            status = UNSUPPORTED
        elif vmpl > 3:
            status = BAD_VMPL
        if status != OK:
            return struct.pack("<IHHIII12x", RSP_MAGIC, 1, kind, status, 0, 0)
        rep = build_report(self.key, q[32:96], vmpl, rver or 3, self.measurement,
                           self.policy, self.host_data)
        certs = self.table if flags & 1 else b""
        self.requests += 1
        return struct.pack("<IHHIII12x", RSP_MAGIC, 1, kind, OK, len(rep),
                           len(certs)) + rep + certs

    def _one(self, c):
        try:
            c.settimeout(60)
            a = self.answer(self._recv(c, REQ_SIZE))
            if a is not None:
                c.sendall(a)
                if self.log:
                    self.log("sim-TEE: signed report #%d" % self.requests)
        except OSError as e:
            self.errors.append(str(e))
        finally:
            c.close()

    def close(self):
        self.sock.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("socket")
    ap.add_argument("pki")
    ap.add_argument("--measurement", default="00" * 48)
    ap.add_argument("--policy", type=lambda s: int(s, 0), default=0x30000)
    a = ap.parse_args()
    if not os.path.exists(os.path.join(a.pki, "vcek.key")):
        testpki.snp_chain(a.pki)
    SimTee(a.socket, a.pki, bytes.fromhex(a.measurement), a.policy,
           log=lambda m: print(m, flush=True)).start()
    print("sim-TEE on %s" % a.socket, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
