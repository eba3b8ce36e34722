#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""virtio-blk throughput of cvmm and QEMU with the same guest and image.

usage: run_bench.py --cvmm PATH --guest ELF [--qemu PATH] [--runs N]
                    [--ops N] [--qd N] [--size-mib N] [--timeout S]

The guest is guests/virtio/bench.c, booted as a PVH ELF by both VMMs:
cvmm directly, QEMU as `-M pc` (SeaBIOS assigns the BARs) with
`-device virtio-blk-pci,disable-legacy=on` on the same raw image, both with
the host page cache (cvmm's default; QEMU's cache=writeback default).  The
guest times nothing itself that matters: this script timestamps the
"BENCH begin/end <phase>" lines as they arrive on the serial console.
Runs alternate the two VMMs, and which goes first.  Prints, per phase, the
median 4 KiB requests per second of each VMM and the cvmm/QEMU ratio.
"""
import argparse
import os
import re
import selectors
import statistics
import subprocess
import sys
import tempfile
import time

PHASES = ["seq-read", "seq-write", "rand-read", "rand-write"]


def run_vmm(cmd, timeout):
    """{phase: seconds}, or raise with the last output lines."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    buf, lines, begins, times, errors = b"", [], {}, {}, {}
    while True:
        if time.monotonic() - start > timeout:
            p.kill()
            raise RuntimeError("timed out: " + " | ".join(lines[-5:]))
        if not sel.select(timeout=1):
            if p.poll() is not None:
                break
            continue
        chunk = os.read(p.stdout.fileno(), 4096)
        now = time.monotonic()
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            raw, buf = buf.split(b"\n", 1)
            line = raw.decode(errors="replace").strip()
            lines.append(line)
            m = re.match(r"BENCH begin (\S+)", line)
            if m:
                begins[m.group(1)] = now
            m = re.match(r"BENCH end (\S+) ops=(\d+) tsc=\d+ errors=(\d+)", line)
            if m and m.group(1) in begins:
                times[m.group(1)] = (now - begins[m.group(1)], int(m.group(2)))
                errors[m.group(1)] = int(m.group(3))
    status = p.wait()
    if "BENCH done" not in lines or any(errors.values()):
        raise RuntimeError("exit %d, errors %s: %s" % (status, errors, " | ".join(lines[-5:])))
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--guest", required=True)
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ops", type=int, default=4096)
    ap.add_argument("--qd", type=int, default=32)
    ap.add_argument("--size-mib", type=int, default=256)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--image-dir", default=None)
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="cvmm-bench-blk-", dir=a.image_dir)
    image = os.path.join(tmp, "disk.img")
    with open(image, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(a.size_mib):
            f.write(chunk)
    cmdline = "qd=%d ops=%d" % (a.qd, a.ops)
    cmds = {
        "cvmm": [a.cvmm, "boot", "--pvh", a.guest, "--memory", "size=256M",
                 "--debug-exit", "--blk", "path=" + image, "--cmdline", cmdline],
        "qemu": [a.qemu, "-M", "pc", "-accel", "kvm", "-cpu", "kvm64,-cx16,+xsaveerptr",
                 "-m", "256", "-nodefaults", "-display", "none", "-serial", "stdio",
                 "-no-reboot", "-kernel", a.guest, "-append", cmdline,
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
                 "-drive", "file=%s,if=none,id=d0,format=raw" % image,
                 "-device", "virtio-blk-pci,drive=d0,disable-legacy=on"],
    }
    print("bench/blk: %d runs, %d x 4 KiB requests per phase, queue depth %d, "
          "%d MiB image (page cache)" % (a.runs, a.ops, a.qd, a.size_mib))
    print("  cvmm: " + " ".join(cmds["cvmm"]))
    print("  qemu: " + " ".join(cmds["qemu"]))
    res = {"cvmm": {p: [] for p in PHASES}, "qemu": {p: [] for p in PHASES}}
    for r in range(a.runs):
        order = ["cvmm", "qemu"] if r % 2 == 0 else ["qemu", "cvmm"]
        for vmm in order:
            try:
                t = run_vmm(cmds[vmm], a.timeout)
            except RuntimeError as e:
                print("cvmm: bench/blk: %s run %d failed: %s" % (vmm, r + 1, e), file=sys.stderr)
                return 1
            for p in PHASES:
                secs, ops = t[p]
                res[vmm][p].append(ops / secs)
            print("  run %d %-4s " % (r + 1, vmm) +
                  " ".join("%s=%.0f/s" % (p, res[vmm][p][-1]) for p in PHASES))
    print()
    print("%-11s %12s %12s %12s %12s %8s" % ("phase", "cvmm IOPS", "cvmm MB/s",
                                            "QEMU IOPS", "QEMU MB/s", "ratio"))
    for p in PHASES:
        c = statistics.median(res["cvmm"][p])
        q = statistics.median(res["qemu"][p])
        print("%-11s %12.0f %12.2f %12.0f %12.2f %8.2f" % (
            p, c, c * 4096 / 1e6, q, q * 4096 / 1e6, c / q))
    print("\nratio = cvmm / QEMU, medians of %d runs (>1: cvmm faster)" % a.runs)
    os.unlink(image)
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
