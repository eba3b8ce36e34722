// SPDX-License-Identifier: GPL-2.0-only
/*
 * dev_zalloc(): zeroed, writable device state whose pages become resident
 * only when touched (outside AddressSanitizer builds, where it is calloc()).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/dev_alloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define ON_HEAP	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ON_HEAP	1
#endif
#endif
#ifndef ON_HEAP
#define ON_HEAP	0
#endif

#define SIZE	(100 * 1024 + 24)	/* not a page multiple */

/* Resident pages of [p, p + len) */
static size_t resident(void *p, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t start = (uintptr_t)p & ~(uintptr_t)(page - 1);
	size_t n = ((uintptr_t)p + len - start + (size_t)page - 1) / (size_t)page, i, r = 0;
	unsigned char vec[64];

	assert_true(n <= sizeof(vec));
	assert_int_equal(mincore((void *)start, n * (size_t)page, vec), 0);
	for (i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

static void test_zeroed_and_writable(void **state)
{
	uint8_t *p = dev_zalloc(SIZE);
	size_t i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < SIZE; i++)
		if (p[i])
			fail_msg("byte %zu is 0x%02x, not zero", i, p[i]);
	memset(p, 0xa5, SIZE);
	assert_int_equal(p[SIZE - 1], 0xa5);
	dev_zfree(p, SIZE);
}

static void test_untouched_pages_not_resident(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t *p = dev_zalloc(SIZE);

	(void)state;
	assert_non_null(p);
	if (ON_HEAP) {
		dev_zfree(p, SIZE);
		skip();		/* calloc(): AddressSanitizer keeps its checks */
	}
	assert_int_equal(resident(p, SIZE), 0);
	p[0] = 1;			/* the header fields */
	p[3 * page] = 1;		/* one table entry */
	assert_int_equal(resident(p, SIZE), 2);
	dev_zfree(p, SIZE);
}

static void test_free_null(void **state)
{
	(void)state;
	dev_zfree(NULL, SIZE);		/* ignored, as free(NULL) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zeroed_and_writable),
		cmocka_unit_test(test_untouched_pages_not_resident),
		cmocka_unit_test(test_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
