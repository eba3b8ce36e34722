#!/usr/bin/env python3
"""Boot the test Linux guest to /init under cvmm (or QEMU) and check it.

usage: linux-boot.py [--vmm cvmm|qemu] [--cvmm PATH] [--qemu PATH]
                     [--boot bzimage|pvh] [--cpus N] [--memory SIZE]
                     [--timeout SECONDS] [--log FILE] [--kernel-env FILE]
                     [--verbose] [--build-only]

The kernel and initramfs come from scripts/build-test-kernel.sh (cached; a
build only happens when its inputs changed) unless --kernel-env names a file
that script wrote.  The console (guest serial port) is streamed to the log
file; the VMM's stderr goes there too, each line prefixed "[vmm] ".

Asserted on the console:
  - the kernel banner              "Linux version <release> "
  - our command line, echoed       "Command line: <cmdline>"
                                   "Kernel command line: <cmdline>"
  - the e820 map                   "BIOS-e820: [mem 0x…-0x…] <type>" lines
      cvmm: the "cvmm: e820: [mem …] <type>" lines that `cvmm boot -v` prints
      on stderr (sorted, disjoint) must give exactly the kernel's lines after
      the kernel's own processing: PVH adds 0xa0000-0xfffff reserved, and
      e820__update_table() resolves overlaps (larger type wins) and merges
      adjacent entries of one type;
      both VMMs: sorted, disjoint, known types, usable RAM from address 0
      adding up to the memory size within 4 MiB
  - the CPU count                  "smpboot: Allowing N CPUs, 0 hotplug CPUs"
                                   "smp: Brought up 1 node, N CPU(s)"
                                   "smpboot: Total of N processors activated"
      (1 vCPU: booted with nosmp, which also prints "smpboot: SMP disabled")
  - the init marker                "INIT-MARKER tiny-init uptime=<s>"
  - the VMM's exit status: 3 (tiny-init writes 1 to port 0xf4; isa-debug-exit
    style exit status (1 << 1) | 1).

Fails loudly (last 30 console lines, the VMM's stderr) on a timeout, a kernel
panic, a second boot (the guest rebooted), an emulation failure or any other
VMM diagnosis.  Exits 77 (skip) when /dev/kvm is absent or not usable.

On success prints one line:
  linux-boot: PASS vmm=… boot=… cpus=N marker=<s> exit=<s> uptime=<s> log=…
where marker/exit are wall-clock seconds from spawning the VMM to the init
marker / the VMM's exit (bench/linux-boot.sh reads them).
"""

import argparse
import os
import re
import selectors
import shlex
import signal
import subprocess
import sys
import time

SKIP = 77
TAIL = 30
GRACE = 2.0     # seconds of output still collected after a fatal line

BASE_CMDLINE = ("console=ttyS0 panic=-1 tsc=reliable noxsave no_int3_selftest "
                "clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off "
                "initramfs_async=0 pvm_syscall_fixup")

DEBUG_EXIT_STATUS = 3   # (1 << 1) | 1: tiny-init writes 1 to port 0xf4

QEMU_MACHINE = ("microvm,x-option-roms=off,isa-serial=on,rtc=on,acpi=off,"
                "auto-kernel-cmdline=off")
QEMU_CPU = "kvm64,-cx16,+xsaveerptr"

# printk prefix "[    1.234567] " (CONFIG_PRINTK_TIME)
PRINTK_RE = re.compile(r"^\[\s*\d+\.\d+\] ")
E820_RE = re.compile(r"^(?:cvmm: e820|BIOS-e820): "
                     r"\[mem (0x[0-9a-f]{16})-(0x[0-9a-f]{16})\] (\S.*)$")
# the map cvmm's test firmware hands to the kernel (guests/firmware/e820.c)
FW_E820_RE = re.compile(r"^cvmm-testfw: e820 "
                        r"\[mem (0x[0-9a-f]{16})-(0x[0-9a-f]{16})\] \S.* \((\d+)\)$")
