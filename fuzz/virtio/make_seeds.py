#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write the seed corpora of the virtio and PCI fuzz targets
(fuzz/corpus/<target>/).

Each seed is a start the fuzzer can mutate from (see vfuzz.h for the input
layout of the ring targets, fuzz_virtio_pci.c for the op program): the
requests that work, and next to them the malformed ones each check is
there for, so every branch of the walker and of each device's request
handling is reached by some seed (issue 21: the corpora once held 3 valid
chains, 5 block requests and 1 frame).  Deterministic; run from anywhere:
    python3 fuzz/virtio/make_seeds.py [--check]
--check: only compare with the files in the tree (exit 1 if they differ).
"""
import os
import struct
import sys

NEXT, WRITE, IND = 1, 2, 4
F_EVENT_IDX, F_INDIRECT, F_MSIX, F_NO_DRIVER_OK = 1, 2, 4, 8
BUF = 0xa000
RAM = 256 << 10
RAM2 = 0x100000


def desc_at(q):
    return 0x1000 + 0x3000 * q


def avail_at(q):
    return 0x2000 + 0x3000 * q


def used_at(q):
    return 0x3000 + 0x3000 * q


class Image:
    """A guest RAM image with split rings at the places vfuzz.c uses."""

    def __init__(self, flags=0, rounds=1, qlog=3, extra=0):
        self.hdr = bytes([flags, rounds, qlog - 1, extra])  # vfuzz: rounds + 1 kicks
        self.qsize = 1 << qlog
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

    def chain(self, q, bufs, publish=True):
        """bufs: (addr, len, write) -> head"""
        i = head = self.next.get(q, 0)
        for k, (a, ln, w) in enumerate(bufs):
            last = k + 1 == len(bufs)
            self.desc(q, i, a, ln, (WRITE if w else 0) | (0 if last else NEXT), i + 1)
            i += 1
        self.next[q] = i
        if publish:
            self.publish(q, head)
        return head

    def indirect(self, q, table, bufs):
        """An indirect chain: a table at @table, one ring descriptor -> head"""
        t = b""
        for k, (a, ln, w) in enumerate(bufs):
            last = k + 1 == len(bufs)
            t += struct.pack("<QIHH", a, ln, (WRITE if w else 0) | (0 if last else NEXT), k + 1)
        self.put(table, t)
        head = self.next.get(q, 0)
        self.desc(q, head, table, len(t), IND, 0)
        self.next[q] = head + 1
        self.publish(q, head)
        return head

    def publish(self, q, head):
        n = self.aidx.get(q, 0)
        self.put(avail_at(q) + 4 + 2 * (n % self.qsize), struct.pack("<H", head))
        self.aidx[q] = n + 1
        self.put(avail_at(q) + 2, struct.pack("<H", n + 1))

    def avail_idx(self, q, idx):
        self.put(avail_at(q) + 2, struct.pack("<H", idx))

    def bytes(self):
        return self.hdr + bytes(self.mem)


# ---------------------------------------------------------------- virtq

def virtq_seeds(out):
    s = Image(flags=F_INDIRECT)
    s.chain(0, [(BUF, 16, False), (BUF + 0x100, 512, True), (BUF + 0x400, 1, True)])
    out["virtq", "chain"] = s
    s = Image(flags=F_INDIRECT | F_EVENT_IDX)
    s.put(BUF, struct.pack("<QIHH", BUF + 0x100, 16, NEXT, 1) +
          struct.pack("<QIHH", BUF + 0x200, 64, WRITE, 0))
    s.desc(0, 0, BUF, 32, IND, 0)
    s.publish(0, 0)
    out["virtq", "indirect"] = s
    s = Image()
    s.desc(0, 0, BUF, 16, NEXT, 0)
    s.publish(0, 0)
    out["virtq", "loop"] = s
    # several chains, some re-taken (extra bit 0: unpop), cursors skipping
    s = Image(extra=0x11, qlog=4)
    for k in range(6):
        s.chain(0, [(BUF + 0x200 * k, 8 + k, False), (BUF + 0x200 * k + 0x100, 32, True)])
    out["virtq", "many"] = s
    # the longest chain the walker takes, and one past it
    for name, n in (("max-chain", 16), ("long-chain", 40)):
        s = Image(qlog=6)
        s.chain(0, [(BUF + 0x40 * k, 16, k >= n // 2) for k in range(n)])
        out["virtq", name] = s
    # zero-length descriptors are skipped
    s = Image()
    s.chain(0, [(BUF, 0, False), (BUF + 0x100, 8, False), (BUF + 0x200, 0, True),
                (BUF + 0x300, 8, True)])
    out["virtq", "zero-len"] = s
    # readable after writable
    s = Image()
    s.chain(0, [(BUF, 8, True), (BUF + 0x100, 8, False)])
    out["virtq", "read-after-write"] = s
    # buffers: past the end of RAM, across its end, in the second region,
    # across into the hole, at the top of the address space
    for name, addr, ln in (("outside-ram", 0x80000000, 16), ("across-ram-end", RAM - 8, 16),
                           ("ram2", RAM2 + 0x100, 64), ("ram2-end", RAM2 + 0x10000 - 8, 16),
                           ("top", 0xfffffffffffffff0, 0x20)):
        s = Image()
        s.chain(0, [(BUF, 8, False), (addr, ln, True)])
        out["virtq", name] = s
    # next index past the queue, head past the queue, index running ahead
    s = Image()
    s.desc(0, 0, BUF, 8, NEXT, 8)
    s.publish(0, 0)
    out["virtq", "next-past-size"] = s
    s = Image()
    s.desc(0, 0, BUF, 8, 0, 0)
    s.publish(0, 8)
    out["virtq", "head-past-size"] = s
    s = Image()
    s.chain(0, [(BUF, 8, True)])
    s.avail_idx(0, 9)
    out["virtq", "avail-ahead"] = s
    s = Image()
    s.chain(0, [(BUF, 8, True)])
    s.avail_idx(0, 8)
    out["virtq", "avail-full"] = s
    # indirect: nested, with NEXT, odd length, unaligned, not negotiated,
    # looping, pointing outside, too long
    for name, flags, build in (
            ("ind-nested", F_INDIRECT, lambda s: s.indirect(0, BUF, [(BUF + 0x800, 32, False)])
             or s.put(BUF, struct.pack("<QIHH", BUF + 0x800, 32, IND, 0))),
            ("ind-with-next", F_INDIRECT, lambda s: s.desc(0, 0, BUF, 32, IND | NEXT, 1)
             or s.publish(0, 0)),
            ("ind-odd-len", F_INDIRECT, lambda s: s.desc(0, 0, BUF, 24, IND, 0)
             or s.publish(0, 0)),
            ("ind-unaligned", F_INDIRECT, lambda s: s.desc(0, 0, BUF + 8, 32, IND, 0)
             or s.publish(0, 0)),
            ("ind-not-negotiated", 0, lambda s: s.indirect(0, BUF, [(BUF + 0x800, 32, True)])),
            ("ind-outside", F_INDIRECT, lambda s: s.desc(0, 0, 0x7fff0000, 32, IND, 0)
             or s.publish(0, 0)),
            ("ind-huge", F_INDIRECT, lambda s: s.desc(0, 0, BUF, 0x10000, IND, 0)
             or s.publish(0, 0))):
        s = Image(flags=flags)
        s.put(BUF, struct.pack("<QIHH", BUF + 0x800, 16, NEXT, 1) +
              struct.pack("<QIHH", BUF + 0x900, 16, WRITE | NEXT, 0))
        build(s)
        out["virtq", name] = s
    s = Image(flags=F_INDIRECT)
    s.indirect(0, BUF, [(BUF + 0x800, 16, False), (BUF + 0x900, 64, True),
                        (BUF + 0xa00, 64, True)])
    s.chain(0, [(BUF + 0xc00, 16, False)])
    out["virtq", "ind-and-direct"] = s
    # event index: the driver's used_event, and NO_INTERRUPT without it
    s = Image(flags=F_EVENT_IDX, rounds=2)
    for k in range(3):
        s.chain(0, [(BUF + 0x100 * k, 16, True)])
    s.put(avail_at(0) + 4 + 2 * 8, struct.pack("<H", 1))
    out["virtq", "event-idx"] = s
    s = Image()
    s.chain(0, [(BUF, 16, True)])
    s.put(avail_at(0), struct.pack("<H", 1))
    out["virtq", "no-interrupt"] = s
    # the queue wraps: more chains than entries over several rounds
    s = Image(qlog=1, rounds=4)
    for k in range(2):
        s.chain(0, [(BUF + 0x100 * k, 16, True)])
    out["virtq", "small-queue"] = s


# ---------------------------------------------------------------- blk

def blk_hdr(t, sector):
    return struct.pack("<IIQ", t, 0, sector)


def blk_req(s, t, sector, data=None, data_len=0, to_guest=True, status=True, at=0):
    """One request at BUF + at (0x4000 apart)."""
    base = BUF + at
    s.put(base, blk_hdr(t, sector))
    bufs = [(base, 16, False)]
    if data is not None:
        s.put(base + 0x1000, data)
    if data_len:
        bufs.append((base + 0x1000, data_len, to_guest))
    if status:
        bufs.append((base + 0x3000, 1, True))
    return s.chain(0, bufs)


def blk_seeds(out):
    # the original five
    for name, t, data_w, ln in [("read", 0, True, 1024), ("write", 1, False, 512),
                                ("flush", 4, None, 0), ("getid", 8, True, 20),
                                ("discard", 11, False, 16)]:
        s = Image(flags=F_INDIRECT | F_EVENT_IDX)
        s.put(BUF, blk_hdr(t, 2))
        if t == 11:
            s.put(BUF + 0x1000, struct.pack("<QII", 4, 2, 0))
        bufs = [(BUF, 16, False)]
        if ln:
            bufs.append((BUF + 0x1000, ln, data_w))
        bufs.append((BUF + 0x3000, 1, True))
        s.chain(0, bufs)
        out["virtio_blk", name] = s
    seg = lambda sector, n, flags=0: struct.pack("<QII", sector, n, flags)  # noqa: E731
    cases = {
        # write then read back, several requests in one ring
        "write-read": lambda s: (blk_req(s, 1, 5, b"\x5a" * 512, 512, False),
                                 blk_req(s, 0, 5, None, 512, True, at=0x4000)),
        # data split over many descriptors
        "read-segments": lambda s: s.chain(0, [(BUF, 16, False)] +
                                           [(BUF + 0x1000 + 0x200 * k, 512, True)
                                            for k in range(6)] + [(BUF + 0x3000, 1, True)]),
        "write-segments": lambda s: s.chain(0, [(BUF, 8, False), (BUF + 8, 8, False)] +
                                            [(BUF + 0x1000 + 0x100 * k, 256, False)
                                             for k in range(4)] + [(BUF + 0x3000, 1, True)]),
        # the last sector, one past it, far past it, a length not in sectors
        "read-last": lambda s: blk_req(s, 0, 127, None, 512),
        "read-past-end": lambda s: blk_req(s, 0, 127, None, 1024),
        "read-far": lambda s: blk_req(s, 0, 0xfffffffffffffff0, None, 512),
        "read-odd-len": lambda s: blk_req(s, 0, 0, None, 100),
        "write-past-end": lambda s: blk_req(s, 1, 128, b"\x11" * 512, 512, False),
        # GET_ID into a short buffer, flush with data, unknown type
        "getid-short": lambda s: blk_req(s, 8, 0, None, 7),
        "flush-data": lambda s: blk_req(s, 4, 0, None, 512, False),
        "unknown-type": lambda s: blk_req(s, 99, 0, None, 512),
        # discard / write zeroes: several segments, unmap flag, bad flags,
        # past the end, too many segments, a length not in segments
        "discard-many": lambda s: blk_req(s, 11, 0, b"".join(seg(8 * k, 4) for k in range(4)),
                                          64, False),
        "write-zeroes-unmap": lambda s: blk_req(s, 13, 0, seg(10, 6, 1), 16, False),
        "write-zeroes": lambda s: blk_req(s, 13, 0, seg(20, 3), 16, False),
        "discard-bad-flags": lambda s: blk_req(s, 11, 0, seg(0, 1, 0xfe), 16, False),
        "discard-past-end": lambda s: blk_req(s, 11, 0, seg(120, 16), 16, False),
        "discard-too-many": lambda s: blk_req(s, 11, 0, seg(0, 1) * 20, 16 * 20, False),
        "discard-odd-len": lambda s: blk_req(s, 11, 0, seg(0, 1), 12, False),
        # malformed chains: short header, no status, status readable, data
        # after status
        "short-header": lambda s: s.chain(0, [(BUF, 8, False), (BUF + 0x3000, 1, True)]),
        "no-status": lambda s: blk_req(s, 0, 0, None, 512, status=False),
        "status-readable": lambda s: s.chain(0, [(BUF, 16, False), (BUF + 0x3000, 1, False)]),
        "header-only": lambda s: s.chain(0, [(BUF, 16, False)]),
    }
    for name, build in cases.items():
        s = Image(flags=F_INDIRECT | F_MSIX, qlog=5)
        build(s)
        out["virtio_blk", name] = s
    # read-only disk (byte 3 odd): every write-like request is refused
    for name, t, data in (("ro-write", 1, b"\x77" * 512), ("ro-discard", 11, seg(0, 8)),
                          ("ro-write-zeroes", 13, seg(0, 8)), ("ro-read", 0, None)):
        s = Image(extra=1)
        ln = 512 if t in (0, 1) else 16
        blk_req(s, t, 0, data, ln, t == 0)
        out["virtio_blk", name] = s
    # an indirect request, and one past the device's segment limit
    s = Image(flags=F_INDIRECT)
    s.put(BUF, blk_hdr(1, 3))
    s.put(BUF + 0x1000, b"\x33" * 1024)
    s.indirect(0, BUF + 0x5000, [(BUF, 16, False), (BUF + 0x1000, 1024, False),
                                 (BUF + 0x3000, 1, True)])
    out["virtio_blk", "indirect"] = s
    s = Image(flags=F_INDIRECT, qlog=8)
    s.put(BUF, blk_hdr(0, 0))
    s.indirect(0, BUF + 0x5000, [(BUF, 16, False)] +
               [(BUF + 0x1000 + 8 * k, 8, True) for k in range(300)] + [(BUF + 0x3000, 1, True)])
    out["virtio_blk", "too-many-segments"] = s


# ---------------------------------------------------------------- net

def net_seeds(out):
    s = Image(extra=8)
    for k in range(2):
        s.chain(0, [(BUF + 0x800 * k, 1526, True)])
    s.put(BUF + 0x1000, bytes(12) + b"\xff" * 6 + b"\x02" * 6 + b"\x88\xb5" + b"hello" * 10)
    s.chain(1, [(BUF + 0x1000, 12 + 64, False)])
    out["virtio_net", "rxtx"] = s
    frame = lambda n: bytes(12) + b"\xff" * 6 + b"\x02" * 6 + b"\x08\x00" + b"\xab" * (n - 14)  # noqa: E731
    # host frames of several sizes (byte 3 * 8 + 1 bytes) into rx buffers
    # of several sizes, some split over descriptors, some too small
    for name, extra, bufs in (("rx-small", 8, [[(BUF, 12 + 64, True)]]),
                              ("rx-mtu", 189, [[(BUF, 1526, True)], [(BUF + 0x800, 1526, True)]]),
                              ("rx-over-mtu", 255, [[(BUF, 4096, True)]]),
                              ("rx-split", 100, [[(BUF, 12, True), (BUF + 0x100, 400, True),
                                                  (BUF + 0x400, 800, True)]]),
                              ("rx-too-small", 100, [[(BUF, 64, True)], [(BUF + 0x100, 8, True)]]),
                              ("rx-readable", 20, [[(BUF, 1526, False)]])):
        s = Image(extra=extra, rounds=2, flags=F_MSIX | F_INDIRECT)
        for b in bufs:
            s.chain(0, b)
        out["virtio_net", name] = s
    # frames the guest sends: minimal, MTU-sized, too big, too short,
    # header split, writable (wrong), several at once
    for name, chains in (("tx-min", [[(BUF + 0x1000, 12 + 14, False)]]),
                         ("tx-mtu", [[(BUF + 0x1000, 12 + 1514, False)]]),
                         ("tx-too-big", [[(BUF + 0x1000, 12 + 1600, False)]]),
                         ("tx-too-short", [[(BUF + 0x1000, 12 + 10, False)]]),
                         ("tx-split", [[(BUF + 0x1000, 6, False), (BUF + 0x1006, 6, False),
                                        (BUF + 0x100c, 64, False)]]),
                         ("tx-writable", [[(BUF + 0x1000, 12 + 64, True)]]),
                         ("tx-many", [[(BUF + 0x1000, 12 + 60, False)],
                                      [(BUF + 0x1000, 12 + 100, False)],
                                      [(BUF + 0x1000, 12 + 200, False)]])):
        s = Image(extra=0, rounds=2)
        s.put(BUF + 0x1000, frame(1600))
        for c in chains:
            s.chain(1, c)
        out["virtio_net", name] = s
    s = Image(extra=40, rounds=3, flags=F_EVENT_IDX)
    for k in range(4):
        s.chain(0, [(BUF + 0x800 * k, 1526, True)])
    s.put(BUF + 0x3000, frame(200))
    s.chain(1, [(BUF + 0x3000, 12 + 200, False)])
    out["virtio_net", "rxtx-event-idx"] = s


# ---------------------------------------------------------------- vsock

def vsock_hdr(op, sport, dport, ln=0, flags=0, src=3, dst=2, typ=1, buf_alloc=65536, fwd=0):
    return struct.pack("<QQIIIHHIII", src, dst, sport, dport, ln, typ, op, flags, buf_alloc, fwd)


REQUEST, RESPONSE, RST, SHUTDOWN, RW, CREDIT_UPDATE, CREDIT_REQUEST = 1, 2, 3, 4, 5, 6, 7


def vsock_tx(s, pkts):
    """Packets (header + payload) sent by the guest on queue 1, each its own chain."""
    at = BUF + 0x1000
    for p in pkts:
        s.put(at, p)
        s.chain(1, [(at, len(p), False)])
        at += 0x100


def vsock_seeds(out):
    s = Image(rounds=3, extra=0)
    for k in range(4):
        s.chain(0, [(BUF + 0x400 * k, 44 + 256, True)])
    s.put(BUF + 0x1000, vsock_hdr(1, 1000, 1))
    s.put(BUF + 0x1100, vsock_hdr(5, 1000, 1, 5) + b"hello")
    s.chain(1, [(BUF + 0x1000, 44, False)])
    s.chain(1, [(BUF + 0x1100, 49, False)])
    out["virtio_vsock", "connect"] = s
    s = Image(rounds=2, extra=7)
    for k in range(4):
        s.chain(0, [(BUF + 0x400 * k, 44 + 256, True)])
    out["virtio_vsock", "host_connect"] = s
    cases = {
        # connect, data both ways, credit traffic, orderly shutdown, reset
        "session": [vsock_hdr(REQUEST, 1001, 1), vsock_hdr(RW, 1001, 1, 12) + b"hello, host\n",
                    vsock_hdr(CREDIT_REQUEST, 1001, 1), vsock_hdr(CREDIT_UPDATE, 1001, 1),
                    vsock_hdr(SHUTDOWN, 1001, 1, flags=1), vsock_hdr(SHUTDOWN, 1001, 1, flags=3),
                    vsock_hdr(RST, 1001, 1)],
        # a port nobody listens on, a second connect on the same ports
        "refused": [vsock_hdr(REQUEST, 1002, 77), vsock_hdr(RW, 1002, 77, 4) + b"data"],
        "connect-twice": [vsock_hdr(REQUEST, 1003, 1), vsock_hdr(REQUEST, 1003, 1)],
        # data before a connection, after a reset
        "rw-unconnected": [vsock_hdr(RW, 1004, 1, 4) + b"data"],
        "rw-after-rst": [vsock_hdr(REQUEST, 1005, 1), vsock_hdr(RST, 1005, 1),
                         vsock_hdr(RW, 1005, 1, 4) + b"data"],
        # malformed: a spoofed source CID, the wrong destination, a datagram,
        # an unknown op, a length past the payload, a payload on a non-RW op
        "spoofed-cid": [vsock_hdr(REQUEST, 1006, 1, src=9)],
        "wrong-dst": [vsock_hdr(REQUEST, 1007, 1, dst=5)],
        "dgram": [vsock_hdr(REQUEST, 1008, 1, typ=3)],
        "unknown-op": [vsock_hdr(99, 1009, 1)],
        "len-past-payload": [vsock_hdr(REQUEST, 1010, 1), vsock_hdr(RW, 1010, 1, 200) + b"x" * 8],
        "payload-on-request": [vsock_hdr(REQUEST, 1011, 1, 4) + b"oops"],
        "short-header": [vsock_hdr(REQUEST, 1012, 1)[:30]],
        # the guest ignores our credit, and gives us none
        "over-credit": [vsock_hdr(REQUEST, 1013, 1, buf_alloc=0)] +
                       [vsock_hdr(RW, 1013, 1, 240) + bytes(240)] * 8,
        "no-credit": [vsock_hdr(REQUEST, 1014, 1, buf_alloc=0), vsock_hdr(CREDIT_UPDATE, 1014, 1,
                                                                          buf_alloc=0)],
        # a response the host never asked for
        "stray-response": [vsock_hdr(RESPONSE, 1015, 1)],
    }
    for name, pkts in cases.items():
        s = Image(rounds=3, qlog=4, flags=F_MSIX)
        for k in range(4):
            s.chain(0, [(BUF + 0x300 * k, 44 + 256, True)])
        vsock_tx(s, pkts)
        out["virtio_vsock", name] = s
    # the host side connects (byte 3 odd: to guest port byte 3) and the
    # guest answers, or resets
    for name, extra, answer in (("host-connect-accept", 9, RESPONSE),
                                ("host-connect-reset", 11, RST)):
        s = Image(rounds=4, extra=extra)
        for k in range(3):
            s.chain(0, [(BUF + 0x300 * k, 44 + 256, True)])
        vsock_tx(s, [vsock_hdr(answer, extra, 0x40000000)])
        out["virtio_vsock", name] = s
    # receive buffers too small for a header, the event queue
    s = Image(rounds=2, extra=7)
    s.chain(0, [(BUF, 20, True)])
    s.chain(2, [(BUF + 0x400, 8, True)])
    out["virtio_vsock", "tiny-rx"] = s


# ---------------------------------------------------------------- console, rng

def console_seeds(out):
    s = Image(extra=16)
    s.chain(0, [(BUF, 64, True)])
    s.put(BUF + 0x1000, b"hello, console\n")
    s.chain(1, [(BUF + 0x1000, 15, False)])
    out["virtio_console", "rxtx"] = s
    # host input larger than the buffers, spread over several; split
    # transmit chains; writable transmit buffers; none at all
    s = Image(extra=200, rounds=3)
    for k in range(4):
        s.chain(0, [(BUF + 0x100 * k, 32, True)])
    out["virtio_console", "rx-many"] = s
    s = Image(extra=100)
    s.chain(0, [(BUF, 10, True), (BUF + 0x100, 20, True), (BUF + 0x200, 100, True)])
    out["virtio_console", "rx-split"] = s
    s = Image(extra=0, rounds=2, flags=F_EVENT_IDX)
    s.put(BUF + 0x1000, b"line one\nline two\n" * 20)
    s.chain(1, [(BUF + 0x1000, 9, False), (BUF + 0x1009, 9, False)])
    s.chain(1, [(BUF + 0x1000, 360, False)])
    s.chain(1, [(BUF + 0x1000, 0, False)])
    out["virtio_console", "tx-split"] = s
    s = Image(extra=30)
    s.chain(0, [(BUF, 64, False)])
    s.chain(1, [(BUF + 0x1000, 16, True)])
    out["virtio_console", "wrong-directions"] = s
    s = Image(extra=255, flags=F_INDIRECT)
    s.indirect(0, BUF + 0x2000, [(BUF, 100, True), (BUF + 0x100, 200, True)])
    out["virtio_console", "rx-indirect"] = s


def rng_seeds(out):
    s = Image()
    s.chain(0, [(BUF, 64, True), (BUF + 0x100, 32, True)])
    out["virtio_rng", "fill"] = s
    # many buffers, large ones, a readable one, the access_platform variant
    s = Image(qlog=5, rounds=2)
    for k in range(12):
        s.chain(0, [(BUF + 0x100 * k, 16 * (k + 1), True)])
    out["virtio_rng", "many"] = s
    s = Image(extra=1)
    s.chain(0, [(BUF, 0x4000, True), (RAM2, 0x8000, True)])
    out["virtio_rng", "large"] = s
    s = Image()
    s.chain(0, [(BUF, 64, False)])
    s.chain(0, [(BUF + 0x100, 64, True), (BUF + 0x200, 64, False)])
    out["virtio_rng", "readable"] = s
    s = Image(flags=F_INDIRECT | F_EVENT_IDX | F_MSIX, rounds=3)
    s.indirect(0, BUF + 0x2000, [(BUF, 64, True), (BUF + 0x100, 64, True)])
    s.chain(0, [(BUF + 0x400, 8, True)])
    out["virtio_rng", "indirect"] = s


# ---------------------------------------------------------------- pci

class Prog:
    """An op program for fuzz_virtio_pci.c."""
    WIN, SIZES = 0xc0000000, {1: 0, 2: 1, 4: 2, 8: 3}

    def __init__(self):
        self.b = b""

    def outl(self, port, v, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 0, port - 0xcf8]) + struct.pack("<I", v)

    def inl(self, port, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 1, port - 0xcf8]) + struct.pack("<I", 0)

    def cfg_w(self, slot, off, v, size=4):
        self.outl(0xcf8, 0x80000000 | slot << 11 | (off & 0xfc))
        self.outl(0xcfc + (off & 3), v, size)

    def cfg_r(self, slot, off, size=4):
        self.outl(0xcf8, 0x80000000 | slot << 11 | (off & 0xfc))
        self.inl(0xcfc + (off & 3), size)

    def mmio_w(self, off, v, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 2]) + off.to_bytes(3, "little") + \
            struct.pack("<Q", v)

    def mmio_r(self, off, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 3]) + off.to_bytes(3, "little") + bytes(8)

    def ecam_w(self, off, v, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 4]) + off.to_bytes(3, "little") + \
            struct.pack("<Q", v)

    def ecam_r(self, off, size=4):
        self.b += bytes([self.SIZES[size] << 6 | 5]) + off.to_bytes(3, "little") + bytes(8)

    def mem(self, addr, v):
        self.b += bytes([6]) + addr.to_bytes(3, "little") + struct.pack("<Q", v)

    def turn(self):
        self.b += bytes([7])


def pci_driver(p, slot, bar, nq, msix=True, ring=0x1000):
    """A driver's start of the virtio device at @slot with BAR0 at WIN + @bar."""
    for off in range(0, 0x100, 4):		# the whole configuration space
        p.cfg_r(slot, off)
    p.cfg_w(slot, 0x10, 0xffffffff)		# BAR0 sizing, then placed
    p.cfg_r(slot, 0x10)
    p.cfg_w(slot, 0x10, Prog.WIN + bar)
    p.cfg_w(slot, 0x04, 0x0006, 2)		# memory space, bus master
    c = bar
    p.mmio_w(c + 0x14, 0, 1)			# reset
    p.mmio_w(c + 0x14, 3, 1)			# ACKNOWLEDGE | DRIVER
    for sel in (0, 1):
        p.mmio_w(c + 0x00, sel)
        p.mmio_r(c + 0x04)
        p.mmio_w(c + 0x08, sel)
        p.mmio_w(c + 0x0c, 1 if sel else 0)	# VERSION_1 only
    p.mmio_w(c + 0x14, 0xb, 1)			# FEATURES_OK
    p.mmio_r(c + 0x14, 1)
    p.mmio_r(c + 0x12, 2)
    if msix:
        for v in range(nq + 1):
            p.mmio_w(c + 0x4000 + 16 * v, 0xfee00000)
            p.mmio_w(c + 0x4000 + 16 * v + 8, 0x40 + v)
            p.mmio_w(c + 0x4000 + 16 * v + 12, 0)
        p.mmio_w(c + 0x10, 0, 2)		# config vector
    for q in range(nq):
        base = ring + 0x3000 * q
        p.mmio_w(c + 0x16, q, 2)
        p.mmio_r(c + 0x18, 2)
        p.mmio_w(c + 0x18, 8, 2)
        p.mmio_w(c + 0x20, base, 8)
        p.mmio_w(c + 0x28, base + 0x1000, 8)
        p.mmio_w(c + 0x30, base + 0x2000, 8)
        p.mmio_w(c + 0x1a, q + 1 if msix else 0xffff, 2)
        p.mmio_w(c + 0x1c, 1, 2)
    p.mmio_w(c + 0x14, 0xf, 1)			# DRIVER_OK
    for off in range(0, 0x40, 4):		# device configuration
        p.mmio_r(c + 0x2000 + off)


