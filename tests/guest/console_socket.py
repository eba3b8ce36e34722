#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""--console socket,path=P with the echo test guest: one client at a time.

usage: console_socket.py CVMM ECHO_BZIMAGE
Boots the echo guest with its COM1 on a UNIX socket.  The first client
sees the guest's output; a second client is refused with one line saying
why and closed; the first client's typing reaches the guest, which checks
the line (GUEST_DONE(): status 36).  The socket file is gone afterwards.
Skips (77) without /dev/kvm.
"""
import os
import socket
import subprocess
import sys
import tempfile
import time


def connect(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def read_until(s, want, deadline):
    buf = b''
    s.settimeout(0.5)
    while want not in buf and time.monotonic() < deadline:
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            continue
        if not chunk:
            break
        buf += chunk
    return buf


def main():
    cvmm, echo = sys.argv[1], sys.argv[2]
    if not os.access('/dev/kvm', os.R_OK | os.W_OK):
        print('SKIP: /dev/kvm is not available')
        return 77
    d = tempfile.mkdtemp(prefix='cvmm-consock-')
    path = os.path.join(d, 'console.sock')
    p = subprocess.Popen([cvmm, 'boot', '--ucall', '--kernel', echo, '--console',
                          'socket,path=' + path], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    errors = []
    deadline = time.monotonic() + 30
    try:
        first = connect(path, deadline)
        got = read_until(first, b'echo: ready', deadline)
        if b'echo: ready' not in got:
            errors.append('the first client did not see the guest: %r' % got)
        second = connect(path, deadline)
        refusal = read_until(second, b'\n', deadline)
        if b'another client is attached' not in refusal:
            errors.append('the second client was not told why: %r' % refusal)
        second.settimeout(5)
        if second.recv(100) != b'':
            errors.append('the second client was not closed')
        second.close()
        first.sendall(b'hi thereq')
        out, err = p.communicate(timeout=30)
        first.close()
    except Exception as e:
        p.kill()
        out, err = p.communicate()
        errors.append('%s: %s' % (type(e).__name__, e))
    if p.returncode != 36:
        errors.append('exit status %d, expected 36 (GUEST_DONE); stderr %r' %
                      (p.returncode, err.decode(errors='replace')))
    if os.path.exists(path):
        errors.append('the socket file was left behind')
    else:
        os.rmdir(d)
    for e in errors:
        print('FAIL: ' + e)
    if not errors:
        print('one client at a time, the second refused with a message')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
