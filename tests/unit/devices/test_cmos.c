// SPDX-License-Identifier: GPL-2.0-only
/*
 * MC146818 RTC/CMOS: the memory-size bytes firmware reads, index masking
 * (bit 7 is the NMI mask), read-only clock and status registers, and the
 * clock itself in BCD and binary.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "devices/cmos.h"
#include "fakes.h"

#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

static uint8_t rd(struct cmos *c, uint8_t idx)
{
	pio_out(cmos_io, c, 0, idx);
	return pio_in(cmos_io, c, 1);
}

static void wr(struct cmos *c, uint8_t idx, uint8_t v)
{
	pio_out(cmos_io, c, 0, idx);
	pio_out(cmos_io, c, 1, v);
}

static uint16_t rd16(struct cmos *c, uint8_t idx)
{
	return (uint16_t)(rd(c, idx) | rd(c, idx + 1) << 8);
}

static void test_memory_bytes_512m(void **state)
{
	struct cmos c;

	cmos_init(&c, 512 * MiB, 0, 2);
	assert_int_equal(rd16(&c, 0x15), 640);
	/* extended memory in KiB saturates at 0xffff (64 MiB) */
	assert_int_equal(rd16(&c, 0x17), 0xffff);
	assert_int_equal(rd16(&c, 0x30), 0xffff);
	/* 64 KiB units above 16 MiB: (512 - 16) MiB */
	assert_int_equal(rd16(&c, 0x34), 0x1f00);
	assert_int_equal(rd(&c, 0x5b), 0);
	assert_int_equal(rd(&c, 0x5c), 0);
	assert_int_equal(rd(&c, 0x5d), 0);
	assert_int_equal(rd(&c, 0x5f), 1);		/* vCPUs - 1 */
	cmos_destroy(&c);
}

static void test_memory_bytes_high(void **state)
{
	struct cmos c;

	/* 5 GiB: 3 GiB below the hole, 2 GiB above 4 GiB */
	cmos_init(&c, 3 * GiB, 2 * GiB, 8);
	assert_int_equal(rd16(&c, 0x34), 0xbf00);
	assert_int_equal(rd(&c, 0x5b), 0x00);
	assert_int_equal(rd(&c, 0x5c), 0x80);
	assert_int_equal(rd(&c, 0x5d), 0x00);
	assert_int_equal(rd(&c, 0x5f), 7);
	cmos_destroy(&c);

	/* 24 bits of 64 KiB units: 512 GiB + 64 KiB above 4 GiB */
	cmos_init(&c, 3 * GiB, (1ULL << 39) + 0x10000, 1);
	assert_int_equal(rd(&c, 0x5b), 0x01);
	assert_int_equal(rd(&c, 0x5c), 0x00);
	assert_int_equal(rd(&c, 0x5d), 0x80);
	assert_int_equal(rd(&c, 0x5f), 0);
	cmos_destroy(&c);
}

/* Each boot lays RAM out anew (the Q35 persona's split): the bytes follow. */
static void test_set_memory(void **state)
{
	struct cmos c;

	cmos_init(&c, 3 * GiB, 0, 2);
	assert_int_equal(rd16(&c, 0x34), 0xbf00);
	cmos_set_memory(&c, 2 * GiB, 1 * GiB);		/* QEMU q35, 3 GiB */
	assert_int_equal(rd16(&c, 0x34), 0x7f00);
	assert_int_equal(rd16(&c, 0x17), 0xffff);
	assert_int_equal(rd(&c, 0x5b), 0x00);
	assert_int_equal(rd(&c, 0x5c), 0x40);
	assert_int_equal(rd(&c, 0x5d), 0x00);
	assert_int_equal(rd(&c, 0x5f), 1);		/* CPUs untouched */
	cmos_destroy(&c);
}

static void test_memory_bytes_small(void **state)
{
	struct cmos c;

	cmos_init(&c, 8 * MiB, 0, 1);
	assert_int_equal(rd16(&c, 0x17), 7 * 1024);
	assert_int_equal(rd16(&c, 0x30), 7 * 1024);
	assert_int_equal(rd16(&c, 0x34), 0);
	cmos_destroy(&c);

	cmos_init(&c, 16 * MiB + 64 * 1024, 0, 1);
	assert_int_equal(rd16(&c, 0x17), 15 * 1024 + 64);
	assert_int_equal(rd16(&c, 0x34), 1);
	cmos_destroy(&c);

	cmos_init(&c, 1 * MiB, 0, 1);
	assert_int_equal(rd16(&c, 0x17), 0);
	cmos_destroy(&c);
}

static void test_index_port(void **state)
{
	struct cmos c;

	cmos_init(&c, 512 * MiB, 0, 1);
	/* bit 7 of the index is the NMI mask: 0x95 selects 0x15 */
	pio_out(cmos_io, &c, 0, 0x80 | 0x15);
	assert_int_equal(c.index, 0x15);
	assert_int_equal(pio_in(cmos_io, &c, 1), 0x80);
	pio_out(cmos_io, &c, 0, 0xff);
	assert_int_equal(c.index, 0x7f);
	/* the index register reads as 0xff */
	assert_int_equal(pio_in(cmos_io, &c, 0), 0xff);
	assert_int_equal(c.index, 0x7f);
	cmos_destroy(&c);
}

