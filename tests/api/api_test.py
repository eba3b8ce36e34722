#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""The control API against a real cvmm (docs/api.md).

usage: api_test.py --cvmm PATH --guests DIR [--fwimg PATH] [--testfw PATH] CASE

Cases (each a meson test of suite 'guest'):
  kata-idle     Kata's clh sequence replayed with the idle test guest:
                ping, create (Kata's body), info (Created), add-net with the
                tap's two queue fds over SCM_RIGHTS (a multiqueue tap with
                vnet headers in a network namespace the test creates), boot,
                info (Running), vCPU threads named vcpuN, shutdown, info
                (Shutdown), vmm.shutdown; the socket is gone, the status 0.
                Kata's body for a non-confidential sandbox (memory hotplug,
                virtio-fs, pmem) is refused naming the field.
  kata-builtin  the same sequence with the built-in guest: it greets and
                powers off after vm.boot, and cvmm exits 0 as Cloud
                Hypervisor does when its guest powers off.
  hostile       malformed JSON, a body over the limit, chunked, bad
                headers, a slow client (408 after 10 s while others are
                served), 40 connections (the cap answers 503), calls in the
                wrong state: clear errors, and the VM goes on running.
  pause         vm.pause really stops the vCPUs (a spinning guest's vCPU
                thread gets no CPU while paused), vm.resume restarts them;
                vm.reboot rebuilds the VM; a disk added to the running VM
                answers its PCI address.
  coco          vm.coco of SNP and TDX guests running on the simulated
                platform (cvmm api --dry-run) equals `cvmm measure`.
  coco-sim      cvmm boot --coco snp,...,platform=sim --api-socket: vm.coco
                names the simulated launch and its digest (= cvmm measure),
                a disk hot-added to the plain KVM guest, a reboot launches
                again with the same digest.
  config        cvmm boot --config FILE --api-socket, driven by cvmm ctl.

