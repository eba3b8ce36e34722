#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Landlock refuses a file cvmm was not given at start.

usage: landlock_api.py CVMM IDLE_GUEST

cvmm boots the idle guest with a control API, one read-only disk
(given.img) and --landlock on.  Through the API:

- vm.add-disk of given.img (read-only; readers share the image lock) is
  accepted: Landlock let cvmm read it;
- vm.add-disk of other.img, a file it was not given, in the same
  directory, is refused (500) with "Permission denied": Landlock, not
  the file's mode (root could open it), refused the open;
- the same cvmm with --landlock off accepts other.img: the refusal above
  is Landlock's.

Exits 0, 1 on failure, 77 without /dev/kvm or Landlock.
"""
import ctypes
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

SYS_landlock_create_ruleset = 444


def landlock_abi():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc.syscall(SYS_landlock_create_ruleset, None, ctypes.c_size_t(0), ctypes.c_uint(1))


def request(sock, method, endpoint, body=None):
    data = json.dumps(body).encode() if body is not None else b""
    head = "%s /api/v1/%s HTTP/1.1\r\nHost: x\r\n" % (method, endpoint)
    if body is not None:
        head += "Content-Type: application/json\r\n"
    head += "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(data)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(sock)
    s.sendall(head.encode() + data)
    out = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        out += chunk
    s.close()
    status = int(out.split(b" ", 2)[1])
    return status, out.split(b"\r\n\r\n", 1)[1].decode(errors="replace")


def start(cvmm, guest, tmp, landlock):
    sock = os.path.join(tmp, "api-%s.sock" % landlock)
    p = subprocess.Popen([cvmm, "boot", "--kernel", guest, "--console", "none",
                          "--blk", "path=%s,readonly=on" % os.path.join(tmp, "given.img"),
                          "--api-socket", sock, "--landlock", landlock],
                         stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        if os.path.exists(sock):
            try:
                if request(sock, "GET", "vmm.ping")[0] == 200:
                    return p, sock
            except OSError:
                pass
        if p.poll() is not None:
            break
        time.sleep(0.05)
    p.kill()
    raise RuntimeError("cvmm did not serve its API: " + p.communicate()[1])


def stop(p, sock):
    try:
        request(sock, "PUT", "vmm.shutdown")
    except OSError:
        pass
    try:
        return p.wait(timeout=30), p.stderr.read()
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait(), p.stderr.read()


def main():
    cvmm, guest = sys.argv[1], sys.argv[2]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: no /dev/kvm")
        return 77
    if landlock_abi() < 1:
        print("SKIP: this kernel does not offer Landlock")
        return 77
    errors = []

    def check(what, ok, detail=""):
        print("%-52s %s" % (what, "ok" if ok else "FAIL"))
        if not ok:
            errors.append("%s: %s" % (what, detail))

    with tempfile.TemporaryDirectory(prefix="cvmm-landlock-") as tmp:
        for name in ("given.img", "other.img"):
            with open(os.path.join(tmp, name), "wb") as f:
                f.truncate(1 << 20)
        other = {"path": os.path.join(tmp, "other.img"), "readonly": True}
        p, sock = start(cvmm, guest, tmp, "on")
        st, body = request(sock, "PUT", "vm.add-disk",
                           {"path": os.path.join(tmp, "given.img"), "readonly": True})
        check("--landlock on: a given file is added", st in (200, 204), "%d %s" % (st, body))
        st, body = request(sock, "PUT", "vm.add-disk", other)
        check("--landlock on: a file not given is refused", st == 500 and
              "Permission denied" in body, "%d %s" % (st, body))
        st, err = stop(p, sock)
        check("--landlock on: cvmm ends cleanly", st == 0, "status %d: %s" % (st, err))
        p, sock = start(cvmm, guest, tmp, "off")
        st, body = request(sock, "PUT", "vm.add-disk", other)
        check("--landlock off: the same file is added", st in (200, 204), "%d %s" % (st, body))
        st, err = stop(p, sock)
        check("--landlock off: cvmm ends cleanly", st == 0, "status %d: %s" % (st, err))
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
