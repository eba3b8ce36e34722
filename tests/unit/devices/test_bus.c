// SPDX-License-Identifier: GPL-2.0-only
/* Port/MMIO bus: registration, lookup, dispatch and unclaimed accesses. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/bus.h"

struct rec {
	unsigned int calls;
	uint64_t offset;
	uint32_t len;
	bool is_write;
	uint8_t data[8];
	int ret;
};

static int rec_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		  bool is_write)
{
	struct rec *r = opaque;

	r->calls++;
	r->offset = offset;
	r->len = len;
	r->is_write = is_write;
	if (is_write)
		memcpy(r->data, data, len);
	else
		memset(data, 0x3c, len);
	return r->ret;
}

static void test_register_checks(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct rec r = { 0 };

	assert_int_equal(io_bus_register(&bus, 0x100, 0, rec_io, &r, "x"), -EINVAL);
	assert_int_equal(io_bus_register(&bus, 0x100, 4, NULL, &r, "x"), -EINVAL);
	assert_int_equal(io_bus_register(&bus, UINT64_MAX, 2, rec_io, &r, "x"), -EINVAL);
	assert_int_equal(io_bus_register(&bus, UINT64_MAX - 7, 8, rec_io, &r, "x"),
			 -EINVAL);
	assert_int_equal(bus.nr, 0);

	assert_int_equal(io_bus_register(&bus, 0x100, 8, rec_io, &r, "a"), 0);
	/* every kind of overlap */
	assert_int_equal(io_bus_register(&bus, 0x100, 8, rec_io, &r, "x"), -EBUSY);
	assert_int_equal(io_bus_register(&bus, 0xff, 2, rec_io, &r, "x"), -EBUSY);
	assert_int_equal(io_bus_register(&bus, 0x107, 4, rec_io, &r, "x"), -EBUSY);
	assert_int_equal(io_bus_register(&bus, 0x102, 1, rec_io, &r, "x"), -EBUSY);
	assert_int_equal(io_bus_register(&bus, 0x0, 0x1000, rec_io, &r, "x"), -EBUSY);
	/* touching is fine */
	assert_int_equal(io_bus_register(&bus, 0xf8, 8, rec_io, &r, "b"), 0);
	assert_int_equal(io_bus_register(&bus, 0x108, 1, rec_io, &r, "c"), 0);
	assert_int_equal(io_bus_register(&bus, UINT64_MAX - 7, 7, rec_io, &r, "top"), 0);
	assert_int_equal(io_bus_register(&bus, 0, 1, rec_io, &r, "zero"), 0);
	assert_int_equal(bus.nr, 5);
	/* kept sorted */
	assert_int_equal(bus.ranges[0].base, 0);
	assert_int_equal(bus.ranges[1].base, 0xf8);
	assert_int_equal(bus.ranges[2].base, 0x100);
	assert_int_equal(bus.ranges[3].base, 0x108);
	assert_int_equal(bus.ranges[4].base, UINT64_MAX - 7);
	assert_string_equal(io_bus_find(&bus, 0x104)->name, "a");
	assert_string_equal(io_bus_find(&bus, 0xff)->name, "b");
	assert_string_equal(io_bus_find(&bus, UINT64_MAX - 1)->name, "top");
	assert_null(io_bus_find(&bus, UINT64_MAX));
	assert_null(io_bus_find(&bus, 0x109));
	assert_null(io_bus_find(&bus, 0x1));
	io_bus_free(&bus);
	assert_int_equal(bus.nr, 0);
	assert_null(bus.ranges);
	assert_null(io_bus_find(&bus, 0));
}

static void test_dispatch(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct rec a = { 0 }, b = { .ret = -EIO };
	uint8_t d[8];

	assert_int_equal(io_bus_register(&bus, 0x3f8, 8, rec_io, &a, "serial"), 0);
	assert_int_equal(io_bus_register(&bus, 0x400, 4, rec_io, &b, "b"), 0);

	memcpy(d, "\x41\x42", 2);
	assert_int_equal(io_bus_dispatch(&bus, 0x3fb, d, 2, true), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.offset, 3);
	assert_int_equal(a.len, 2);
	assert_true(a.is_write);
	assert_memory_equal(a.data, "\x41\x42", 2);

	memset(d, 0, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x3f8, d, 8, false), 0);
	assert_int_equal(a.offset, 0);
	assert_int_equal(a.len, 8);
	assert_false(a.is_write);
	assert_memory_equal(d, "\x3c\x3c\x3c\x3c\x3c\x3c\x3c\x3c", 8);

	/* the handler's error is passed on */
	assert_int_equal(io_bus_dispatch(&bus, 0x403, d, 1, true), -EIO);
	assert_int_equal(b.offset, 3);
	io_bus_free(&bus);
}

