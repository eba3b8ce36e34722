/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_INSN_H
#define CVMM_ARCH_X86_INSN_H

#include <stddef.h>
#include <stdint.h>

/*
 * Name the instruction classes that software-assisted KVMs (which interpret
 * guest kernel code) are known not to emulate, for diagnoses: "an x87 FPU
 * instruction (fwait)", "xsave/xrstor", "cmpxchg16b", ...  Returns NULL
 * when the bytes are not one of them.  Only prefixes and the opcode are
 * looked at; @len is how many bytes are valid.
 */
const char *insn_describe_unemulated(const uint8_t *code, size_t len);

#endif
