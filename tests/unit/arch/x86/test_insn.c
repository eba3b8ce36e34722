// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/insn.h"

#define DESCRIBE(...) ({						\
	static const uint8_t code[] = { __VA_ARGS__ };			\
	insn_describe_unemulated(code, sizeof(code));			\
})

static void test_x87(void **state)
{
	/* OVMF's first x87 sequence on this machine: fwait; fninit */
	assert_string_equal(DESCRIBE(0x9b, 0xdb, 0xe3), "an x87 FPU instruction");
	assert_string_equal(DESCRIBE(0xdf, 0x2d, 0x00), "an x87 FPU instruction");
	assert_string_equal(DESCRIBE(0x66, 0xd9, 0x2d), "an x87 FPU instruction");
}

static void test_extended_state(void **state)
{
	assert_string_equal(DESCRIBE(0x0f, 0xae, 0x2f), "xsave/xrstor");	/* xrstor (%rdi) */
	assert_string_equal(DESCRIBE(0x48, 0x0f, 0xae, 0x27), "xsave/xrstor");
	assert_string_equal(DESCRIBE(0x0f, 0xae, 0x07), "fxsave/fxrstor");
	assert_string_equal(DESCRIBE(0x48, 0x0f, 0xc7, 0x0f), "cmpxchg16b");
	assert_string_equal(DESCRIBE(0xf0, 0x48, 0x0f, 0xc7, 0x0e), "cmpxchg16b");
	assert_string_equal(DESCRIBE(0x0f, 0xc7, 0x0f), "cmpxchg8b");
	assert_string_equal(DESCRIBE(0x0f, 0x01, 0xd0), "xgetbv/xsetbv");
}

static void test_misc(void **state)
{
	assert_string_equal(DESCRIBE(0x0f, 0x01, 0xca), "clac/stac (SMAP)");
	assert_string_equal(DESCRIBE(0xf3, 0x48, 0x0f, 0xb8, 0xc7), "popcnt");
	assert_string_equal(DESCRIBE(0xf3, 0x48, 0x0f, 0xae, 0xc0), "rd/wrfsbase or rd/wrgsbase");
	assert_string_equal(DESCRIBE(0xcc), "int3");
	assert_string_equal(DESCRIBE(0xf3, 0xa4), "a rep movs/stos string instruction");
	assert_string_equal(DESCRIBE(0x0f, 0x28, 0xc1), "an SSE instruction");	/* movaps */
}

static void test_ordinary(void **state)
{
	assert_null(DESCRIBE(0x90));				/* nop */
	assert_null(DESCRIBE(0x48, 0x89, 0xe5));		/* mov %rsp,%rbp */
	assert_null(DESCRIBE(0x0f, 0x0b));			/* ud2 */
	assert_null(DESCRIBE(0xa4));				/* movsb without rep */
	assert_null(DESCRIBE(0x0f, 0xb8));			/* jmpe, not popcnt */
	assert_null(DESCRIBE(0xe6, 0x80));			/* out %al,$0x80 */
}

static void test_truncated(void **state)
{
	static const uint8_t prefixes[16] = {
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	};

	assert_null(insn_describe_unemulated(prefixes, 0));
	assert_null(insn_describe_unemulated(prefixes, sizeof(prefixes)));
	assert_null(DESCRIBE(0x0f));
	assert_null(DESCRIBE(0x48));
	assert_null(DESCRIBE(0xf3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x87),
		cmocka_unit_test(test_extended_state),
		cmocka_unit_test(test_misc),
		cmocka_unit_test(test_ordinary),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