static void test_unclaimed(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct rec a = { 0 };
	uint8_t d[8];

	assert_int_equal(io_bus_register(&bus, 0x3f8, 8, rec_io, &a, "serial"), 0);

	/* nobody there: reads are all ones, writes dropped */
	memset(d, 0, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x3f0, d, 4, false), -ENOENT);
	assert_memory_equal(d, "\xff\xff\xff\xff\0\0\0\0", 8);
	memset(d, 0x11, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x400, d, 1, true), -ENOENT);
	assert_int_equal(d[0], 0x11);

	/* an access running past the end of its range is not claimed */
	memset(d, 0, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x3fe, d, 4, false), -ENOENT);
	assert_memory_equal(d, "\xff\xff\xff\xff", 4);
	assert_int_equal(io_bus_dispatch(&bus, 0x3f9, d, 8, true), -ENOENT);
	assert_int_equal(a.calls, 0);
	/* ... while one ending exactly at it is */
	assert_int_equal(io_bus_dispatch(&bus, 0x3fc, d, 4, false), 0);
	assert_int_equal(a.offset, 4);
	assert_int_equal(io_bus_dispatch(&bus, 0x3ff, d, 1, true), 0);
	assert_int_equal(a.calls, 2);

	/* addresses at the top of the space */
	assert_int_equal(io_bus_dispatch(&bus, UINT64_MAX, d, 8, false), -ENOENT);
	assert_int_equal(io_bus_dispatch(&bus, UINT64_MAX - 3, d, 8, true), -ENOENT);
	io_bus_free(&bus);

	/* an empty bus */
	assert_int_equal(io_bus_dispatch(&bus, 0x80, d, 1, false), -ENOENT);
	assert_int_equal(d[0], 0xff);
}

/* The fallback decoder: only what no range claims, absolute addresses. */
static int fallback_io(void *opaque, uint64_t addr, uint8_t *data, uint32_t len,
		       bool is_write)
{
	struct rec *r = opaque;

	if (addr < 0x600 || addr >= 0x680)
		return -ENOENT;
	return rec_io(r, addr, data, len, is_write);
}

static void test_fallback(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct rec a = { 0 }, f = { 0 };
	uint8_t d[4];

	assert_int_equal(io_bus_register(&bus, 0x600, 4, rec_io, &a, "fixed"), 0);
	assert_int_equal(io_bus_set_fallback(&bus, fallback_io, &f), 0);
	assert_int_equal(io_bus_set_fallback(&bus, fallback_io, &f), -EBUSY);

	/* a registered range wins */
	assert_int_equal(io_bus_dispatch(&bus, 0x600, d, 4, false), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(f.calls, 0);
	/* the rest goes to the fallback with its absolute address */
	memset(d, 0, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x608, d, 4, false), 0);
	assert_int_equal(f.calls, 1);
	assert_int_equal(f.offset, 0x608);
	assert_memory_equal(d, "\x3c\x3c\x3c\x3c", 4);
	/* an access running past a range is not the range's: the fallback's */
	assert_int_equal(io_bus_dispatch(&bus, 0x602, d, 4, true), 0);
	assert_int_equal(a.calls, 1);
	assert_int_equal(f.offset, 0x602);
	/* what neither decodes reads all ones */
	memset(d, 0, sizeof(d));
	assert_int_equal(io_bus_dispatch(&bus, 0x700, d, 2, false), -ENOENT);
	assert_memory_equal(d, "\xff\xff\0\0", 4);
	io_bus_free(&bus);
	assert_null(bus.fallback);
}

static void test_top_range(void **state)
{
	struct io_bus bus = { .name = "mmio" };
	struct rec a = { 0 };
	uint8_t d[8] = { 0 };
	const uint64_t base = 0xfffffffffffffff0ULL;

	assert_int_equal(io_bus_register(&bus, base, 8, rec_io, &a, "top"), 0);
	assert_int_equal(io_bus_dispatch(&bus, base + 7, d, 1, false), 0);
	assert_int_equal(a.offset, 7);
	/* would wrap past the end of the range */
	assert_int_equal(io_bus_dispatch(&bus, base + 7, d, 8, false), -ENOENT);
	assert_int_equal(a.calls, 1);
	io_bus_free(&bus);
}

