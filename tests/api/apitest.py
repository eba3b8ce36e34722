# SPDX-License-Identifier: GPL-2.0-only
"""What the control API tests share: the OpenAPI contract, a client that
speaks to cvmm as Kata Containers' clh driver does, a cvmm process, a tap
in a network namespace of the test's own, and Kata's request bodies.

The contract is Cloud Hypervisor's OpenAPI document
(/work/shared/vectors/cloud-hypervisor/cloud-hypervisor.yaml, or
$CVMM_CH_OPENAPI).  Every request body a test sends and every response
body cvmm returns is validated against it (Debian's python3-jsonschema and
python3-yaml); response objects must use only the document's member names
(the "cvmm" extension of VmConfig aside), successful status codes must be
the ones the document lists, and every error body is {"error": "..."}.
"""
import copy
import ctypes
import fcntl
import json
import os
import socket
import struct
import subprocess
import time

import jsonschema
import yaml

SKIP = 77
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CH_YAML = os.environ.get("CVMM_CH_OPENAPI",
                         "/work/shared/vectors/cloud-hypervisor/cloud-hypervisor.yaml")

# vm.coco is cvmm's: its schema is docs/api.md's
COCO_SCHEMA = {
    "type": "object",
    "required": ["platform", "backend", "launch_state", "launches"],
    "additionalProperties": False,
    "properties": {
        "platform": {"enum": ["none", "sev", "sev-es", "snp", "tdx"]},
        "backend": {"enum": ["kvm", "simulated", "simulated launch, plain KVM guest"]},
        "launch_state": {"enum": ["created", "running", "paused", "shutdown"]},
        "launches": {"type": "integer", "minimum": 0},
        "policy": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
        "attributes": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
        "host_data": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "platform_measured": {"type": "string", "pattern": "^[0-9a-f]{64,96}$"},
        # the object `cvmm measure --json` prints (docs/measure.md#json)
        "measurement": {
            "type": "object",
            "required": ["platform", "vmm", "measurement", "vcpus", "vcpu_signature",
                         "vcpu_model", "vcpu_signature_measured", "memory", "firmware",
                         "command"],
            "additionalProperties": False,
            "properties": {
                "platform": {"enum": ["sev", "sev-es", "snp", "tdx"]},
                "vmm": {"const": "cvmm"},
                "measurement": {"type": "string", "pattern": "^[0-9a-f]{64,96}$"},
                "policy": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
                "tdx_attributes": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
                "sev_features": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
                "sev_feature_names": {"type": "string"},
                "host_data": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                "vcpus": {"type": "integer", "minimum": 1},
                "vcpu_signature": {"type": ["string", "null"], "pattern": "^0x[0-9a-f]{8}$"},
                "vcpu_model": {"type": ["string", "null"]},
                "vcpu_signature_measured": {"type": "boolean"},
                "memory": {"type": "integer", "minimum": 1},
                "firmware": {"type": "string"},
                "kernel": {"type": "object"},
                "initrd": {"type": "object"},
                "cmdline": {"type": "object"},
                "kernel_hashes_measured": {"type": "boolean"},
                "id_block": {"type": "object"},
                "command": {"type": "string", "pattern": "^cvmm measure "},
            },
        },
    },
}


