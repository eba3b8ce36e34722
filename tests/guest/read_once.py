#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Host files are read once, not at every reboot (issue 12, finding 7).

usage: read_once.py CVMM REBOOT_GUEST
Runs the reboot guest (it resets three times, then powers off) with a
--fw-cfg item read from a FIFO that this script writes once: the first
boot's read gets the bytes and EOF; a second read would wait forever for
another writer.  cvmm must finish all four boots (status 0) because every
boot uses the copy taken at start.  The FIFO is removed before the first
reset, too.  Skips (77) without /dev/kvm.
"""
import os
import subprocess
import sys
import tempfile


def main():
    cvmm, guest = sys.argv[1], sys.argv[2]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    tmp = tempfile.mkdtemp(prefix="cvmm-once-")
    fifo = os.path.join(tmp, "item")
    os.mkfifo(fifo)
    p = subprocess.Popen([cvmm, "boot", "--kernel", guest,
                          "--fw-cfg", "name=opt/cvmm/test,file=" + fifo],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    fd = os.open(fifo, os.O_WRONLY)	# waits until cvmm opens it
    os.write(fd, b"read me once\n")
    os.close(fd)
    os.unlink(fifo)
    try:
        out, _ = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        print(out)
        print("FAIL: cvmm hung: a reboot read the --fw-cfg file again")
        return 1
    os.rmdir(tmp)
    print(out)
    if p.returncode != 0 or "done after 3 resets" not in out:
        print("FAIL: status %d, expected 0 and 'done after 3 resets'" % p.returncode)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
