// SPDX-License-Identifier: GPL-2.0-only
/* Reset control (0xcf9), debug exit, debug console (0x402), POST port 0x80. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/misc_ports.h"
#include "fakes.h"

static void test_reset_ctl(void **state)
{
	struct fake_ctl fc;
	struct vm_control ctl = fake_control(&fc);
	struct reset_ctl r;
	uint8_t d[2] = { 0x06, 0x06 };

	reset_ctl_init(&r, &ctl);
	assert_int_equal(pio_in(reset_ctl_io, &r, 0), 0);
	/* SYS_RST alone selects a hard reset, nothing happens yet */
	pio_out(reset_ctl_io, &r, 0, 0x02);
	assert_int_equal(fc.count, 0);
	assert_int_equal(pio_in(reset_ctl_io, &r, 0), 0x02);
	/* RST_CPU resets (the FADT RESET_VALUE is 6) */
	pio_out(reset_ctl_io, &r, 0, 0x06);
	assert_int_equal(fc.count, 1);
	assert_int_equal(fc.last, VM_REQ_RESET);
	assert_int_equal(pio_in(reset_ctl_io, &r, 0), 0x06);
	pio_out(reset_ctl_io, &r, 0, 0x04);
	assert_int_equal(fc.count, 2);
	/* only bits 1..3 are stored */
	pio_out(reset_ctl_io, &r, 0, 0xf1);
	assert_int_equal(fc.count, 2);
	assert_int_equal(pio_in(reset_ctl_io, &r, 0), 0x00);
	/* byte accesses only */
	assert_int_equal(reset_ctl_io(&r, 0, d, 2, true), 0);
	assert_int_equal(fc.count, 2);
	memset(d, 0, sizeof(d));
	assert_int_equal(reset_ctl_io(&r, 0, d, 2, false), 0);
	assert_memory_equal(d, "\xff\xff", 2);
}

static void test_debug_exit(void **state)
{
	static const struct { uint32_t v; uint32_t len; int status; } cases[] = {
		{ 0x00, 1, 1 }, { 0x01, 1, 3 }, { 0x10, 1, 0x21 }, { 0x7f, 1, 0xff },
		{ 0x80, 1, 0x01 }, { 0x1234, 2, 0x69 }, { 0x12345678, 4, 0xf1 },
	};
	struct fake_ctl fc;
	struct vm_control ctl = fake_control(&fc);
	struct debug_exit d;
	uint8_t buf[8];
	size_t i;

	debug_exit_init(&d, &ctl);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, &cases[i].v, 4);
		assert_int_equal(debug_exit_io(&d, 0, buf, cases[i].len, true), 0);
		assert_int_equal(fc.count, i + 1);
		assert_int_equal(fc.last, VM_REQ_EXIT);
		assert_int_equal(fc.status, cases[i].status);
	}
	/* an 8-byte write uses the low 32 bits */
	memcpy(buf, "\x02\0\0\0\xff\xff\xff\xff", 8);
	assert_int_equal(debug_exit_io(&d, 0, buf, 8, true), 0);
	assert_int_equal(fc.status, 5);
	/* reads are all ones and request nothing */
	fc.count = 0;
	assert_int_equal(debug_exit_io(&d, 0, buf, 4, false), 0);
	assert_memory_equal(buf, "\xff\xff\xff\xff", 4);
	assert_int_equal(fc.count, 0);
}

static void test_debug_exit_register(void **state)
{
	struct fake_ctl fc;
	struct vm_control ctl = fake_control(&fc);
	struct io_bus bus = { .name = "pio" };
	struct debug_exit d;
	uint8_t v = 0x20;

	debug_exit_init(&d, &ctl);
	assert_int_equal(debug_exit_register(&d, &bus, 0x501), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x500, &v, 1, true), -ENOENT);
	assert_int_equal(io_bus_dispatch(&bus, 0x505, &v, 1, true), -ENOENT);
	assert_int_equal(fc.count, 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x504, &v, 1, true), 0);
	assert_int_equal(fc.status, 0x41);
	io_bus_free(&bus);
}

static void test_debugcon(void **state)
{
	struct io_bus bus = { .name = "pio" };
	struct debugcon dc;
	int p[2];
	char buf[8];
	uint8_t v;

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	dc.fd = p[1];
	assert_int_equal(debugcon_register(&dc, &bus), 0);
	v = 'o';
	assert_int_equal(io_bus_dispatch(&bus, 0x402, &v, 1, true), 0);
	v = 'k';
	assert_int_equal(io_bus_dispatch(&bus, 0x402, &v, 1, true), 0);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ok", 2);
	/* firmware detects it by reading 0xe9 */
	assert_int_equal(io_bus_dispatch(&bus, 0x402, &v, 1, false), 0);
	assert_int_equal(v, 0xe9);
	assert_int_equal(io_bus_dispatch(&bus, 0x403, &v, 1, false), -ENOENT);
	/* no file: writes are dropped */
	dc.fd = -1;
	assert_int_equal(io_bus_dispatch(&bus, 0x402, &v, 1, true), 0);
	io_bus_free(&bus);
	close(p[0]);
	close(p[1]);
}

static void test_post_port(void **state)
{
	struct io_bus bus = { .name = "pio" };
	uint8_t v = 0x12;

	assert_int_equal(post_port_register(&bus), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x80, &v, 1, true), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x80, &v, 1, false), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(post_port_register(&bus), -EBUSY);
	io_bus_free(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_ctl),
		cmocka_unit_test(test_debug_exit),
		cmocka_unit_test(test_debug_exit_register),
		cmocka_unit_test(test_debugcon),
		cmocka_unit_test(test_post_port),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
