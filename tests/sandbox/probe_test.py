#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Each thread type's filter inside a real cvmm (Firecracker's pattern).

usage: probe_test.py CVMM_PROBE IDLE_GUEST

cvmm-probe is cvmm with the sandbox's test hook (tests/sandbox/probe.c):
CVMM_SANDBOX_PROBE=TYPE:ACTION runs ACTION in the first thread of TYPE
right after its filter is loaded.  The VM has a control API (so every
row of every table applies), a virtio-rng (an event loop) and the idle
guest (the vCPU stays in the guest).  For main, vcpu, evloop and api:

- every system call its filter allows, with the row's argument values,
  returns (status 0 and the probe's line);
- a call the type lacks ends cvmm with status 38 and one line naming the
  thread and the call;
- an allowed call with a forbidden argument (an ioctl request, a
  protection, a socket family) does the same;
- with --seccomp log the refused call goes through; with --seccomp off
  there is no filter to probe;
- with glibc's mmap threshold under the sandbox's warm-up blocks
  (GLIBC_TUNABLES=glibc.malloc.mmap_threshold=65536), a thread's arena
  trims under its filter: glibc read the overcommit mode in the warm-up.

Exits 0, 1 on failure, 77 without /dev/kvm.
"""
import os
import re
import subprocess
import sys
import tempfile

SANDBOX_STATUS = 38

# type, its thread's name, a call it lacks, a forbidden argument
TYPES = [
    ("main", "main", "ptrace:0:0:0", r"ptrace \(101\)",
     "mmap:0:4096:5:0x22:-1:0", r"mmap \(9\) with 0x0, 0x1000, 0x5"),
    ("vcpu", "vcpu0", "openat:-100:0:0", r"openat \(257\)",
     "ioctl:-1:0xae01", r"ioctl \(16\) with 0xffffffffffffffff, 0xae01"),
    ("evloop", "virtio-rng", "openat:-100:0:0", r"openat \(257\)",
     "ioctl:-1:0xae80", r"ioctl \(16\) with 0xffffffffffffffff, 0xae80"),
    ("api", "api", "openat:-100:0:0", r"openat \(257\)",
     "socket:2:1:0", r"socket \(41\) with 0x2, 0x1"),
]


def run(cvmm, guest, tmp, probe, extra=(), timeout=60, tunables=None):
    env = dict(os.environ, CVMM_SANDBOX_PROBE=probe)
    if tunables:
        env["GLIBC_TUNABLES"] = tunables
    sock = os.path.join(tmp, "api.sock")
    # --seccomp on said, not assumed: a sanitizer build defaults to log
    args = [cvmm, "boot", "--kernel", guest, "--entropy", "--console", "none",
            "--api-socket", sock] + (list(extra) or ["--seccomp", "on"])
    p = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def check(errors, what, status, out, want_status, pattern):
    ok = status == want_status and re.search(pattern, out, re.M)
    print("%-40s %s" % (what, "ok" if ok else "FAIL"))
    if not ok:
        errors.append("%s: status %d (want %d), output:\n%s" % (what, status, want_status,
                                                               out.strip()))


def main():
    cvmm, guest = sys.argv[1], sys.argv[2]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: no /dev/kvm")
        return 77
    with open(cvmm, "rb") as f:
        if b"__asan_init" in f.read():
            # ASan's and UBSan's runtimes make calls no table lists (thread
            # start, exit): such a build defaults to --seccomp log
            print("SKIP: a sanitizer build")
            return 77
    errors = []
    with tempfile.TemporaryDirectory(prefix="cvmm-probe-") as tmp:
        for typ, thread, lacks, lacks_re, badarg, badarg_re in TYPES:
            st, out = run(cvmm, guest, tmp, typ + ":allowed")
            check(errors, typ + ": every allowed call", st, out, 0,
                  r"^cvmm: sandbox probe: %s: [1-9][0-9]* allowed system calls made, "
                  r"none refused$" % typ)
            line = r"^cvmm: sandbox: thread %s made a system call its seccomp filter " \
                   r"forbids: " % re.escape(thread)
            st, out = run(cvmm, guest, tmp, typ + ":call:" + lacks)
            check(errors, typ + ": a call it lacks", st, out, SANDBOX_STATUS,
                  line + lacks_re)
            st, out = run(cvmm, guest, tmp, typ + ":call:" + badarg)
            check(errors, typ + ": a forbidden argument", st, out, SANDBOX_STATUS,
                  line + badarg_re)
        for typ in ("vcpu", "api"):
            st, out = run(cvmm, guest, tmp, typ + ":trim",
                          tunables="glibc.malloc.mmap_threshold=65536")
            check(errors, typ + ": a trim, 64 KiB mmap threshold", st, out, 0,
                  r"^cvmm: sandbox probe: %s: its arena trimmed under its filter$" % typ)
        st, out = run(cvmm, guest, tmp, "vcpu:call:openat:-100:0:0", ["--seccomp", "log"])
        check(errors, "--seccomp log: the call goes through", st, out, 0,
              r"^cvmm: sandbox probe: openat:-100:0:0 returned -1 \(errno 14\)$")
        # no filter, no probe: the idle guest runs until it is stopped
        env = dict(os.environ, CVMM_SANDBOX_PROBE="vcpu:call:openat:-100:0:0")
        p = subprocess.Popen([cvmm, "boot", "--kernel", guest, "--console", "none",
                              "--seccomp", "off"], env=env, stderr=subprocess.PIPE,
                             text=True)
        try:
            p.wait(timeout=2)
        except subprocess.TimeoutExpired:
            p.terminate()
        st, out = p.wait(), p.stderr.read()
        check(errors, "--seccomp off: no filter", st, out, 143, r"\A(?![\s\S]*sandbox)")
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
