#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""cvmm-agent end to end in a guest: attested LUKS2 unlock under cvmm.

The test kernel (scripts/build-test-kernel.sh, cached) boots under cvmm
with a tiny initramfs (guests/linux/agent-init.c + an agent configuration
file), the read-only tools image (scripts/build-agent-image.sh: cvmm-agent,
cryptsetup, mke2fs and their libraries on ext2, opened by the kernel as a
dm-verity device from dm-mod.create= on the command line), a blank data
disk, virtio-rng and the hybrid vsock.  On the host side of the vsock:

  <uds>_4051  the sim-TEE stand-in (simtee.py) signing v3 reports with a
              test VCEK (until cvmm serves that port itself)
  <uds>_8443  a real cvmm-broker, TLS with its public key pinned by the
              guest, --test-roots for the test chain, a policy on the
              sim's MEASUREMENT, a random 32-byte disk key

Boots:
  1. format   cvmm.agent.format-empty=yes: the agent attests, gets the key,
              luksFormats the blank disk (LUKS2, PBKDF2), makes ext2,
              mounts it; /init writes hello.txt (a random token)
  2. unlock   no format-empty: attest, key, open, mount; /init prints the
              file, which must be the token of boot 1
  3. denied   (unless --quick) the broker's policy now wants another
              measurement: the agent prints the broker's reason in one line,
              exits 2, the disk is not opened (the image is byte-identical)
  4. tampered (unless --quick) one byte of the tools archive changed: /init
              refuses it before anything from it runs

The tools (cvmm-agent, cryptsetup, mke2fs, their libraries) come as a cpio
archive whose SHA-256 is cvmm.tools= on the measured command line; /init
reads it with O_DIRECT, checks it at CPL3 and unpacks it into a tmpfs
(guests/linux/agent-tools.c).  --tools verity opens an ext2 image through
dm-verity instead (dm-mod.create=), which this KVM makes cost ~90 s per MiB.

Also asserted: the disk image has a LUKS2 header after boot 1 and the token
in clear nowhere in it; no form of the key in any console or broker log.
Prints the timing split (kernel to agent, agent to key, key to mounted) per
boot.  Exits 77 (skip) without /dev/kvm, cryptsetup or a test kernel.

usage: agent_guest.py --cvmm PATH --build DIR [--timeout S] [--log FILE] [--quick]
                      [--tools archive|verity|plain]
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import hostside  # noqa: E402
import simtee  # noqa: E402
import testpki  # noqa: E402

SKIP = 77
BASE = ("console=hvc0 panic=-1 tsc=reliable noxsave no_int3_selftest "
        "clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off "
        "initramfs_async=0 pvm_syscall_fixup nosmp")
MEASUREMENT = hashlib.sha384(b"cvmm-agent test guest").digest()
RESOURCE = "default/key/disk"
DATA_SIZE = 4 << 20   # 1 MiB LUKS2 header + a 3 MiB ext2: less to encrypt at emulated CPL0


def log(msg):
    print("agent-guest: " + msg, flush=True)


def kernel_env():
    r = subprocess.run([os.path.join(SRC, "scripts", "build-test-kernel.sh"), "--quiet"],
                       capture_output=True, text=True)
    if r.returncode:
        return None, (r.stderr.strip().splitlines() or ["no message"])[-1]
    env = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)
    return env, None


def boot(a, kenv, tmp, tools, cpio, data, cmdline, logf, name):
    cmd = [a.cvmm, "boot", "--pvh", kenv["CVMM_VMLINUX"], "--initramfs", cpio,
           "--memory", "size=512M", "--debug-exit", "--console", "virtio",
           "--blk", "path=%s,readonly=on" % tools["disk"], "--blk", "path=" + data,
           "--entropy", "--vsock", "cid=3,uds=" + os.path.join(tmp, "v.sock"),
           "--cmdline", cmdline]
    logf.write("=== %s: %s\n" % (name, " ".join(cmd)))
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    try:
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        lines, pending = [], b""
        while True:
            if time.monotonic() - start > a.timeout:
                p.kill()
                p.wait()
                lines.append("TIMEOUT after %.0f s" % a.timeout)
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
                logf.write(stamp + "\n")
                logf.flush()
                if line.startswith(("AGENT-INIT", "cvmm-agent:", "cvmm:")):
                    print("  " + stamp, flush=True)
    finally:
        if p.poll() is None:
            p.kill()
    status = p.wait()
    return status, lines, time.monotonic() - start


