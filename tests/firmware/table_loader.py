#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write a QEMU bios-linker-loader case for the test firmware.

usage: table_loader.py CASE OUTDIR
  Writes OUTDIR/loader.bin (etc/table-loader), OUTDIR/rsdp.bin
  (etc/acpi/rsdp), OUTDIR/tables.bin (etc/acpi/tables) and prints the
  QEMU -fw_cfg arguments that serve them, then on a second line the
  expected outcome: "ok" or "fail <debug-exit value> <message substring>".
  Run the firmware on a machine without its own ACPI (microvm,acpi=off).

The "good" case: an RSDP (revision 2) and a tables blob holding an XSDT
with one table "CVMT", linked with ADD_POINTER (8 bytes) and checksummed
with ADD_CHECKSUM by the firmware.  Every other case breaks one rule the
firmware must enforce on an untrusted VMM.
"""
import os
import struct
import sys

CMD_ALLOCATE, CMD_ADD_POINTER, CMD_ADD_CHECKSUM, CMD_WRITE_POINTER = 1, 2, 3, 4
ZONE_HIGH, ZONE_FSEG = 1, 2
FAIL_DMA, FAIL_ACPI = 0x42, 0x47


def name(s):
    b = s.encode() if isinstance(s, str) else s
    return b + b"\0" * (56 - len(b)) if len(b) < 56 else b[:56]


def cmd(kind, body):
    return struct.pack("<I", kind) + body + b"\0" * (124 - len(body))


def allocate(f, align, zone):
    return cmd(CMD_ALLOCATE, name(f) + struct.pack("<IB", align, zone))


def add_pointer(dst, src, off, size):
    return cmd(CMD_ADD_POINTER, name(dst) + name(src) + struct.pack("<IB", off, size))


def add_checksum(f, off, start, length):
    return cmd(CMD_ADD_CHECKSUM, name(f) + struct.pack("<III", off, start, length))


def write_pointer(dst, src, dst_off, src_off, size):
    return cmd(CMD_WRITE_POINTER, name(dst) + name(src) +
               struct.pack("<IIB", dst_off, src_off, size))


def sdt_header(sig, length):
    # signature, length, revision, checksum (0: the loader fixes it), OEM ids
    return struct.pack("<4sIBB6s8sI4sI", sig, length, 1, 0, b"CVMMTF", b"TESTFW  ",
                       1, b"CVMM", 1)


def blobs():
    test = sdt_header(b"CVMT", 36)
    xsdt = sdt_header(b"XSDT", 44) + struct.pack("<Q", 44)   # -> CVMT at 44
    tables = xsdt + test
    rsdp = struct.pack("<8sB6sBIIQB3s", b"RSD PTR ", 0, b"CVMMTF", 2, 0, 36, 0, 0, b"\0" * 3)
    return rsdp, tables


def good_commands():
    return [
        allocate("etc/acpi/rsdp", 16, ZONE_FSEG),
        allocate("etc/acpi/tables", 64, ZONE_HIGH),
        add_pointer("etc/acpi/tables", "etc/acpi/tables", 36, 8),
        add_checksum("etc/acpi/tables", 9, 0, 44),
        add_checksum("etc/acpi/tables", 44 + 9, 44, 36),
        add_pointer("etc/acpi/rsdp", "etc/acpi/tables", 24, 8),
        add_checksum("etc/acpi/rsdp", 8, 0, 20),
        add_checksum("etc/acpi/rsdp", 32, 0, 36),
        b"\0" * 128,                               # command 0: padding, skipped
        cmd(0x7f, b"unknown"),                     # unknown: skipped
    ]


def case(c):
    """-> (commands as bytes, rsdp, tables, expected)"""
    rsdp, tables = blobs()
    good = good_commands()
    ok = "ok"

    def fail(msg, code=FAIL_ACPI):
        return "fail 0x%x %s" % (code, msg)

    if c == "good":
        return b"".join(good), rsdp, tables, ok
    if c == "truncated":
        return b"".join(good)[:-5], rsdp, tables, fail("not a multiple of 128")
    if c == "missing-file":
        return b"".join([allocate("etc/acpi/nothere", 16, ZONE_FSEG)] + good), rsdp, tables, \
            fail("no fw_cfg file 'etc/acpi/nothere'")
    if c == "bad-zone":
        return b"".join([allocate("etc/acpi/rsdp", 16, 3)] + good[1:]), rsdp, tables, \
            fail("asks for zone 3")
    if c == "bad-align":
        return b"".join([allocate("etc/acpi/rsdp", 24, ZONE_FSEG)] + good[1:]), rsdp, tables, \
            fail("alignment 24 is not a power of two")
    if c == "twice":
        return b"".join(good[:2] + [allocate("etc/acpi/rsdp", 16, ZONE_FSEG)] + good[2:]), \
            rsdp, tables, fail("'etc/acpi/rsdp' is allocated twice")
    if c == "pointer-outside":
        return b"".join(good[:2] + [add_pointer("etc/acpi/tables", "etc/acpi/tables",
                                                len(tables) - 2, 4)] + good[2:]), \
            rsdp, tables, fail("ADD_POINTER of 4 bytes at offset 78 is outside")
    if c == "pointer-size":
        return b"".join(good[:2] + [add_pointer("etc/acpi/tables", "etc/acpi/tables", 36, 3)]
                        + good[3:]), rsdp, tables, fail("ADD_POINTER of 3 bytes")
    if c == "pointer-target":
        t = bytearray(tables)
        struct.pack_into("<Q", t, 36, 0x10000)        # beyond the source file
        return b"".join(good), rsdp, bytes(t), fail("ADD_POINTER offset 0x10000 is outside")
    if c == "pointer-unallocated":
        return b"".join(good[:1] + good[2:]), rsdp, tables, \
            fail("refers to 'etc/acpi/tables', which was not allocated")
    if c == "checksum-wrap":
        return b"".join(good[:2] + [add_checksum("etc/acpi/tables", 9, 0xfffffff0, 0x20)]
                        + good[2:]), rsdp, tables, fail("ADD_CHECKSUM (offset 9, range")
    if c == "checksum-offset":
        return b"".join(good[:2] + [add_checksum("etc/acpi/rsdp", 36, 0, 20)] + good[2:]), \
            rsdp, tables, fail("ADD_CHECKSUM (offset 36")
    if c == "name-unterminated":
        return b"".join([cmd(CMD_ALLOCATE, b"A" * 56 + struct.pack("<IB", 16, ZONE_FSEG))]
                        + good), rsdp, tables, fail("is not NUL-terminated")
    if c == "fseg-full":
        big = tables + b"\0" * 0x20000                 # 128 KiB: more than the EBDA zone
        return b"".join([allocate("etc/acpi/rsdp", 16, ZONE_FSEG),
                         allocate("etc/acpi/tables", 64, ZONE_FSEG)] + good[2:]), \
            rsdp, big, fail("does not fit the FSEG zone")
    if c == "rsdp-checksum":
        return b"".join(good[:6] + good[7:]), rsdp, tables, fail("RSDP checksum is wrong")
    if c == "table-checksum":
        return b"".join(good[:4] + good[5:]), rsdp, tables, \
            fail(": bad checksum")
    if c == "rsdp-short":
        # revision 2 in a 20-byte (ACPI 1.0 sized) file: the length and XSDT
        # fields would lie past the end of the file
        short = rsdp[:20]
        return b"".join(good[:5] + [add_checksum("etc/acpi/rsdp", 8, 0, 20)]), short, tables, \
            fail("RSDP revision 2 needs 36 bytes; its file has 20")
    if c == "no-rsdp":
        return b"".join([allocate("etc/acpi/tables", 64, ZONE_HIGH)]), rsdp, tables, \
            fail("allocated no acpi/rsdp")
    if c == "write-pointer":
        # the files QEMU serves from -fw_cfg are read-only: the DMA write
        # must come back with the error bit, and the firmware must say so
        return b"".join(good + [write_pointer("etc/acpi/rsdp", "etc/acpi/tables", 0, 0, 8)]), \
            rsdp, tables, fail("failed: the device set the error bit", FAIL_DMA)
    raise SystemExit("unknown case '%s'" % c)


CASES = ["good", "truncated", "missing-file", "bad-zone", "bad-align", "twice",
         "pointer-outside", "pointer-size", "pointer-target", "pointer-unallocated",
         "checksum-wrap", "checksum-offset", "name-unterminated", "fseg-full",
         "rsdp-checksum", "rsdp-short", "table-checksum", "no-rsdp", "write-pointer"]


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        print(" ".join(CASES))
        return
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    c, out = sys.argv[1], sys.argv[2]
    loader, rsdp, tables, expect = case(c)
    os.makedirs(out, exist_ok=True)
    files = {"loader.bin": loader, "rsdp.bin": rsdp, "tables.bin": tables}
    for fn, data in files.items():
        with open(os.path.join(out, fn), "wb") as f:
            f.write(data)
    print(" ".join("-fw_cfg name=%s,file=%s" % (n, os.path.join(out, fn)) for n, fn in
                   (("etc/table-loader", "loader.bin"), ("etc/acpi/rsdp", "rsdp.bin"),
                    ("etc/acpi/tables", "tables.bin"))))
    print(expect)


if __name__ == "__main__":
    main()
