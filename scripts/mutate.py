#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Mutation testing: does a test notice when a security check is broken?

usage: scripts/mutate.py [--work DIR] [--only ID,...] [--list] [--no-guest]
                         [--tests NAME,...] [--timeout-multiplier N]
(docs/testing.md)

Each mutant of scripts/mutants.py (file, exact original text, replacement,
what it breaks) is applied, one at a time, to a copy of the source tree in
WORK/tree (default build-mutants/tree, next to the other build dirs), which
is rebuilt incrementally in WORK/build; then the fast suites run against
it: the mutant's own tests first (its `tests`, to stop early), then the
unit and fuzz-corpus suites and the guest tests in GUEST_TESTS (not the
Linux boots).  A test that fails must fail again when run alone, or it
is taken as flaky and left out for the rest of the run.  A mutant is

  killed    some test failed (the table names the first one)
  SURVIVED  every test passed: a check no test guards
  STALE     its original text is not in the file (exactly once): the code
            moved on and the mutant must be updated
  INVALID   the mutated tree does not build: not a mutant of behaviour

The output of the run that killed a mutant is kept in WORK/logs/<id>.log.

The table gives each mutant's result and time; the exit status is 0 only
when every mutant was killed.  The working tree itself is never modified.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

ALL_TESTS = set()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mutants  # noqa: E402  (scripts/mutants.py: the list)

# Guest tests that run in seconds and exercise devices under mutation
# (virtio, fw_cfg, the port devices, ucall); the Linux boots are left out.
GUEST_TESTS = [
    "guest-debug-exit-port", "guest-debug-exit-default-port", "guest-fw-cfg-string",
    "guest-ucall-assert", "guest-builtin", "guest-reboot-3-times",
    "firmware-cvmm-bootinfo", "firmware-cvmm-fw-cfg-user-item", "firmware-cvmm-reboot",
    "virtio-devtest-msix", "virtio-devtest-intx", "virtio-devtest-direct",
    "virtio-console", "virtio-hostile", "virtio-reboot",
]


def log(msg):
    print(msg, flush=True)


def tracked_files():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "-z", "--cached", "--others",
                          "--exclude-standard"], check=True, stdout=subprocess.PIPE).stdout
    return [f for f in out.decode().split("\0") if f and os.path.isfile(os.path.join(ROOT, f))]


def sync_tree(tree):
    """Copy the working tree's files into @tree, touching only files that differ."""
    files = set(tracked_files())
    for rel in files:
        src, dst = os.path.join(ROOT, rel), os.path.join(tree, rel)
        if os.path.exists(dst):
            with open(src, "rb") as a, open(dst, "rb") as b:
                if a.read() == b.read():
                    continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
    for d, _, names in os.walk(tree):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), tree)
            if rel not in files:
                os.unlink(os.path.join(d, n))


def run(cmd, cwd=None, timeout=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout)
    return p.returncode, p.stdout.decode(errors="replace")


def build(bdir):
    return run(["nice", "ninja", "-C", bdir])


def first_failure(out):
    """The name of the first failing test in meson test's output
    ("  5/140 cvmm:unit / fw-cfg-dma   FAIL   0.03s   exit status 1")."""
    for line in out.splitlines():
        p = line.split()
        if len(p) >= 5 and p[2] == "/" and p[4] in ("FAIL", "TIMEOUT", "ERROR"):
            return p[3] + (" (timeout)" if p[4] == "TIMEOUT" else "")
    return "? (meson test failed)"


def meson_test(bdir, args, mult):
    cmd = ["nice", "meson", "test", "-C", bdir, "--no-rebuild", "--maxfail", "1",
           "-t", str(mult), "--print-errorlogs"] + args
    rc, out = run(cmd)
    return rc, out


def list_tests(bdir, suites=()):
    args = []
    for x in suites:
        args += ["--suite", x]
    rc, out = run(["meson", "test", "-C", bdir, "--no-rebuild", "--list"] + args)
    return [line.split(" / ", 1)[1].strip() for line in out.splitlines() if " / " in line]


def test_mutant(bdir, m, fast, mult, logdir, flaky):
    """Run @m's own tests, then the rest of @fast; returns the first test
    that fails twice in a row, or None.  A test that fails once and then
    passes is flaky: it is noted in @flaky and the run goes on without it.
    The killing run's output is kept in @logdir/<id>.log."""
    hints = [t for t in m.tests if t in ALL_TESTS]
    for group in (hints, [t for t in fast if t not in hints]):
        killer = run_group(bdir, m, group, mult, logdir, flaky)
        if killer:
            return killer
    return None


def run_group(bdir, m, todo, mult, logdir, flaky):
    while todo:
        todo = [t for t in todo if t not in flaky]
        if not todo:
            break
        rc, out = meson_test(bdir, todo, mult)
        if not rc:
            return None
        killer = first_failure(out)
        name = killer.split()[0]
        if name in todo:
            rc2, _ = meson_test(bdir, [name], mult)
            if not rc2:
                flaky.add(name)
                log("  %s failed once, then passed: flaky, left out from here on" % name)
                continue
        with open(os.path.join(logdir, m.id + ".log"), "w") as f:
            f.write(out)
        return killer
    return None


