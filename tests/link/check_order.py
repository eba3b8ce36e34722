#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The static cvmm is linked in src/startup.order's order (meson.build,
-Dlink_order): the functions a running VM uses sit together at the start of
.text, and the list still names the binary's functions.

usage: check_order.py ORDER_FILE CVMM
"""
import subprocess
import sys

SEPARATOR = "# -- the other commands"


def fail(msg):
    sys.exit("check_order: %s" % msg)


def vm_names(path):
    names = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith(SEPARATOR):
                return names
            if line and not line.startswith("#"):
                names.append(line)
    fail("%s: no '%s' line after a running VM's names" % (path, SEPARATOR))


def text_section(cvmm):
    out = subprocess.run(["readelf", "-SW", cvmm], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        f = line.replace("[", " ").replace("]", " ").split()
        if len(f) > 5 and f[1] == ".text":
            return int(f[3], 16), int(f[5], 16)
    fail("%s: no .text" % cvmm)


def functions(cvmm):
    """name -> [(address, size)]: local names may repeat."""
    out = subprocess.run(["nm", "-S", "--defined-only", cvmm], capture_output=True, text=True,
                         check=True).stdout
    funcs = {}
    for f in (line.split() for line in out.splitlines()):
        if len(f) == 4 and f[2] in "tTwWiI":
            funcs.setdefault(f[3], []).append((int(f[0], 16), int(f[1], 16)))
    return funcs


def main():
    if len(sys.argv) != 3:
        fail("usage: check_order.py ORDER_FILE CVMM")
    names = vm_names(sys.argv[1])
    start, size = text_section(sys.argv[2])
    funcs = functions(sys.argv[2])
    present = [n for n in names if n in funcs]
    # names of read-only objects, not functions, are not counted either way
    if len(present) < 0.8 * len(names):
        fail("only %d of the %d names of a running VM are functions of %s: src/startup.order "
             "is stale, regenerate it with scripts/gen-startup-order.py"
             % (len(present), len(names), sys.argv[2]))
    total = sum(max(s for _, s in funcs[n]) for n in present)
    # whole glibc objects move with the function they hold: allow twice the size
    limit = start + max(2 * total, 256 << 10)
    inside = [n for n in present if any(a < limit for a, _ in funcs[n])]
    outside = [n for n in present if n not in inside]
    print("check_order: %d of %d listed functions (%d KiB) within the first %d KiB of .text "
          "(%d KiB)" % (len(inside), len(present), total >> 10, (limit - start) >> 10, size >> 10))
    if len(inside) < 0.98 * len(present):
        fail("%d listed functions lie beyond the ordered block, e.g. %s: is cvmm linked "
             "with --symbol-ordering-file?" % (len(outside), " ".join(outside[:8])))
    cold = [n for n, v in funcs.items() if n not in set(names) and all(a < limit for a, _ in v)
            and sum(s for _, s in v) >= 4096]
    if len(cold) > 8:
        fail("%d large unlisted functions inside the ordered block, e.g. %s"
             % (len(cold), " ".join(cold[:8])))


if __name__ == "__main__":
    main()
