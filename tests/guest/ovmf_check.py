#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Boot Debian's OVMF with cvmm.

On a KVM that runs firmware code (hardware virtualization) OVMF keeps
running: the test stops it after a while and passes.  On a KVM that cannot
emulate OVMF's first x87 instruction (this project's software-assisted KVM),
cvmm must exit with status 34 and a message that names the instruction and
puts the blame on the host's KVM, not on cvmm.
"""
import os
import subprocess
import sys

OVMF = "/usr/share/ovmf/OVMF.fd"


def main():
    cvmm = sys.argv[1]
    if not os.path.exists(OVMF):
        print("SKIP: %s is not installed (apt install ovmf)" % OVMF)
        return 77
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    cmd = [cvmm, "boot", "--firmware", OVMF, "--memory", "size=512M", "--console", "none"]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        print("OVMF still running after 20 s: this KVM runs firmware code; PASS")
        return 0
    print(r.stderr)
    ok = (r.returncode == 34 and "host's KVM cannot emulate" in r.stderr
          and "x87" in r.stderr and r.stderr.count("\n") == 1)
    print("exit status %d: %s" % (r.returncode, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
