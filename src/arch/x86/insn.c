// SPDX-License-Identifier: GPL-2.0-only
#include <stdbool.h>

#include "arch/x86/insn.h"

static bool is_legacy_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return true;
	}
	return false;
}

const char *insn_describe_unemulated(const uint8_t *code, size_t len)
{
	bool rep = false, rexw = false;
	size_t i = 0;
	uint8_t op, modrm, reg;

	while (i < len && i < 14 && is_legacy_prefix(code[i])) {
		if (code[i] == 0xf3)
			rep = true;
		i++;
	}
	if (i < len && (code[i] & 0xf0) == 0x40) {	/* REX */
		rexw = code[i] & 0x08;
		i++;
	}
	if (i >= len)
		return NULL;
	op = code[i];
	if (op == 0x9b || (op >= 0xd8 && op <= 0xdf))
		return "an x87 FPU instruction";
	if (op == 0xcc)
		return "int3";
	if (op == 0xa4 || op == 0xa5 || op == 0xaa || op == 0xab)
		return rep ? "a rep movs/stos string instruction" : NULL;
	if (op != 0x0f || i + 1 >= len)
		return NULL;
	op = code[i + 1];
	modrm = i + 2 < len ? code[i + 2] : 0;
	reg = (modrm >> 3) & 7;
	switch (op) {
	case 0x01:
		if (modrm == 0xca || modrm == 0xcb)
			return "clac/stac (SMAP)";
		if (modrm == 0xd0 || modrm == 0xd1)
			return "xgetbv/xsetbv";
		return NULL;
	case 0xae:
		if (modrm >= 0xc0) {
			if (rep && reg <= 3)
				return "rd/wrfsbase or rd/wrgsbase";
			return NULL;
		}
		if (reg == 4 || reg == 5 || reg == 6)
			return "xsave/xrstor";
		if (reg == 0 || reg == 1)
			return "fxsave/fxrstor";
		if (reg == 2 || reg == 3)
			return "ldmxcsr/stmxcsr (SSE state)";
		return NULL;
	case 0xc7:
		if (reg == 1 && modrm < 0xc0)
			return rexw ? "cmpxchg16b" : "cmpxchg8b";
		if (reg == 3 || reg == 4 || reg == 5)
			return "xrstors/xsavec/xsaves";
		return NULL;
	case 0xb8:
		return rep ? "popcnt" : NULL;
	}
	/* SSE/AVX opcodes that a general-purpose emulator rarely covers */
	if ((op >= 0x10 && op <= 0x17) || (op >= 0x28 && op <= 0x2f) ||
	    (op >= 0x50 && op <= 0x7f) || (op >= 0xc2 && op <= 0xc6) ||
	    op >= 0xd0)
		return "an SSE instruction";
	return NULL;
}
