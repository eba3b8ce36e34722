#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""--net without CAP_NET_ADMIN: exactly one line saying why and how.

usage: no_cap_net.py CVMM
Runs cvmm under `capsh --drop=cap_net_admin` for a tap that does not exist.
Skips (77) without capsh or when this process cannot drop capabilities.
"""
import os
import re
import shutil
import subprocess
import sys


def main():
    cvmm = sys.argv[1]
    capsh = shutil.which("capsh")
    if not capsh or os.geteuid() != 0:
        print("SKIP: needs capsh and root to drop CAP_NET_ADMIN")
        return 77
    tap = "cvmnocap%d" % (os.getpid() % 10000)
    p = subprocess.run([capsh, "--drop=cap_net_admin", "--", "-c",
                        'exec "$0" boot --net tap=' + tap, cvmm],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    lines = p.stderr.splitlines()
    want = (r"^cvmm: --net: tap=%s: cannot create the tap device: Operation not permitted "
            r"\(needs CAP_NET_ADMIN; or create it first: ip tuntap add %s mode tap user \$USER\)$"
            % (tap, tap))
    if p.returncode != 1 or len(lines) != 1 or not re.match(want, lines[0]) or p.stdout:
        print("FAIL: status %d, stderr %r, stdout %r" % (p.returncode, p.stderr, p.stdout))
        return 1
    print("PASS:", lines[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
