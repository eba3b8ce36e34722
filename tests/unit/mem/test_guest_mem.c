// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest memory bounds checks: every [gpa, gpa + len) a device or loader
 * passes is hostile, so ranges that wrap, cross a region's end, span two
 * regions or touch ROM for writing must be refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "mem/guest_mem.h"

#define K4	0x1000ULL
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

static int fd_is_closed(int fd)
{
	return fcntl(fd, F_GETFD) < 0 && errno == EBADF;
}

static void test_add_ram_checks(void **state)
{
	struct guest_mem m = { 0 };

	assert_int_equal(guest_mem_add_ram(&m, 0x800, MiB, GUEST_MEM_ANON, false, "a"),
			 -EINVAL);
	assert_int_equal(guest_mem_add_ram(&m, 0, MiB + 1, GUEST_MEM_ANON, false, "a"),
			 -EINVAL);
	assert_int_equal(guest_mem_add_ram(&m, 0, 0, GUEST_MEM_ANON, false, "a"),
			 -EINVAL);
	/* [gpa, gpa + size) wrapping around 2^64 */
	assert_int_equal(guest_mem_add_ram(&m, 0xfffffffffffff000ULL, 0x2000,
					   GUEST_MEM_ANON, false, "a"), -EINVAL);
	assert_int_equal(m.nr, 0);
	assert_int_equal(m.ram_size, 0);

	assert_int_equal(guest_mem_add_ram(&m, MiB, 2 * MiB, GUEST_MEM_ANON, false,
					   "low"), 0);
	/* overlaps: inside, across either end, around */
	assert_int_equal(guest_mem_add_ram(&m, 2 * MiB, K4, GUEST_MEM_ANON, false, "x"),
			 -EINVAL);
	assert_int_equal(guest_mem_add_ram(&m, MiB - K4, 2 * K4, GUEST_MEM_ANON, false,
					   "x"), -EINVAL);
	assert_int_equal(guest_mem_add_ram(&m, 3 * MiB - K4, 2 * K4, GUEST_MEM_ANON,
					   false, "x"), -EINVAL);
	assert_int_equal(guest_mem_add_ram(&m, 0, 4 * MiB, GUEST_MEM_ANON, false, "x"),
			 -EINVAL);
	/* adjacent on both sides is fine */
	assert_int_equal(guest_mem_add_ram(&m, 0, MiB, GUEST_MEM_ANON, false, "lo"), 0);
	assert_int_equal(guest_mem_add_ram(&m, 3 * MiB, MiB, GUEST_MEM_ANON, false, "hi"),
			 0);
	assert_int_equal(m.nr, 3);
	assert_int_equal(m.ram_size, 4 * MiB);
	assert_int_equal(m.regions[0].kind, GUEST_REGION_RAM);
	assert_int_equal(m.regions[0].fd, -1);
	assert_string_equal(m.regions[2].name, "hi");
	guest_mem_free(&m);
	assert_int_equal(m.nr, 0);
	assert_int_equal(m.ram_size, 0);
	guest_mem_free(&m);	/* twice is harmless */
}

static void test_region_limit(void **state)
{
	struct guest_mem m = { 0 };
	unsigned int i;

	for (i = 0; i < GUEST_MEM_MAX_REGIONS; i++)
		assert_int_equal(guest_mem_add_ram(&m, i * MiB, K4, GUEST_MEM_ANON,
						   false, "r"), 0);
	assert_int_equal(guest_mem_add_ram(&m, 100 * MiB, K4, GUEST_MEM_ANON, false,
					   "r"), -EINVAL);
	assert_int_equal(guest_mem_add_rom(&m, 200 * MiB, "x", 1, "rom"), -EINVAL);
	assert_int_equal(m.nr, GUEST_MEM_MAX_REGIONS);
	assert_int_equal(m.ram_size, GUEST_MEM_MAX_REGIONS * K4);
	guest_mem_free(&m);
}