def pci_rings(p, ring, chains):
    """Descriptors and an available ring in guest memory (8-byte writes)."""
    for i, (addr, ln, flags, nxt) in enumerate(chains):
        p.mem(ring + 16 * i, addr)
        p.mem(ring + 16 * i + 8, ln | flags << 32 | nxt << 48)
    heads = [i for i, c in enumerate(chains) if i == 0 or not chains[i - 1][2] & NEXT]
    p.mem(ring + 0x1000, len(heads) << 16 | (heads[0] if heads else 0) << 32 |
          (heads[1] if len(heads) > 1 else 0) << 48)


def pci_seeds(out):
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
    out["virtio_pci", "init"] = ops
    # rng (slot 1) started with MSI-X, a request, a kick, the event loop
    p = Prog()
    pci_driver(p, 1, 0x0000, 1)
    pci_rings(p, 0x1000, [(0x8000, 64, WRITE, 0), (0x8100, 32, WRITE, 0)])
    p.mmio_w(0x3000, 0, 2)
    p.turn()
    p.mmio_r(0x1000, 1)				# ISR
    p.mmio_r(0x5000, 8)				# PBA
    out["virtio_pci", "rng-msix"] = p.b
    # blk (slot 2) with INTx: a read request, the interrupt acknowledged
    p = Prog()
    pci_driver(p, 2, 0x8000, 1, msix=False)
    pci_rings(p, 0x1000, [(0x8000, 16, NEXT, 1), (0x8100, 512, WRITE | NEXT, 2),
                          (0x8400, 1, WRITE, 0)])
    p.mem(0x8000, 0)				# IN, sector 0
    p.mmio_w(0x8000 + 0x3000, 0, 2)
    p.turn()
    p.mmio_r(0x8000 + 0x1000, 1)
    p.cfg_r(2, 0x06, 2)				# interrupt status
    p.cfg_w(2, 0x04, 0x0406, 2)			# INTx disable
    out["virtio_pci", "blk-intx"] = p.b
    # both devices, MSI-X masked then unmasked (pending bits), moved BARs,
    # a reset while running, the queue reset register
    p = Prog()
    pci_driver(p, 1, 0x0000, 1)
    pci_driver(p, 2, 0x8000, 1, ring=0x10000)
    p.mmio_w(0x4000 + 12, 1)			# mask vector 0 of the rng
    p.mmio_w(0x4000 + 16 + 12, 1)
    pci_rings(p, 0x1000, [(0x8000, 64, WRITE, 0)])
    p.mmio_w(0x3000, 0, 2)
    p.turn()
    p.mmio_r(0x5000, 4)
    p.mmio_w(0x4000 + 16 + 12, 0)		# unmask: the pending one fires
    p.turn()
    p.cfg_w(1, 0x10, 0xc0010000)		# move the rng's BAR
    p.mmio_r(0x10000 + 0x14, 1)
    p.cfg_w(1, 0x10, 0xd0000000)		# outside the window
    p.mmio_w(0x8000 + 0x16, 0, 2)
    p.mmio_w(0x8000 + 0x3a, 1, 2)		# queue reset
    p.mmio_w(0x8000 + 0x14, 0, 1)		# device reset
    p.turn()
    out["virtio_pci", "both-msix-mask-move"] = p.b
    # configuration space through ECAM and conf1 at every width, writes to
    # read-only fields, a bad device and function, the MSI-X capability
    p = Prog()
    for slot in (0, 1, 2, 3, 31):
        for off in (0, 2, 4, 6, 8, 0x0e, 0x10, 0x2c, 0x34, 0x3c, 0x3d):
            p.cfg_r(slot, off, 2 if off & 2 else 4)
        p.ecam_r(slot << 15 | 0x40)
        p.ecam_w(slot << 15, 0xdeadbeef)	# vendor/device: read-only
        p.ecam_w(slot << 15 | 0x2c, 0x12345678)
    for off in range(0x40, 0x100, 4):
        p.ecam_w(1 << 15 | off, 0xffffffff)
        p.ecam_r(1 << 15 | off, 1)
    p.ecam_r(1 << 15 | 0x1000)			# past the function's space
    p.ecam_r(1 << 15 | 1 << 12)		# function 1
    p.outl(0xcf8, 0x00000800)			# enable bit clear
    p.inl(0xcfc)
    p.outl(0xcf9, 0x02, 1)
    out["virtio_pci", "cfg-walk"] = p.b
    # hostile register accesses: unaligned and odd-sized BAR accesses, a
    # queue too large, rings outside RAM, a notify of a queue that is not
    # there, the MSI-X table past its end
    p = Prog()
    pci_driver(p, 1, 0x0000, 1)
    p.mmio_w(0x16, 0, 2)
    p.mmio_w(0x18, 0x8000, 2)
    p.mmio_w(0x20, 0xfffff000, 8)
    p.mmio_w(0x1c, 1, 2)
    p.mmio_w(0x3000 + 4 * 7, 7, 2)
    p.mmio_w(0x4000 + 16 * 9, 0xfee00000)
    p.mmio_r(0x4000 + 16 * 9 + 4)
    p.mmio_r(0x5000 + 0x100, 8)
    p.mmio_w(0x13, 0xffff, 2)
    p.mmio_r(0x2001, 2)
    p.mmio_w(0x7ffc, 1, 8)
    p.turn()
    out["virtio_pci", "hostile-regs"] = p.b


def seeds():
    imgs = {}
    virtq_seeds(imgs)
    blk_seeds(imgs)
    net_seeds(imgs)
    vsock_seeds(imgs)
    console_seeds(imgs)
    rng_seeds(imgs)
    pci_seeds(imgs)
    return {k: (v if isinstance(v, bytes) else v.bytes()) for k, v in imgs.items()}


def main():
    check = "--check" in sys.argv[1:]
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")
    bad = 0
    for (target, name), data in sorted(seeds().items()):
        d = os.path.join(root, target)
        path = os.path.join(d, name)
        if check:
            try:
                with open(path, "rb") as f:
                    same = f.read() == data
            except OSError:
                same = False
            if not same:
                print("make_seeds: %s differs from what the script writes" % path)
                bad += 1
            continue
        os.makedirs(d, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
