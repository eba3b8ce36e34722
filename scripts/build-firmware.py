#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Build cvmm's test firmware ROM (guests/firmware).

Compiles the C and assembly sources with the host gcc in freestanding
64-bit mode (no FPU/SSE, no red zone, large code model: the code runs in
place from the ROM just below 4 GiB while its data lives in low RAM), links
them with guests/firmware/fw.ld for a ROM of --size bytes ending at 4 GiB
and writes the raw ROM image.

Before writing, the image is checked:
  - its size, and the reset vector (a jmp) at 4 GiB - 16;
  - the OVMF-style GUID table ending 0x20 bytes before the end, and the
    entries it must have: SEV metadata ("ASEV": SEC_MEM, SECRETS, CPUID,
    KERNEL_HASHES), TDVF metadata ("TDVF": BFV = the whole ROM with
    MR_EXTEND, TEMP_MEM, TD_HOB), the SEV kernel-hashes table and the SEV-ES
    reset block (an AP address inside the top 64 KiB of the ROM);
  - with objdump (next to --objcopy, or on PATH), that the compiled code
    (.text; the hand-written top page is not audited) has none of
    the instructions this machine's KVM cannot emulate (x87/SSE, xsave,
    popcnt, rep-string operations, cmpxchg16b, int3, ...).

