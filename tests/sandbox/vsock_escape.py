#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A guest reaches for a socket outside the vsock directory: refused.

usage: vsock_escape.py CVMM DEVTEST_GUEST

The vsock socket is ALLOWED/v.sock; guest connections to port P go to
ALLOWED/v.sock_P.  ALLOWED/v.sock_5000 is a symbolic link to
OUTSIDE/real.sock, where a listener answers the devtest guest's
"ping from guest".  The guest asks for port 5000:

- unconfined (--landlock off) the connection goes through the link and
  the guest passes: the trap works;
- confined it is refused (the guest gets RST; its check fails, exit 67)
  and the listener outside sees no connection.  Confined means: by
  Landlock (the default) when the kernel restricts connect() to pathname
  UNIX sockets (LANDLOCK_ACCESS_FS_RESOLVE_UNIX, Landlock ABI 9); and by
  `cvmm boot --jail` when run as root, on any kernel.

Exits 0, 1 on failure, 77 when neither confinement can be tried.
"""
import ctypes
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading

PASS, FAIL = 65, 67
SYS_landlock_create_ruleset = 444
RESOLVE_UNIX = 1 << 16


def landlock_resolves_unix():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    abi = libc.syscall(SYS_landlock_create_ruleset, None, ctypes.c_size_t(0), ctypes.c_uint(1))
    if abi < 9:
        return False
    attr = ctypes.c_uint64(RESOLVE_UNIX)
    fd = libc.syscall(SYS_landlock_create_ruleset, ctypes.byref(attr), ctypes.c_size_t(8),
                      ctypes.c_uint(0))
    if fd < 0:
        return False
    os.close(fd)
    return True


class Host:
    """The listener outside, and the host side of the guest's port 6000."""

    def __init__(self, tmp):
        self.allowed = os.path.join(tmp, "allowed")
        outside = os.path.join(tmp, "outside")
        for d in (self.allowed, outside):
            os.mkdir(d)
            os.chmod(d, 0o777)
        self.uds = os.path.join(self.allowed, "v.sock")
        real = os.path.join(outside, "real.sock")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(real)
        os.chmod(real, 0o777)
        self.listener.listen(4)
        os.symlink(real, self.uds + "_5000")
        self.reached = 0
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                c, _ = self.listener.accept()
            except OSError:
                return
            self.reached += 1
            c.settimeout(10)
            try:
                if c.recv(100) == b"ping from guest":
                    c.sendall(b"pong from host")
                c.recv(100)
            except OSError:
                pass
            c.close()

    def connect_6000(self):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(20)
            s.connect(self.uds)
            s.sendall(b"CONNECT 6000\n")
            line = b""
            while not line.endswith(b"\n"):
                b = s.recv(1)
                if not b:
                    return
                line += b
            s.sendall(b"hello guest")
            s.recv(100)
            s.close()
        except OSError:
            pass


def run(cvmm, guest, pre, extra):
    with tempfile.TemporaryDirectory(prefix="cvmm-escape-") as tmp:
        os.chmod(tmp, 0o755)
        host = Host(tmp)
        args = pre + ["boot", "--kernel", guest, "--debug-exit", "--memory", "size=256M",
                      "--vsock", "cid=3,uds=%s" % host.uds, "--cmdline", "cid=3"] + extra
        p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
        out = ""
        for line in p.stdout:
            out += line
            if "vsock: listening on port 6000" in line:
                threading.Thread(target=host.connect_6000, daemon=True).start()
        status = p.wait(timeout=60)
        host.listener.close()
        return status, out, host.reached


def main():
    cvmm, guest = sys.argv[1], sys.argv[2]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: no /dev/kvm")
        return 77
    errors = []
    status, out, reached = run(cvmm, guest, [cvmm], ["--landlock", "off"])
    print("unconfined: status %d, the outside listener reached %d time(s)" % (status, reached))
    if status != PASS or not reached:
        errors.append("unconfined, the guest should reach the outside socket:\n" + out)
    confined = []
    if landlock_resolves_unix():
        confined.append(("Landlock", [cvmm], []))
    else:
        print("note: this kernel's Landlock does not restrict connect() to pathname "
              "UNIX sockets (ABI < 9): only the jail can refuse it here")
    if os.geteuid() == 0:
        confined.append(("--jail", [cvmm], ["--jail"]))
    if not confined:
        print("SKIP: no Landlock ABI 9 and not root (--jail)")
        return 77
    for name, pre, extra in confined:
        status, out, reached = run(cvmm, guest, pre, extra)
        refused = re.search(r"^FAIL .*connect to 5000: op 3$", out, re.M)
        print("%s: status %d, the outside listener reached %d time(s)%s" %
              (name, status, reached, ", refused (RST)" if refused else ""))
        if status != FAIL or reached or not refused:
            errors.append("%s should refuse the connection:\n%s" % (name, out))
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
