#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Line coverage of src/devices/{virtio,pci} reached by the fuzz corpora.

usage: fuzz/coverage.py BUILD-COV [--corpus-root DIR]
BUILD-COV is a build directory configured with -Db_coverage=true
(`meson setup build-cov -Db_coverage=true`).  Builds the virtio and PCI
fuzz replayers there, clears the counters, replays each target's corpus
(fuzz/corpus/<target>, or DIR/<target>), and prints gcov's executed-lines
figure per source file and in all (docs/testing.md).
"""
import argparse
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = ["virtq", "virtio_blk", "virtio_net", "virtio_vsock", "virtio_console",
           "virtio_rng", "virtio_pci"]
OBJ = "src/devices/libcvmm_devices.a.p"
SOURCES = {  # object stem -> source
    "virtio_virtqueue": "src/devices/virtio/virtqueue.c",
    "virtio_virtio_pci": "src/devices/virtio/virtio_pci.c",
    "virtio_blk": "src/devices/virtio/blk.c",
    "virtio_net": "src/devices/virtio/net.c",
    "virtio_vsock": "src/devices/virtio/vsock.c",
    "virtio_vsock_rx": "src/devices/virtio/vsock_rx.c",
    "virtio_vsock_pkt": "src/devices/virtio/vsock_pkt.c",
    "virtio_console": "src/devices/virtio/console.c",
    "virtio_rng": "src/devices/virtio/rng.c",
    "pci_msix": "src/devices/pci/msix.c",
    "pci_pci_dev": "src/devices/pci/pci_dev.c",
    "pci_pci_host": "src/devices/pci/pci_host.c",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--corpus-root", default=os.path.join(ROOT, "fuzz", "corpus"))
    a = ap.parse_args()
    b = os.path.abspath(a.build)
    subprocess.run(["ninja", "-C", b] + ["fuzz/fuzz_" + t for t in TARGETS], check=True,
                   stdout=subprocess.DEVNULL)
    for f in glob.glob(os.path.join(b, "**", "*.gcda"), recursive=True):
        os.unlink(f)
    for t in TARGETS:
        subprocess.run([os.path.join(b, "fuzz", "fuzz_" + t),
                        os.path.join(a.corpus_root, t)], check=True, stdout=subprocess.DEVNULL)
    total = hit = 0
    print("%-36s %8s %8s" % ("file", "lines", "run"))
    for stem, src in SOURCES.items():
        gcno = os.path.join(b, OBJ, stem + ".c.gcno")
        p = subprocess.run(["gcov", "-n", "-o", gcno, os.path.join(ROOT, src)], cwd=b,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        m = None
        for block in p.stdout.split("\n\n"):
            if "File '%s'" % os.path.join(ROOT, src) in block or src in block:
                m = re.search(r"Lines executed:([\d.]+)% of (\d+)", block)
                if m:
                    break
        if not m:
            print("%-36s %8s %8s" % (src, "?", "?"))
            continue
        n, pct = int(m.group(2)), float(m.group(1))
        total += n
        hit += round(n * pct / 100)
        print("%-36s %8d %7.1f%%" % (src, n, pct))
    print("%-36s %8d %7.1f%%" % ("all", total, 100.0 * hit / total if total else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