usage: build-firmware.py --lds fw.ld [--size 64K] [--elf FILE] -o ROM SOURCES...
"""
import argparse
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import uuid

CFLAGS = [
    "-std=gnu11", "-O2", "-g0", "-m64", "-ffreestanding", "-fno-builtin",
    "-fno-pic", "-fno-pie", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
    "-fno-unwind-tables", "-mno-red-zone", "-mgeneral-regs-only", "-mno-sse",
    "-mno-mmx", "-mno-80387", "-mcmodel=large", "-Wall", "-Wextra", "-Werror",
    "-Wno-unused-parameter", "-fcf-protection=none", "-fno-jump-tables",
    # every instruction may go through KVM's emulator: plain loops only
    "-fno-tree-loop-distribute-patterns", "-mstringop-strategy=loop",
]

TOP = 1 << 32

GUID_FOOTER = uuid.UUID("96b582de-1fb2-45f7-baea-a366c55a082d")
GUID_SEV_META = uuid.UUID("dc886566-984a-4798-a75e-5585a7bf67cc")
GUID_TDX_META = uuid.UUID("e47a6535-984a-4798-865e-4685a7bf8ec2")
GUID_SEV_HASHES = uuid.UUID("7255371f-3a3b-4b04-927b-1da6efa8d454")
GUID_SEV_ES_RESET = uuid.UUID("00f771de-1a7e-4fcb-890e-68c77e2fb44e")

# Instructions KVM's emulator lacks here (shared/reference/guest-kernel.md),
# plus everything x87/MMX/SSE.
BAD_MNEMONIC = re.compile(
    r"^(f\w+|xsave\w*|xrstor\w*|popcnt|tzcnt|lzcnt|cmpxchg16b|int3|"
    r"[rw][df]sbase|clac|stac|movs[bwlq]?|stos[bwlq]?|cmps[bwlq]?|scas[bwlq]?|"
    r"rep\w*|emms|ldmxcsr|stmxcsr)$")
BAD_OPERAND = re.compile(r"%[xyz]mm\d|%mm\d|%st\b")


class BuildError(Exception):
    pass


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BuildError(" ".join(cmd) + "\n" + r.stdout + r.stderr)
    return r.stdout


def parse_size(s):
    m = re.fullmatch(r"(0x[0-9a-fA-F]+|\d+)([KkMm]?)", s)
    if not m:
        raise argparse.ArgumentTypeError("bad size '%s'" % s)
    v = int(m.group(1), 0) << {"": 0, "k": 10, "m": 20}[m.group(2).lower()]
    if v < 0x4000 or v > (16 << 20) or v % 4096:
        raise argparse.ArgumentTypeError("size must be a multiple of 4 KiB, 16 KiB to 16 MiB")
    return v


def guid_table(rom):
    """{uuid: data bytes} of the GUID table (ResetVectorVtf0.asm format)."""
    footer = len(rom) - 0x20 - 18
    if uuid.UUID(bytes_le=bytes(rom[footer + 2:footer + 18])) != GUID_FOOTER:
        raise BuildError("no GUID table footer at 0x%x" % footer)
    size = struct.unpack_from("<H", rom, footer)[0]
    if size < 18 or size - 18 > footer:
        raise BuildError("GUID table size %d does not fit" % size)
    start, end, entries = footer - (size - 18), footer, {}
    while end > start:
        if end - start < 18:
            raise BuildError("GUID table has %d stray bytes" % (end - start))
        esize = struct.unpack_from("<H", rom, end - 18)[0]
        if esize < 18 or esize > end - start:
            raise BuildError("GUID table entry with bad size %d" % esize)
        g = uuid.UUID(bytes_le=bytes(rom[end - 16:end]))
        entries[g] = bytes(rom[end - esize:end - 18])
        end -= esize
    return entries


def check_rom(rom, size):
    if len(rom) != size:
        raise BuildError("ROM is %d bytes, expected %d" % (len(rom), size))
    if rom[-16] not in (0xe9, 0xeb):
        raise BuildError("no jmp at the reset vector (byte 0x%02x)" % rom[-16])
    t = guid_table(rom)
    for g in (GUID_SEV_META, GUID_TDX_META, GUID_SEV_HASHES, GUID_SEV_ES_RESET):
        if g not in t:
            raise BuildError("GUID table lacks %s" % g)

    off = struct.unpack_from("<I", t[GUID_SEV_META])[0]
    h = len(rom) - off
    sig, length, version, n = struct.unpack_from("<4sIII", rom, h)
    if sig != b"ASEV" or version != 1 or length != 16 + 12 * n:
        raise BuildError("bad SEV metadata header %r %d %d %d" % (sig, length, version, n))
    sev = [struct.unpack_from("<III", rom, h + 16 + 12 * i) for i in range(n)]
    if sorted(s[2] for s in sev) != [1, 2, 3, 0x10]:
        raise BuildError("SEV metadata sections %r" % sev)
    for base, ln, typ in sev:
        if base % 4096 or ln % 4096 or not ln or base + ln > 0xa0000:
            raise BuildError("SEV section type %d at 0x%x+0x%x" % (typ, base, ln))

    off = struct.unpack_from("<I", t[GUID_TDX_META])[0]
    h = len(rom) - off
    sig, length, version, n = struct.unpack_from("<4sIII", rom, h)
    if sig != b"TDVF" or version != 1 or length != 16 + 32 * n:
        raise BuildError("bad TDVF metadata header %r %d %d %d" % (sig, length, version, n))
    tdx = [struct.unpack_from("<IIQQII", rom, h + 16 + 32 * i) for i in range(n)]
    bfv = [s for s in tdx if s[4] == 0]
    if len(bfv) != 1 or bfv[0] != (0, size, TOP - size, size, 0, 1):
        raise BuildError("TDVF BFV is not the whole ROM with MR_EXTEND: %r" % bfv)
    if sorted(set(s[4] for s in tdx)) != [0, 2, 3]:
        raise BuildError("TDVF sections %r" % tdx)

    gpa, hsize = struct.unpack_from("<II", t[GUID_SEV_HASHES])
    if not [s for s in sev if s[2] == 0x10 and s[0] <= gpa and gpa + hsize <= s[0] + s[1]]:
        raise BuildError("kernel-hashes table 0x%x is outside its SEV section" % gpa)
    eip = struct.unpack_from("<I", t[GUID_SEV_ES_RESET])[0]
    if eip < TOP - min(size, 0x10000) or rom[eip - (TOP - size)] != 0xfa:
        raise BuildError("SEV-ES AP reset address 0x%x is not the AP stub" % eip)


def audit(objdump, elf):
    bad = []
    # .text only: the hand-written 16/32-bit code and the data in .top do
    # not disassemble as 64-bit code
    for line in run([objdump, "-d", "-j", ".text", "--no-show-raw-insn", elf]).splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if not m:
            continue
        mnem, ops = m.group(2), m.group(3)
        if BAD_MNEMONIC.match(mnem) or BAD_OPERAND.search(ops):
            bad.append("  %s: %s %s" % (m.group(1), mnem, ops))
    if bad:
        raise BuildError("instructions the host KVM may not emulate:\n" + "\n".join(bad))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--ld", default="ld")
    ap.add_argument("--objcopy", default="objcopy")
    ap.add_argument("--objdump", help="default: next to --objcopy, else on PATH")
    ap.add_argument("--lds", required=True)
    ap.add_argument("--size", type=parse_size, default=0x10000,
                    help="ROM size (default 64K)")
    ap.add_argument("--elf", help="also write the linked ELF (for debugging)")
    ap.add_argument("-I", dest="includes", action="append", default=[])
    ap.add_argument("-o", dest="out", required=True)
    ap.add_argument("sources", nargs="+")
    a = ap.parse_args()

    objdump = a.objdump
    if not objdump:
        cand = os.path.join(os.path.dirname(shutil.which(a.objcopy) or a.objcopy),
                            os.path.basename(a.objcopy).replace("objcopy", "objdump"))
        objdump = cand if os.access(cand, os.X_OK) else shutil.which("objdump")

    incs = ["-I" + d for d in a.includes + [os.path.dirname(os.path.abspath(a.lds))]]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            objs = []
            for i, src in enumerate(a.sources):
                obj = os.path.join(tmp, "%d.o" % i)
                extra = ["-DROM_SIZE=0x%x" % a.size]
                if src.endswith(".S"):
                    extra.append("-D__ASSEMBLY__")
                run([a.cc] + CFLAGS + incs + extra + ["-c", src, "-o", obj])
                objs.append(obj)
            elf = os.path.join(tmp, "fw.elf")
            run([a.ld, "-nostdlib", "-static", "-z", "noexecstack", "-z",
                 "max-page-size=4096", "--build-id=none", "--no-relax",
                 "--defsym", "ROM_SIZE=0x%x" % a.size, "-T", a.lds, "-o", elf] + objs)
            binf = os.path.join(tmp, "fw.bin")
            run([a.objcopy, "-O", "binary", elf, binf])
            with open(binf, "rb") as f:
                rom = f.read()
            check_rom(rom, a.size)
            if objdump:
                audit(objdump, elf)
            else:
                sys.stderr.write("build-firmware: objdump not found: instruction audit skipped\n")
            if a.elf:
                shutil.copyfile(elf, a.elf)
    except BuildError as e:
        sys.stderr.write("build-firmware: %s\n" % e)
        sys.exit(1)
    tmpout = a.out + ".tmp"
    with open(tmpout, "wb") as f:
        f.write(rom)
    os.replace(tmpout, a.out)


if __name__ == "__main__":
    main()
