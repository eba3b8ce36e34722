#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpora of the virtio fuzz targets (fuzz/corpus/<target>/).

Each seed is a well-formed start (see vfuzz.h for the input layout): the
fuzzer mutates from requests that work.  Run from the repository root:
    python3 fuzz/virtio/make_seeds.py
"""
import os
import struct

NEXT, WRITE, IND = 1, 2, 4
BUF = 0xa000


def desc_at(q):
    return 0x1000 + 0x3000 * q


def avail_at(q):
    return 0x2000 + 0x3000 * q


class Image:
    def __init__(self, flags=0, rounds=1, qlog=3, extra=0):
        self.hdr = bytes([flags, rounds, qlog - 1, extra])
        self.mem = bytearray(0xc000)
        self.next = {}
        self.aidx = {}

    def put(self, addr, data):
        end = addr + len(data)
        if end > len(self.mem):
            self.mem.extend(bytes(end - len(self.mem)))
        self.mem[addr:end] = data

    def desc(self, q, i, addr, ln, flags, nxt):
        self.put(desc_at(q) + 16 * i, struct.pack("<QIHH", addr, ln, flags, nxt))

    def chain(self, q, bufs):
        """bufs: (addr, len, write) -> head"""
        i = head = self.next.get(q, 0)
        for k, (a, ln, w) in enumerate(bufs):
            last = k + 1 == len(bufs)
            self.desc(q, i, a, ln, (WRITE if w else 0) | (0 if last else NEXT), i + 1)
            i += 1
        self.next[q] = i
        self.publish(q, head)
        return head

    def publish(self, q, head):
        n = self.aidx.get(q, 0)
        self.put(avail_at(q) + 4 + 2 * n, struct.pack("<H", head))
        self.aidx[q] = n + 1
        self.put(avail_at(q) + 2, struct.pack("<H", n + 1))

    def bytes(self):
        return self.hdr + bytes(self.mem)


def blk_hdr(t, sector):
    return struct.pack("<IIQ", t, 0, sector)


def vsock_hdr(op, sport, dport, ln=0, flags=0):
    return struct.pack("<QQIIIHHIII", 3, 2, sport, dport, ln, 1, op, flags, 65536, 0)


def seeds():
    out = {}
    # the walker
    s = Image(flags=2)
    s.chain(0, [(BUF, 16, False), (BUF + 0x100, 512, True), (BUF + 0x400, 1, True)])
    out[("virtq", "chain")] = s.bytes()
    s = Image(flags=3)
    s.put(BUF, struct.pack("<QIHH", BUF + 0x100, 16, NEXT, 1) +
          struct.pack("<QIHH", BUF + 0x200, 64, WRITE, 0))
    s.desc(0, 0, BUF, 32, IND, 0)
    s.publish(0, 0)
    out[("virtq", "indirect")] = s.bytes()
    s = Image()
    s.desc(0, 0, BUF, 16, NEXT, 0)
    s.publish(0, 0)
    out[("virtq", "loop")] = s.bytes()
    # blk: read, write, flush, get-id, discard
    for name, t, data_w, ln in [("read", 0, True, 1024), ("write", 1, False, 512),
                                ("flush", 4, None, 0), ("getid", 8, True, 20),
                                ("discard", 11, False, 16)]:
        s = Image(flags=3)
        s.put(BUF, blk_hdr(t, 2))
        if t == 11:
            s.put(BUF + 0x1000, struct.pack("<QII", 4, 2, 0))
        bufs = [(BUF, 16, False)]
        if ln:
            bufs.append((BUF + 0x1000, ln, data_w))
        bufs.append((BUF + 0x3000, 1, True))
        s.chain(0, bufs)
        out[("virtio_blk", name)] = s.bytes()
    # net: receive buffers and a frame to send
    s = Image(extra=8)
    for k in range(2):
        s.chain(0, [(BUF + 0x800 * k, 1526, True)])
    s.put(BUF + 0x1000, bytes(12) + b"\xff" * 6 + b"\x02" * 6 + b"\x88\xb5" + b"hello" * 10)
    s.chain(1, [(BUF + 0x1000, 12 + 64, False)])
    out[("virtio_net", "rxtx")] = s.bytes()
    # vsock: receive buffers, a connect to port 1 and data
    s = Image(rounds=3, extra=0)
    for k in range(4):
        s.chain(0, [(BUF + 0x400 * k, 44 + 256, True)])
    s.put(BUF + 0x1000, vsock_hdr(1, 1000, 1))
    s.put(BUF + 0x1100, vsock_hdr(5, 1000, 1, 5) + b"hello")
    s.chain(1, [(BUF + 0x1000, 44, False)])
    s.chain(1, [(BUF + 0x1100, 49, False)])
    out[("virtio_vsock", "connect")] = s.bytes()
    s = Image(rounds=2, extra=7)
    for k in range(4):
        s.chain(0, [(BUF + 0x400 * k, 44 + 256, True)])
    out[("virtio_vsock", "host_connect")] = s.bytes()
    # console
    s = Image(extra=16)
    s.chain(0, [(BUF, 64, True)])
    s.put(BUF + 0x1000, b"hello, console\n")
    s.chain(1, [(BUF + 0x1000, 15, False)])
    out[("virtio_console", "rxtx")] = s.bytes()
    # rng
    s = Image()
    s.chain(0, [(BUF, 64, True), (BUF + 0x100, 32, True)])
    out[("virtio_rng", "fill")] = s.bytes()
    # pci: conf1 id read, BAR sizing, a common-config write, a kick
    ops = b""
    ops += bytes([0x80]) + bytes([0]) + struct.pack("<I", 0x80000800)  # outl 0xcf8: slot 1
    ops += bytes([0x81]) + bytes([4]) + struct.pack("<I", 0)          # inl 0xcfc
    ops += bytes([0x80]) + bytes([0]) + struct.pack("<I", 0x80000810)  # BAR0
    ops += bytes([0x80]) + bytes([4]) + struct.pack("<I", 0xffffffff)
    ops += bytes([0x80]) + bytes([4]) + struct.pack("<I", 0xc0000000)
    ops += bytes([0x02]) + (0x14).to_bytes(3, "little") + struct.pack("<Q", 0xb)  # status
    ops += bytes([0x42]) + (0x3000).to_bytes(3, "little") + struct.pack("<Q", 0)  # kick
    ops += bytes([0x07])
    ops += bytes([0x85]) + (0x8000).to_bytes(3, "little") + struct.pack("<Q", 0)  # ECAM read
    out[("virtio_pci", "init")] = ops
    return out


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
    for (target, name), data in seeds().items():
        d = os.path.join(root, target)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
