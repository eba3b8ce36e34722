#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""--user, capabilities, no_new_privs and the filters, as the kernel sees them.

usage: user_test.py CVMM REBOOT_GUEST IDLE_GUEST

As root (skipped otherwise):
- the reboot test guest resets three times under --user 65534:65534 and
  the filters: each rebuild of the VM (KVM, guest RAM, vCPU threads,
  devices) happens with no privilege left;
- a running cvmm --user 65534:65534 with a control API, vsock and rng:
  /proc says UID/GID 65534, no capability in any set (bounding too),
  NoNewPrivs, every thread under seccomp with its own filter stacked on
  the main thread's (vcpu0, virtio-rng, api: 2; main: 1); vm.reboot
  rebuilds the VM; vmm.shutdown ends cvmm with 0 and both sockets it
  made are gone.

Exits 0, 1 on failure, 77 without /dev/kvm or root.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

NOBODY = 65534


def status_of(path):
    with open(path) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def ctl(cvmm, sock, *args):
    return subprocess.run([cvmm, "ctl", "--api-socket", sock] + list(args),
                          capture_output=True, text=True, timeout=30)


def check_proc(pid, errors):
    st = status_of("/proc/%d/status" % pid)
    for key, want in (("Uid", "%d\t%d\t%d\t%d" % ((NOBODY,) * 4)),
                      ("Gid", "%d\t%d\t%d\t%d" % ((NOBODY,) * 4)),
                      ("Groups", "%d" % NOBODY), ("CapInh", "0" * 16), ("CapPrm", "0" * 16),
                      ("CapEff", "0" * 16), ("CapBnd", "0" * 16), ("CapAmb", "0" * 16),
                      ("NoNewPrivs", "1"), ("Seccomp", "2")):
        if st.get(key, "").strip() != want:
            errors.append("main thread: %s is %r, not %r" % (key, st.get(key), want))
    threads = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
            name = f.read().strip()
        threads[name] = status_of("/proc/%d/task/%s/status" % (pid, tid))
    want = {"vcpu0": "2", "virtio-rng": "2", "api": "2", "cvmm": "1"}
    for name, n in want.items():
        t = threads.get(name)
        if not t:
            errors.append("no thread %s (threads: %s)" % (name, sorted(threads)))
        elif t.get("Seccomp") != "2" or t.get("Seccomp_filters") != n:
            errors.append("thread %s: Seccomp %s, %s filters (want 2, %s)" %
                          (name, t.get("Seccomp"), t.get("Seccomp_filters"), n))
    print("threads: " + ", ".join("%s (%s filters)" % (n, t.get("Seccomp_filters"))
                                  for n, t in sorted(threads.items())))


def main():
    cvmm, reboot_guest, idle_guest = sys.argv[1:4]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: no /dev/kvm")
        return 77
    if os.geteuid():
        print("SKIP: --user needs root")
        return 77
    errors = []
    user = ["--user", "%d:%d" % (NOBODY, NOBODY)]
    p = subprocess.run([cvmm, "boot", "--ucall", "--kernel", reboot_guest] + user,
                       capture_output=True, text=True, timeout=60)
    print("reboot guest under --user: status %d" % p.returncode)
    if p.returncode != 36:
        errors.append("the reboot guest under --user: status %d\n%s%s" %
                      (p.returncode, p.stdout, p.stderr))

    with tempfile.TemporaryDirectory(prefix="cvmm-user-") as tmp:
        os.chmod(tmp, 0o777)
        sock, vsock = os.path.join(tmp, "api.sock"), os.path.join(tmp, "v.sock")
        proc = subprocess.Popen([cvmm, "boot", "--kernel", idle_guest, "--console", "none",
                                 "--api-socket", sock, "--entropy",
                                 "--vsock", "cid=3,uds=" + vsock] + user,
                                stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(100):
                if os.path.exists(sock) and ctl(cvmm, sock, "ping").returncode == 0:
                    break
                time.sleep(0.1)
            # the API answers before every device thread has named itself
            for _ in range(50):
                found = []
                check_proc(proc.pid, found)
                if not any(e.startswith("no thread") for e in found):
                    break
                time.sleep(0.1)
            errors += found
            for s in (sock, vsock):
                if os.stat(s).st_uid != NOBODY:
                    errors.append("%s is not %d's: it could not remove it" % (s, NOBODY))
            r = ctl(cvmm, sock, "reboot")
            info = ctl(cvmm, sock, "info")
            if r.returncode or not re.search(r'"state": "Running"', info.stdout):
                errors.append("vm.reboot under --user: %s%s" % (r.stdout, r.stderr))
            ctl(cvmm, sock, "shutdown-vmm")
            status = proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        err = proc.stderr.read()
        print("vmm.shutdown: status %d" % status)
        if status != 0 or "sandbox" in err:
            errors.append("cvmm ended with %d:\n%s" % (status, err))
        for s in (sock, vsock):
            if os.path.exists(s):
                errors.append("%s is still there after exit" % s)
    for e in errors:
        print("FAIL: " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