Every request and response body is checked against Cloud Hypervisor's
OpenAPI document (apitest.Contract).  Exits 77 without /dev/kvm, and skips
the tap part (saying why) where a network namespace cannot be created.
"""
import argparse
import json
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

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


def expect(api, method, endpoint, status, body=None, **kw):
    got, data, headers = api.call(method, endpoint, body, **kw)
    check(got == status, "%s %s: status %d, expected %d (%s)" %
          (method, endpoint, got, status, data))
    return data, headers


def wait_for(pred, timeout=10, step=0.02):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return None


class Env:
    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix="cvmm-api-")
        self.sock = os.path.join(self.tmp, "api.sock")
        self.contract = apitest.Contract()
        self.guest = lambda name: os.path.join(args.guests, name)

    def start(self, args, name="cvmm"):
        return apitest.Cvmm(self.args.cvmm, args, self.sock, self.tmp, name)

    def api(self):
        return apitest.Api(self.sock, self.contract)


def vcpu_threads(vm):
    return {tid: n for tid, n in vm.threads().items() if re.fullmatch(r"vcpu\d+", n)}


# ------------------------------------------------------------------ cases

def tap_fds(env):
    why = apitest.enter_netns()
    if why:
        print("SKIP (tap part): " + why)
        return None
    return apitest.open_tap("tapk0", queues=2, address="10.0.2.1/24")


def kata_idle(env):
    fds = tap_fds(env)
    vm = env.start(["api", "--api-socket", env.sock])
    api = env.api()
    ping, _ = expect(api, "GET", "vmm.ping", 200)
    check(ping and ping.get("pid") == vm.p.pid, "vmm.ping: pid %r" % ping)
    expect(api, "GET", "vm.info", 404)
    # Kata's non-confidential sandbox needs what cvmm lacks: refused, naming it
    body = apitest.kata_vmconfig(env.guest("idle.bzImage"), mem_mib=128)
    body["memory"]["hotplug_size"] = 8 << 30
    data, _ = expect(api, "PUT", "vm.create", 400, body)
    check(data and "memory.hotplug_size: cvmm has no memory hotplug" in data["error"],
          "hotplug refusal: %r" % data)
    body = apitest.kata_vmconfig(env.guest("idle.bzImage"), vcpus=2, max_vcpus=4,
                                 mem_mib=128, vsock=os.path.join(env.tmp, "clh.sock"))
    body["serial"] = {"mode": "File", "file": os.path.join(env.tmp, "serial.log")}
    expect(api, "PUT", "vm.create", 204, body)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Created", "info after create: %r" % info)
    if fds:
        # as clh.go: a fresh connection, the request and the fds in one sendmsg
        expect(api, "PUT", "vm.add-net", 204, apitest.kata_netconfig("02:00:ca:fe:00:01"),
               fds=fds)
        for fd in fds:
            os.close(fd)
    expect(api, "PUT", "vm.boot", 204)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Running", "info after boot: %r" % info)
    if fds and info:
        net = info["config"]["net"]
        check(len(net) == 1 and net[0]["tap"] == "tapk0" and
              net[0]["mac"] == "02:00:ca:fe:00:01", "net in vm.info: %r" % net)
    # vm.boot answers once the vCPUs are started; each names itself on its own
    wait_for(lambda: sorted(vcpu_threads(vm).values()) == ["vcpu0", "vcpu1"], timeout=5)
    names = sorted(vcpu_threads(vm).values())
    check(names == ["vcpu0", "vcpu1"], "vCPU threads: %r" % names)
    check(wait_for(lambda: "idle: halting" in open(body["serial"]["file"]).read()),
          "the guest did not boot")
    expect(api, "PUT", "vm.shutdown", 204)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Shutdown", "info after shutdown: %r" % info)
    check(not vcpu_threads(vm), "vCPU threads left after vm.shutdown")
    expect(api, "PUT", "vmm.shutdown", 204)
    api.close()
    check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))
    check(not os.path.exists(env.sock), "the API socket is left behind")


def kata_builtin(env):
    fds = tap_fds(env)
    vm = env.start(["api", "--api-socket", env.sock])
    api = env.api()
    expect(api, "GET", "vmm.ping", 200)
    body = apitest.kata_vmconfig(None, mem_mib=64, serial="Tty")
    del body["payload"]["kernel"], body["payload"]["cmdline"]
    expect(api, "PUT", "vm.create", 204, body)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Created", "info after create: %r" % info)
    if fds:
        expect(api, "PUT", "vm.add-net", 204, apitest.kata_netconfig("02:00:ca:fe:00:02"),
               fds=fds)
    expect(api, "PUT", "vm.boot", 204)
    # the built-in guest greets and powers off: cvmm ends, status 0
    check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))
    check("Hello from the cvmm built-in guest: 1 vCPU, 64 MiB of RAM." in vm.stdout(),
          "the built-in guest's greeting: %r" % vm.stdout())
    api.close()


def raw_exchange(env, data, timeout=15):
    """Send raw bytes on a new connection; (status, body) of the answer, or (None, None)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(env.sock)
    s.sendall(data)
    try:
        status, _, body, _ = apitest.Api.read_response(s)
        return status, json.loads(body) if body else None
    except (ConnectionError, socket.timeout):
        return None, None
    finally:
        s.close()


def put(endpoint, body, extra=b""):
    return (b"PUT /api/v1/%s HTTP/1.1\r\nHost: x\r\n%sContent-Length: %d\r\n\r\n" %
            (endpoint.encode(), extra, len(body)) + body)