def apply(tree, m):
    path = os.path.join(tree, m.file)
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return None, None
    if text.count(m.orig) != 1:
        return None, text
    with open(path, "w") as f:
        f.write(text.replace(m.orig, m.repl))
    return path, text


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default=os.path.join(ROOT, "build-mutants"))
    ap.add_argument("--only", help="comma-separated mutant ids")
    ap.add_argument("--list", action="store_true", help="print the mutants and exit")
    ap.add_argument("--no-guest", action="store_true", help="leave the guest tests out")
    ap.add_argument("--tests", help="run only these tests (comma-separated), not the "
                    "mutant's own and the fast suites: does test X notice mutant Y?")
    ap.add_argument("--timeout-multiplier", type=float, default=1)
    a = ap.parse_args()

    todo = mutants.MUTANTS
    ids = [m.id for m in todo]
    if len(set(ids)) != len(ids):
        sys.exit("mutate: duplicate mutant ids")
    if a.only:
        want = a.only.split(",")
        unknown = [w for w in want if w not in ids]
        if unknown:
            sys.exit("mutate: unknown mutant(s): %s" % ", ".join(unknown))
        todo = [m for m in todo if m.id in want]
    if a.list:
        for m in todo:
            print("%-28s %-44s %s" % (m.id, m.file, m.breaks))
        print("%d mutants" % len(todo))
        return 0

    tree, bdir = os.path.join(a.work, "tree"), os.path.join(a.work, "build")
    logdir = os.path.join(a.work, "logs")
    os.makedirs(tree, exist_ok=True)
    os.makedirs(logdir, exist_ok=True)
    t0 = time.monotonic()
    log("mutate: syncing the source tree into %s" % tree)
    sync_tree(tree)
    if not os.path.exists(os.path.join(bdir, "build.ninja")):
        rc, out = run(["meson", "setup", bdir, tree])
        if rc:
            sys.exit("mutate: meson setup failed:\n" + out[-3000:])
    log("mutate: baseline build and tests (the unmutated tree must pass)")
    rc, out = build(bdir)
    if rc:
        sys.exit("mutate: the unmutated tree does not build:\n" + out[-3000:])
    ALL_TESTS.update(list_tests(bdir))
    fast = list_tests(bdir, ["unit", "fuzz-corpus"])
    missing = [t for t in GUEST_TESTS if t not in ALL_TESTS]
    if missing:
        log("mutate: note: guest tests not defined here: %s" % ", ".join(missing))
    if not a.no_guest:
        fast += [t for t in GUEST_TESTS if t in ALL_TESTS]
    if a.tests:
        fast = a.tests.split(",")
        unknown = [t for t in fast if t not in ALL_TESTS]
        if unknown:
            sys.exit("mutate: no such test(s): %s" % ", ".join(unknown))
        todo = [m._replace(tests=[]) for m in todo]
    flaky = set()
    base = mutants.Mutant("baseline", "", "", "", "nothing", [])
    killer = test_mutant(bdir, base, fast, a.timeout_multiplier, logdir, flaky)
    if killer:
        sys.exit("mutate: the unmutated tree fails %s: fix that first" % killer)
    log("mutate: baseline passes (%.0f s)" % (time.monotonic() - t0))

    results = []
    for i, m in enumerate(todo):
        t = time.monotonic()
        path, text = apply(tree, m)
        if path is None:
            why = "file missing" if text is None else \
                "original text found %d times, not once" % text.count(m.orig)
            results.append((m, "STALE", why, 0.0))
            log("[%d/%d] %s: STALE (%s)" % (i + 1, len(todo), m.id, why))
            continue
        try:
            rc, out = build(bdir)
            if rc:
                res, why = "INVALID", "does not build: " + \
                    next((ln for ln in out.splitlines() if "error:" in ln), "?")[-100:]
            else:
                killer = test_mutant(bdir, m, fast, a.timeout_multiplier, logdir, flaky)
                res, why = ("killed", killer) if killer else ("SURVIVED", "")
        finally:
            with open(path, "w") as f:
                f.write(text)
        dt = time.monotonic() - t
        results.append((m, res, why, dt))
        log("[%d/%d] %s: %s %s (%.0f s)" % (i + 1, len(todo), m.id, res, why, dt))

    log("restoring the build of the unmutated tree")
    build(bdir)
    total = time.monotonic() - t0
    print()
    print("%-28s %-9s %7s  %-36s %s" % ("mutant", "result", "time", "killed by / why",
                                         "what it breaks"))
    for m, res, why, dt in results:
        print("%-28s %-9s %6.0fs  %-36s %s" % (m.id, res, dt, why[:36], m.breaks))
    counts = {}
    for _, res, _, _ in results:
        counts[res] = counts.get(res, 0) + 1
    print()
    print("%d mutants: %s; %.0f s in all" % (
        len(results), ", ".join("%d %s" % (n, r) for r, n in sorted(counts.items())), total))
    if flaky:
        print("flaky tests (failed once, then passed; left out after that): %s"
              % ", ".join(sorted(flaky)))
    bad = [m.id for m, res, _, _ in results if res != "killed"]
    if bad:
        print("not killed: %s" % ", ".join(bad))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
