#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The static PIE cvmm starts at cvmm_entry (src/entry.c), which prefaults
the RELRO pages before glibc's _start, and the RELRO segment is there.

usage: check_entry.py CVMM
"""
import subprocess
import sys


def fail(msg):
    sys.exit("check_entry: %s" % msg)


def main():
    if len(sys.argv) != 2:
        fail("usage: check_entry.py CVMM")
    cvmm = sys.argv[1]
    hdr = subprocess.run(["readelf", "-hlW", cvmm], capture_output=True, text=True,
                         check=True).stdout
    entry = relro = None
    for line in hdr.splitlines():
        f = line.split()
        if line.strip().startswith("Entry point address:"):
            entry = int(f[-1], 16)
        elif f and f[0] == "GNU_RELRO":
            relro = int(f[5], 16)           # MemSiz
    syms = subprocess.run(["nm", "--defined-only", cvmm], capture_output=True, text=True,
                          check=True).stdout
    want = [int(f[0], 16) for f in (l.split() for l in syms.splitlines())
            if len(f) == 3 and f[2] == "cvmm_entry"]
    if not want:
        fail("%s has no cvmm_entry (src/entry.c not linked)" % cvmm)
    if entry != want[0]:
        fail("%s starts at %#x, not at cvmm_entry (%#x): -Wl,-e,cvmm_entry missing"
             % (cvmm, entry or 0, want[0]))
    if not relro or relro < 4096:
        fail("%s has no RELRO segment of a page or more to prefault" % cvmm)
    r = subprocess.run([cvmm, "--version"], capture_output=True, text=True)
    if r.returncode or not r.stdout.startswith("cvmm "):
        fail("cvmm --version: status %d: %s" % (r.returncode, r.stderr.strip()))
    print("check_entry: entry cvmm_entry, RELRO %d KiB" % (relro >> 10))


if __name__ == "__main__":
    main()