# e820 type names as the kernel prints them (arch/x86/kernel/e820.c)
E820_TYPES = {"usable": 1, "reserved": 2, "ACPI data": 3, "ACPI NVS": 4,
              "unusable": 5, "soft reserved": 0xefffffff}
E820_RESERVED = 2
E820_NOMERGE = (12, 0xefffffff)     # PRAM, soft reserved: never merged
ISA_HOLE = (0xa0000, 0xfffff)       # the PVH entry code adds it as reserved
MARKER_RE = re.compile(r"INIT-MARKER tiny-init uptime=([0-9.]*)")
# what a VMM says when KVM cannot go on
VMM_FATAL_RE = re.compile(r"emulation failure|KVM internal error|"
                          r"internal[ -]error|triple fault", re.I)
# fatal for the guest (an oops in init panics it; panic=-1 reboots at once)
KERNEL_FATAL_RE = re.compile(r"Kernel panic|^Oops: |general protection fault|"
                             r"invalid opcode: |BUG: unable to handle|"
                             r"BUG: kernel NULL pointer")
# not fatal, but worth a note (RCU stalls happen on an overloaded host)
KERNEL_WARN_RE = re.compile(r"WARNING:|rcu: INFO: .*stall|BUG: soft lockup|"
                            r"watchdog: ")

SRC_ROOT = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", ".."))


class Fail(Exception):
    pass


def log(msg):
    print("linux-boot: " + msg, flush=True)


def parse_size(text):
    m = re.fullmatch(r"(\d+)([KMG]?)", text)
    if not m:
        raise SystemExit("linux-boot: --memory: bad size '%s'" % text)
    return int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30}[m.group(2)]


def kvm_skip_reason():
    if not os.path.exists("/dev/kvm"):
        return "/dev/kvm absent"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return "/dev/kvm not readable and writable by this user"
    return None


def load_kernel_env(path, quiet):
    """Paths of vmlinux, bzImage, initramfs: from a file, else the build."""
    if path:
        with open(path) as f:
            text = f.read()
    else:
        script = os.path.join(SRC_ROOT, "scripts", "build-test-kernel.sh")
        cmd = [script] + (["--quiet"] if quiet else [])
        res = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
        if res.returncode != 0:
            raise Fail("scripts/build-test-kernel.sh failed (status %d)"
                       % res.returncode)
        text = res.stdout
    env = {}
    for line in text.splitlines():
        k, sep, v = line.partition("=")
        if sep:
            env[k.strip()] = v.strip()
    for k in ("CVMM_VMLINUX", "CVMM_BZIMAGE", "CVMM_INITRAMFS"):
        if not env.get(k) or not os.path.isfile(env[k]):
            raise Fail("kernel env lacks a usable %s" % k)
    return env


def expected_cmdline(cpus):
    return BASE_CMDLINE + (" nosmp" if cpus == 1 else "")


def vmm_command(args, kenv, cmdline):
    if args.vmm == "cvmm":
        image = (["--kernel", kenv["CVMM_BZIMAGE"]] if args.boot == "bzimage"
                 else ["--pvh", kenv["CVMM_VMLINUX"]])
        if args.firmware:
            image = ["--firmware", args.firmware] + image
        elif args.igvm:
            image = ["--igvm", args.igvm] + image
        return [args.cvmm, "boot"] + image + [
            "--initramfs", kenv["CVMM_INITRAMFS"],
            "--cmdline", cmdline,
            "--memory", "size=" + args.memory,
            "--cpu", "count=%d" % args.cpus,
            "--console", "stdio",
            "--debug-exit", "-v"] + args.vmm_arg
    image = (kenv["CVMM_BZIMAGE"] if args.boot == "bzimage"
             else kenv["CVMM_VMLINUX"])
    return [args.qemu,
            "-M", QEMU_MACHINE, "-cpu", QEMU_CPU, "-enable-kvm",
            "-nodefaults", "-no-user-config", "-nographic",
            "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4",
            "-m", args.memory, "-smp", str(args.cpus),
            "-kernel", image, "-initrd", kenv["CVMM_INITRAMFS"],
            "-append", cmdline] + args.vmm_arg


