#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""cvmm-agent end to end: a simulated SEV-SNP guest unlocks its LUKS2 disk.

The owner's flow, on this machine without SEV hardware:

  1. `cvmm sim-ca init`: the simulated platform's TEST chain (ARK -> ASK ->
     VCEK); its test-roots.pem is the only thing the broker trusts besides
     AMD's roots (--test-roots);
  2. `cvmm measure` with exactly the flags of the boot (plus --cpu
     model=EPYC-Milan, the simulated host's CPU): the golden MEASUREMENT.  (No
     `cvmm measure --json` yet -- issue 11 -- so its one hex line is parsed);
  3. a real cvmm-broker (TLS, its public key pinned by the guest, reached
     through cvmm's hybrid vsock as <uds>_8443) with a random 32-byte disk
     key and a policy that allows that measurement;
  4. `cvmm boot --coco snp,policy=0x30000,platform=sim,sim-ca=DIR` through
     cvmm's test firmware with the test kernel (bzImage), the agent's
     initramfs and a command line -- measured direct boot: the SNP kernel
     hashes of all three are in the launch digest -- the tools archive, a
     blank data disk, virtio-rng and --vsock.  cvmm runs the launch on its
     simulated platform, boots the guest on plain KVM, and answers the
     agent's report requests itself (vsock port 4051) with reports whose
     MEASUREMENT is the launch digest, signed by the test VCEK.

Runs (each one `cvmm boot`; the negatives run in parallel, each on a copy of
the disk as the first run left it):
  restart   boot 1: the agent attests, gets the key, formats the blank disk
            (format-empty), /init writes a random token into it and reboots
            (cvmm.test.reboot=yes); cvmm rebuilds the VM and runs the launch
            again; boot 2: the agent attests again, opens, mounts, and /init
            prints the token -- the positive flow and the restart in one run
  initrd    one byte of the initramfs changed (its configuration's comment):
            another measurement, the broker refuses (HTTP 403 PolicyDeny),
            the disk stays locked (byte-identical)
  debug     the guest policy with the DEBUG bit (0xb0000): same measurement,
            refused for the debug bit (policy.debug), disk untouched
  tools     (unless --quick) one byte of the tools archive changed: /init
            refuses it before anything from it runs
The other negatives are host-side (tests/agent/agent_host.py: a broker that
is down, evidence replayed from an earlier session, a pin mismatch): a guest
boot would add nothing to what they test.

Also asserted: a LUKS2 header and no clear token on the disk after the
first run; no form of the key in any console, cvmm or broker log.  Prints
the timing split per boot (launch, kernel to agent, agent to key, key to
mounted).  Exits 77 (skip) without /dev/kvm, cryptsetup or a test kernel.

usage: agent_guest.py --cvmm PATH --build DIR [--firmware ROM] [--timeout S per boot]
                      [--log FILE] [--quick] [--tools archive|verity|plain]
"""
import argparse
import base64
import hashlib
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import hostside  # noqa: E402

SKIP = 77
BASE = ("console=hvc0 panic=-1 tsc=reliable noxsave no_int3_selftest "
        "clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off "
        "initramfs_async=0 pvm_syscall_fixup nosmp")
POLICY = 0x30000
DEBUG_POLICY = POLICY | 1 << 19
VCPU_MODEL = "EPYC-Milan"     # the simulated AMD host's CPU (docs/coco.md)
RESOURCE = "default/key/disk"
DATA_SIZE = 4 << 20   # 1 MiB LUKS2 header + a 3 MiB ext2: less to encrypt at emulated CPL0
CONF_COMMENT = b"# cvmm-agent test guest: the broker part (measured with the initramfs)"


def log(msg):
    print("agent-guest: " + msg, flush=True)


def kernel_env():
    r = subprocess.run([os.path.join(SRC, "scripts", "build-test-kernel.sh"), "--quiet"],
                       capture_output=True, text=True)
    if r.returncode:
        return None, (r.stderr.strip().splitlines() or ["no message"])[-1]
    env = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)
    return env, None


class Guest:
    """The machine's flags, shared by `cvmm measure` and `cvmm boot`."""

    def __init__(self, a, kenv, tmp, ca, fw, tools, data, cmdline):
        self.a, self.kenv, self.tmp, self.ca, self.fw = a, kenv, tmp, ca, fw
        self.tools, self.data, self.cmdline = tools, data, cmdline

    def flags(self, cpio, policy=POLICY):
        """What the launch measures: `cvmm measure` takes exactly these."""
        return ["--coco", "snp,policy=%#x,platform=sim,sim-ca=%s" % (policy, self.ca),
                "--firmware", self.fw, "--kernel", self.kenv["CVMM_BZIMAGE"],
                "--initramfs", cpio, "--cmdline", self.cmdline, "--memory", "size=512M"]

    def boot_flags(self, data=None, uds="v.sock", tools=None):
        """What only the boot takes (cvmm measure refuses them)."""
        # cvmm's machine: the test kernel has no ACPI, so it finds no INTx
        # route behind the Q35 persona (virtio probes fail, -ENOSPC)
        return ["--machine", "cvmm",
                "--console", "virtio", "--blk", "path=%s,readonly=on" % (tools or self.tools),
                "--blk", "path=" + (data or self.data), "--entropy",
                "--vsock", "cid=3,uds=" + os.path.join(self.tmp, uds)]

    def measure(self, cpio, policy=POLICY):
        r = subprocess.run([self.a.cvmm, "measure", "--cpu", "model=" + VCPU_MODEL] +
                           self.flags(cpio, policy), capture_output=True, text=True)
        m = re.fullmatch(r"[0-9a-f]{96}\n", r.stdout)
        if r.returncode or not m:
            raise RuntimeError("cvmm measure: exit %d: %s" % (r.returncode, r.stderr.strip()))
        return r.stdout.strip()

    def boot(self, cpio, logf, name, **kw):
        """One cvmm run; a run other than the first gets its own vsock socket,
        whose port 8443 is the broker's (a symlink), and may run in parallel."""
        uds = "v.sock" if name == "restart" else "v-%s.sock" % name
        if uds != "v.sock" and not os.path.lexists(os.path.join(self.tmp, uds + "_8443")):
            os.symlink(os.path.join(self.tmp, "v.sock_8443"),
                       os.path.join(self.tmp, uds + "_8443"))
        policy = kw.pop("policy", POLICY)
        cmd = [self.a.cvmm, "boot", "-v", "--debug-exit"] + self.flags(cpio, policy) + \
            self.boot_flags(uds=uds, **kw)
        logf.write("=== %s: %s\n" % (name, " ".join(cmd)))
        # --timeout is per guest boot: the restart run boots twice
        return run(cmd, self.a.timeout * (2 if name == "restart" else 1), logf, name)


def run(cmd, timeout, logf, name):
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    lines, pending = [], b""
    try:
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        while True:
            if time.monotonic() - start > timeout:
                p.kill()
                p.wait()
                lines.append("TIMEOUT after %.0f s" % timeout)
                break
            if not sel.select(timeout=1):
                continue
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                raw, pending = pending.split(b"\n", 1)
                line = raw.decode(errors="replace").rstrip("\r")
                stamp = "[%7.2f] %s" % (time.monotonic() - start, line)
                lines.append(line)
                logf.write("%s %s\n" % (name, stamp))
                logf.flush()
                if line.startswith(("AGENT-INIT", "cvmm-agent:", "cvmm: warning",
                                    "cvmm: --coco: platform=sim: launch")) or \
                        (line.startswith("cvmm:") and "e820" not in line and
                         "load" not in line):
                    print("  %-7s %s" % (name, stamp), flush=True)
    finally:
        if p.poll() is None:
            p.kill()
    status = p.wait()
    return status, lines, time.monotonic() - start


def boots(lines):
    """The lines of each boot of one run: each starts with its simulated launch."""
    out = []
    for l in lines:
        if "platform=sim: launch " in l:
            out.append([])
        if out:
            out[-1].append(l)
    return out


def timing(lines):
    """launch (ms), kernel->agent, agent->key, key->mounted for one boot."""
    pats = {"launch": r"platform=sim: launch \d+ measured \S+ \(([0-9.]+) ms\)",
            "start": r"cvmm-agent: started at uptime ([0-9.]+)",
            "key": r"cvmm-agent: key received at uptime ([0-9.]+)",
            "mounted": r"mounted on \S+ at uptime ([0-9.]+)"}
    t = {}
    for k, pat in pats.items():
        for l in lines:
            m = re.search(pat, l)
            if m:
                t[k] = float(m.group(1))
    return t


def split(t):
    s = "launch %.1f ms" % t["launch"] if "launch" in t else "no launch"
    if "start" in t:
        s += ", kernel to agent %.1f s" % t["start"]
    if "key" in t:
        s += ", agent to key %.1f s" % (t["key"] - t["start"])
    if "mounted" in t:
        s += ", key to mounted %.1f s" % (t["mounted"] - t["key"])
    return s


def tamper_conf(cpio, out):
    """One byte of the initramfs changed: a letter of the config's comment."""
    b = bytearray(open(cpio, "rb").read())
    i = b.find(CONF_COMMENT)
    if i < 0:
        raise RuntimeError("the configuration comment is not in the initramfs")
    b[i + 2] ^= 0x20                     # "cvmm" -> "Cvmm": still a comment
    with open(out, "wb") as f:
        f.write(b)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).digest()


def check_denied(errors, name, st, lines, data, before, reason):
    deny = [l for l in lines if l.startswith("cvmm-agent:") and "HTTP 403" in l]
    if st != (2 + 2) * 2 + 1 or len(deny) != 1 or reason not in deny[0]:
        errors.append("%s: exit %d, deny lines %r (want one naming %s)"
                      % (name, st, deny, reason))
    if sha(data) != before:
        errors.append("%s: the disk changed" % name)


def run_restart(g, cpio, logf, token, errors, timings):
    log("run 1: boot, format, write a token, reboot; the rebuilt VM attests again, "
        "unlocks and prints it")
    st, lines, took = g.boot(cpio, logf, "restart")
    text = "\n".join(lines)
    per = boots(lines)
    want = ["AGENT-INIT wrote " + token, "AGENT-INIT reboot", "guest reset: rebuilding the VM",
            "AGENT-INIT file: " + token, "AGENT-INIT PASS"]
    missing = [w for w in want if w not in text]
    if st != 3 or missing or len(per) != 2:
        errors.append("run 1 (restart): exit %d, %d boots, missing %s" % (st, len(per), missing))
    # each boot's evidence came from cvmm's simulated firmware
    for i, b in enumerate(per):
        if not any("platform=sim: report request (VMPL 0, version 3): ok" in l for l in b):
            errors.append("run 1, boot %d: cvmm signed no report" % (i + 1))
    for i, b in enumerate(per):
        timings["restart boot %d" % (i + 1)] = timing(b)
    timings["restart boot 1"]["wall"] = took
    head = open(g.data, "rb").read()
    if head[:6] != b"LUKS\xba\xbe" or token.encode() in head:
        errors.append("after run 1 the disk has no LUKS header or the token in clear")


class Runs:
    """cvmm runs in parallel threads (2 cores: the negatives overlap)."""

    def __init__(self):
        self.threads, self.results = [], {}

    def start(self, name, fn, *args, **kw):
        def body():
            self.results[name] = fn(*args, **kw)
        t = threading.Thread(target=body)
        t.start()
        self.threads.append(t)

    def wait(self):
        for t in self.threads:
            t.join()
        return self.results


def tamper_tools(g, tmp):
    bad = os.path.join(tmp, "tools-bad.cpio")
    shutil.copyfile(g.tools, bad)
    with open(bad, "r+b") as f:
        f.seek(os.path.getsize(bad) // 2)
        b = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([b[0] ^ 1]))
    return bad


def run_negatives(g, a, tmp, cpio, logf, golden, errors, timings):
    """Each on a copy of the unlocked-once disk, which must stay as it was."""
    bad = os.path.join(tmp, "initramfs-bad.cpio")
    tamper_conf(cpio, bad)
    other = g.measure(bad)
    if other == golden:
        errors.append("a changed initramfs measures the same")
    if g.measure(cpio, DEBUG_POLICY) != golden:
        errors.append("the SNP policy changed the measurement")
    disks = {}
    for name in ("initrd", "debug", "tools"):
        disks[name] = os.path.join(tmp, "data-%s.img" % name)
        shutil.copyfile(g.data, disks[name])
    before = sha(g.data)
    log("runs 2 and 3 in parallel: one byte of the initramfs changed (measurement "
        "%s...); the guest policy allows debugging (%#x)" % (other[:16], DEBUG_POLICY))
    runs = Runs()
    runs.start("initrd", g.boot, bad, logf, "initrd", data=disks["initrd"])
    runs.start("debug", g.boot, cpio, logf, "debug", policy=DEBUG_POLICY, data=disks["debug"])
    if not a.quick and a.tools == "archive":
        runs.start("tools", g.boot, cpio, logf, "tools", data=disks["tools"],
                   tools=tamper_tools(g, tmp))
    res = runs.wait()
    for name, reason in (("initrd", "policy.measurement"), ("debug", "debug")):
        st, lines, took = res[name]
        check_denied(errors, "run %s" % name, st, lines, disks[name], before, reason)
        timings[name] = dict(timing(lines), wall=took)
    if "tools" in res:
        st, lines, took = res["tools"]
        text = "\n".join(lines)
        if st != 5 or "does not match cvmm.tools=" not in text or "cvmm-agent:" in text or \
                sha(disks["tools"]) != before:
            errors.append("run tools (tampered archive): exit %d, no refusal before the "
                          "agent" % st)
        timings["tools"] = dict(timing(lines), wall=took)


def prepare(a, kenv, tmp):
    """Tools, sim CA, broker, initramfs, disk, command line: the Guest."""
    r = subprocess.run([os.path.join(SRC, "scripts", "build-agent-image.sh"),
                        os.path.join(a.build, "cvmm-agent"), os.path.join(tmp, "img")],
                       capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(r.stderr.strip())
    tools = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)
    ca = os.path.join(tmp, "ca")
    t0 = time.monotonic()
    r = subprocess.run([a.cvmm, "sim-ca", "init", ca], capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError("cvmm sim-ca init: " + r.stderr.strip())
    log("sim CA made in %.1f s" % (time.monotonic() - t0))
    broker = hostside.Broker(a.build, tmp, ca)
    conf = os.path.join(tmp, "agent.conf")
    with open(conf, "wb") as f:
        f.write(CONF_COMMENT + b"\n" +
                ("url = https://broker\npin = %s\nconnect = vsock:2:8443\n"
                 "resource = %s\ntee = sim\n" % (broker.pin, RESOURCE)).encode())
    cpio = os.path.join(tmp, "initramfs.cpio")
    gen = os.path.join(os.path.dirname(kenv["CVMM_VMLINUX"]), "gen_init_cpio")
    subprocess.run([os.path.join(SRC, "guests", "linux", "build-agent-initramfs.sh"),
                    gen, conf, cpio], check=True)
    data = os.path.join(tmp, "data.img")
    with open(data, "wb") as f:
        f.truncate(DATA_SIZE)
    if a.tools == "verity":
        disk = tools["CVMM_AGENT_IMAGE"]
        integrity = ' dm-mod.waitfor=/dev/vda dm-mod.create="%s"' % tools["CVMM_AGENT_DM_CREATE"]
    elif a.tools == "plain":
        disk, integrity = tools["CVMM_AGENT_IMAGE"], ""
    else:
        disk = tools["CVMM_AGENT_ARCHIVE"]
        integrity = " cvmm.tools=" + tools["CVMM_AGENT_ARCHIVE_SHA256"]
    token = base64.b32encode(os.urandom(10)).decode().lower()
    cmdline = (BASE + integrity + " cvmm.agent.device=/dev/vdb cvmm.agent.mount=/mnt/data"
               " cvmm.agent.fstype=ext2 cvmm.agent.timeout=240 cvmm.agent.keyslots-size=256"
               " cvmm.agent.format-empty=yes cvmm.test.reboot=yes cvmm.test.token=" + token)
    fw = a.firmware or os.path.join(a.build, "guests", "firmware", "cvmm-testfw.rom")
    return Guest(a, kenv, tmp, ca, fw, disk, data, cmdline), broker, cpio, token


def leaks(key, paths):
    text = "".join(open(p, errors="replace").read() for p in paths if os.path.exists(p))
    return [form for form in (key.hex(), base64.b64encode(key).decode().rstrip("="),
                              base64.urlsafe_b64encode(key).decode().rstrip("="))
            if form in text]


def args():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--firmware", help="cvmm's test firmware (default: in --build)")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    ap.add_argument("--quick", action="store_true", help="without the tampered-tools run")
    ap.add_argument("--tools", choices=("archive", "verity", "plain"), default="archive",
                    help="archive: a cpio checked against cvmm.tools= (default); verity: an "
                    "ext2 image through dm-verity (~90 s per MiB read here); plain: that "
                    "image without integrity")
    return ap.parse_args()


def main():
    # a test runner's SIGTERM unwinds through the finally blocks, which stop the broker
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    a = args()
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return SKIP
    for tool in ("cryptsetup", "veritysetup", "mke2fs", "openssl"):
        if not shutil.which(tool):
            print("SKIP: %s not found (apt-get install cryptsetup-bin e2fsprogs openssl)" % tool)
            return SKIP
    kenv, why = kernel_env()
    if not kenv:
        print("SKIP: the test kernel cannot be built: " + why)
        return SKIP
    tmp = tempfile.mkdtemp(prefix="cvmm-agent-guest-")
    logf = open(a.log or os.path.join(tmp, "console.log"), "w")
    t0 = time.monotonic()
    g, broker, cpio, token = prepare(a, kenv, tmp)
    key = os.urandom(32)
    errors, timings = [], {}
    try:
        golden = g.measure(cpio)
        log("cvmm measure: %s" % golden)
        broker.admin(RESOURCE, key, json.dumps({"snp": {"measurement": [golden]}}))
        broker.serve("unix:" + os.path.join(tmp, "v.sock_8443"))
        run_restart(g, cpio, logf, token, errors, timings)
        if not errors:
            run_negatives(g, a, tmp, cpio, logf, golden, errors, timings)
    finally:
        broker.stop()
        logf.close()
    if leaks(key, [logf.name, os.path.join(tmp, "broker.log")]):
        errors.append("key material in a log")
    for name, t in timings.items():
        log("%-15s %s%s" % (name, split(t), ", %.1f s wall" % t["wall"] if "wall" in t else ""))
    log("total %.1f s" % (time.monotonic() - t0))
    if errors:
        for e in errors:
            print("FAIL: " + e)
        print("logs in " + tmp)
        return 1
    log("PASS (%d runs)" % (len(timings) - 1))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