def hostile_http(env):
    cases = [
        (put("vm.add-disk", b'{"path":}'), 400, "malformed JSON"),
        (b"PUT /api/v1/vm.add-disk HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n" +
         b"x" * 1000, 413, "too large"),
        (b"PUT /api/v1/vm.create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         b"2\r\n{}\r\n0\r\n\r\n", 411, "Content-Length"),
        (put("vm.add-disk", b"{}", b"Content-Type: text/plain\r\n"), 415, "application/json"),
        (b"GET /api/v1/vm.info HTTP/1.1\r\n\r\n", 400, "Host"),
        (b"GET /api/v1/vm.info HTTP/1.1\nHost: x\n\n", 400, "bare LF"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400, ""),
        (put("vm.add-disk", b"[]"), 400, "expected an object"),
        (put("vm.add-disk", b'{"path":"/x","path":"/y"}'), 400, "duplicate"),
        (put("vm.add-disk", b'{"path":"/x"}garbage'), 400, "malformed JSON"),
        (put("vm.add-disk", b'{"path":"/x\\u0000y"}'), 400, "NUL"),
        (put("vm.add-disk", b"[" * 5000 + b"]" * 5000), 400, "malformed JSON"),
    ]
    for data, status, why in cases:
        got, body = raw_exchange(env, data)
        check(got == status and body and why in body.get("error", ""),
              "hostile %r: %s %r, expected %d (%s)" % (data[:40], got, body, status, why))


def hostile_conns(env, api):
    # a slow client holds a connection with half a header section ...
    slow = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    slow.settimeout(20)
    slow.connect(env.sock)
    slow.sendall(b"GET /api/v1/vm.info HTTP/1.1\r\nHo")
    t0 = time.time()
    # ... while others are served; 40 connections meet the cap of 16
    conns = []
    for _ in range(40):
        c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        c.connect(env.sock)	# blocking: waits in the backlog
        c.settimeout(5)
        conns.append(c)
    time.sleep(0.3)
    refused = 0
    for c in conns:
        try:
            c.sendall(apitest.Api.build("GET", "vmm.ping"))
        except OSError:
            pass	# answered 503 and closed already
        try:
            status, _, _, _ = apitest.Api.read_response(c)
            refused += status == 503
        except (ConnectionError, OSError):
            refused += 1
    check(refused >= 40 - 15, "%d of 40 connections refused at the cap of 16" % refused)
    for c in conns:
        c.close()
    check(wait_for(lambda: api.call("GET", "vmm.ping", fresh=True)[0] == 200, 5),
          "ping after the connections closed")
    status, _, body, _ = apitest.Api.read_response(slow)
    took = time.time() - t0
    check(status == 408 and 8 < took < 14, "slow client: %d after %.1f s" % (status, took))
    slow.close()


def wrong_state(env, api):
    expect(api, "PUT", "vm.boot", 405)			# booted already
    expect(api, "PUT", "vm.resume", 405)		# not paused
    data, _ = expect(api, "PUT", "vm.create", 405, {"payload": {}})
    check(data and "created already" in data["error"], "second create: %r" % data)
    _, headers = expect(api, "GET", "vm.boot", 405)
    check(headers.get("allow") == "PUT", "Allow on GET vm.boot: %r" % headers)
    expect(api, "GET", "vm.nonsense", 404)
    expect(api, "PUT", "vm.snapshot", 501, {"destination_url": "file:///tmp/x"})
    expect(api, "PUT", "vm.add-vsock", 409, {"cid": 4, "socket": env.tmp + "/v2.sock"})
    expect(api, "PUT", "vm.add-disk", 400, {"path": "/x", "vhost_user": True})
    expect(api, "PUT", "vm.add-disk", 500, {"path": "/nonexistent/disk.img"})
    expect(api, "PUT", "vm.info", 405)
    got, body = raw_exchange(env, put("vm.pause", b"{}"))
    check(got == 400 and "takes no body" in body["error"], "a body for vm.pause: %r" % body)
    data, _ = expect(api, "PUT", "vm.add-net", 400, {"mac": "02:00:00:00:00:09"})
    check(data and "tap: required" in data["error"], "add-net without tap: %r" % data)
    r, w = os.pipe()
    data, _ = expect(api, "PUT", "vm.add-net", 400, {"mac": "02:00:00:00:00:09"}, fds=[r])
    check(data and "not a tap device" in data["error"], "add-net with a pipe: %r" % data)
    expect(api, "PUT", "vm.pause", 400, fds=[r])	# takes no fds
    os.close(r)
    os.close(w)


def hostile(env):
    vm = env.start(["api", "--api-socket", env.sock])
    api = env.api()
    expect(api, "GET", "vm.info", 404)
    expect(api, "PUT", "vm.pause", 404)
    expect(api, "PUT", "vm.shutdown", 404)
    serial = os.path.join(env.tmp, "serial.log")
    expect(api, "PUT", "vm.create", 204, {
        "payload": {"kernel": env.guest("idle.bzImage")}, "memory": {"size": 64 << 20},
        "serial": {"mode": "File", "file": serial},
        "vsock": {"cid": 3, "socket": env.tmp + "/v.sock"}})
    expect(api, "PUT", "vm.shutdown", 405)		# not booted
    expect(api, "PUT", "vm.boot", 204)
    hostile_http(env)
    wrong_state(env, api)
    hostile_conns(env, api)
    # the VM is unaffected
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Running", "state after the hostile clients: %r" % info)
    check(vm.p.poll() is None and vcpu_threads(vm), "the VM's process or vCPUs are gone")
    expect(api, "PUT", "vm.pause", 204)
    expect(api, "PUT", "vm.resume", 204)
    check(open(serial).read().count("idle: halting") == 1, "the guest restarted")
    # after vm.delete, devices go nowhere
    expect(api, "PUT", "vm.delete", 204)
    expect(api, "PUT", "vm.add-disk", 404, {"path": "/x"})
    expect(api, "PUT", "vmm.shutdown", 204)
    api.close()
    check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))