class Contract:
    """Cloud Hypervisor's document as JSON schemas, and the violations seen."""

    def __init__(self, path=CH_YAML):
        with open(path) as f:
            self.doc = yaml.safe_load(f)
        self.components = self.doc["components"]
        self.strict = self._strict(copy.deepcopy(self.components))
        self.violations = []
        self.checked = 0

    @staticmethod
    def _strict(components):
        # our answers may use only the document's names (plus cvmm's extension)
        for name, s in components["schemas"].items():
            if "properties" in s and "additionalProperties" not in s:
                s["additionalProperties"] = False
        components["schemas"]["VmConfig"]["properties"]["cvmm"] = {"type": "object"}
        return components

    def _op(self, method, endpoint):
        return self.doc["paths"].get("/" + endpoint, {}).get(method.lower())

    def _validate(self, schema, components, instance, what):
        self.checked += 1
        root = dict(schema, components=components)
        errs = sorted(jsonschema.Draft4Validator(root).iter_errors(instance), key=str)
        for e in errs:
            self.violations.append("%s: %s at %s" % (what, e.message, list(e.path)))

    def request(self, method, endpoint, body):
        op = self._op(method, endpoint)
        if body is None or op is None:
            return
        schema = op.get("requestBody", {}).get("content", {}).get(
            "application/json", {}).get("schema")
        if schema is None:
            self.violations.append("%s %s: the document takes no body" % (method, endpoint))
            return
        self._validate(schema, self.components, body, "request %s" % endpoint)

    def response(self, method, endpoint, status, body):
        what = "response %s %d" % (endpoint, status)
        if status >= 300:
            if not (isinstance(body, dict) and list(body) == ["error"] and
                    isinstance(body["error"], str) and body["error"]):
                self.violations.append("%s: error body is not {\"error\": \"...\"}: %r" %
                                       (what, body))
            return
        if endpoint == "vm.coco":
            self.checked += 1
            for e in jsonschema.Draft7Validator(COCO_SCHEMA).iter_errors(body):
                self.violations.append("%s: %s at %s" % (what, e.message, list(e.path)))
            return
        op = self._op(method, endpoint)
        if op is None:
            self.violations.append("%s: not in the document" % what)
            return
        codes = {str(k): v for k, v in op["responses"].items()}
        if str(status) not in codes:
            self.violations.append("%s: the document lists %s" % (what, sorted(codes)))
            return
        schema = codes[str(status)].get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            if body is not None:
                self.violations.append("%s: a body where the document has none" % what)
            return
        self._validate(schema, self.strict, body, what)


class Api:
    """An HTTP/1.1 client on the UNIX socket, as Go's net/http talks to cvmm."""

    def __init__(self, path, contract=None, timeout=30):
        self.path = path
        self.contract = contract
        self.timeout = timeout
        self.sock = None

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        return s

    @staticmethod
    def read_response(s):
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("the connection closed before a response")
            buf += chunk
        head, rest = buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
        want = int(headers.get("content-length", "0"))
        while len(rest) < want:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("the connection closed inside the body")
            rest += chunk
        return status, headers, rest[:want], rest[want:]

    @staticmethod
    def build(method, endpoint, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        head = "%s /api/v1/%s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n" % (
            method, endpoint)
        if body is not None:
            head += "Content-Type: application/json\r\n"
        head += "Content-Length: %d\r\n\r\n" % len(data)
        return head.encode() + data

    def call(self, method, endpoint, body=None, fds=None, fresh=False):
        """(status, JSON body or None, headers); fds go with the request (SCM_RIGHTS)."""
        if self.contract:
            self.contract.request(method, endpoint, body)
        raw = self.build(method, endpoint, body)
        s = self.connect() if fresh or fds else self.sock
        if s is None:
            s = self.sock = self.connect()
        try:
            if fds:
                socket.send_fds(s, [raw], fds)
            else:
                s.sendall(raw)
            status, headers, data, _ = self.read_response(s)
        except (BrokenPipeError, ConnectionError):
            if s is not self.sock:
                raise
            # the server closed the kept connection after its idle timeout
            # (API_IDLE_TIMEOUT_MS: a slow boot outlasts it): once more, anew
            s.close()
            s = self.sock = self.connect()
            s.sendall(raw)
            status, headers, data, _ = self.read_response(s)
        if s is not self.sock:
            s.close()
        parsed = json.loads(data) if data else None
        if self.contract:
            self.contract.response(method, endpoint, status, parsed)
        return status, parsed, headers

    def close(self):
        if self.sock:
            self.sock.close()
            self.sock = None


class Cvmm:
    """cvmm with its API socket; stdout/stderr into files of @tmp."""

    def __init__(self, cvmm, args, sock, tmp, name="cvmm"):
        self.out_path = os.path.join(tmp, name + ".out")
        self.err_path = os.path.join(tmp, name + ".err")
        self.sock = sock
        self.p = subprocess.Popen([cvmm] + args, stdin=subprocess.DEVNULL,
                                  stdout=open(self.out_path, "w"),
                                  stderr=open(self.err_path, "w"))
        deadline = time.time() + 20
        while not os.path.exists(sock):
            if self.p.poll() is not None or time.time() > deadline:
                raise RuntimeError("cvmm did not create %s: %s" % (sock, self.stderr()))
            time.sleep(0.01)

    def stdout(self):
        return open(self.out_path).read()

    def stderr(self):
        return open(self.err_path).read()

    def wait(self, timeout=30):
        return self.p.wait(timeout)

    def threads(self):
        names = {}
        for t in os.listdir("/proc/%d/task" % self.p.pid):
            try:
                names[int(t)] = open("/proc/%d/task/%s/comm" % (self.p.pid, t)).read().strip()
            except OSError:
                pass
        return names

    def cpu_ticks(self, tid):
        stat = open("/proc/%d/task/%d/stat" % (self.p.pid, tid)).read()
        fields = stat.rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])	# utime + stime

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


