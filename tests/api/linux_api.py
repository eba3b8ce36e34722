#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Kata's clh sequence replayed with the Linux test guest (suite 'linux').

usage: linux_api.py --cvmm PATH [--timeout S] [--kernel-env FILE]

`cvmm api` is driven as Kata Containers' clh driver drives Cloud
Hypervisor: ping, create (Kata's body for a confidential sandbox: kernel,
initramfs, command line, vCPUs, memory, rng, vsock, the virtio console),
info (Created), add-net with the two queue fds of a multiqueue tap opened
with vnet headers (IFF_VNET_HDR, as Kata opens it) in a network namespace
the test creates, boot, info (Running); then the guest's /init
(tests/api/linux_init.c) configures eth0 and exchanges UDP with the host
end of the tap; pause (the guest's heartbeat stops), resume (it goes on),
shutdown, info (Shutdown), vmm.shutdown.  While it is paused the host sends
it 300 UDP datagrams: the device takes them and raises its interrupt, which
waits in KVM; the guest must go on after vm.resume.  Every body is checked against
Cloud Hypervisor's OpenAPI document.  A boot takes 20-60 s here (guest
kernel code is interpreted).  Exits 77 without /dev/kvm, the test kernel,
or a network namespace.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apitest  # noqa: E402

CMDLINE = ("console=hvc0 panic=-1 tsc=reliable noxsave no_int3_selftest "
           "clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off "
           "initramfs_async=0 pvm_syscall_fixup nosmp")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


def kernel_env(path):
    if path:
        text = open(path).read()
    else:
        res = subprocess.run([os.path.join(apitest.SRC, "scripts", "build-test-kernel.sh"),
                              "--quiet"], capture_output=True, text=True)
        if res.returncode:
            return None
        text = res.stdout
    env = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    return env if os.path.isfile(env.get("CVMM_VMLINUX", "")) else None


def udp_pong(stop, seen):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("10.0.2.1", 7777))
    s.settimeout(0.5)
    while not stop.is_set():
        try:
            data, peer = s.recvfrom(64)
        except socket.timeout:
            continue
        seen.append((data, peer))
        if data == b"ping":
            s.sendto(b"pong", peer)
    s.close()


def alive(vm):
    found = re.findall(r"API-INIT alive (\d+)", vm.stdout())
    return int(found[-1]) if found else -1


def wait_line(vm, text, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = vm.stdout()
        if text in out or "Kernel panic" in out or vm.p.poll() is not None:
            return text in out
        time.sleep(0.2)
    return False


def expect(api, method, endpoint, status, body=None, **kw):
    got, data, _ = api.call(method, endpoint, body, **kw)
    check(got == status, "%s %s: %d, expected %d (%s)" % (method, endpoint, got, status, data))
    return data


def replay(a, env, tmp, fds):
    cpio = os.path.join(tmp, "api-initramfs.cpio")
    gen = os.path.join(os.path.dirname(env["CVMM_VMLINUX"]), "gen_init_cpio")
    subprocess.run([os.path.join(apitest.SRC, "guests", "linux-virtio", "build-initramfs.sh"),
                    gen, cpio, os.path.join(os.path.dirname(__file__), "linux_init.c")],
                   check=True)
    sock = os.path.join(tmp, "api.sock")
    contract = apitest.Contract()
    vm = apitest.Cvmm(a.cvmm, ["api", "--api-socket", sock], sock, tmp)
    api = apitest.Api(sock, contract)
    try:
        expect(api, "GET", "vmm.ping", 200)
        body = apitest.kata_vmconfig(env["CVMM_VMLINUX"], cmdline=CMDLINE, initramfs=cpio,
                                     vsock=os.path.join(tmp, "clh.sock"), mem_mib=256,
                                     console="Tty", serial="Off")
        expect(api, "PUT", "vm.create", 204, body)
        info = expect(api, "GET", "vm.info", 200)
        check(info and info["state"] == "Created", "info after create: %r" % info)
        expect(api, "PUT", "vm.add-net", 204, apitest.kata_netconfig("02:00:ca:fe:00:01"),
               fds=fds)
        expect(api, "PUT", "vm.boot", 204)
        info = expect(api, "GET", "vm.info", 200)
        check(info and info["state"] == "Running", "info after boot: %r" % info)
        start = time.time()
        if not check(wait_line(vm, "API-INIT NET ok", a.timeout),
                     "no 'API-INIT NET ok' (last output: %r)" % vm.stdout()[-2000:]):
            return vm, api, contract
        print("linux-api: the guest's network answered after %.0f s" % (time.time() - start))
        check(wait_line(vm, "API-INIT alive 3", 60), "no heartbeat")
        expect(api, "PUT", "vm.pause", 204)
        time.sleep(0.5)
        before = alive(vm)
        # frames for the paused guest: the device's loop takes them and raises
        # its interrupt; it waits in KVM until the vCPU runs again
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        tx.bind(("10.0.2.1", 0))
        for i in range(300):
            tx.sendto(b"while paused %d" % i, ("10.0.2.2", 9))
        tx.close()
        time.sleep(2)
        check(alive(vm) == before, "the heartbeat went on while paused (%d -> %d)" %
              (before, alive(vm)))
        expect(api, "PUT", "vm.resume", 204)
        check(wait_line(vm, "API-INIT alive %d" % (before + 3), 60),
              "no heartbeat after vm.resume")
        expect(api, "PUT", "vm.shutdown", 204)
        info = expect(api, "GET", "vm.info", 200)
        check(info and info["state"] == "Shutdown", "info after shutdown: %r" % info)
        expect(api, "PUT", "vmm.shutdown", 204)
        check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))
    finally:
        api.close()
    return vm, api, contract


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--kernel-env")
    a = ap.parse_args()
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: /dev/kvm is not available")
        return apitest.SKIP
    env = kernel_env(a.kernel_env)
    if not env:
        print("SKIP: the test kernel cannot be built")
        return apitest.SKIP
    why = apitest.enter_netns()
    if why:
        print("SKIP: " + why)
        return apitest.SKIP
    tmp = tempfile.mkdtemp(prefix="cvmm-linux-api-")
    fds = apitest.open_tap("tapk0", queues=2, address="10.0.2.1/24")
    stop, seen = threading.Event(), []
    t = threading.Thread(target=udp_pong, args=(stop, seen), daemon=True)
    t.start()
    vm = None
    try:
        vm, _, contract = replay(a, env, tmp, fds)
        for v in contract.violations:
            check(False, "contract: " + v)
    finally:
        stop.set()
        if vm:
            vm.kill()
    check(any(d == b"ping" for d, _ in seen), "the host saw no ping from the guest")
    if failures:
        if vm:
            print("--- cvmm stderr\n" + vm.stderr()[-3000:])
        return 1
    print("linux-api: PASS (%d bodies checked against the OpenAPI document)" % contract.checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
