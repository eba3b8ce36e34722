#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`cvmm boot | head`: a closed stdout must not kill cvmm (issue 12, finding 6).

usage: sigpipe.py CVMM
Boots the built-in guest with stdin on a terminal (a pty, which cvmm puts
in raw mode) and stdout a pipe whose reader is already gone.  cvmm must
run the guest to its power-off (status 0) instead of dying of SIGPIPE,
and leave the terminal as it found it.  Also `cvmm --help | ...` and
`cvmm boot --help` on a closed pipe end without a signal.  Skips (77)
without /dev/kvm.
"""
import os
import pty
import subprocess
import sys
import termios


def run_closed_stdout(cmd, stdin):
    r, w = os.pipe()
    os.close(r)		# the reader is gone before anything is written
    p = subprocess.Popen(cmd, stdin=stdin, stdout=w, stderr=subprocess.PIPE)
    os.close(w)
    _, err = p.communicate(timeout=60)
    return p.returncode, err.decode(errors="replace")


def main():
    cvmm = sys.argv[1]
    errors = []
    for cmd, want in (([cvmm, "--help"], 0), ([cvmm, "boot", "--help"], 0)):
        status, err = run_closed_stdout(cmd, subprocess.DEVNULL)
        if status != want:
            errors.append("%s: status %d, expected %d (stderr %r)" % (cmd, status, want, err))
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    master, slave = pty.openpty()
    before = termios.tcgetattr(slave)
    status, err = run_closed_stdout([cvmm, "boot"], slave)
    after = termios.tcgetattr(slave)
    os.close(slave)
    os.close(master)
    if status != 0:
        errors.append("cvmm boot with a closed stdout: status %d, expected 0 (stderr %r)"
                      % (status, err))
    if after != before:
        errors.append("the terminal was left changed: %r, was %r" % (after, before))
    for e in errors:
        print("FAIL:", e)
    print("FAIL" if errors else "PASS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
