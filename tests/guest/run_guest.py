#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run cvmm with a test guest and check what it did.

usage: run_guest.py CVMM [--ucall] [--status N] [--expect REGEX]... [--reject REGEX]...
                    [--count REGEX=N]... [--timeout S] [--signal SIG@SECONDS]
                    [--stdin TEXT@SECONDS] [--tty] [--check-e820] -- cvmm-args...

The guest's console (stdout) and cvmm's messages (stderr) are captured
together; every --expect must match (in order of appearance), no --reject
may match, and the exit status must be --status.  Exits 77 (skip) when
/dev/kvm is missing, with one line saying so.

--signal SIG@SECONDS: cvmm must still be running when the signal is sent
(a cvmm that ended before it proves nothing about signals).
--tty: stdin is a terminal (a pty); cvmm must have put it in raw mode by
the time of --signal (or of its exit) and must leave it as it found it.

--ucall: a test guest that checks itself (guests/lib/ucall.h): cvmm runs
with --ucall, and the verdict is the guest's: GUEST_DONE() ends cvmm with
status 36 (the default --status then), a failed GUEST_ASSERT() with 35
and "cvmm: guest assertion failed at FILE:LINE: WHAT", which is printed
as the reason.
"""
import argparse
import os
import pty
import re
import signal
import subprocess
import sys
import termios
import threading
import time


UCALL_PASSED = 36      # cvmm --ucall: GUEST_DONE()
UCALL_FAILED = 35      # a failed GUEST_ASSERT() (the guest reported a fatal error)


def ucall_verdict(text, status, want):
    """Say what the guest decided; False when it failed an assertion."""
    m = re.search(r"^cvmm: guest assertion failed at (\S+:\d+): (.*)$", text, re.M)
    if m:
        print("FAIL: the guest's assertion at %s: %s" % (m.group(1), m.group(2)))
        return False
    if status == UCALL_PASSED:
        print("guest: GUEST_DONE()")
    elif status == UCALL_FAILED:
        m = re.search(r"^cvmm: (the guest's ucall .*)$", text, re.M)
        print("FAIL: %s" % (m.group(1) if m else "the guest reported a fatal error"))
        return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cvmm")
    ap.add_argument("--status", type=int, default=None)
    ap.add_argument("--ucall", action="store_true",
                    help="the guest's GUEST_ASSERT()/GUEST_DONE() decide (cvmm --ucall)")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--reject", action="append", default=[])
    ap.add_argument("--count", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--signal")
    ap.add_argument("--stdin", help="TEXT@SECONDS typed on a terminal")
    ap.add_argument("--pipe-stdin", help="TEXT@SECONDS written into a pipe; TEXT may be "
                    "PATTERN:N:END, N bytes 'A' + i %% 26 and then END")
    ap.add_argument("--tty", action="store_true",
                    help="stdin on a pty: raw while cvmm runs, restored after")
    ap.add_argument("--file-expect", action="append", default=[],
                    help="PATH=REGEX: after the run, PATH must exist and match REGEX")
    ap.add_argument("--check-e820", action="store_true",
                    help="compare cvmm -v e820 lines with the guest's bootinfo lines")
    ap.add_argument("--no-kvm-ok", action="store_true",
                    help="run even without /dev/kvm (error-path tests)")
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()

    if not a.no_kvm_ok and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77

    if a.status is None:
        a.status = UCALL_PASSED if a.ucall else 0
    cmd = [a.cvmm] + a.args
    if a.ucall:
        cmd.insert(2, "--ucall")        # after the subcommand
    print("running:", " ".join(cmd))
    start = time.monotonic()
    # a terminal (--stdin: raw mode, escapes; --tty) or a pipe (--pipe-stdin)
    master = slave = None
    tty = {}
    if a.stdin or a.tty:
        master, slave = pty.openpty()
        tty["before"] = termios.tcgetattr(slave)
    elif a.pipe_stdin:
        slave, master = os.pipe()
    p = subprocess.Popen(cmd, stdin=slave if slave is not None else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if slave is not None and not a.tty:
        os.close(slave)
    signalled = []
    if a.signal:
        sig, at = a.signal.split("@")

        def send():
            if p.poll() is not None:
                return
            if a.tty:
                tty["during"] = termios.tcgetattr(slave)
            p.send_signal(getattr(signal, sig))
            signalled.append(True)
        threading.Timer(float(at), send).start()
    if a.stdin or a.pipe_stdin:
        text, at = (a.stdin or a.pipe_stdin).rsplit("@", 1)
        data = text.encode()
        if text.startswith("PATTERN:"):
            _, n, end = text.split(":", 2)
            data = bytes(65 + i % 26 for i in range(int(n))) + end.encode()

        def feed():
            time.sleep(float(at))
            left = data
            try:
                while left:             # all of it at once: a paste
                    left = left[os.write(master, left):]
            except OSError:
                pass
        threading.Thread(target=feed, daemon=True).start()
    try:
        out, _ = p.communicate(timeout=a.timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, _ = p.communicate()
        sys.stdout.write(out.decode(errors="replace")[-3000:])
        print("FAIL: timed out after %.0f s" % a.timeout)
        return 1
    text = out.decode(errors="replace").replace("\r\n", "\n")
    elapsed = time.monotonic() - start
    sys.stdout.write(text)
    print("--- exit status %d after %.2f s" % (p.returncode, elapsed))

    ok = True
    if a.signal and not signalled:
        print("FAIL: cvmm ended before %s was sent" % a.signal)
        ok = False
    if a.tty:
        tty["after"] = termios.tcgetattr(slave)
        os.close(slave)
        if "during" in tty and tty["during"][3] & (termios.ICANON | termios.ECHO):
            print("FAIL: the terminal was not in raw mode while cvmm ran")
            ok = False
        if tty["after"] != tty["before"]:
            print("FAIL: the terminal was left changed: %r, was %r" %
                  (tty["after"], tty["before"]))
            ok = False
    if a.ucall:
        ok = ucall_verdict(text, p.returncode, a.status)
    if p.returncode != a.status:
        print("FAIL: exit status %d, expected %d" % (p.returncode, a.status))
        ok = False
    pos = 0
    for rx in a.expect:
        m = re.compile(rx, re.M).search(text, pos)
        if not m:
            print("FAIL: expected /%s/ (after offset %d)" % (rx, pos))
            ok = False
        else:
            pos = m.end()
    for rx in a.reject:
        if re.search(rx, text, re.M):
            print("FAIL: unexpected /%s/" % rx)
            ok = False
    for spec in a.count:
        rx, n = spec.rsplit("=", 1)
        got = len(re.findall(rx, text, re.M))
        if got != int(n):
            print("FAIL: /%s/ matched %d times, expected %s" % (rx, got, n))
            ok = False
    for spec in a.file_expect:
        path, rx = spec.split("=", 1)
        try:
            with open(path, errors="replace") as f:
                content = f.read()
        except OSError as e:
            print("FAIL: %s: %s" % (path, e))
            ok = False
            continue
        if not re.search(rx, content, re.M):
            print("FAIL: %s does not match /%s/; it holds %r" % (path, rx, content[:200]))
            ok = False
    if a.check_e820:
        vmm = re.findall(r"^cvmm: e820: \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\S.*)$", text, re.M)
        guest = re.findall(r"^bootinfo: e820 \[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\] (\d+)$", text, re.M)
        names = {"usable": "1", "reserved": "2", "ACPI data": "3", "ACPI NVS": "4"}
        vmm = [(s, e, names.get(t, t)) for s, e, t in vmm]
        if not vmm or vmm != guest:
            print("FAIL: e820 seen by the guest %s differs from cvmm's %s" % (guest, vmm))
            ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
