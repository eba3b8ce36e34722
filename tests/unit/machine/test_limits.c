// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest RAM against the host's limits (issue 12, finding 9): KVM's memslot
 * size, the guest physical address width, the memslot count, the host's
 * RAM and swap; each refusal is one line saying which limit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "machine/limits.h"
#include "stderr_capture.h"

#define G	(1ULL << 30)
#define T	(1ULL << 40)

static void test_max_ram(void **state)
{
	assert_true(limits_max_ram(48) == 256 * T - G);
	assert_true(limits_max_ram(39) == 511 * G);	/* many Intel clients */
	assert_true(limits_max_ram(36) == 63 * G);
	assert_true(limits_max_ram(32) == 3 * G);	/* no room above 4 GiB */
	assert_true(limits_max_ram(31) == 2 * G);
	assert_true(limits_max_ram(64) == UINT64_MAX);
}

static void test_slots(void **state)
{
	assert_int_equal(limits_slots(512ULL << 20), 3);
	assert_int_equal(limits_slots(4 * T + 3 * G), 3);	/* high RAM of exactly 4 TiB */
	assert_int_equal(limits_slots(4 * T + 3 * G + 4096), 4);
	assert_int_equal(limits_slots(9 * T), 5);		/* 4 + 4 + (1 TiB - 3 GiB) */
	assert_int_equal(limits_slots(64 * T), 18);
}

static int check(uint64_t size, const struct mem_limits *l, char *text)
{
	struct capture cap;
	int ret;

	capture_start(&cap);
	ret = limits_check_memory(size, l);
	capture_stop(&cap);
	strcpy(text, cap.text);
	return ret;
}

static void test_check(void **state)
{
	struct mem_limits l = { .phys_bits = 48, .nr_memslots = 32764,
				.host_mem = 24105ULL << 20 };
	struct mem_limits unknown = { 0 };
	char text[4096];

	assert_int_equal(check(16 * G, &l, text), 0);
	assert_string_equal(text, "");
	assert_int_equal(check(64 * T, &unknown, text), 0);
	assert_int_equal(check(64 * T, &l, text), -ENOMEM);
	assert_string_equal(text, "cvmm: --memory: size=64T is more than this host's RAM "
			    "and swap (24105 MiB)\n");
	l.host_mem = 0;
	assert_int_equal(check(64 * T, &l, text), 0);
	l.phys_bits = 39;
	assert_int_equal(check(1 * T, &l, text), -E2BIG);
	assert_string_equal(text, "cvmm: --memory: size=1T: this host's KVM gives guests "
			    "39-bit physical addresses, room for at most 511G of RAM\n");
	assert_int_equal(check(511 * G, &l, text), 0);
	l.phys_bits = 48;
	l.nr_memslots = 4;
	assert_int_equal(check(9 * T, &l, text), -ENOSPC);
	assert_string_equal(text, "cvmm: --memory: size=9T: needs 5 memory slots, this "
			    "host's KVM has 4\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_ram),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
