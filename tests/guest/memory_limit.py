#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Guest RAM beyond the host's RAM and swap is refused up front (issue 12, finding 9).

usage: memory_limit.py CVMM
Asks for 1 GiB more than /proc/meminfo's MemTotal + SwapTotal: cvmm must
exit 1 with one line naming the limit, before building a VM (KVMs that
shadow guest page tables allocate 8 bytes per guest page for a memslot,
so a huge one can take the host down).  Skips (77) without /dev/kvm.
"""
import os
import re
import subprocess
import sys


def main():
    cvmm = sys.argv[1]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    info = dict(re.findall(r"^(\w+):\s+(\d+) kB$", open("/proc/meminfo").read(), re.M))
    host_kib = int(info["MemTotal"]) + int(info.get("SwapTotal", 0))
    size_g = host_kib // (1 << 20) + 2
    p = subprocess.run([cvmm, "boot", "--memory", "size=%dG" % size_g],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    want = (r"^cvmm: --memory: size=%dG is more than this host's RAM and swap "
            r"\(\d+ MiB\)$" % size_g)
    lines = p.stderr.splitlines()
    if p.returncode != 1 or len(lines) != 1 or not re.match(want, lines[0]) or p.stdout:
        print("FAIL: status %d, stderr %r, stdout %r" % (p.returncode, p.stderr, p.stdout))
        return 1
    print("PASS:", lines[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