static void test_memfd(void **state)
{
	struct guest_mem m = { 0 };
	uint8_t buf[4];
	int fd;

	/* shared: the memfd sees what the guest wrote */
	assert_int_equal(guest_mem_add_ram(&m, 0, 16 * K4, GUEST_MEM_MEMFD, true,
					   "shared"), 0);
	fd = m.regions[0].fd;
	assert_true(fd >= 0);
	assert_int_equal(m.regions[0].fd_offset, 0);
	assert_int_equal(guest_mem_write(&m, 5 * K4 + 3, "abcd", 4), 0);
	assert_int_equal(pread(fd, buf, 4, 5 * K4 + 3), 4);
	assert_memory_equal(buf, "abcd", 4);
	guest_mem_free(&m);
	/* the fd was closed */
	assert_true(fd_is_closed(fd));

	/* private: the memfd keeps its zeroes */
	assert_int_equal(guest_mem_add_ram(&m, 0, 16 * K4, GUEST_MEM_MEMFD, false,
					   "private"), 0);
	fd = m.regions[0].fd;
	assert_int_equal(guest_mem_write(&m, 0, "abcd", 4), 0);
	assert_int_equal(pread(fd, buf, 4, 0), 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	guest_mem_free(&m);
}

static void test_lookup_bounds(void **state)
{
	struct guest_mem m = { 0 };
	const struct guest_region *r;

	assert_int_equal(guest_mem_add_ram(&m, 0, MiB, GUEST_MEM_ANON, false, "lo"), 0);
	assert_int_equal(guest_mem_add_ram(&m, MiB, MiB, GUEST_MEM_ANON, false, "mid"), 0);
	assert_int_equal(guest_mem_add_ram(&m, 4 * GiB, MiB, GUEST_MEM_ANON, false, "hi"),
			 0);

	r = guest_mem_region(&m, 0, MiB);
	assert_non_null(r);
	assert_string_equal(r->name, "lo");
	r = guest_mem_region(&m, MiB - 1, 1);
	assert_string_equal(r->name, "lo");
	r = guest_mem_region(&m, MiB, 1);
	assert_string_equal(r->name, "mid");
	r = guest_mem_region(&m, 4 * GiB + MiB - 8, 8);
	assert_string_equal(r->name, "hi");
	/* across the boundary of two adjacent regions: two mappings, refused */
	assert_null(guest_mem_region(&m, MiB - 1, 2));
	assert_null(guest_mem_ptr(&m, MiB - 4, 8));
	/* past the end, in the hole, beyond everything */
	assert_null(guest_mem_region(&m, 2 * MiB - 1, 2));
	assert_null(guest_mem_region(&m, 2 * MiB, 1));
	assert_null(guest_mem_region(&m, 3 * GiB, 1));
	assert_null(guest_mem_region(&m, 4 * GiB + MiB - 8, 9));
	assert_null(guest_mem_region(&m, 4 * GiB - 1, 2));
	/* wrapping ranges */
	assert_null(guest_mem_region(&m, UINT64_MAX, 2));
	assert_null(guest_mem_region(&m, 0x10, UINT64_MAX));
	assert_null(guest_mem_region(&m, 4 * GiB + 0x10, UINT64_MAX - 4 * GiB));
	assert_null(guest_mem_region(&m, UINT64_MAX - 0xf, 0x20));
	assert_null(guest_mem_region(&m, 0, UINT64_MAX));
	/* an empty range at the very end of a region */
	assert_non_null(guest_mem_region(&m, 4 * GiB + MiB, 0));
	guest_mem_free(&m);
}

static void test_copy(void **state)
{
	struct guest_mem m = { 0 };
	uint8_t buf[32], *hva;
	size_t i;

	assert_int_equal(guest_mem_add_ram(&m, 0x10000, 4 * K4, GUEST_MEM_ANON, false,
					   "ram"), 0);
	hva = guest_mem_ptr(&m, 0x10000, 4 * K4);
	assert_non_null(hva);
	assert_ptr_equal(guest_mem_ptr(&m, 0x10010, 1), hva + 0x10);
	for (i = 0; i < 4 * K4; i++)
		hva[i] = (uint8_t)i;

	assert_int_equal(guest_mem_read(&m, 0x10000 + 4 * K4 - 32, buf, 32), 0);
	assert_memory_equal(buf, hva + 4 * K4 - 32, 32);
	/* one byte too far: refused, buffer untouched */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(guest_mem_read(&m, 0x10000 + 4 * K4 - 31, buf, 32), -EFAULT);
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(guest_mem_read(&m, 0xffff, buf, 2), -EFAULT);

	/* writes and fills: all or nothing */
	assert_int_equal(guest_mem_write(&m, 0x10000 + 4 * K4 - 2, "xyz", 3), -EFAULT);
	assert_int_equal(hva[4 * K4 - 2], (uint8_t)(4 * K4 - 2));
	assert_int_equal(guest_mem_fill(&m, 0x10000 + 4 * K4 - 2, 0, 3), -EFAULT);
	assert_int_equal(hva[4 * K4 - 1], (uint8_t)(4 * K4 - 1));
	assert_int_equal(guest_mem_fill(&m, UINT64_MAX, 0, 2), -EFAULT);
	assert_int_equal(guest_mem_write(&m, 0x10000 + 4 * K4 - 3, "xyz", 3), 0);
	assert_memory_equal(hva + 4 * K4 - 3, "xyz", 3);
	assert_int_equal(guest_mem_fill(&m, 0x10000, 0x42, 4 * K4), 0);
	assert_int_equal(hva[0], 0x42);
	assert_int_equal(hva[4 * K4 - 1], 0x42);
	/* zero-length copies inside RAM are fine */
	assert_int_equal(guest_mem_write(&m, 0x10000, buf, 0), 0);
	assert_int_equal(guest_mem_read(&m, 0x10000 + 4 * K4, buf, 0), 0);
	guest_mem_free(&m);
}

static void test_rom(void **state)
{
	struct guest_mem m = { 0 };
	const struct guest_region *r;
	uint8_t data[K4], buf[100];
	size_t i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x80 + i);
	assert_int_equal(guest_mem_add_rom(&m, 0xffff1000, data, 100, "rom"), 0);
	/* rounded up to a page, zero padded, not counted as RAM */
	r = guest_mem_region(&m, 0xffff1000, K4);
	assert_non_null(r);
	assert_int_equal(r->size, K4);
	assert_int_equal(r->kind, GUEST_REGION_ROM);
	assert_int_equal(r->fd, -1);
	assert_int_equal(m.ram_size, 0);
	assert_int_equal(guest_mem_read(&m, 0xffff1000, buf, 100), 0);
	assert_memory_equal(buf, data, 100);
	assert_int_equal(guest_mem_read(&m, 0xffff1000 + K4 - 1, buf, 1), 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(guest_mem_read(&m, 0xffff1000 + K4 - 1, buf, 2), -EFAULT);

	/* read-only to every writer and never exposed as a pointer */
	assert_null(guest_mem_ptr(&m, 0xffff1000, 1));
	assert_int_equal(guest_mem_write(&m, 0xffff1000, "zz", 2), -EFAULT);
	assert_int_equal(guest_mem_fill(&m, 0xffff1000, 0, K4), -EFAULT);
	assert_int_equal(guest_mem_read(&m, 0xffff1000, buf, 2), 0);
	assert_memory_equal(buf, data, 2);

	/* misaligned or overlapping ROMs */
	assert_int_equal(guest_mem_add_rom(&m, 0xffff0800, data, 1, "x"), -EINVAL);
	assert_int_equal(guest_mem_add_rom(&m, 0xffff1000, data, 1, "x"), -EINVAL);
	assert_int_equal(guest_mem_add_rom(&m, 0xfffff000, data, 0, "x"), -EINVAL);
	/* ... and RAM over a ROM */
	assert_int_equal(guest_mem_add_ram(&m, 0xffff0000, 2 * K4, GUEST_MEM_ANON,
					   false, "x"), -EINVAL);
	assert_int_equal(m.nr, 1);
	/* a ROM ending at 4 GiB (the firmware) */
	assert_int_equal(guest_mem_add_rom(&m, 0xfffff000, data, K4 - 1, "fw"), 0);
	assert_int_equal(guest_mem_read(&m, 0xfffffff0, buf, 16), 0);
	guest_mem_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_ram_checks),
		cmocka_unit_test(test_region_limit),
		cmocka_unit_test(test_memfd),
		cmocka_unit_test(test_lookup_bounds),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_rom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