static void test_many_ranges(void **state)
{
	struct io_bus bus = { .name = "mmio" };
	struct rec r[64];
	unsigned int i, order[64];
	uint8_t d;

	memset(r, 0, sizeof(r));
	/* register in a scrambled order: 37 is coprime with 64 */
	for (i = 0; i < 64; i++)
		order[i] = (i * 37) % 64;
	for (i = 0; i < 64; i++) {
		unsigned int k = order[i];

		assert_int_equal(io_bus_register(&bus, 0x10000 + k * 0x100, 0x10 + k,
						 rec_io, &r[k], "r"), 0);
	}
	for (i = 1; i < 64; i++)
		assert_true(bus.ranges[i - 1].base < bus.ranges[i].base);
	for (i = 0; i < 64; i++) {
		uint64_t base = 0x10000 + i * 0x100;

		assert_ptr_equal(io_bus_find(&bus, base)->opaque, &r[i]);
		assert_ptr_equal(io_bus_find(&bus, base + 0xf + i)->opaque, &r[i]);
		assert_null(io_bus_find(&bus, base + 0x10 + i));
		assert_null(io_bus_find(&bus, base - 1));
		assert_int_equal(io_bus_dispatch(&bus, base + 1, &d, 1, true), 0);
		assert_int_equal(r[i].calls, 1);
		assert_int_equal(r[i].offset, 1);
	}
	io_bus_free(&bus);
}

static int level_seen;

static void test_remove(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct rec a = { 0 }, b = { 0 }, c = { 0 };
	struct io_range old;
	uint8_t v = 6;

	assert_int_equal(io_bus_register(&bus, 0x3f8, 8, rec_io, &a, "a"), 0);
	assert_int_equal(io_bus_register(&bus, 0xcf9, 1, rec_io, &b, "b"), 0);
	assert_int_equal(io_bus_register(&bus, 0x510, 2, rec_io, &c, "c"), 0);
	/* any address inside the range finds it; the previous owner is returned */
	assert_int_equal(io_bus_remove(&bus, 0xcf9, &old), 0);
	assert_int_equal(old.base, 0xcf9);
	assert_int_equal(old.len, 1);
	assert_ptr_equal(old.opaque, &b);
	assert_int_equal(bus.nr, 2);
	assert_null(io_bus_find(&bus, 0xcf9));
	assert_int_equal(io_bus_remove(&bus, 0xcf9, NULL), -ENOENT);
	/* the rest still dispatch, in order */
	assert_non_null(io_bus_find(&bus, 0x3ff));
	assert_non_null(io_bus_find(&bus, 0x511));
	/* a bigger range can take its place, and forward to the old one */
	assert_int_equal(io_bus_register(&bus, 0xcf8, 8, rec_io, &c, "conf1"), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0xcf9, &v, 1, true), 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.offset, 1);
	assert_int_equal(old.fn(old.opaque, 0, &v, 1, true), 0);
	assert_int_equal(b.calls, 1);
	assert_int_equal(io_bus_remove(&bus, 0x3f9, NULL), 0);
	assert_null(io_bus_find(&bus, 0x3f8));
	io_bus_free(&bus);
}

static void set_level(void *opaque, uint32_t gsi, int level)
{
	level_seen = (int)gsi * 10 + level;
}

static void test_irq_line(void **state)
{
	struct irq_line l = { .set_level = set_level, .gsi = 4 };
	struct irq_line none = { 0 };

	irq_line_set(&l, 1);
	assert_int_equal(level_seen, 41);
	irq_line_set(&l, 0);
	assert_int_equal(level_seen, 40);
	/* unwired lines are fine */
	irq_line_set(&none, 1);
	irq_line_set(NULL, 1);
	assert_int_equal(level_seen, 40);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_checks),
		cmocka_unit_test(test_dispatch),
		cmocka_unit_test(test_unclaimed),
		cmocka_unit_test(test_fallback),
		cmocka_unit_test(test_top_range),
		cmocka_unit_test(test_many_ranges),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_irq_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