# ---- a tap in a network namespace of our own ----

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454ca
IFF_TAP, IFF_NO_PI, IFF_MULTI_QUEUE, IFF_VNET_HDR = 0x0002, 0x1000, 0x0100, 0x4000


def enter_netns():
    """unshare(CLONE_NEWNET): the taps the test creates vanish with it.  None, or why not."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) != 0:
        return "cannot create a network namespace: %s" % os.strerror(ctypes.get_errno())
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun"
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    return None


def open_tap(name, queues=2, address=None):
    """A multiqueue tap with vnet headers, as Kata creates it: one fd per queue."""
    fds = []
    for _ in range(queues):
        fd = os.open("/dev/net/tun", os.O_RDWR | os.O_CLOEXEC)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", name.encode(),
                                               IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
                                               IFF_MULTI_QUEUE))
        fds.append(fd)
    subprocess.run(["ip", "link", "set", name, "up"], check=True)
    if address:
        subprocess.run(["ip", "addr", "add", address, "dev", name], check=True)
    return fds


# ---- Kata's bodies (src/runtime/virtcontainers/clh.go) ----
# The generated Go client's constructors (NewVmConfig, NewMemoryConfig, ...)
# give every member that has a default in the document its default; clh.go
# then sets what it needs.  The confidential path is the one cvmm serves:
# no memory hotplug, the image as a read-only disk, no virtio-fs volume.

def defaults(schema):
    props = CONTRACT_DOC["components"]["schemas"][schema].get("properties", {})
    return {k: v["default"] for k, v in props.items() if "default" in v}


CONTRACT_DOC = yaml.safe_load(open(CH_YAML))


def kata_vmconfig(kernel, cmdline="", initramfs=None, image=None, vsock=None, vcpus=1,
                  max_vcpus=None, mem_mib=256, serial="Off", console="Off", firmware=None,
                  tdx=False):
    payload = dict(defaults("PayloadConfig"), kernel=kernel, cmdline=cmdline)
    if initramfs:
        payload["initramfs"] = initramfs
    if firmware:
        payload["firmware"] = firmware
    vm = dict(defaults("VmConfig"), payload=payload)
    vm["memory"] = dict(defaults("MemoryConfig"), size=mem_mib << 20, shared=True,
                        hugepages=False)
    vm["cpus"] = dict(defaults("CpusConfig"), boot_vcpus=vcpus,
                      max_vcpus=max_vcpus or os.cpu_count() or vcpus,
                      topology={"threads_per_core": 1, "cores_per_die": max_vcpus or vcpus,
                                "dies_per_package": 1, "packages": 1})
    vm["rng"] = dict(defaults("RngConfig"), src="/dev/urandom")
    if image:
        vm["disks"] = [dict(defaults("DiskConfig"), path=image, readonly=True)]
    vm["console"] = dict(defaults("ConsoleConfig"), mode=console)
    vm["serial"] = dict(defaults("SerialConfig"), mode=serial)
    if vsock:
        vm["vsock"] = dict(defaults("VsockConfig"), cid=3, socket=vsock)
    if tdx:
        vm["platform"] = dict(defaults("PlatformConfig"), tdx=True)
    return vm


def kata_netconfig(mac):
    return dict(defaults("NetConfig"), mac=mac)
