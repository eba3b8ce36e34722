#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write src/sandbox/syscall_names.c: the x86-64 system call names the
SIGSYS report prints, as libseccomp (the system's libseccomp.so.2) names
them.  Run it again when libseccomp learns new calls; the unit test
sandbox-filter compares the table with libseccomp's.

    python3 src/sandbox/gen_syscall_names.py > src/sandbox/syscall_names.c
"""
import ctypes
import ctypes.util

MAX_NR = 512
SCMP_ARCH_X86_64 = 0xc000003e

lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2")
lib.seccomp_syscall_resolve_num_arch.restype = ctypes.c_void_p
libc = ctypes.CDLL(None)
names = {}
for nr in range(MAX_NR):
    p = lib.seccomp_syscall_resolve_num_arch(ctypes.c_uint32(SCMP_ARCH_X86_64), nr)
    if p:
        names[nr] = ctypes.string_at(p).decode()
        libc.free(ctypes.c_void_p(p))

blob, off = [], {}
pos = 0
for nr in sorted(names):
    off[nr] = pos
    blob.append(names[nr])
    pos += len(names[nr]) + 1

print("// SPDX-License-Identifier: GPL-2.0-only")
print("/*")
print(" * x86-64 system call names for the SIGSYS report (sigsys.c), from")
print(" * libseccomp by gen_syscall_names.py: do not edit.  One string, and each")
print(" * call's offset in it plus one (0: no such call) -- no pointer, so no")
print(" * relocation and no page written at start-up.")
print(" */")
print("#include <stdint.h>")
print()
print('#include "sandbox/sandbox_internal.h"')
print()
print("#define MAX_NR\t%d" % MAX_NR)
print()
print("static const char names[] =")
line = "\t"
for n in blob:
    tok = '"%s\\0"' % n
    if len(line) + len(tok) > 88:
        print(line.rstrip())
        line = "\t"
    line += tok + " "
print(line.rstrip() + ";")
print()
print("static const uint16_t offsets[MAX_NR] = {")
for nr in sorted(names):
    print("\t[%d] = %d,\t/* %s */" % (nr, off[nr] + 1, names[nr]))
print("};")
print()
print("const char *sandbox_syscall_name(int nr)")
print("{")
print("\tif (nr < 0 || nr >= MAX_NR || !offsets[nr])")
print("\t\treturn NULL;")
print("\treturn names + offsets[nr] - 1;")
print("}")