def pause(env):
    serial = os.path.join(env.tmp, "serial.log")
    disk = os.path.join(env.tmp, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    vm = env.start(["api", "--api-socket", env.sock])
    api = env.api()
    # the echo guest spins reading COM1: its vCPU always wants the CPU
    expect(api, "PUT", "vm.create", 204, {"payload": {"kernel": env.guest("echo.bzImage")},
                                          "memory": {"size": 64 << 20},
                                          "serial": {"mode": "File", "file": serial}})
    expect(api, "PUT", "vm.boot", 204)
    check(wait_for(lambda: "echo: ready" in open(serial).read()), "the guest did not start")
    tid = next(iter(vcpu_threads(vm)))

    def busy(secs):
        a = vm.cpu_ticks(tid)
        time.sleep(secs)
        return vm.cpu_ticks(tid) - a

    running = busy(1.0)
    expect(api, "PUT", "vm.pause", 204)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Paused", "state: %r" % info)
    time.sleep(0.1)
    paused = busy(1.0)
    expect(api, "PUT", "vm.pause", 405)
    expect(api, "PUT", "vm.resume", 204)
    resumed = busy(1.0)
    print("vCPU 0 ticks in 1 s: running %d, paused %d, resumed %d" % (running, paused, resumed))
    check(running >= 5 and resumed >= 5 and paused <= 1,
          "vCPU ticks per second: running %d, paused %d, resumed %d" %
          (running, paused, resumed))
    # a disk added while it runs goes through the device table onto the bus
    data, _ = expect(api, "PUT", "vm.add-disk", 200, {"path": disk, "id": "data"})
    check(data == {"id": "data", "bdf": "0000:00:01.0"}, "hot-added disk: %r" % data)
    expect(api, "PUT", "vm.add-disk", 409, {"path": disk, "id": "data"})
    # a reboot rebuilds the VM, with the disk, while paused too
    expect(api, "PUT", "vm.pause", 204)
    expect(api, "PUT", "vm.reboot", 204)
    check(wait_for(lambda: open(serial).read().count("echo: ready") == 2), "no second boot")
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["state"] == "Running" and info["config"]["disks"][0]["id"] == "data",
          "after the reboot: %r" % info)
    expect(api, "PUT", "vmm.shutdown", 204)
    api.close()
    check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))


def coco(env):
    fw = os.path.join(env.tmp, "fw.img")
    fw_tdx = os.path.join(env.tmp, "fw-tdx.img")
    subprocess.run([env.args.fwimg, "ovmf", fw], check=True)
    subprocess.run([env.args.fwimg, "stage0-tdx", fw_tdx], check=True)
    host_data = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    cases = [
        ("snp", {"payload": {"firmware": fw, "host_data": host_data},
                 "cpus": {"boot_vcpus": 2, "max_vcpus": 2}, "platform": {"sev_snp": True}},
         ["--coco", "snp,policy=0x30000,host-data=" + host_data, "--firmware", fw,
          "--cpu", "count=2,model=EPYC-Milan"]),
        ("tdx", {"payload": {"firmware": fw_tdx}, "platform": {"tdx": True},
                 "memory": {"size": 1 << 30}},
         ["--coco", "tdx,attr=0x10000000", "--firmware", fw_tdx, "--memory", "size=1G"]),
    ]
    for name, body, flags in cases:
        vm = env.start(["api", "--dry-run", "--api-socket", env.sock], name)
        api = env.api()
        body["serial"] = {"mode": "Off"}
        expect(api, "PUT", "vm.create", 204, body)
        data, _ = expect(api, "GET", "vm.coco", 200)
        check(data and data["launch_state"] == "created" and "measurement" not in data,
              "%s: vm.coco before boot: %r" % (name, data))
        expect(api, "PUT", "vm.boot", 204)
        data, _ = expect(api, "GET", "vm.coco", 200)
        want = subprocess.run([env.args.cvmm, "measure"] + flags, capture_output=True,
                              text=True).stdout.strip()
        got = data and data.get("measurement", {}).get("measurement")
        check(got == want and data["platform_measured"] == want and
              data["backend"] == "simulated" and data["launch_state"] == "running",
              "%s: vm.coco %r, cvmm measure %s" % (name, data, want))
        # the same object as cvmm measure --json with the same flags, and its
        # command line reproduces the digest
        # (a signature no platform measures, a TD's, is the VM's own: measure has none)
        mj = subprocess.run([env.args.cvmm, "measure", "--json"] + flags, capture_output=True,
                            text=True)
        got_j = dict(data["measurement"]) if data else {}
        if not got_j.get("vcpu_signature_measured", True):
            got_j["vcpu_signature"] = None
        check(mj.returncode == 0 and got_j == json.loads(mj.stdout),
              "%s: vm.coco %r, cvmm measure --json %s" % (name, data, mj.stdout))
        cmd = data and data["measurement"]["command"].split()
        again = subprocess.run([env.args.cvmm] + cmd[1:], capture_output=True, text=True)
        check(again.stdout.strip() == want, "%s: %s: %r" % (name, cmd, again))
        if name == "snp":
            check(data["measurement"]["host_data"] == host_data and
                  data["measurement"]["policy"] == "0x30000", "snp fields: %r" % data)
        expect(api, "PUT", "vm.pause", 204)
        data, _ = expect(api, "GET", "vm.coco", 200)
        check(data and data["launch_state"] == "paused", "%s: paused: %r" % (name, data))
        expect(api, "PUT", "vm.reboot", 204)		# a new launch, the same digest
        data, _ = expect(api, "GET", "vm.coco", 200)
        check(data and data["launches"] == 2 and data["measurement"]["measurement"] == want,
              "%s: after the reboot: %r" % (name, data))
        expect(api, "PUT", "vmm.shutdown", 204)
        api.close()
        check(vm.wait() == 0, "%s: exit %s: %s" % (name, vm.p.returncode, vm.stderr()))