static void test_status_registers(void **state)
{
	struct cmos c;

	cmos_init(&c, 512 * MiB, 0, 1);
	assert_int_equal(rd(&c, 0x0a), 0x26);
	assert_int_equal(rd(&c, 0x0b), 0x02);		/* 24-hour, BCD */
	assert_int_equal(rd(&c, 0x0c), 0x00);
	assert_int_equal(rd(&c, 0x0d), 0x80);		/* valid RAM and time */
	/* A and B are writable; A never reports an update in progress */
	wr(&c, 0x0a, 0xa6);
	assert_int_equal(rd(&c, 0x0a), 0x26);
	wr(&c, 0x0b, 0x06);
	assert_int_equal(rd(&c, 0x0b), 0x06);
	/* C and D are read-only */
	wr(&c, 0x0c, 0xff);
	wr(&c, 0x0d, 0x00);
	assert_int_equal(rd(&c, 0x0c), 0x00);
	assert_int_equal(rd(&c, 0x0d), 0x80);
	cmos_destroy(&c);
}

static void test_clock_read_only(void **state)
{
	struct cmos c;
	uint8_t i;

	cmos_init(&c, 512 * MiB, 0, 1);
	for (i = 0; i <= 9; i++)
		wr(&c, i, 0x99);
	wr(&c, 0x32, 0x99);		/* century */
	for (i = 0; i <= 9; i++)
		assert_int_equal(c.ram[i], 0);
	assert_int_equal(c.ram[0x32], 0);
	/* the century reads from the clock: 20 in BCD until 2100 */
	assert_int_equal(rd(&c, 0x32), 0x20);
	cmos_destroy(&c);
}

static void test_nvram(void **state)
{
	struct cmos c;
	unsigned int i;

	cmos_init(&c, 512 * MiB, 0, 1);
	/* the rest is battery-backed RAM: read/write */
	for (i = 0x0e; i < CMOS_SIZE; i++) {
		if (i == 0x32)
			continue;
		wr(&c, (uint8_t)i, (uint8_t)(i ^ 0x5a));
	}
	for (i = 0x0e; i < CMOS_SIZE; i++) {
		if (i == 0x32)
			continue;
		assert_int_equal(rd(&c, (uint8_t)i), (uint8_t)(i ^ 0x5a));
	}
	/* alarm registers (1, 3, 5) read as stored (never written: 0) */
	assert_int_equal(rd(&c, 1), 0);
	assert_int_equal(rd(&c, 3), 0);
	assert_int_equal(rd(&c, 5), 0);
	cmos_destroy(&c);
}

static int bcd(uint8_t v)
{
	assert_true((v & 0xf) <= 9);
	assert_true((v >> 4) <= 9);
	return (v >> 4) * 10 + (v & 0xf);
}

static void read_clock(struct cmos *c, int binary, struct tm *out)
{
	int (*conv)(uint8_t) = bcd;
	time_t before, after;

	do {
		before = time(NULL);
		if (binary) {
			out->tm_sec = rd(c, 0);
			out->tm_min = rd(c, 2);
			out->tm_hour = rd(c, 4);
			out->tm_wday = rd(c, 6) - 1;
			out->tm_mday = rd(c, 7);
			out->tm_mon = rd(c, 8) - 1;
			out->tm_year = rd(c, 9);
		} else {
			out->tm_sec = conv(rd(c, 0));
			out->tm_min = conv(rd(c, 2));
			out->tm_hour = conv(rd(c, 4));
			out->tm_wday = conv(rd(c, 6)) - 1;
			out->tm_mday = conv(rd(c, 7));
			out->tm_mon = conv(rd(c, 8)) - 1;
			out->tm_year = conv(rd(c, 9));
		}
		after = time(NULL);
	} while (before != after);
	{
		struct tm now;

		gmtime_r(&before, &now);
		assert_int_equal(out->tm_sec, now.tm_sec);
		assert_int_equal(out->tm_min, now.tm_min);
		assert_int_equal(out->tm_hour, now.tm_hour);
		assert_int_equal(out->tm_wday, now.tm_wday);
		assert_int_equal(out->tm_mday, now.tm_mday);
		assert_int_equal(out->tm_mon, now.tm_mon);
		assert_int_equal(out->tm_year, now.tm_year % 100);
	}
}

static void test_clock(void **state)
{
	struct cmos c;
	struct tm t;

	cmos_init(&c, 512 * MiB, 0, 1);
	read_clock(&c, 0, &t);
	wr(&c, 0x0b, 0x06);		/* binary mode */
	read_clock(&c, 1, &t);
	cmos_destroy(&c);
}

static void test_wide_access(void **state)
{
	struct cmos c;
	uint8_t d[2] = { 0x15, 0x15 };

	cmos_init(&c, 512 * MiB, 0, 1);
	pio_out(cmos_io, &c, 0, 0x10);
	/* only byte accesses: a 2-byte write changes nothing... */
	assert_int_equal(cmos_io(&c, 0, d, 2, true), 0);
	assert_int_equal(c.index, 0x10);
	/* ...and a 2-byte read returns all ones */
	memset(d, 0, sizeof(d));
	assert_int_equal(cmos_io(&c, 0, d, 2, false), 0);
	assert_memory_equal(d, "\xff\xff", 2);
	cmos_destroy(&c);
}

static void test_register(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct cmos c;
	uint8_t v = 0x5f;

	cmos_init(&c, 512 * MiB, 0, 4);
	assert_int_equal(cmos_register(&c, &bus), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x70, &v, 1, true), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x71, &v, 1, false), 0);
	assert_int_equal(v, 3);
	assert_int_equal(io_bus_dispatch(&bus, 0x72, &v, 1, false), -ENOENT);
	io_bus_free(&bus);
	cmos_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory_bytes_512m),
		cmocka_unit_test(test_memory_bytes_high),
		cmocka_unit_test(test_set_memory),
		cmocka_unit_test(test_memory_bytes_small),
		cmocka_unit_test(test_index_port),
		cmocka_unit_test(test_status_registers),
		cmocka_unit_test(test_clock_read_only),
		cmocka_unit_test(test_nvram),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_wide_access),
		cmocka_unit_test(test_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
