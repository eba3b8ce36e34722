#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Debian's OVMF under cvmm: two tests (issue 21).

usage: ovmf_check.py boot CVMM [--timeout S] [--ovmf PATH] [--no-kvm-ok]
       ovmf_check.py x87 CVMM [--ovmf PATH] [--no-kvm-ok]

boot: OVMF must get through SEC, PEI and DXE to its boot manager, which
says so on COM1 ("BdsDxe: ..." lines, as it does under QEMU when it tries
its boot options); then cvmm is stopped.  On a KVM that cannot emulate
OVMF's first x87 instruction (a software-assisted KVM, like this
project's build host) OVMF cannot run at all: the test is skipped (77)
with that reason, and the diagnosis itself is the `x87` test's.  Running
without ever reaching the boot manager, or any other end, fails.

x87: where cvmm stops OVMF with status 34, the one line it prints must
blame the host's KVM for an x87 instruction, at a RIP inside the firmware
mapping, and the code bytes it quotes must be OVMF.fd's bytes there (an
x87 opcode).  Skipped (77) where OVMF runs (a hardware-virtualized KVM).
"""
import argparse
import os
import re
import select
import signal
import subprocess
import sys
import time

OVMF = "/usr/share/ovmf/OVMF.fd"
X87 = re.compile(r"^cvmm: vCPU \d+: the host's KVM cannot emulate an x87 FPU instruction at "
                 r"RIP 0x([0-9a-f]+) \(CS 0x[0-9a-f]+ base 0x([0-9a-f]+), CR0 0x[0-9a-f]+\), "
                 r"code ((?:[0-9a-f]{2} ?)+) \(exit INTERNAL_ERROR, emulation failure\): "
                 r"this host's KVM cannot run this guest code, a hardware-virtualized KVM can$")
BDS = re.compile(r"BdsDxe: ")


def skip_if_missing(ovmf, no_kvm_ok):
    if not os.path.exists(ovmf):
        print("SKIP: %s is not installed (apt install ovmf)" % ovmf)
        return 77
    if not no_kvm_ok and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    return None


def run_until(cmd, pattern, timeout):
    """Run @cmd until it exits, or until its output matches @pattern (None:
    never) or @timeout passes; then stop it (SIGTERM).  Returns (matched,
    exit status or None when it was stopped, output)."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b""
    deadline = time.monotonic() + timeout
    matched = eof = False
    while not matched and not eof and time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            eof = not chunk
            out += chunk
            matched = bool(pattern and pattern.search(out.decode(errors="replace")))
    status = None
    if eof:
        try:
            status = p.wait(10)
        except subprocess.TimeoutExpired:
            pass
    if status is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    p.stdout.close()
    return matched, status, out.decode(errors="replace")


def check_x87(line, ovmf):
    """Problems with cvmm's x87 diagnosis @line (empty when it is right)."""
    m = X87.match(line)
    if not m:
        return ["not the x87 diagnosis: %r" % line]
    rip, base = int(m.group(1), 16), int(m.group(2), 16)
    code = bytes.fromhex(m.group(3).replace(" ", ""))
    with open(ovmf, "rb") as f:
        fw = f.read()
    start = (1 << 32) - len(fw)
    addr = base + rip
    errors = []
    if not start <= addr < (1 << 32) - len(code):
        errors.append("RIP 0x%x (linear 0x%x) is outside the firmware [0x%x, 4 GiB)"
                      % (rip, addr, start))
    elif fw[addr - start:addr - start + len(code)] != code:
        errors.append("the quoted code %s is not OVMF.fd's bytes at 0x%x (%s)"
                      % (code.hex(" "), addr, fw[addr - start:addr - start + len(code)].hex(" ")))
    op = code[1] if code[:1] == b"\x9b" and len(code) > 1 else code[0]
    if not 0xd8 <= op <= 0xdf and code[:1] != b"\x9b":
        errors.append("the code at RIP (%s) is not an x87 instruction" % code.hex(" "))
    return errors


def boot(a):
    cmd = [a.cvmm, "boot", "--firmware", a.ovmf, "--memory", "size=512M"]
    print("running:", " ".join(cmd))
    matched, status, out = run_until(cmd, BDS, a.timeout)
    sys.stdout.write(out[-3000:] + "\n")
    if matched:
        print("PASS: OVMF reached its boot manager (BdsDxe) under cvmm")
        return 0
    lines = [ln for ln in out.splitlines() if ln.startswith("cvmm: ")]
    m = X87.match(lines[-1]) if lines else None
    if status == 34 and m:
        print("SKIP: this host's KVM cannot emulate the x87 instruction OVMF executes first "
              "(RIP 0x%s, code %s): OVMF cannot run here; guest-ovmf-x87 checks that "
              "diagnosis" % (m.group(1), m.group(3).strip()))
        return 77
    if status is None:
        print("FAIL: OVMF ran %d s without reaching its boot manager" % a.timeout)
    else:
        print("FAIL: cvmm exited %d before OVMF reached its boot manager" % status)
    return 1


def x87(a):
    cmd = [a.cvmm, "boot", "--firmware", a.ovmf, "--memory", "size=512M", "--console", "none"]
    print("running:", " ".join(cmd))
    _, status, out = run_until(cmd, None, a.timeout)
    print(out.strip())
    if status is None:
        if X87.search(out):
            print("FAIL: cvmm printed the diagnosis but did not exit")
            return 1
        print("SKIP: OVMF runs on this host's KVM (no x87 emulation failure in %d s)"
              % a.timeout)
        return 77
    errors = []
    if status != 34:
        errors.append("exit status %d, expected 34 (KVM could not run the guest)" % status)
    lines = out.strip().splitlines()
    if len(lines) != 1:
        errors.append("%d lines, expected exactly one" % len(lines))
    elif status == 34:
        errors += check_x87(lines[0], a.ovmf)
    for e in errors:
        print("FAIL:", e)
    if errors:
        return 1
    print("PASS: the x87 diagnosis names OVMF's instruction and blames the host's KVM")
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=("boot", "x87"))
    ap.add_argument("cvmm")
    ap.add_argument("--ovmf", default=OVMF)
    ap.add_argument("--timeout", type=int, default=90)
    ap.add_argument("--no-kvm-ok", action="store_true",
                    help="run without /dev/kvm (tests of this script with a fake cvmm)")
    a = ap.parse_args()
    ret = skip_if_missing(a.ovmf, a.no_kvm_ok)
    if ret is not None:
        return ret
    return boot(a) if a.mode == "boot" else x87(a)


if __name__ == "__main__":
    sys.exit(main())
