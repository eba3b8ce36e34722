#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Soak: the Linux test guest busy on every virtio device, reset repeatedly.

usage: linux_soak.py --cvmm PATH [--boots N] [--secs S] [--timeout S]
                     [--log FILE] [--initramfs-dir DIR]

The guest's /init is guests/linux-virtio/soak.c: per boot it writes and
reads /dev/vda, reads /dev/hwrng and connects to the host over vsock for
--secs seconds while a child echoes host connections; then it waits at a
barrier (vsock port 5001) and resets, --boots times.  Meanwhile this
script opens and closes host connections through the vsock socket: full
exchanges with the guest's echo, connections closed at once, connections
to a port nobody listens on, connections dropped mid-handshake; it keeps
trying during the resets (the socket survives them).

At each barrier, with the host side quiet, it counts cvmm's open file
descriptors and its RSS outside guest RAM; it samples every thread's
utime + stime (/proc/PID/task/*/stat) all along.  Asserted: every boot
ran and did I/O, host connections reached the guest in every boot, the
descriptor count is the same at every barrier, the non-guest RSS grows by
at most --rss-slack KiB from the second barrier to the last, no thread
other than the vCPUs used more than --cpu-budget of its lifetime's CPU
time, the soft descriptor limit was raised to the hard one, the exit
status is 3 and the socket file is gone afterwards.  Prints the numbers.
Exits 77 (skip) without /dev/kvm or when the test kernel cannot be built.
"""
import argparse
import os
import re
import selectors
import shutil
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
           "initramfs_async=0 pvm_syscall_fixup nosmp reboot=k")
MEM = 256 << 20
HZ = os.sysconf("SC_CLK_TCK")


def kernel_env():
    res = subprocess.run([os.path.join(SRC, "scripts", "build-test-kernel.sh"), "--quiet"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if res.returncode:
        last = (res.stderr.strip().splitlines() or ["no message"])[-1]
        return None, "the test kernel cannot be built: " + last
    env = dict(line.split("=", 1) for line in res.stdout.splitlines() if "=" in line)
    if not os.path.isfile(env.get("CVMM_VMLINUX", "")):
        return None, "the kernel build gave no vmlinux"
    return env, None


def uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


class Threads:
    """utime + stime of every thread of a process, sampled until it exits."""

    def __init__(self, pid):
        self.pid = pid
        self.seen = {}		# tid -> [comm, start (s since boot), ticks, last seen]
        self.stop = False
        self.t = threading.Thread(target=self.run, daemon=True)
        self.t.start()

    def sample(self):
        try:
            tids = os.listdir("/proc/%d/task" % self.pid)
        except OSError:
            return
        now = uptime()
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/stat" % (self.pid, tid)) as f:
                    st = f.read()
            except OSError:
                continue
            comm = st[st.index("(") + 1:st.rindex(")")]
            f = st[st.rindex(")") + 2:].split()
            ticks = int(f[11]) + int(f[12])		# utime, stime
            start = int(f[19]) / HZ			# starttime
            self.seen[tid] = [comm, start, ticks, now]

    def run(self):
        while not self.stop:
            self.sample()
            time.sleep(0.2)

    def finish(self):
        self.stop = True
        self.t.join()

    def report(self):
        """[(comm, tid, cpu seconds, lifetime seconds)]"""
        rows = []
        for tid, (comm, start, ticks, last) in sorted(self.seen.items(), key=lambda x: int(x[0])):
            rows.append((comm, tid, ticks / HZ, max(last - start, 0.001)))
        return rows


def snapshot(pid):
    """(open fds, RSS outside guest RAM in KiB, VmRSS in KiB)"""
    fds = len(os.listdir("/proc/%d/fd" % pid))
    other = size = 0
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            if line.startswith("Size:"):
                size = int(line.split()[1]) * 1024
            elif line.startswith("Rss:") and size < MEM:
                other += int(line.split()[1])
    with open("/proc/%d/status" % pid) as f:
        vmrss = int(re.search(r"^VmRSS:\s+(\d+)", f.read(), re.M).group(1))
    return fds, other, vmrss


class Host:
    """The host side: echo on port 5000, the barrier on 5001, a client through the socket."""

    def __init__(self, uds):
        self.uds = uds
        self.errors = []
        self.boot = 0
        self.exchanges = {}	# boot -> host connections that reached the guest's echo
        self.attempts = 0
        self.failed = 0
        self.snaps = []		# (boot, fds, non-guest RSS KiB, VmRSS KiB)
        self.pid = None
        self.lock = threading.Condition()
        self.running = False	# the client may start connections
        self.busy = False	# the client is in a connection
        self.done = False
        self.echo = self.listen(uds + "_5000")
        self.gate = self.listen(uds + "_5001")
        for fn in (self.serve_echo, self.serve_barrier, self.client):
            threading.Thread(target=fn, daemon=True).start()

    @staticmethod
    def listen(path):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.bind(path)
        s.listen(16)
        return s

    def serve_echo(self):
        while True:
            c, _ = self.echo.accept()
            try:
                c.settimeout(30)
                data = b""
                while len(data) < 5:
                    b = c.recv(5 - len(data))
                    if not b:
                        break
                    data += b
                c.sendall(data)
            except OSError:
                pass
            c.close()

    def serve_barrier(self):
        while True:
            c, _ = self.gate.accept()
            with self.lock:		# the client stops after its connection
                self.running = False
                self.lock.wait_for(lambda: not self.busy, 60)
            try:
                self.snaps.append((self.boot,) + self.settled())
            except OSError as e:
                self.errors.append("snapshot at boot %d: %s" % (self.boot, e))
            c.sendall(b"go")
            c.close()

    def settled(self):
        """A snapshot once closes have settled: the same count twice, 1 s on."""
        time.sleep(1.0)
        last = snapshot(self.pid)
        for _ in range(20):
            time.sleep(0.25)
            cur = snapshot(self.pid)
            if cur[0] == last[0]:
                return cur
            last = cur
        return last

    def resume(self, boot):
        with self.lock:
            self.boot = boot
            self.running = True
            self.lock.notify_all()

    def one(self, i):
        mode = i % 10
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect(self.uds)
            if mode == 0:
                return			# closed before the handshake
            if mode == 1:
                s.sendall(b"CONNECT 6001\n")	# nobody listens: closed
                s.recv(16)
                return
            s.sendall(b"CONNECT 6000\n")
            if mode == 2:
                return			# dropped before the guest answered
            line = b""
            while not line.endswith(b"\n") and len(line) < 32:
                b = s.recv(1)
                if not b:
                    raise OSError("closed during the handshake")
                line += b
            if not re.match(rb"OK \d+\n$", line):
                raise OSError("handshake answer %r" % line)
            msg = b"ping %d\n" % i
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                b = s.recv(64)
                if not b:
                    break
                got += b
            if got != msg:
                raise OSError("echo %r for %r" % (got, msg))
            self.exchanges[self.boot] = self.exchanges.get(self.boot, 0) + 1
        finally:
            s.close()

    def client(self):
        i = 0
        while not self.done:
            with self.lock:
                if not self.lock.wait_for(lambda: self.running, 0.2):
                    continue
                self.busy = True
            try:
                self.attempts += 1
                self.one(i)
            except OSError:
                self.failed += 1	# during a reset, or the guest not listening yet
                time.sleep(0.05)
            finally:
                with self.lock:
                    self.busy = False
                    self.lock.notify_all()
            i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--boots", type=int, default=3)
    ap.add_argument("--secs", type=int, default=6)
    ap.add_argument("--timeout", type=float, default=420)
    ap.add_argument("--cpu-budget", type=float, default=0.10,
                    help="largest share of its lifetime a non-vCPU thread may run")
    ap.add_argument("--rss-slack", type=int, default=1024,
                    help="KiB the non-guest RSS may grow from the 2nd barrier to the last")
    ap.add_argument("--log")
    ap.add_argument("--initramfs-dir")
    a = ap.parse_args()

    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return SKIP
    env, why = kernel_env()
    if not env:
        print("SKIP: %s" % why)
        return SKIP
    tmp = tempfile.mkdtemp(prefix="cvmm-soak-")
    cpio = os.path.join(a.initramfs_dir or tmp, "soak-initramfs.cpio")
    gen = os.path.join(os.path.dirname(env["CVMM_VMLINUX"]), "gen_init_cpio")
    res = subprocess.run([os.path.join(SRC, "guests", "linux-virtio", "build-initramfs.sh"),
                          gen, cpio, os.path.join(SRC, "guests", "linux-virtio", "soak.c")])
    if res.returncode:
        print("FAIL: cannot build the initramfs")
        return 1
    disk = os.path.join(tmp, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(4 << 20)
    host = Host(os.path.join(tmp, "v.sock"))
    cmd = [a.cvmm, "boot", "--pvh", env["CVMM_VMLINUX"], "--initramfs", cpio,
           "--memory", "size=%dM" % (MEM >> 20), "--debug-exit", "--console", "virtio",
           "--blk", "path=" + disk, "--entropy", "--vsock", "cid=3,uds=" + host.uds,
           "--cmdline", CMDLINE + " soak.boots=%d soak.secs=%d" % (a.boots, a.secs)]
    logf = open(a.log, "w") if a.log else None
    print("running:", " ".join(cmd))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    host.pid = p.pid
    threads = Threads(p.pid)
    limits = None
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ, "")
    sel.register(p.stderr, selectors.EVENT_READ, "[vmm] ")
    lines, bufs, open_streams = [], {p.stdout: b"", p.stderr: b""}, 2
    boot_at = {}
    while open_streams:
        if time.monotonic() - start > a.timeout:
            p.kill()
            print("\n".join(lines[-30:]))
            print("FAIL: timed out after %.0f s" % a.timeout)
            return 1
        if limits is None:
            try:
                with open("/proc/%d/limits" % p.pid) as f:
                    m = re.search(r"^Max open files\s+(\d+)\s+(\d+)", f.read(), re.M)
                limits = (int(m.group(1)), int(m.group(2))) if m else None
            except OSError:
                pass
        for key, _ in sel.select(timeout=0.5):
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
                t = time.monotonic() - start
                if logf:
                    logf.write("[%7.2f] %s\n" % (t, line))
                    logf.flush()
                if line.startswith("SOAK") or line.startswith("[vmm]"):
                    print("[%7.2f] %s" % (t, line), flush=True)
                m = re.match(r"SOAK boot (\d+)", line)
                if m:
                    boot_at[int(m.group(1))] = t
                    host.resume(int(m.group(1)))
                if line.startswith("SOAK reset"):
                    # the socket must stay while the VM is rebuilt
                    if not os.path.exists(host.uds):
                        host.errors.append("the vsock socket vanished at a reset")
    status = p.wait()
    wall = time.monotonic() - start
    host.done = True
    threads.finish()
    errors = list(host.errors)
    text = "\n".join(lines)

    if status != 3:
        errors.append("cvmm exited with %d, expected 3" % status)
    if "SOAK PASS" not in text:
        errors.append("no SOAK PASS")
    ios = re.findall(r"SOAK io disk=(\d+) rng=(\d+) vsock=(\d+)", text)
    if len(ios) != a.boots or sorted(boot_at) != list(range(1, a.boots + 1)):
        errors.append("%d boots with I/O, expected %d" % (len(ios), a.boots))
    with open(disk, "rb") as f:
        head = f.read(8)
    if int.from_bytes(head[4:8], "little") != a.boots:
        errors.append("the boot counter on the disk is %d" % int.from_bytes(head[4:8], "little"))
    for b in range(1, a.boots + 1):
        if not host.exchanges.get(b):
            errors.append("no host connection reached the guest in boot %d" % b)
    if os.path.exists(host.uds):
        errors.append("the vsock socket is still there after exit")
    if not limits or limits[0] != limits[1]:
        errors.append("the descriptor limit was not raised: %s" % (limits,))

    print("\nwall time %.1f s, %d boots; boots reached /init at %s s" %
          (wall, a.boots, ", ".join("%.1f" % boot_at[b] for b in sorted(boot_at))))
    print("guest I/O per boot (disk, rng, vsock): %s" % ", ".join("/".join(x) for x in ios))
    print("host connections: %d attempts, %d failed (resets, guest not listening yet), "
          "reaching the guest per boot: %s" % (host.attempts, host.failed,
                                                dict(sorted(host.exchanges.items()))))
    print("at each barrier (boot, open fds, non-guest RSS KiB, VmRSS KiB): %s" % host.snaps)
    if len(host.snaps) != a.boots:
        errors.append("%d barrier snapshots, expected %d" % (len(host.snaps), a.boots))
    elif host.snaps:
        fds = [s[1] for s in host.snaps]
        if len(set(fds)) != 1:
            errors.append("open descriptors differ between boots: %s" % fds)
        if len(host.snaps) > 2 and host.snaps[-1][2] - host.snaps[1][2] > a.rss_slack:
            errors.append("non-guest RSS grew by %d KiB from boot 2 to boot %d" %
                          (host.snaps[-1][2] - host.snaps[1][2], a.boots))
    print("threads (name, CPU s, lifetime s, share):")
    for comm, tid, cpu, life in threads.report():
        share = cpu / life
        print("  %-14s %6s %7.2f %7.1f %5.1f%%" % (comm, tid, cpu, life, 100 * share))
        if not comm.startswith("vcpu") and life > 2 and share > a.cpu_budget:
            errors.append("thread %s (%s) used %.0f%% of its %.1f s" %
                          (comm, tid, 100 * share, life))
    if errors:
        print("\n".join(lines[-20:]))
        for e in errors:
            print("FAIL:", e)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("linux-soak: PASS in %.1f s (log: %s)" % (wall, a.log or "-"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
