# SPDX-License-Identifier: GPL-2.0-only
"""The fleet's deployment files, as far as this machine can check them
without a Kubernetes cluster (src/broker/deploy/):

  - kubernetes.yaml is valid YAML of the objects docs/broker.md promises
    (Secret, Deployment with N >= 2 replicas, Service, PodDisruptionBudget),
    with the fields the API server requires, selectors that match the pod
    labels, probes on /healthz and /readyz at the container's port, every
    mounted path backed by a volume and every Secret key it uses present,
    a non-root pod, and broker arguments that `cvmm-broker serve` accepts;
  - the systemd template unit passes `systemd-analyze verify` (when present)
    and its ExecStart arguments are accepted by `cvmm-broker serve`;
  - fleet.conf.example is accepted by `cvmm-broker serve --config`.

usage: /usr/bin/python3 test_deploy.py CVMM_BROKER SRC_DIR (python3-yaml).
"""
import configparser
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed")
    sys.exit(77)

BROKER, SRC = sys.argv[1], sys.argv[2]
DEPLOY = os.path.join(SRC, "src", "broker", "deploy")
FAILED = []


def check(name, fn):
    try:
        fn()
        print("ok   " + name)
    except Exception as e:  # noqa: BLE001
        FAILED.append(name)
        print("FAIL %s: %r" % (name, e))


def accepted(args):
    """`cvmm-broker serve ARGS --help`: the option parser takes every argument."""
    r = subprocess.run([BROKER, "serve"] + args + ["--help"], capture_output=True, timeout=30)
    assert r.returncode == 0, (args, r.stderr.decode())


def matches(selector, labels):
    return selector and all(labels.get(k) == v for k, v in selector.items())


def k8s():
    with open(os.path.join(DEPLOY, "kubernetes.yaml")) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    by = {}
    for d in docs:
        for k in ("apiVersion", "kind", "metadata"):
            assert k in d, (k, d)
        assert d["metadata"].get("name"), d
        by[d["kind"]] = d
    assert {"Secret", "Deployment", "Service", "PodDisruptionBudget"} <= set(by), set(by)
    dep, svc, pdb, sec = by["Deployment"], by["Service"], by["PodDisruptionBudget"], \
        by["Secret"]
    assert dep["apiVersion"] == "apps/v1" and pdb["apiVersion"] == "policy/v1"
    assert svc["apiVersion"] == "v1" and sec["apiVersion"] == "v1"
    spec, pod = dep["spec"], dep["spec"]["template"]
    labels = pod["metadata"]["labels"]
    assert spec["replicas"] >= 2
    assert matches(spec["selector"]["matchLabels"], labels)
    assert matches(svc["spec"]["selector"], labels)
    assert matches(pdb["spec"]["selector"]["matchLabels"], labels)
    assert 1 <= pdb["spec"]["minAvailable"] < spec["replicas"]
    ps = pod["spec"]
    assert ps["securityContext"]["runAsNonRoot"] is True
    assert ps["securityContext"]["runAsUser"] != 0
    (c,) = ps["containers"]
    for k in ("name", "image", "args", "ports"):
        assert c.get(k), k
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        g = c[probe]["httpGet"]
        assert g["path"] == path and g["port"] in list(ports) + list(ports.values()), g
    for sp in svc["spec"]["ports"]:
        assert sp["targetPort"] in list(ports) + list(ports.values()), sp
    vols = {v["name"]: v for v in ps["volumes"]}
    mounts = {m["mountPath"]: vols[m["name"]] for m in c["volumeMounts"]}
    keys = set(sec["stringData"])
    args = c["args"]
    assert args[0] == "serve"
    opts = dict(a[2:].split("=", 1) for a in args[1:])
    assert opts["store"].startswith("postgresql://"), opts["store"]
    for o in ("kek", "admin-key", "tls-cert", "tls-key"):
        d, f = os.path.split(opts[o])
        assert d in mounts and mounts[d]["secret"]["secretName"] == sec["metadata"]["name"], o
        assert f in keys, (o, f, keys)
    mode = mounts[os.path.dirname(opts["kek"])]["secret"]["defaultMode"]
    assert mode & 0o037 == 0 and ps["securityContext"].get("fsGroup"), oct(mode)
    for e in c["env"]:
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["name"] == sec["metadata"]["name"] and ref["key"] in keys, ref
    grace = int(opts.get("grace-ms", "10000"))
    assert ps["terminationGracePeriodSeconds"] * 1000 > grace
    accepted(args[1:])


def systemd():
    unit = os.path.join(DEPLOY, "cvmm-broker@.service")
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str
    cp.read(unit)
    for s in ("Unit", "Service", "Install"):
        assert cp.has_section(s), s
    svc = cp["Service"]
    exe = svc["ExecStart"].split()
    assert exe[0] == "/usr/local/bin/cvmm-broker" and exe[1] == "serve", exe
    assert "--replica-name" in exe and "%i" in svc["ExecStart"]
    assert svc["KillSignal"] == "SIGTERM" and svc["Restart"]
    assert int(svc["TimeoutStopSec"]) * 1000 > 10000
    # the arguments, with what systemd substitutes, are the broker's
    sub = [a.replace("${CVMM_BROKER_LISTEN}", "0.0.0.0:8443").replace("%H", "host")
           .replace("%i", "1") for a in exe[2:]]
    conf = os.path.join(DEPLOY, "fleet.conf.example")
    sub[sub.index("--config") + 1] = conf
    accepted(sub)
    if not shutil.which("systemd-analyze"):
        print("     (systemd-analyze not installed: unit syntax not verified)")
        return
    with tempfile.TemporaryDirectory() as d:
        with open(unit) as f:
            text = f.read().replace("/usr/local/bin/cvmm-broker", os.path.abspath(BROKER))
        with open(os.path.join(d, "cvmm-broker@.service"), "w") as f:
            f.write(text)
        r = subprocess.run(["systemd-analyze", "verify", "--man=no",
                            os.path.join(d, "cvmm-broker@1.service")],
                           capture_output=True, text=True, timeout=60)
        complaints = [ln for ln in (r.stdout + r.stderr).splitlines()
                      if "cvmm-broker@" in ln and "EnvironmentFile" not in ln]
        assert r.returncode == 0 and not complaints, r.stdout + r.stderr


def conf():
    accepted(["--config", os.path.join(DEPLOY, "fleet.conf.example")])
    accepted(["--config", os.path.join(SRC, "src", "broker", "cvmm-broker.conf.example")])


def containerfile():
    with open(os.path.join(DEPLOY, "Containerfile")) as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    assert lines[0].startswith("FROM debian:12")
    user = [ln for ln in lines if ln.startswith("USER ")]
    assert user and not user[-1].split()[1].startswith("0"), user
    assert any("libpq5" in ln for ln in lines)


check("kubernetes.yaml: Secret, Deployment, Service, PodDisruptionBudget, consistent", k8s)
check("cvmm-broker@.service: a replica per instance, verified", systemd)
check("fleet.conf.example and cvmm-broker.conf.example parse", conf)
check("Containerfile: Debian 12, libpq, a non-root user", containerfile)
print("%d passed, %d failed" % (4 - len(FAILED), len(FAILED)))
sys.exit(1 if FAILED else 0)
