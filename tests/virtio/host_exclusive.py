#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Two users of one disk image or one vsock socket (issue 12, findings 3, 4).

usage: host_exclusive.py CVMM IDLE_GUEST
A first cvmm runs an idle guest with a disk image and a vsock socket; a
second one given the same image, or the same socket, must exit 1 with one
line saying why, and leave the first undisturbed (its socket still there
and accepting).  When the first exits, its socket file goes.  With QEMU
installed, QEMU holding the image keeps cvmm out too.  Skips (77) without
/dev/kvm.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def second(cvmm, args, want):
    p = subprocess.run([cvmm, "boot"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    lines = p.stderr.splitlines()
    if p.returncode != 1 or len(lines) != 1 or not re.match(want, lines[0]):
        return "%s: status %d, stderr %r (wanted /%s/)" % (args, p.returncode, p.stderr, want)
    print("ok:", lines[0])
    return None


def main():
    cvmm, idle = sys.argv[1], sys.argv[2]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return 77
    tmp = tempfile.mkdtemp(prefix="cvmm-excl-")
    img, img2, uds = (os.path.join(tmp, n) for n in ("disk.img", "disk2.img", "v.sock"))
    for path in (img, img2):
        with open(path, "wb") as f:
            f.truncate(1 << 20)
    errors = []
    first = subprocess.Popen([cvmm, "boot", "--kernel", idle, "--blk", "path=" + img,
                              "--vsock", "cid=3,uds=" + uds],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(200):
        if os.path.exists(uds):
            break
        time.sleep(0.05)
    esc = re.escape
    for args, want in (
            (["--blk", "path=" + img], r"^cvmm: %s: the disk image is in use by another "
             r"process \(a cvmm or QEMU\): cannot lock it for writing$" % esc(img)),
            (["--blk", "path=%s,readonly=on" % img], r"^cvmm: %s: another process .* "
             r"writes to this disk image: it cannot be shared read-only$" % esc(img)),
            (["--blk", "path=" + img2, "--vsock", "cid=4,uds=" + uds],
             r"^cvmm: --vsock: uds=%s: another process listens on this socket" % esc(uds))):
        err = second(cvmm, args, want)
        if err:
            errors.append(err)
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect(uds)
    except OSError as e:
        errors.append("the first cvmm's socket: %s" % e)
    s.close()
    first.send_signal(signal.SIGTERM)
    out, _ = first.communicate(timeout=30)
    if first.returncode != 143:
        errors.append("the first cvmm exited with %d: %r" % (first.returncode, out))
    if os.path.exists(uds):
        errors.append("the socket file is still there after exit")

    qemu = shutil.which("qemu-system-x86_64")
    if qemu:
        q = subprocess.Popen([qemu, "-S", "-display", "none", "-nodefaults", "-drive",
                              "file=%s,format=raw,if=virtio" % img],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)
        err = second(cvmm, ["--blk", "path=" + img], r"^cvmm: .*: the disk image is in use")
        if err:
            errors.append("with QEMU: " + err)
        q.kill()
        q.wait()
    else:
        print("(no qemu-system-x86_64: the QEMU case is not checked)")
    shutil.rmtree(tmp)
    for e in errors:
        print("FAIL:", e)
    print("FAIL" if errors else "PASS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