def coco_sim(env):
    """platform=sim under the API: the simulated launch, the plain KVM guest."""
    disk = os.path.join(env.tmp, "disk.img")
    serial = os.path.join(env.tmp, "serial.log")
    with open(disk, "wb") as f:
        f.truncate(1 << 20)
    flags = ["--coco", "snp,policy=0x30000,platform=sim", "--firmware", env.args.testfw,
             "--kernel", env.guest("idle.bzImage"), "--memory", "size=128M"]
    want = subprocess.run([env.args.cvmm, "measure", "--cpu", "model=EPYC-Milan"] + flags,
                          capture_output=True, text=True).stdout.strip()
    check(len(want) == 96, "cvmm measure: %r" % want)
    vm = env.start(["boot"] + flags + ["--console", "file,path=" + serial, "--api-socket",
                                       env.sock])
    api = env.api()
    check(wait_for(lambda: os.path.exists(serial) and "idle: halting" in open(serial).read()),
          "the guest did not boot")
    data, _ = expect(api, "GET", "vm.coco", 200)
    check(data and data["platform"] == "snp" and data["policy"] == "0x30000" and
          data["backend"] == "simulated launch, plain KVM guest" and
          data["platform_measured"] == want and data["launches"] == 1 and
          "measurement" not in data, "vm.coco %r, cvmm measure %s" % (data, want))
    # a disk added while it runs reaches the plain VM
    data, _ = expect(api, "PUT", "vm.add-disk", 200, {"path": disk, "id": "data"})
    check(data and data["id"] == "data", "hot-added disk: %r" % data)
    info, _ = expect(api, "GET", "vm.info", 200)
    check(info and info["config"]["disks"][0]["id"] == "data", "vm.info: %r" % info)
    # a reboot runs the launch again: the same digest
    expect(api, "PUT", "vm.reboot", 204)
    check(wait_for(lambda: open(serial).read().count("idle: halting") == 2), "no second boot")
    data, _ = expect(api, "GET", "vm.coco", 200)
    check(data and data["launches"] == 2 and data["platform_measured"] == want,
          "after the reboot: %r" % data)
    expect(api, "PUT", "vmm.shutdown", 204)
    api.close()
    check(vm.wait() == 0, "exit %s: %s" % (vm.p.returncode, vm.stderr()))
    check("platform=sim: a SIMULATED snp launch" in vm.stderr(), "no warning: %r" % vm.stderr())


def ctl(env, *args):
    return subprocess.run([env.args.cvmm, "ctl", "--api-socket", env.sock] + list(args),
                          capture_output=True, text=True, timeout=60)


