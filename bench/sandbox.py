#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""What the sandbox costs: cvmm with --seccomp on against --seccomp off.

usage: sandbox.py --build DIR [--runs N] [--ops N] [--qd N] [--size-mib N]

Same binary, same guests, one run, the two settings alternating (and which
goes first) run by run:
- boot: the built-in guest (greets, powers off) and the minimal PVH guest
  (exits at once), wall time from spawning cvmm to its exit -- this
  includes compiling the filters (sandbox_arm()) and the lock;
- blk: the virtio-blk bench guest (guests/virtio/bench.c, as bench/blk.sh)
  on a raw image in the page cache, 4 KiB requests per second per phase:
  every request passes the event loop's filter (preadv/pwritev, the
  irqfd write, epoll_wait), every exit the vCPU's (KVM_RUN, eventfd kicks).
Landlock stays at its default (on) in both: only the filters differ.
Prints medians and the on/off ratio (boot: >1 slower; blk: <1 slower).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "blk"))
from run_bench import PHASES, run_vmm  # noqa: E402

MODES = ["on", "off"]


def timed(cmd):
    t = time.monotonic()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    return time.monotonic() - t, r.returncode, r.stderr


def bench_boot(cvmm, guests, runs):
    cases = [
        ("built-in guest", [cvmm, "boot", "--memory", "size=256M"], (0,)),
        ("minimal PVH guest", [cvmm, "boot", "--memory", "size=256M", "--debug-exit",
                               "--pvh", os.path.join(guests, "exit.elf")], (65,)),
    ]
    print("%-24s %14s %14s %8s" % ("boot (wall)", "on (ms)", "off (ms)", "on/off"))
    for name, cmd, ok in cases:
        t = {m: [] for m in MODES}
        for r in range(runs):
            for m in (MODES if r % 2 == 0 else MODES[::-1]):
                secs, rc, err = timed(cmd + ["--seccomp", m])
                if rc not in ok:
                    sys.exit("cvmm: bench/sandbox: %s --seccomp %s exited %d: %s"
                             % (name, m, rc, err.strip()))
                t[m].append(secs)
        on, off = statistics.median(t["on"]), statistics.median(t["off"])
        print("%-24s %14.1f %14.1f %8.3f" % (name, on * 1e3, off * 1e3, on / off))


def bench_blk(cvmm, guest, a):
    tmp = tempfile.mkdtemp(prefix="cvmm-bench-sandbox-")
    image = os.path.join(tmp, "disk.img")
    with open(image, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(a.size_mib):
            f.write(chunk)
    cmd = [cvmm, "boot", "--pvh", guest, "--memory", "size=256M", "--debug-exit",
           "--blk", "path=" + image, "--cmdline", "qd=%d ops=%d" % (a.qd, a.ops)]
    res = {m: {p: [] for p in PHASES} for m in MODES}
    try:
        for r in range(a.runs):
            for m in (MODES if r % 2 == 0 else MODES[::-1]):
                try:
                    t = run_vmm(cmd + ["--seccomp", m], a.timeout)
                except RuntimeError as e:
                    sys.exit("cvmm: bench/sandbox: blk --seccomp %s run %d failed: %s"
                             % (m, r + 1, e))
                for p in PHASES:
                    secs, ops = t[p]
                    res[m][p].append(ops / secs)
    finally:
        os.unlink(image)
        os.rmdir(tmp)
    print("%-24s %14s %14s %8s" % ("blk (4 KiB, qd %d)" % a.qd, "on (IOPS)", "off (IOPS)",
                                   "on/off"))
    for p in PHASES:
        on, off = statistics.median(res["on"][p]), statistics.median(res["off"][p])
        print("%-24s %14.0f %14.0f %8.3f" % (p, on, off, on / off))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--ops", type=int, default=4096)
    ap.add_argument("--qd", type=int, default=32)
    ap.add_argument("--size-mib", type=int, default=64)
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    cvmm = os.path.join(a.build, "cvmm")
    guests = os.path.join(a.build, "guests")
    for f in (cvmm, os.path.join(guests, "exit.elf"), os.path.join(guests, "virtio-bench.elf")):
        if not os.path.exists(f):
            sys.exit("cvmm: bench/sandbox: %s missing: build first (ninja -C %s)"
                     % (f, a.build))
    print("bench/sandbox: --seccomp on vs off, %d runs each, alternating" % a.runs)
    bench_boot(cvmm, guests, a.runs * 2)
    print()
    bench_blk(cvmm, os.path.join(guests, "virtio-bench.elf"), a)
    print("\nmedians of the runs; on/off: boot >1 = slower with filters, "
          "blk <1 = fewer IOPS with filters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