class Boot:
    """One VMM run: console and stderr lines with their arrival times."""

    def __init__(self, cmd, logf, verbose):
        self.cmd = cmd
        self.logf = logf
        self.verbose = verbose
        self.console = []       # (seconds since spawn, line without printk time)
        self.raw_console = []   # lines as printed
        self.stderr = []
        self.t0 = None
        self.exit_time = None
        self.status = None
        self.proc = None

    def _emit(self, kind, line, now):
        if kind == "console":
            self.raw_console.append(line)
            self.console.append((now - self.t0, PRINTK_RE.sub("", line)))
            self.logf.write(line + "\n")
            if self.verbose:
                print(line, flush=True)
        else:
            self.stderr.append(line)
            self.logf.write("[vmm] " + line + "\n")
            if self.verbose:
                print("[vmm] " + line, flush=True)
        self.logf.flush()

    def run(self, timeout, watch):
        """Run until exit, timeout or watch(kind, line) returns a reason."""
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE,
                                     start_new_session=True)
        sel = selectors.DefaultSelector()
        bufs = {}
        for f, kind in ((self.proc.stdout, "console"),
                        (self.proc.stderr, "stderr")):
            os.set_blocking(f.fileno(), False)
            sel.register(f, selectors.EVENT_READ, kind)
            bufs[kind] = b""
        deadline = self.t0 + timeout
        stop = None
        open_streams = 2
        while open_streams:
            left = deadline - time.monotonic()
            if left <= 0:
                if stop is None:
                    stop = "timeout after %d s" % timeout
                break
            for key, _ in sel.select(min(left, 1.0)):
                kind = key.data
                chunk = os.read(key.fileobj.fileno(), 65536)
                now = time.monotonic()
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    if bufs[kind]:
                        self._emit(kind, bufs[kind].decode("utf-8", "replace")
                                   .rstrip("\r"), now)
                        bufs[kind] = b""
                    continue
                bufs[kind] += chunk
                *lines, bufs[kind] = bufs[kind].split(b"\n")
                for raw in lines:
                    line = raw.decode("utf-8", "replace").rstrip("\r")
                    self._emit(kind, line, now)
                    reason = watch(kind, line)
                    if reason and stop is None:
                        # keep reading a little: the rest of the VMM's
                        # diagnosis or of the oops follows
                        stop = reason
                        deadline = min(deadline, now + GRACE)
        sel.close()
        if stop is not None:
            self.kill()
            return stop
        left = max(deadline - time.monotonic(), 0.1)
        try:
            self.status = self.proc.wait(timeout=left)
        except subprocess.TimeoutExpired:
            self.kill()
            return "timeout after %d s (VMM closed its output but did not exit)" % timeout
        self.exit_time = time.monotonic() - self.t0
        return None

    def kill(self):
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.status = self.proc.wait()
        self.exit_time = time.monotonic() - self.t0


def find(lines, pattern):
    """First (time, line, match) of lines (time, text) matching pattern."""
    rx = re.compile(pattern)
    for t, text in lines:
        m = rx.search(text)
        if m:
            return t, text, m
    return None


