// SPDX-License-Identifier: GPL-2.0-only
/* The PS/2 controller as firmware and Linux probe it, and its reset line. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "devices/i8042.h"
#include "fakes.h"

#define DATA	0	/* port 0x60 */
#define CMD	4	/* port 0x64 */

struct fixture {
	struct i8042 k;
	struct fake_ctl ctl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vm_control ctl;

	assert_non_null(f);
	ctl = fake_control(&f->ctl);
	i8042_init(&f->k, &ctl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	i8042_destroy(&f->k);
	free(f);
	return 0;
}

static void out(struct fixture *f, unsigned int off, uint8_t v)
{
	pio_out(i8042_io, &f->k, off, v);
}

static uint8_t in(struct fixture *f, unsigned int off)
{
	return pio_in(i8042_io, &f->k, off);
}

static void test_status(void **state)
{
	struct fixture *f = *state;

	/* system flag, output buffer empty */
	assert_int_equal(in(f, CMD), 0x04);
	assert_int_equal(f->ctl.count, 0);
}

static void test_self_tests(void **state)
{
	struct fixture *f = *state;

	out(f, CMD, 0xaa);
	assert_int_equal(in(f, CMD), 0x05);	/* OBF */
	assert_int_equal(in(f, DATA), 0x55);
	assert_int_equal(in(f, CMD), 0x04);	/* read empties it */
	out(f, CMD, 0xab);
	assert_int_equal(in(f, DATA), 0x00);
	out(f, CMD, 0xa9);
	assert_int_equal(in(f, CMD), 0x05);
	assert_int_equal(in(f, DATA), 0x00);
	assert_int_equal(f->ctl.count, 0);
}

static void test_command_byte(void **state)
{
	struct fixture *f = *state;

	out(f, CMD, 0x20);
	assert_int_equal(in(f, DATA), 0x61);
	out(f, CMD, 0x60);
	out(f, DATA, 0x47);
	/* consumed as the command byte, not answered */
	assert_int_equal(in(f, CMD), 0x04);
	out(f, CMD, 0x20);
	assert_int_equal(in(f, DATA), 0x47);
	/* a data byte with no command pending: "resend" (no device) */
	out(f, DATA, 0xff);
	assert_int_equal(in(f, CMD), 0x05);
	assert_int_equal(in(f, DATA), 0xfe);
	/* the command byte is unchanged by it */
	out(f, CMD, 0x20);
	assert_int_equal(in(f, DATA), 0x47);
}

static void test_reset_command(void **state)
{
	struct fixture *f = *state;

	out(f, CMD, 0xfe);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_RESET);
	assert_int_equal(f->ctl.status, 0);
}

static void test_output_port(void **state)
{
	struct fixture *f = *state;

	/* bit 0 high: the CPU keeps running */
	out(f, CMD, 0xd1);
	out(f, DATA, 0xdf);
	assert_int_equal(f->ctl.count, 0);
	assert_int_equal(in(f, CMD), 0x04);
	/* bit 0 low: system reset */
	out(f, CMD, 0xd1);
	out(f, DATA, 0xfe);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_RESET);
	/* the pending command was used up */
	out(f, DATA, 0xfe);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(in(f, DATA), 0xfe);
}

static void test_other_commands(void **state)
{
	struct fixture *f = *state;
	unsigned int c;

	/* enable/disable ports and friends: accepted, no answer, no reset */
	for (c = 0xad; c <= 0xae; c++) {
		out(f, CMD, (uint8_t)c);
		assert_int_equal(in(f, CMD), 0x04);
	}
	out(f, CMD, 0xa7);
	out(f, CMD, 0xa8);
	out(f, CMD, 0x00);
	assert_int_equal(in(f, CMD), 0x04);
	assert_int_equal(f->ctl.count, 0);
}

static void test_other_ports(void **state)
{
	struct fixture *f = *state;
	uint8_t d[2] = { 0xfe, 0xfe };

	/* 0x61..0x63 read as 0xff and ignore writes */
	assert_int_equal(in(f, 1), 0xff);
	assert_int_equal(in(f, 3), 0xff);
	out(f, 1, 0x00);
	out(f, 2, 0xfe);
	assert_int_equal(f->ctl.count, 0);
	/* byte accesses only: a 2-byte write of 0xfefe to 0x64 does nothing */
	assert_int_equal(i8042_io(&f->k, CMD, d, 2, true), 0);
	assert_int_equal(f->ctl.count, 0);
	memset(d, 0, sizeof(d));
	assert_int_equal(i8042_io(&f->k, CMD, d, 2, false), 0);
	assert_memory_equal(d, "\xff\xff", 2);
}

static void test_register(void **state)
{
	struct fixture *f = *state;
	struct io_bus bus = { .name = "pio" };
	uint8_t v = 0xfe;

	assert_int_equal(i8042_register(&f->k, &bus), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x64, &v, 1, true), 0);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(io_bus_dispatch(&bus, 0x64, &v, 1, false), 0);
	assert_int_equal(v, 0x04);
	assert_int_equal(io_bus_dispatch(&bus, 0x65, &v, 1, false), -ENOENT);
	io_bus_free(&bus);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_status),
		T(test_self_tests),
		T(test_command_byte),
		T(test_reset_command),
		T(test_output_port),
		T(test_other_commands),
		T(test_other_ports),
		T(test_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
