#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Startup cost and footprint: cvmm against its peers, side by side, in one run.

  cpu      VMM CPU time (perf stat task-clock: user + kernel, all threads) and
           page faults for the minimal PVH guest (guests/exit.elf: its only
           port write is the debug-exit at entry), cvmm (default: --seccomp
           on) vs QEMU microvm and vs the KVM floor (bench/kvm_floor.c,
           built with cc into the temp dir: the same KVM calls as cvmm and
           nothing else, the least any VMM can cost here), the floor vs
           QEMU, and cvmm --seccomp on vs off (the sandbox's share); runs
           alternate, medians.
  first    exec -> the guest's first port write (that debug-exit, ~60
           instructions after the PVH entry): the time between the
           sched:sched_process_exec and the first kvm:kvm_pio at port 0xf4
           tracepoints (perf record).  QEMU's includes its qboot firmware.
  rss      non-guest RSS (Firecracker's rule: every mapping that is not guest
           RAM) of a running idle guest, bare and with blk+net+rng+vsock
           (QEMU: blk+net+rng; no vhost-vsock on a host without it); cvmm's
           split into its binary, shared objects, heap and the rest.
  measure  `cvmm measure --coco snp` of OVMF.fd: task-clock against the
           SHA-384 bound of the same bytes (openssl speed, no process;
           taken before and after cvmm's runs, the mean) and against
           `openssl dgst -sha384` of the file (a whole process).

Needs root for the tracepoints and the tap device, perf (linux-perf),
qemu-system-x86 and a C compiler (cc) for the floor.  Only the ratios are
meaningful on a loaded machine: the report starts with the load average.
usage: bench/startup.py [--build DIR] [--runs N] [--only cpu,first,rss,measure]
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

QEMU = ["qemu-system-x86_64", "-M", "microvm,x-option-roms=off,isa-serial=on,rtc=on,acpi=off",
        "-cpu", "kvm64,-cx16,+xsaveerptr", "-enable-kvm", "-nodefaults", "-no-user-config",
        "-nographic", "-serial", "stdio", "-monitor", "none",
        "-device", "isa-debug-exit,iobase=0xf4"]
MEM = "512M"
GUEST = 512 << 20
FW = "/usr/share/ovmf/OVMF.fd"
TAP = "cvmmb%d" % (os.getpid() % 1000000)   # several benches may run at once


def perf_stat(cmd):
    """(task-clock ms, page faults) of one run of cmd."""
    r = subprocess.run(["perf", "stat", "-x", ",", "-e", "task-clock,page-faults", "--"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    vals = {}
    for line in r.stderr.splitlines():
        f = line.split(",")
        if len(f) > 2 and f[2] in ("task-clock", "page-faults"):
            vals[f[2]] = float(f[0])
    if len(vals) != 2:
        sys.exit("cvmm: bench: perf stat %s: %s" % (cmd[0], r.stderr.strip()[-300:]))
    return vals["task-clock"], vals["page-faults"]


def alternating(cmds, runs):
    """Per command, the medians (task-clock ms, page faults) of runs runs,
    the commands run in turn, in reverse order every other round."""
    samples = [([], []) for _ in cmds]
    for i in range(runs):
        order = list(range(len(cmds)))[:: 1 if i % 2 == 0 else -1]
        for k in order:
            t, f = perf_stat(cmds[k])
            samples[k][0].append(t)
            samples[k][1].append(f)
    return [(statistics.median(t), statistics.median(f)) for t, f in samples]


def pair_row(name, a, b, labels):
    (ma, fa), (mb, fb) = a, b
    print("%-34s %s %7.2f ms %5d faults   %s %7.2f ms %5d faults   ratio %.3f"
          % (name, labels[0], ma, fa, labels[1], mb, fb, ma / mb))


def side_by_side(name, a, b, runs, labels=("cvmm", "QEMU")):
    ra, rb = alternating([a, b], runs)
    pair_row(name, ra, rb, labels)
    return ra[0], rb[0]


def build_floor(tmp, exit_elf):
    """bench/kvm_floor.c built into tmp, a static PIE as cvmm if cc can; checked on exit_elf."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kvm_floor.c")
    exe = os.path.join(tmp, "kvm_floor")
    if not shutil.which("cc"):
        sys.exit("cvmm: bench: cc not installed (the KVM floor is built from bench/kvm_floor.c)")
    for flags in (["-static-pie"], []):
        cmd = ["cc", "-O2"] + flags + ["-pthread", "-o", exe, src]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode == 0:
            break
    else:
        sys.exit("cvmm: bench: cc cannot build bench/kvm_floor.c: %s" % r.stderr.strip()[-300:])
    r = subprocess.run([exe, exit_elf], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        sys.exit("cvmm: bench: the KVM floor failed: %s" % r.stderr.strip()[-300:])
    print("KVM floor: %s (%s)" % (" ".join(cmd[:-3] + [cmd[-1]]),
                                  "static PIE" if flags else "dynamic: -static-pie failed"))
    return exe


def first_insn_ms(cmd):
    """exec -> first kvm_pio at port 0xf4, from one perf record of cmd."""
    with tempfile.NamedTemporaryFile(suffix=".data") as data:
        subprocess.run(["perf", "record", "-q", "-o", data.name, "-e", "sched:sched_process_exec",
                        "-e", "kvm:kvm_pio", "--"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = subprocess.run(["perf", "script", "-i", data.name, "-F", "time,event,trace"],
                             capture_output=True, text=True).stdout
    t_exec = None
    for line in out.splitlines():
        m = re.match(r"\s*([0-9.]+):\s+(\S+):\s*(.*)", line)
        if not m:
            continue
        t, ev, rest = float(m.group(1)), m.group(2), m.group(3)
        if ev.startswith("sched:sched_process_exec") and t_exec is None:
            t_exec = t
        elif ev.startswith("kvm:kvm_pio") and " 0xf4 " in rest and t_exec is not None:
            return (t - t_exec) * 1e3
    sys.exit("cvmm: bench: %s: no exec or no port 0xf4 write traced" % cmd[0])


def rss_kind(name, exe):
    """Which part of the process a mapping is, for the RSS breakdown."""
    if name == exe:
        return "binary"
    if name.startswith("/"):
        return "libs"       # shared objects and the dynamic loader
    if name == "[heap]":
        return "heap"
    return "anon"           # thread stacks and arenas, [stack], vdso, KVM's run areas


def non_guest_rss_kib(pid, guest_sizes):
    """(total, {kind: KiB}): Rss of the mappings whose size is not a guest RAM size."""
    total, size, kinds = 0, None, {}
    exe = os.readlink("/proc/%d/exe" % pid)
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            m = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)", line)
            if m:
                size = int(m.group(2), 16) - int(m.group(1), 16)
                kind = rss_kind(m.group(3), exe)
            elif line.startswith("Rss:") and size not in guest_sizes:
                kb = int(line.split()[1])
                total += kb
                kinds[kind] = kinds.get(kind, 0) + kb
    return total, kinds


def idle_rss(cmd, guest_sizes, settle=2.0):
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    time.sleep(settle)
    try:
        if p.poll() is not None:
            sys.exit("cvmm: bench: %s exited %d: %s" % (cmd[0], p.returncode,
                                                       p.stderr.read().decode()[-300:]))
        return non_guest_rss_kib(p.pid, guest_sizes)
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def rss_row(name, c, q):
    (rc, kc), (rq, _) = c, q
    print("%-34s cvmm %7d KiB   QEMU %7d KiB   ratio %.3f" % (name, rc, rq, rc / rq))
    print("%-34s cvmm's: %s" % ("", ", ".join("%s %d" % (k, kc.get(k, 0))
                                              for k in ("binary", "libs", "heap", "anon"))))


def bench_cpu(a, cvmm, guests, tmp):
    exit_elf = os.path.join(guests, "exit.elf")
    floor = build_floor(tmp, exit_elf)
    print("-- VMM CPU time, minimal PVH guest (%d runs each, alternating, medians)" % a.runs)
    boot = [cvmm, "boot", "--memory", "size=" + MEM, "--debug-exit", "--pvh", exit_elf]
    # the floor: cvmm's KVM calls without cvmm (bench/kvm_floor.c); the three alternate
    c, f, q = alternating([boot, [floor, exit_elf], QEMU + ["-m", MEM, "-kernel", exit_elf]],
                          a.runs)
    pair_row("minimal PVH guest", c, q, ("cvmm", "QEMU"))
    pair_row("KVM floor (same KVM work, no VMM)", f, q, ("floor", "QEMU"))
    pair_row("  cvmm's own share: cvmm vs floor", c, f, ("cvmm", "floor"))
    # the sandbox's share of it (docs/sandbox.md): the default against no filters
    side_by_side("  its sandbox: --seccomp on vs off", boot + ["--seccomp", "on"],
                 boot + ["--seccomp", "off"], a.runs, ("on", "off"))
    side_by_side("process start (--version)", [cvmm, "--version"],
                 ["qemu-system-x86_64", "--version"], a.runs)


def bench_first(a, cvmm, guests):
    exit_elf = os.path.join(guests, "exit.elf")
    c = [cvmm, "boot", "--memory", "size=" + MEM, "--debug-exit", "--pvh", exit_elf]
    q = QEMU + ["-m", MEM, "-kernel", exit_elf]
    tc, tq = [], []
    for _ in range(a.runs):
        tc.append(first_insn_ms(c))
        tq.append(first_insn_ms(q))
    mc, mq = statistics.median(tc), statistics.median(tq)
    print("-- exec to the guest's first port write (port 0xf4), medians of %d" % a.runs)
    print("%-34s cvmm %7.2f ms   QEMU %7.2f ms   ratio %.3f" % ("minimal PVH guest", mc, mq,
                                                               mc / mq))


def page_cache_drop(path):
    """Evict path's pages: the next exec reads it back by readahead, as after a reboot.

    The kernel maps a file's cached pages around each fault (fault-around, and
    whole large folios), so the RSS of cvmm's binary depends on how its pages
    came into the page cache: written by the linker or by cp, up to ~250 KiB
    more than read back by readahead.  Dropping them first makes the rows
    reproducible."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)        # a binary the linker just wrote is dirty: not evictable
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def bench_rss(a, cvmm, guests, tmp):
    page_cache_drop(cvmm)
    idle = os.path.join(guests, "idle.bzImage")
    disk = os.path.join(tmp, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(64 << 20)
    sock = os.path.join(tmp, "vsock.sock")
    have_tap = subprocess.run(["ip", "tuntap", "add", "dev", TAP, "mode", "tap"],
                              stderr=subprocess.DEVNULL).returncode == 0 or \
        os.path.exists("/sys/class/net/" + TAP)
    c = [cvmm, "boot", "--memory", "size=" + MEM, "--console", "none", "--kernel", idle]
    cdev = ["--blk", "path=" + disk, "--entropy", "--vsock", "cid=3,uds=" + sock]
    q = QEMU + ["-m", MEM, "-kernel", os.path.join(guests, "idle.elf")]
    qdev = ["-drive", "id=d0,file=%s,format=raw,if=none" % disk,
            "-device", "virtio-blk-device,drive=d0", "-device", "virtio-rng-device"]
    if have_tap:
        cdev += ["--net", "tap=" + TAP]
        qdev += ["-netdev", "tap,id=n0,ifname=%s,script=no,downscript=no" % TAP,
                 "-device", "virtio-net-device,netdev=n0"]
    sizes_c, sizes_q = {GUEST}, {GUEST, GUEST + (2 << 20)}
    print("-- non-guest RSS of a running idle guest (KiB)")
    rss_row("idle guest", idle_rss(c, sizes_c), idle_rss(q, sizes_q))
    rss_row("+ blk, %srng, vsock (QEMU: no vsock)" % ("net, " if have_tap else ""),
            idle_rss(c + cdev, sizes_c), idle_rss(q + qdev, sizes_q))
    if have_tap:
        subprocess.run(["ip", "link", "del", TAP], stderr=subprocess.DEVNULL)


def sha384_ms(size):
    """openssl speed's SHA-384 time for size bytes in 4 KiB blocks (no process start)."""
    r = subprocess.run(["openssl", "speed", "-bytes", "4096", "-seconds", "1", "-evp", "sha384"],
                       capture_output=True, text=True).stdout
    for line in r.splitlines():
        f = line.split()
        if f and f[0] == "sha384":
            return size / (float(f[-1].rstrip("k")) * 1000) * 1e3
    sys.exit("cvmm: bench: cannot read openssl speed's sha384 rate")


def bench_measure(a, cvmm):
    size = os.path.getsize(FW)
    print("-- cvmm measure --coco snp of %s (%d bytes), %d runs each, medians" % (FW, size, a.runs))
    # the bound moves with the load: taken before and after cvmm's runs, the mean
    before = sha384_ms(size)
    c, o = side_by_side("measure snp vs openssl dgst",
                        [cvmm, "measure", "--coco", "snp", "--firmware", FW,
                         "--vcpu-type", "EPYC-v4"],
                        ["openssl", "dgst", "-sha384", FW], a.runs, ("cvmm", "openssl"))
    after = sha384_ms(size)
    bound = (before + after) / 2
    print("%-34s %.2f ms (openssl speed, 4 KiB blocks; %.2f before, %.2f after); cvmm measure "
          "%.2f ms: ratio %.3f" % ("SHA-384 bound of the same bytes", bound, before, after, c,
                                   c / bound))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--only", default="cpu,first,rss,measure")
    a = ap.parse_args()
    cvmm = os.path.abspath(os.path.join(a.build, "cvmm"))
    guests = os.path.abspath(os.path.join(a.build, "guests"))
    for f in (cvmm, os.path.join(guests, "exit.elf"), os.path.join(guests, "idle.bzImage")):
        if not os.path.exists(f):
            sys.exit("cvmm: bench: %s missing: build first (ninja -C build)" % f)
    for tool in ("perf", "qemu-system-x86_64", "openssl"):
        if subprocess.run(["which", tool], stdout=subprocess.DEVNULL).returncode:
            sys.exit("cvmm: bench: %s not installed" % tool)
    print("cvmm startup benchmark, %s; load average %s" % (
        time.strftime("%H:%M:%S"), open("/proc/loadavg").read().split()[:3]))
    only = a.only.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "cpu" in only:
            bench_cpu(a, cvmm, guests, tmp)
        if "first" in only:
            bench_first(a, cvmm, guests)
        if "rss" in only:
            bench_rss(a, cvmm, guests, tmp)
        if "measure" in only:
            bench_measure(a, cvmm)


if __name__ == "__main__":
    main()
