#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Run a virtio test guest under the real cvmm and play the host side.

usage: run_virtio.py CVMM GUEST [--mode devtest|console|hostile]
                     [--intx] [--net] [--direct] [--timeout S] [-- extra cvmm args]

devtest: two disk images with known contents (a writable one of 2048
  sectors and a read-only one of 64), virtio-rng, virtio-vsock (a host
  listener on <uds>_5000 that answers "pong from host"; once the guest
  listens on port 6000 a host client connects through <uds> with
  "CONNECT 6000"), and with --net a tap device whose far end this script
  drives with AF_PACKET (skipped with a note when the host does not allow
  it).  Afterwards the writable image must hold exactly what the guest
  wrote, and the guest's GET_ID must name the image's device and inode.
console: --console virtio; the guest's output must arrive on stdout and the
  line typed on the terminal must reach the guest.
hostile: the hostile guest against every device; cvmm must keep running
  and end with the guest's verdict.

Exits 0 on success, 1 on failure, 77 (skip) without /dev/kvm.
"""
import argparse
import fcntl
import os
import pty
import re
import select
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

SKIP = 77
PASS_STATUS = 65        # the guest wrote 0x20 to the debug-exit port
SECTORS = 2048
RO_SECTORS = 64
MAC = "52:54:00:12:34:56"
ETH_TYPE = 0x88b5


def pattern(s, j):
    return ((s * 31) ^ j ^ (j >> 8) ^ (s >> 8)) & 0xff


def pattern_b(s, j):
    return (s * 17 + j * 3 + 0x5a) & 0xff


def sector(fn, s):
    return bytes(fn(s, j) for j in range(512))


def make_image(path, n):
    with open(path, "wb") as f:
        for s in range(n):
            f.write(sector(pattern, s))


def check_image(path, errors):
    data = open(path, "rb").read()
    if len(data) != SECTORS * 512:
        errors.append("image size changed: %d" % len(data))
        return
    for s in range(SECTORS):
        got = data[s * 512:(s + 1) * 512]
        if 8 <= s < 16:
            want = [sector(pattern_b, s)]
        elif 16 <= s < 24:          # discarded: old data or zeros
            want = [sector(pattern, s), bytes(512)]
        elif 24 <= s < 32:
            want = [bytes(512)]
        else:
            want = [sector(pattern, s)]
        if got not in want:
            errors.append("image sector %d has unexpected contents" % s)
            return


def can_tap():
    return os.access("/dev/net/tun", os.R_OK | os.W_OK) and os.geteuid() == 0


class Host:
    """The host side of vsock and net, driven by the guest's console."""

    def __init__(self, tmp, net_tap):
        self.tmp = tmp
        self.uds = os.path.join(tmp, "v.sock")
        self.errors = []
        self.notes = []
        self.done = {}
        self.tap = net_tap
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.uds + "_5000")
        self.listener.listen(1)
        threading.Thread(target=self.serve_5000, daemon=True).start()

    def serve_5000(self):
        self.listener.settimeout(60)
        try:
            c, _ = self.listener.accept()
            c.settimeout(30)
            data = c.recv(100)
            if data != b"ping from guest":
                self.errors.append("host port 5000 got %r" % data)
            c.sendall(b"pong from host")
            rest = c.recv(100)      # the guest shuts down: EOF
            if rest:
                self.errors.append("host port 5000 got more: %r" % rest)
            c.close()
            self.done["5000"] = True
        except OSError as e:
            self.errors.append("host port 5000: %s" % e)

    def connect_6000(self):
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(30)
            s.connect(self.uds)
            s.sendall(b"CONNECT 6000\n")
            line = b""
            while not line.endswith(b"\n"):
                b = s.recv(1)
                if not b:
                    break
                line += b
            m = re.match(rb"OK (\d+)\n$", line)
            if not m or int(m.group(1)) < (1 << 30):
                self.errors.append("CONNECT 6000 answered %r" % line)
                return
            s.sendall(b"hello guest")
            data = s.recv(100)
            if data != b"hello host":
                self.errors.append("guest port 6000 sent %r" % data)
            s.close()
            self.done["6000"] = True
        except OSError as e:
            self.errors.append("CONNECT 6000: %s" % e)

    def net_peer(self):
        try:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_TYPE))
            s.bind((self.tap, ETH_TYPE))
        except OSError as e:
            self.errors.append("AF_PACKET on %s: %s" % (self.tap, e))
            return
        mac = bytes(int(x, 16) for x in MAC.split(":"))
        me = bytes([0x02, 0, 0, 0, 0, 0x99])
        ping = b"\xff" * 6 + me + struct.pack("!H", ETH_TYPE) + b"cvmm-net-ping"
        ping += bytes(60 - len(ping))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            s.send(ping)
            r, _, _ = select.select([s], [], [], 0.2)
            if not r:
                continue
            frame = s.recv(2048)
            if frame[6:12] == mac and frame[14:27] == b"cvmm-net-pong":
                if frame[0:6] != me:
                    self.errors.append("net: pong sent to %s" % frame[0:6].hex())
                self.done["net"] = True
                return
        self.errors.append("net: no answer from the guest")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cvmm")
    ap.add_argument("guest")
    ap.add_argument("--mode", default="devtest", choices=["devtest", "console", "hostile"])
    ap.add_argument("--intx", action="store_true")
    ap.add_argument("--net", action="store_true")
    ap.add_argument("--direct", action="store_true")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return SKIP
    tmp = tempfile.mkdtemp(prefix="cvmm-virtio-")
    disk, ro = os.path.join(tmp, "disk.img"), os.path.join(tmp, "ro.img")
    make_image(disk, SECTORS)
    make_image(ro, RO_SECTORS)
    cmdline = "blk_sectors=%d ro_sectors=%d cid=3" % (SECTORS, RO_SECTORS)
    tap = None
    if a.net:
        if can_tap():
            tap = "cvt%d" % (os.getpid() % 100000)
            cmdline += " mac=0x" + MAC.replace(":", "")
        else:
            print("note: no CAP_NET_ADMIN or /dev/net/tun: virtio-net part skipped")
    if a.intx:
        cmdline += " intx"
    host = Host(tmp, tap)
    args = [a.cvmm, "boot", "--kernel", a.guest, "--debug-exit", "--memory", "size=256M"]
    if a.mode == "console":
        args += ["--console", "virtio", "--entropy"]
        cmdline = "console" + (" intx" if a.intx else "")
    else:
        args += ["--blk", "path=%s%s" % (disk, ",direct=on" if a.direct else ""),
                 "--blk", "path=%s,readonly=on" % ro, "--entropy",
                 "--vsock", "cid=3,uds=%s" % host.uds]
        if tap:
            args += ["--net", "tap=%s,mac=%s" % (tap, MAC)]
    args += ["--cmdline", cmdline] + a.extra
    print("running:", " ".join(args))

    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    os.close(slave)
    fl = fcntl.fcntl(p.stdout, fcntl.F_GETFL)
    fcntl.fcntl(p.stdout, fcntl.F_SETFL, fl | os.O_NONBLOCK)
    out = b""
    start = time.monotonic()
    fired = set()
    while True:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        chunk = None
        if r:
            chunk = p.stdout.read()
            if chunk:
                out += chunk
                sys.stdout.write(chunk.decode(errors="replace"))
                sys.stdout.flush()
        text = out.decode(errors="replace")
        if "vsock: listening on port 6000" in text and "6000" not in fired:
            fired.add("6000")
            threading.Thread(target=host.connect_6000, daemon=True).start()
        if "net: ready" in text and "net" not in fired and tap:
            fired.add("net")
            threading.Thread(target=host.net_peer, daemon=True).start()
        if "console: waiting for input" in text and "con" not in fired:
            fired.add("con")
            os.write(master, b"ping\r")
        if p.poll() is not None and not chunk:
            rest = p.stdout.read()
            if rest:
                out += rest
                sys.stdout.write(rest.decode(errors="replace"))
            break
        if time.monotonic() - start > a.timeout:
            p.kill()
            p.wait()
            print("FAIL: timed out after %.0f s" % a.timeout)
            return 1
    os.close(master)
    text = out.decode(errors="replace").replace("\r\n", "\n")
    errors = list(host.errors)
    if p.returncode != PASS_STATUS:
        errors.append("cvmm exited with %d, expected %d" % (p.returncode, PASS_STATUS))
    if a.mode == "devtest":
        for want in ["pci: host bridge ok", "blk: ok", "blk: read-only ok", "rng: ok",
                     "vsock: guest->host ok", "vsock: host->guest ok", "devtest: PASS"]:
            if want not in text:
                errors.append("missing '%s'" % want)
        if a.intx and "blk: ok (intx" not in text:
            errors.append("the disk did not use INTx")
        if tap and "net: ok" not in text:
            errors.append("missing 'net: ok'")
        if tap and not host.done.get("net"):
            errors.append("the host never saw the guest's frame")
        for k in ("5000", "6000"):
            if not host.done.get(k):
                errors.append("vsock port %s exchange incomplete" % k)
        st = os.stat(disk)
        m = re.search(r"blk: id '([^']*)'", text)
        want_id = ("%x:%x" % (st.st_dev, st.st_ino))[:20]
        if not m or m.group(1) != want_id:
            errors.append("GET_ID %r, expected %r" % (m.group(1) if m else None, want_id))
        check_image(disk, errors)
        if open(ro, "rb").read() != b"".join(sector(pattern, s) for s in range(RO_SECTORS)):
            errors.append("the read-only image changed")
    elif a.mode == "console":
        for want in ["virtio-console: hello from the guest", "console: got 'ping'",
                     "devtest: PASS", "EW"]:
            if want not in text:
                errors.append("missing '%s' on stdout" % want)
    else:
        if "hostile: PASS" not in text:
            errors.append("missing 'hostile: PASS'")
    for e in errors:
        print("FAIL:", e)
    if not errors:
        print("PASS (%.1f s)" % (time.monotonic() - start))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