def config(env):
    serial = os.path.join(env.tmp, "serial.log")
    cfg = os.path.join(env.tmp, "vm.json")
    body = {"payload": {"kernel": env.guest("idle.bzImage")},
            "cpus": {"boot_vcpus": 2, "max_vcpus": 2}, "memory": {"size": 96 << 20},
            "serial": {"mode": "File", "file": serial}}
    env.contract.request("PUT", "vm.create", body)
    json.dump(body, open(cfg, "w"))
    # the file, and a flag added to it
    vm = env.start(["boot", "--config", cfg, "--entropy", "--api-socket", env.sock])
    check(wait_for(lambda: os.path.exists(serial) and "idle: halting" in open(serial).read()),
          "the guest did not boot")
    r = ctl(env, "info")
    info = json.loads(r.stdout) if r.returncode == 0 else None
    if check(info is not None, "ctl info: %s" % r.stderr):
        env.contract.response("GET", "vm.info", 200, info)
        check(info["state"] == "Running" and info["config"]["cpus"]["boot_vcpus"] == 2 and
              info["config"]["memory"]["size"] == 96 << 20 and "rng" in info["config"],
              "ctl info: %r" % info)
    check(ctl(env, "pause").returncode == 0, "ctl pause")
    r = ctl(env, "pause")
    check(r.returncode == 1 and r.stderr.strip() ==
          "cvmm: ctl: vm.pause: 405 Method Not Allowed: the VM is paused already",
          "ctl pause twice: %d %r" % (r.returncode, r.stderr))
    check(ctl(env, "resume").returncode == 0, "ctl resume")
    # a signal ends a paused VM too (its parked vCPUs are woken to end)
    other = os.path.join(env.tmp, "other.sock")
    v2 = apitest.Cvmm(env.args.cvmm, ["boot", "-v", "--kernel", env.guest("idle.bzImage"),
                                      "--console", "none", "--api-socket", other],
                      other, env.tmp, "other")
    r = subprocess.run([env.args.cvmm, "ctl", "--api-socket", other, "pause"],
                       capture_output=True, text=True, timeout=30)
    check(r.returncode == 0, "ctl pause: %r" % r.stderr)
    v2.p.terminate()
    check(v2.wait(10) == 143, "SIGTERM to a paused VM: %s" % v2.p.returncode)
    r = ctl(env, "coco")
    check(r.returncode == 0 and json.loads(r.stdout)["platform"] == "none", "ctl coco: %r" % r)
    check(ctl(env, "bogus").returncode == 2, "ctl bogus: usage")
    check(ctl(env, "shutdown").returncode == 0, "ctl shutdown")
    check(ctl(env, "shutdown-vmm").returncode == 0, "ctl shutdown-vmm")
    check(vm.wait() == 0, "exit status %s: %s" % (vm.p.returncode, vm.stderr()))
    r = ctl(env, "info")
    check(r.returncode == 1 and "cannot connect" in r.stderr, "ctl after exit: %r" % r.stderr)
    # a bad file: one line naming the field, status 1
    json.dump({"payload": {}, "pmem": [{"file": "/x"}]}, open(cfg, "w"))
    r = subprocess.run([env.args.cvmm, "boot", "--config", cfg], capture_output=True,
                       text=True, timeout=30)
    check(r.returncode == 1 and r.stderr == "cvmm: %s: pmem: cvmm has no virtio-pmem "
          "(give the image as a disk)\n" % cfg, "bad --config: %d %r" % (r.returncode, r.stderr))


CASES = {"kata-idle": kata_idle, "kata-builtin": kata_builtin, "hostile": hostile,
         "pause": pause, "coco": coco, "coco-sim": coco_sim, "config": config}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cvmm", required=True)
    ap.add_argument("--guests", required=True)
    ap.add_argument("--fwimg")
    ap.add_argument("--testfw", help="cvmm's test firmware ROM (coco-sim)")
    ap.add_argument("case", choices=sorted(CASES))
    args = ap.parse_args()
    if not os.access("/dev/kvm", os.R_OK | os.W_OK) and args.case != "coco":
        print("SKIP: no usable /dev/kvm")
        return apitest.SKIP
    env = Env(args)
    try:
        CASES[args.case](env)
    except Exception as e:  # a crash of the test is a failure with its reason
        import traceback
        traceback.print_exc()
        failures.append("%s: %s" % (type(e).__name__, e))
    for v in env.contract.violations:
        check(False, "contract: " + v)
    print("%s: %d bodies checked against the OpenAPI document, %d failure(s)" %
          (args.case, env.contract.checked, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
