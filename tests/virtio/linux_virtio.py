#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Boot the test Linux guest under cvmm with virtio devices and check them.

usage: linux_virtio.py --cvmm PATH [--timeout S] [--log FILE]
                       [--kernel-env FILE] [--initramfs-dir DIR]

The kernel comes from scripts/build-test-kernel.sh (cached); its /init is
guests/linux-virtio/init.c in an initramfs built by
guests/linux-virtio/build-initramfs.sh with the kernel tree's gen_init_cpio.
cvmm gets a disk image with known contents, virtio-rng, virtio-vsock and
the virtio console (the guest's console=hvc0); this script plays the host:
a listener on <uds>_5000 answering "pong", and a client connecting through
<uds> with "CONNECT 6000" once the guest listens.

Asserted: every line of the guest's report (see init.c), exit status 3
(the guest's debug-exit write of 1), the image afterwards (sectors 8..15
rewritten, everything else unchanged), the serial number (GET_ID) naming
the image's device and inode.  Exits 77 (skip) without /dev/kvm or when
the test kernel cannot be built, with the reason.
"""
import argparse
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CMDLINE = ("console=hvc0 panic=-1 tsc=reliable noxsave no_int3_selftest "
           "clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off "
           "initramfs_async=0 pvm_syscall_fixup nosmp")
SECTORS = 2048
EXPECT = ["VIRTIO-INIT start", "DISK size=%d serial=" % (SECTORS * 512), "DISK ok",
          "RNG ok", "VSOCK connect ok", "VSOCK listening on 6000", "VSOCK accept ok",
          "VIRTIO-INIT PASS"]


def pattern(s, j):
    return ((s * 31) ^ j ^ (j >> 8) ^ (s >> 8)) & 0xff


def pattern_b(s, j):
    return (s * 17 + j * 3 + 0x5a) & 0xff


def kernel_env(path):
    if path:
        text = open(path).read()
    else:
        res = subprocess.run([os.path.join(SRC, "scripts", "build-test-kernel.sh"), "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if res.returncode:
            last = (res.stderr.strip().splitlines() or ["no message"])[-1]
            return None, "the test kernel cannot be built: " + last
        text = res.stdout
    env = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    if not os.path.isfile(env.get("CVMM_VMLINUX", "")):
        return None, "the kernel build gave no vmlinux"
    return env, None


class Host:
    def __init__(self, uds):
        self.uds = uds
        self.errors = []
        self.done = set()
        self.l = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.l.bind(uds + "_5000")
        self.l.listen(1)
        threading.Thread(target=self.port_5000, daemon=True).start()

    def port_5000(self):
        try:
            self.l.settimeout(900)
            c, _ = self.l.accept()
            c.settimeout(120)
            data = c.recv(16)
            if data != b"ping":
                self.errors.append("port 5000 got %r" % data)
            c.sendall(b"pong")
            if c.recv(16):
                self.errors.append("port 5000: data after pong")
            c.close()
            self.done.add(5000)
        except OSError as e:
            self.errors.append("port 5000: %s" % e)

    def connect_6000(self):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(120)
            s.connect(self.uds)
            s.sendall(b"CONNECT 6000\n")
            line = b""
            while not line.endswith(b"\n"):
                b = s.recv(1)
                if not b:
                    break
                line += b
            if not re.match(rb"OK \d+\n$", line):
                self.errors.append("CONNECT 6000 answered %r" % line)
                return
            s.sendall(b"hello linux")
            data = b""
            while len(data) < 10:
                b = s.recv(16)
                if not b:
                    break
                data += b
            if data != b"hello host":
                self.errors.append("guest port 6000 sent %r" % data)
            s.close()
            self.done.add(6000)
        except OSError as e:
            self.errors.append("CONNECT 6000: %s" % e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--log")
    ap.add_argument("--kernel-env")
    ap.add_argument("--initramfs-dir")
    a = ap.parse_args()

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return SKIP
    env, why = kernel_env(a.kernel_env)
    if not env:
        print("SKIP: %s" % why)
        return SKIP
    tmp = tempfile.mkdtemp(prefix="cvmm-linux-virtio-")
    cpio = os.path.join(a.initramfs_dir or tmp, "virtio-initramfs.cpio")
    gen = os.path.join(os.path.dirname(env["CVMM_VMLINUX"]), "gen_init_cpio")
    res = subprocess.run([os.path.join(SRC, "guests", "linux-virtio", "build-initramfs.sh"),
                          gen, cpio])
    if res.returncode:
        print("FAIL: cannot build the initramfs")
        return 1
    disk = os.path.join(tmp, "disk.img")
    with open(disk, "wb") as f:
        for s in range(SECTORS):
            f.write(bytes(pattern(s, j) for j in range(512)))
    host = Host(os.path.join(tmp, "v.sock"))
    cmd = [a.cvmm, "boot", "--pvh", env["CVMM_VMLINUX"], "--initramfs", cpio,
           "--memory", "size=256M", "--debug-exit", "--console", "virtio",
           "--blk", "path=" + disk, "--entropy", "--vsock", "cid=3,uds=" + host.uds,
           "--cmdline", CMDLINE]
    logf = open(a.log, "w") if a.log else None
    print("running:", " ".join(cmd))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ, "")
    sel.register(p.stderr, selectors.EVENT_READ, "[vmm] ")
    lines, bufs, open_streams = [], {p.stdout: b"", p.stderr: b""}, 2
    connected = False
    while open_streams:
        if time.monotonic() - start > a.timeout:
            p.kill()
            print("\n".join(lines[-30:]))
            print("FAIL: timed out after %.0f s" % a.timeout)
            return 1
        for key, _ in sel.select(timeout=1):
            chunk = os.read(key.fileobj.fileno(), 4096)
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            bufs[key.fileobj] += chunk
            while b"\n" in bufs[key.fileobj]:
                raw, bufs[key.fileobj] = bufs[key.fileobj].split(b"\n", 1)
                line = key.data + raw.decode(errors="replace").rstrip("\r")
                lines.append(line)
                stamp = "[%7.2f] %s" % (time.monotonic() - start, line)
                if logf:
                    logf.write(stamp + "\n")
                    logf.flush()
                if line.startswith("VIRTIO-INIT") or line.startswith("[vmm]"):
                    print(stamp, flush=True)
                if "VSOCK listening on 6000" in line and not connected:
                    connected = True
                    threading.Thread(target=host.connect_6000, daemon=True).start()
    status = p.wait()
    elapsed = time.monotonic() - start
    errors = list(host.errors)
    text = "\n".join(lines)
    for want in EXPECT:
        if want not in text:
            errors.append("missing '%s'" % want)
    if status != 3:
        errors.append("cvmm exited with %d, expected 3" % status)
    for port in (5000, 6000):
        if port not in host.done:
            errors.append("the vsock exchange on port %d did not finish" % port)
    st = os.stat(disk)
    m = re.search(r"DISK size=\d+ serial=(\S*)", text)
    want = ("%x:%x" % (st.st_dev, st.st_ino))[:20]
    if not m or m.group(1) != want:
        errors.append("serial %r, expected %r" % (m.group(1) if m else None, want))
    data = open(disk, "rb").read()
    for s in range(SECTORS):
        fn = pattern_b if 8 <= s < 16 else pattern
        if data[s * 512:(s + 1) * 512] != bytes(fn(s, j) for j in range(512)):
            errors.append("image sector %d has unexpected contents" % s)
            break
    if errors:
        print("\n".join(lines[-30:]))
        for e in errors:
            print("FAIL:", e)
        return 1
    init_at = next((l for l in lines if "VIRTIO-INIT start" in l), "")
    print("linux-virtio: PASS in %.1f s (log: %s)" % (elapsed, a.log or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