def e820_entries(lines):
    out = []
    for text in lines:
        m = E820_RE.match(text)
        if m:
            out.append((int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return out


def fmt_e820(entries):
    return ["[mem 0x%016x-0x%016x] %s" % e for e in entries]


def e820_type(name):
    """Type number of a printed e820 type name, None if unknown."""
    if name in E820_TYPES:
        return E820_TYPES[name]
    m = re.fullmatch(r"persistent \(type (7|12)\)|type (\d+)", name)
    if m:
        return int(m.group(1) or m.group(2))
    return None


def e820_name(num):
    for k, v in E820_TYPES.items():
        if v == num:
            return k
    return ("persistent (type %d)" if num in (7, 12) else "type %d") % num


def e820_sanitize(entries):
    """The map the kernel prints for a given boot map: its
    e820__update_table() sorts, resolves overlaps (the larger type number
    wins), merges adjacent entries of one type and drops empty ones."""
    points = []
    for idx, (start, end, name) in enumerate(entries):
        points.append((start, 0, idx, e820_type(name)))
        points.append((end + 1, 1, idx, e820_type(name)))
    points.sort()
    live = {}
    out = []
    last_type, last_addr = 0, 0
    for addr, is_end, idx, typ in points:
        if is_end:
            live.pop(idx, None)
        else:
            live[idx] = typ
        cur = max(live.values(), default=0)
        if cur != last_type or cur in E820_NOMERGE:
            if last_type != 0 and addr != last_addr:
                out.append((last_addr, addr - 1, e820_name(last_type)))
            if cur != 0:
                last_addr = addr
            last_type = cur
    return out


def check_e820_wellformed(entries, memory):
    if not entries:
        raise Fail("the kernel printed no BIOS-e820 lines")
    prev_end = -1
    usable = 0
    for start, end, kind in entries:
        if end < start:
            raise Fail("e820: end before start: %s" % fmt_e820([(start, end, kind)]))
        if start <= prev_end:
            raise Fail("e820: entries not sorted or overlapping at 0x%x" % start)
        if e820_type(kind) is None:
            raise Fail("e820: unknown type '%s'" % kind)
        if kind == "usable":
            usable += end - start + 1
        prev_end = end
    if entries[0][2] != "usable" or entries[0][0] != 0:
        raise Fail("e820: no usable RAM at address 0")
    if not (memory - (4 << 20) <= usable <= memory):
        raise Fail("e820: usable RAM %d KiB, expected about %d KiB"
                   % (usable >> 10, memory >> 10))
    return usable


def check(boot, args, cmdline):
    """All assertions on a finished boot; returns a summary dict."""
    con = boot.console
    texts = [t for _, t in con]

    banners = [t for t in texts if t.startswith("Linux version ")]
    if not banners:
        raise Fail('no kernel banner ("Linux version ...")')
    if len(banners) > 1:
        raise Fail("the kernel booted %d times (the guest rebooted)" % len(banners))
    release = banners[0].split()[2]
    if args.release and release != args.release:
        raise Fail("banner shows kernel %s, expected %s" % (release, args.release))

    for prefix in ("Command line: ", "Kernel command line: "):
        got = [t[len(prefix):] for t in texts if t.startswith(prefix)]
        if not got:
            raise Fail('the kernel did not echo "%s..."' % prefix)
        if got[0] != cmdline:
            raise Fail('command line differs:\n  passed: %s\n  kernel: %s'
                       % (cmdline, got[0]))

    # e820: the block after "BIOS-provided physical RAM map:"
    try:
        i = texts.index("BIOS-provided physical RAM map:")
    except ValueError:
        raise Fail('no "BIOS-provided physical RAM map:" in the console')
    block = []
    for t in texts[i + 1:]:
        if not t.startswith("BIOS-e820: "):
            break
        block.append(t)
    kernel_map = e820_entries(block)
    if len(kernel_map) != len(block):
        raise Fail("malformed BIOS-e820 line among:\n  " + "\n  ".join(block))
    memory = parse_size(args.memory)
    usable = check_e820_wellformed(kernel_map, memory)
    if args.vmm == "cvmm" and (args.firmware or args.igvm):
        # through firmware: the kernel gets the firmware's map, which the
        # test firmware prints (the last block of its e820 lines)
        fw_map, block = [], []
        for t in (line for _, line in boot.console):
            m = FW_E820_RE.match(t)
            if m:
                block.append((int(m.group(1), 16), int(m.group(2), 16),
                              e820_name(int(m.group(3)))))
            elif block:
                fw_map, block = block, []
        fw_map = block or fw_map
        if not fw_map:
            raise Fail("the test firmware printed no e820 lines")
        want_map = e820_sanitize(fw_map)
        if want_map != kernel_map:
            raise Fail("e820 map differs:\n  firmware:\n    %s\n  kernel:\n    %s"
                       % ("\n    ".join(fmt_e820(want_map)),
                          "\n    ".join(fmt_e820(kernel_map))))
    elif args.vmm == "cvmm":
        vmm_map = e820_entries(boot.stderr)
        if not vmm_map:
            raise Fail('cvmm -v printed no "cvmm: e820: [mem ...] type" lines')
        prev_end = -1
        for start, end, kind in vmm_map:
            if end < start or start <= prev_end or e820_type(kind) is None:
                raise Fail("cvmm's e820 map is not sorted, disjoint and typed:"
                           "\n    " + "\n    ".join(fmt_e820(vmm_map)))
            prev_end = end
        # what the kernel makes of it: a PVH kernel adds the ISA hole
        # (0xa0000-0xfffff reserved); both paths sanitize the map
        added = ([(ISA_HOLE[0], ISA_HOLE[1], "reserved")]
                 if args.boot == "pvh" else [])
        want_map = e820_sanitize(vmm_map + added)
        if want_map != kernel_map:
            raise Fail("e820 map differs:\n  cvmm (-v):\n    %s\n"
                       "  expected in the kernel%s:\n    %s\n"
                       "  kernel:\n    %s"
                       % ("\n    ".join(fmt_e820(vmm_map)),
                          " (+ ISA hole, sanitized)" if added else
                          " (sanitized)",
                          "\n    ".join(fmt_e820(want_map)),
                          "\n    ".join(fmt_e820(kernel_map))))

    n = args.cpus
    want = ["smpboot: Allowing %d CPUs, 0 hotplug CPUs" % n,
            "smp: Brought up 1 node, %d CPU%s" % (n, "" if n == 1 else "s"),
            "smpboot: Total of %d processors activated" % n]
    if n == 1:
        want.append("smpboot: SMP disabled")
    for w in want:
        if not find(con, "^" + re.escape(w)):
            got = [t for t in texts if re.match(r"(smp|smpboot): ", t)]
            raise Fail('no "%s" line; the kernel said:\n  %s'
                       % (w, "\n  ".join(got) or "(no smp/smpboot lines)"))

    hit = find(con, MARKER_RE.pattern)
    if not hit:
        raise Fail('no init marker "INIT-MARKER tiny-init"')
    marker_time, _, m = hit
    uptime = m.group(1) or "?"
    if not m.group(1):
        log("note: /init could not read /proc/uptime")

    if boot.status != DEBUG_EXIT_STATUS:
        raise Fail("VMM exit status %s, expected %d (debug-exit port 0xf4 <- 1)"
                   % (boot.status, DEBUG_EXIT_STATUS))
    for t in texts:
        if KERNEL_WARN_RE.search(t):
            log("note: the kernel warned: " + t)
    return {"release": release, "marker": marker_time, "uptime": uptime,
            "usable": usable, "e820": len(kernel_map)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vmm", choices=("cvmm", "qemu"), default="cvmm")
    ap.add_argument("--cvmm", help="the cvmm binary (for --vmm cvmm)")
    ap.add_argument("--qemu", default="qemu-system-x86_64")
    ap.add_argument("--firmware", help="boot through this firmware ROM "
                    "(cvmm's test firmware: its e820 lines are the reference)")
    ap.add_argument("--igvm", help="boot through this IGVM file's native platform "
                    "(tests/igvm/mkigvm.py wrapping the test firmware)")
    ap.add_argument("--boot", choices=("bzimage", "pvh"), default="pvh")
    ap.add_argument("--cpus", type=int, default=1, choices=range(1, 5),
                    metavar="N", help="1..4 (the kernel has NR_CPUS=4)")
    ap.add_argument("--memory", default="256M")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--log", help="console log (default: linux-boot-<vmm>-"
                    "<boot>-<cpus>.log in the current directory)")
    ap.add_argument("--kernel-env", help="file written by "
                    "scripts/build-test-kernel.sh --out (default: run it)")
    ap.add_argument("--release", help="expected kernel release in the banner "
                    "(default: the built one)")
    ap.add_argument("--vmm-arg", action="append", default=[],
                    help="extra argument for the VMM (repeatable)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="also echo the console to stdout")
    ap.add_argument("--build-only", action="store_true",
                    help="only build (or find cached) kernel and initramfs")
    args = ap.parse_args()

    why = kvm_skip_reason()
    if why:
        print("SKIP: %s" % why)
        return SKIP
    try:
        kenv = load_kernel_env(args.kernel_env, quiet=not args.build_only)
    except (Fail, OSError) as e:
        print("linux-boot: FAIL: %s" % e)
        return 1
    if args.build_only:
        for k in sorted(kenv):
            log("%s=%s" % (k, kenv[k]))
        return 0
    if args.release is None:
        args.release = kenv.get("CVMM_KERNEL_RELEASE")
    if args.vmm == "cvmm" and not args.cvmm:
        ap.error("--vmm cvmm needs --cvmm PATH")
    parse_size(args.memory)

    cmdline = expected_cmdline(args.cpus)
    cmd = vmm_command(args, kenv, cmdline)
    logpath = args.log or "linux-boot-%s-%s-%d.log" % (args.vmm, args.boot, args.cpus)
    what = "%s %s %d vCPU%s" % (args.vmm, args.boot, args.cpus,
                                "" if args.cpus == 1 else "s")
    log("%s: %s" % (what, " ".join(shlex.quote(c) for c in cmd)))
    log("console log: %s" % os.path.abspath(logpath))

    def watch(kind, line):
        if kind == "stderr":
            if VMM_FATAL_RE.search(line):
                return "VMM diagnosis: " + line
            return None
        text = PRINTK_RE.sub("", line)
        if KERNEL_FATAL_RE.search(text):
            return "kernel: " + text
        return None

    with open(logpath, "w") as logf:
        logf.write("# %s\n" % " ".join(shlex.quote(c) for c in cmd))
        boot = Boot(cmd, logf, args.verbose)
        try:
            stop = boot.run(args.timeout, watch)
        except OSError as e:
            print("linux-boot: FAIL: %s: cannot run %s: %s" % (what, cmd[0], e))
            return 1
        try:
            if stop:
                raise Fail(stop)
            res = check(boot, args, cmdline)
        except Fail as e:
            print("linux-boot: FAIL: %s: %s" % (what, e))
            print("---- last %d console lines (of %d) ----"
                  % (min(TAIL, len(boot.raw_console)), len(boot.raw_console)))
            for line in boot.raw_console[-TAIL:]:
                print(line)
            print("---- VMM stderr (last %d lines) ----" % TAIL)
            for line in boot.stderr[-TAIL:]:
                print(line)
            print("---- VMM exit status %s after %.1f s; log %s ----"
                  % (boot.status, boot.exit_time or 0.0, os.path.abspath(logpath)))
            logf.write("# FAIL: %s\n" % e)
            return 1
        logf.write("# PASS\n")
    log("PASS vmm=%s boot=%s cpus=%d marker=%.2f exit=%.2f uptime=%s "
        "release=%s e820=%d usable=%dK log=%s"
        % (args.vmm, args.boot, args.cpus, res["marker"], boot.exit_time,
           res["uptime"], res["release"], res["e820"], res["usable"] >> 10,
           os.path.abspath(logpath)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