def uptimes(lines):
    """kernel->agent, agent->key, key->mounted from the agent's uptime stamps."""
    pats = {"start": r"cvmm-agent: started at uptime ([0-9.]+)",
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
    if len(t) < 3:
        return "incomplete"
    return ("kernel to agent %.1f s, agent to key %.1f s, key to mounted %.1f s"
            % (t["start"], t["key"] - t["start"], t["mounted"] - t["key"]))


def main():
    # a test runner's SIGTERM unwinds through the finally blocks, which stop
    # the broker and the sim-TEE
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--log")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--tools", choices=("archive", "verity", "plain"), default="archive",
                    help="archive: a cpio checked against cvmm.tools= (default); verity: an "
                    "ext2 image through dm-verity (~90 s per MiB read here); plain: that "
                    "image without integrity")
    a = ap.parse_args()
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
    r = subprocess.run([os.path.join(SRC, "scripts", "build-agent-image.sh"),
                        os.path.join(a.build, "cvmm-agent"), os.path.join(tmp, "img")],
                       capture_output=True, text=True)
    if r.returncode:
        print("FAIL: " + r.stderr.strip())
        return 1
    tools = dict(l.split("=", 1) for l in r.stdout.splitlines() if "=" in l)

    pki = os.path.join(tmp, "pki")
    testpki.snp_chain(pki)
    key = os.urandom(32)
    broker = hostside.Broker(a.build, tmp, pki)
    broker.admin(RESOURCE, key, json.dumps({"snp": {"measurement": [MEASUREMENT.hex()]}}))
    sim = simtee.SimTee(os.path.join(tmp, "v.sock_4051"), pki, MEASUREMENT,
                        log=lambda m: logf.write("[host] %s\n" % m)).start()
    broker.serve("unix:" + os.path.join(tmp, "v.sock_8443"))

    conf = os.path.join(tmp, "agent.conf")
    with open(conf, "w") as f:
        f.write("# cvmm-agent test guest: the broker part (measured with the initramfs)\n"
                "url = https://broker\npin = %s\nconnect = vsock:2:8443\n"
                "resource = %s\ntee = sim\n" % (broker.pin, RESOURCE))
    cpio = os.path.join(tmp, "initramfs.cpio")
    gen = os.path.join(os.path.dirname(kenv["CVMM_VMLINUX"]), "gen_init_cpio")
    subprocess.run([os.path.join(SRC, "guests", "linux", "build-agent-initramfs.sh"),
                    gen, conf, cpio], check=True)
    data = os.path.join(tmp, "data.img")
    with open(data, "wb") as f:
        f.truncate(DATA_SIZE)
    token = base64.b32encode(os.urandom(10)).decode().lower()
    if a.tools == "verity":
        tools["disk"] = tools["CVMM_AGENT_IMAGE"]
        integrity = ' dm-mod.waitfor=/dev/vda dm-mod.create="%s"' % tools["CVMM_AGENT_DM_CREATE"]
    elif a.tools == "plain":
        tools["disk"] = tools["CVMM_AGENT_IMAGE"]
        integrity = ""
    else:
        tools["disk"] = tools["CVMM_AGENT_ARCHIVE"]
        integrity = " cvmm.tools=" + tools["CVMM_AGENT_ARCHIVE_SHA256"]
    cmdline = (BASE + integrity + " cvmm.agent.device=/dev/vdb cvmm.agent.mount=/mnt/data"
               + " cvmm.agent.fstype=ext2 cvmm.agent.timeout=240 cvmm.agent.keyslots-size=256")
    errors, timings = [], {}
    try:
        log("boot 1: format the blank disk, write a token")
        st, lines, took = boot(a, kenv, tmp, tools, cpio, data,
                               cmdline + " cvmm.agent.format-empty=yes cvmm.test.token=" + token,
                               logf, "format")
        text = "\n".join(lines)
        if st != 3 or "AGENT-INIT wrote " + token not in text or "AGENT-INIT PASS" not in text:
            errors.append("boot 1 (format): exit %d, no 'wrote %s' + PASS" % (st, token))
        timings["format"] = (took, uptimes(lines))
        head = open(data, "rb").read()
        if head[:6] != b"LUKS\xba\xbe" or token.encode() in head:
            errors.append("after boot 1 the disk has no LUKS header or the token in clear")
        if not errors:
            log("boot 2: unlock and read the token back")
            st, lines, took = boot(a, kenv, tmp, tools, cpio, data, cmdline, logf, "unlock")
            text = "\n".join(lines)
            if st != 3 or "AGENT-INIT file: " + token not in text:
                errors.append("boot 2 (unlock): exit %d, no 'file: %s'" % (st, token))
            timings["unlock"] = (took, uptimes(lines))
        if not errors and not a.quick:
            log("boot 3: the broker's policy wants another measurement")
            broker.stop()
            broker.admin(RESOURCE, key, json.dumps({"snp": {"measurement": ["00" * 48]}}))
            broker.serve("unix:" + os.path.join(tmp, "v.sock_8443"))
            before = hashlib.sha256(open(data, "rb").read()).digest()
            st, lines, took = boot(a, kenv, tmp, tools, cpio, data, cmdline, logf, "denied")
            deny = [l for l in lines if l.startswith("cvmm-agent:") and "HTTP 403" in l]
            if st != (2 + 2) * 2 + 1 or len(deny) != 1 or \
                    hashlib.sha256(open(data, "rb").read()).digest() != before:
                errors.append("boot 3 (denied): exit %d, %d deny lines, disk changed: %s"
                              % (st, len(deny), hashlib.sha256(open(data, "rb").read()).digest() != before))
            timings["denied"] = (took, uptimes(lines))
        if not errors and not a.quick and a.tools == "archive":
            log("boot 4: one byte of the tools archive changed")
            bad = os.path.join(tmp, "tools-bad.cpio")
            shutil.copyfile(tools["disk"], bad)
            with open(bad, "r+b") as f:
                f.seek(os.path.getsize(bad) // 2)
                b = f.read(1)
                f.seek(-1, 1)
                f.write(bytes([b[0] ^ 1]))
            good, tools["disk"] = tools["disk"], bad
            st, lines, took = boot(a, kenv, tmp, tools, cpio, data, cmdline, logf, "tampered")
            tools["disk"] = good
            text = "\n".join(lines)
            if st != 5 or "does not match cvmm.tools=" not in text or "cvmm-agent:" in text:
                errors.append("boot 4 (tampered tools): exit %d, no refusal before the agent" % st)
            timings["tampered"] = (took, {})
    finally:
        broker.stop()
        sim.close()
        logf.close()
    logs = open(logf.name).read() + open(os.path.join(tmp, "broker.log")).read()
    for form in (key.hex(), base64.b64encode(key).decode().rstrip("="),
                 base64.urlsafe_b64encode(key).decode().rstrip("=")):
        if form in logs:
            errors.append("key material in a log")
    for name, (took, t) in timings.items():
        log("%-7s %.1f s wall; %s" % (name, took, split(t)))
    if errors:
        for e in errors:
            print("FAIL: " + e)
        print("logs in " + tmp)
        return 1
    log("PASS (%d boots)" % len(timings))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
