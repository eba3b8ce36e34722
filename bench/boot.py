#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Boot benchmark: cvmm against QEMU microvm, side by side, in one run.

(a) the built-in guest (greets, powers off) and (b) a minimal PVH guest that
exits at once, each booted by cvmm and by `qemu-system-x86_64 -M microvm`
from the same image (the PVH ELF of the guest).  Runs alternate between the
two VMMs; the report gives medians, the cvmm/QEMU wall-time ratio, and the
non-guest RSS of each VMM measured the Firecracker way: the RSS of every
mapping that is not guest memory, sampled while an idle guest runs.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time

QEMU = ["qemu-system-x86_64", "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on,acpi=off",
        "-cpu", "kvm64,-cx16,+xsaveerptr", "-enable-kvm", "-nodefaults", "-no-user-config",
        "-nographic", "-serial", "stdio", "-monitor", "none",
        "-device", "isa-debug-exit,iobase=0xf4"]


def timed(cmd):
    t = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t, r.returncode


def non_guest_rss_kib(pid, guest_sizes):
    """Sum Rss of mappings whose size is not one of the guest RAM sizes."""
    total = 0
    size = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) ", line)
            if m:
                size = int(m.group(2), 16) - int(m.group(1), 16)
                continue
            if line.startswith("Rss:") and size not in guest_sizes:
                total += int(line.split()[1])
    return total


def idle_rss(who, cmd, guest_sizes, settle=1.5):
    """The non-guest RSS of @cmd running an idle guest; exits when the VMM
    is not running after @settle seconds or has no RSS to show (a VMM that
    died would otherwise count as using nothing)."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    time.sleep(settle)
    try:
        if p.poll() is not None:
            err = p.stderr.read().decode(errors="replace").strip()
            sys.exit("cvmm: bench: %s exited with status %d before its RSS could be measured%s"
                     % (who, p.returncode, (": " + err.splitlines()[-1]) if err else ""))
        rss = non_guest_rss_kib(p.pid, guest_sizes)
        if rss <= 0:
            sys.exit("cvmm: bench: %s: no RSS measured (pid %d)" % (who, p.pid))
        return rss
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--memory", default="512M")
    a = ap.parse_args()
    cvmm = os.path.join(a.build, "cvmm")
    guests = os.path.join(a.build, "guests")
    mem_mib = int(a.memory.rstrip("M"))
    for tool in (cvmm, os.path.join(guests, "exit.elf")):
        if not os.path.exists(tool):
            sys.exit("cvmm: bench: %s missing: build first (ninja -C build)" % tool)
    if subprocess.run(["which", "qemu-system-x86_64"], stdout=subprocess.DEVNULL).returncode:
        sys.exit("cvmm: bench: qemu-system-x86_64 not installed (apt install qemu-system-x86)")

    # name, cvmm command and its expected status, QEMU command (status 65:
    # its guests leave through isa-debug-exit, the built-in one after ACPI
    # power-off did nothing on microvm without ACPI)
    cases = [
        ("built-in guest", [cvmm, "boot", "--memory", "size=" + a.memory], 0,
         QEMU + ["-m", a.memory, "-kernel", os.path.join(guests, "builtin.elf")]),
        ("minimal PVH guest (exits at once)",
         [cvmm, "boot", "--memory", "size=" + a.memory, "--debug-exit",
          "--pvh", os.path.join(guests, "exit.elf")], 65,
         QEMU + ["-m", a.memory, "-kernel", os.path.join(guests, "exit.elf")]),
    ]
    print("cvmm boot benchmark: %d runs per VMM and case, alternating, %s of guest RAM"
          % (a.runs, a.memory))
    print("%-36s %12s %12s %8s" % ("case", "cvmm (ms)", "QEMU (ms)", "ratio"))
    for name, c, want, q in cases:
        tc, tq = [], []
        for _ in range(a.runs):
            t, rc = timed(c)
            if rc != want:
                sys.exit("cvmm: bench: %s: cvmm exited %d, expected %d" % (name, rc, want))
            tc.append(t)
            t, rc = timed(q)
            if rc != 65:
                sys.exit("cvmm: bench: %s: QEMU exited %d" % (name, rc))
            tq.append(t)
        mc, mq = statistics.median(tc), statistics.median(tq)
        print("%-36s %12.1f %12.1f %8.3f" % (name, mc * 1e3, mq * 1e3, mc / mq))

    guest = mem_mib << 20
    rss_c = idle_rss("cvmm", [cvmm, "boot", "--memory", "size=" + a.memory, "--console", "none",
                      "--kernel", os.path.join(guests, "idle.bzImage")], {guest})
    rss_q = idle_rss("QEMU", QEMU + ["-m", a.memory, "-kernel", os.path.join(guests, "idle.elf")],
                     {guest, guest + (2 << 20)})
    print("non-guest RSS with an idle guest: cvmm %d KiB, QEMU %d KiB, ratio %.3f"
          % (rss_c, rss_q, rss_c / rss_q))


if __name__ == "__main__":
    main()
