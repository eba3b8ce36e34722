#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Tests of the tests (issue 21): each check that once passed without the
feature it names must fail against a fake or broken cvmm.

usage: check_fakes.py [--only NAME]   (CVMM_BUILD: the build directory)

The test commands are the registered ones (`meson introspect --tests`),
run from the build directory with cvmm replaced by tests/fakes/fake_cvmm.py
in one FAKE_CVMM_MODE each; every row of CASES says what the test must
answer (0 pass, 1 fail, 77 skip).  Also bench/boot.py with a fake build
directory (where QEMU and /dev/kvm exist) and the fuzz replayer's
invariant and return-value handling (fuzz-standalone-* tests in meson).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE = os.path.join(HERE, "fake_cvmm.py")
SRC = os.path.dirname(os.path.dirname(HERE))

# test name, extra arguments (after the cvmm argument), environment, fake
# mode, expected status[, text the test's output must contain]
CASES = [
    ("coco-dryrun-vs-measure", [], {}, "coco-self-consistent", 1,
     "the independent model says"),
    ("cli-garbage-kernel", ["--no-kvm-ok"], {}, "garbage-other-line", 1),
    ("guest-sigint", ["--no-kvm-ok"], {}, "exit-130", 1),
    ("guest-sigint", ["--no-kvm-ok"], {}, "idle-no-raw", 1),
    ("guest-sigint", ["--no-kvm-ok"], {}, "sleep", 1),
    ("guest-ovmf", ["@OVMF"], {}, "sleep", 1),
    ("guest-ovmf", ["@OVMF"], {}, "exit-130", 1),
    ("guest-ovmf", ["@OVMF"], {}, "x87-good", 77),
    ("guest-ovmf-x87", ["@OVMF"], {}, "x87-good", 0),
    ("guest-ovmf-x87", ["@OVMF"], {}, "x87-wrong-bytes", 1),
    ("guest-ovmf-x87", ["@OVMF"], {}, "exit-130", 1),
]
HW_ENV = {"CVMM_HW_CHECK_PLATFORMS": "sev,sev-es,snp,tdx", "CVMM_HW_CHECK_BOOT_SECONDS": "3"}
CASES += [("coco-hardware", [], HW_ENV, mode, want) for mode, want in (
    ("hw-good", 0), ("hw-triple-fault", 1), ("hw-kvm-error", 1), ("hw-guest-fatal", 1),
    ("hw-no-bds", 1), ("hw-bad-measurement", 1), ("hw-sigterm-0", 1), ("hw-no-launch", 1))]


def fake_ovmf(tmp):
    """A 2 MiB stand-in for OVMF.fd with an x87 instruction at offset 0x1000."""
    path = os.path.join(tmp, "OVMF.fd")
    data = bytearray(2 << 20)
    data[0x1000:0x1008] = bytes.fromhex("9bdbe3d92d471400")
    with open(path, "wb") as f:
        f.write(data)
    return path


def introspect(build):
    out = subprocess.run(["meson", "introspect", build, "--tests"], check=True,
                         stdout=subprocess.PIPE).stdout
    return {t["name"]: t for t in json.loads(out)}


def command(t, extra, ovmf):
    """The test's command with cvmm replaced by the fake (cvmm is the first
    argument ending in /cvmm) and @extra after it."""
    cmd = list(t["cmd"])
    i = next(k for k, a in enumerate(cmd) if a.endswith("/cvmm") or a == "cvmm")
    extra = [x for e in extra for x in (["--ovmf", ovmf, "--no-kvm-ok", "--timeout", "5"]
                                        if e == "@OVMF" else [e])]
    if "ovmf_check.py" in " ".join(cmd):
        return cmd[:i] + [FAKE] + cmd[i + 1:] + extra
    return cmd[:i] + [FAKE] + extra + cmd[i + 1:]


def run_case(build, tests, case, ovmf):
    name, extra, env, mode, want = case[:5]
    must = case[5] if len(case) > 5 else None
    if name not in tests:
        return "not registered"
    e = dict(os.environ, FAKE_CVMM_MODE=mode, **env)
    e.update(tests[name].get("env") or {})
    e.update(env)
    e["FAKE_CVMM_MODE"] = mode
    try:
        p = subprocess.run(command(tests[name], extra, ovmf), cwd=build, env=e,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
    except subprocess.TimeoutExpired:
        return "timed out"
    out = p.stdout.decode(errors="replace")
    if p.returncode != want or (must and must not in out):
        tail = "\n    ".join(out.strip().splitlines()[-6:])
        return "status %d, expected %d%s:\n    %s" % (
            p.returncode, want, " and %r in the output" % must if must else "", tail)
    return None


def bench_cases(build, tmp):
    """bench/boot.py: a fake cvmm whose boots end wrongly or whose idle run
    dies must stop the benchmark with a message, not print a ratio."""
    if not shutil.which("qemu-system-x86_64") or not os.access("/dev/kvm", os.W_OK):
        print("skip  bench/boot.py: no QEMU or /dev/kvm here")
        return []
    fb = os.path.join(tmp, "fakebuild")
    os.makedirs(fb)
    os.symlink(os.path.join(build, "guests"), os.path.join(fb, "guests"))
    wrapper = os.path.join(fb, "cvmm")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec %s %s \"$@\"\n" % (sys.executable, FAKE))
    os.chmod(wrapper, 0o755)
    errors = []
    for mode, want in (("bench-status-0", "cvmm exited 0, expected 65"),
                       ("bench-idle-dies", "cvmm exited with status 1 before its RSS")):
        p = subprocess.run([sys.executable, os.path.join(SRC, "bench", "boot.py"),
                            "--runs", "1", "--build", fb],
                           env=dict(os.environ, FAKE_CVMM_MODE=mode),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        out = p.stdout.decode(errors="replace")
        ok = p.returncode != 0 and want in out and "RSS with an idle guest" not in out
        print("%s  bench/boot.py with %s" % ("ok  " if ok else "FAIL", mode))
        if not ok:
            errors.append("bench/boot.py with %s: status %d: %s" % (mode, p.returncode, out))
    return errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    a = ap.parse_args()
    build = os.environ.get("CVMM_BUILD")
    if not build:
        sys.exit("check_fakes: CVMM_BUILD is not set")
    tests = introspect(build)
    tmp = tempfile.mkdtemp(prefix="cvmm-fakes-")
    ovmf = fake_ovmf(tmp)
    errors = []
    try:
        for case in CASES:
            if a.only and case[0] != a.only:
                continue
            why = run_case(build, tests, case, ovmf)
            print("%s  %s with a fake that %s" % ("FAIL" if why else "ok  ", case[0],
                                                   case[3]))
            if why:
                errors.append("%s (%s): %s" % (case[0], case[3], why))
        if not a.only or a.only == "bench":
            errors += bench_cases(build, tmp)
    finally:
        shutil.rmtree(tmp)
    for e in errors:
        print("FAIL:", e)
    print("%d checks failed" % len(errors) if errors else "PASS")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
