// SPDX-License-Identifier: GPL-2.0-only
/* The test guests' ucall channel (devices/ucall.c) against hostile calls. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "devices/ucall.h"
#include "mem/guest_mem.h"

#define UC_GPA	0x2000u

struct seen {
	unsigned int n;
	struct ucall_msg m;
};

static void record(void *opaque, const struct ucall_msg *m)
{
	struct seen *s = opaque;

	s->n++;
	s->m = *m;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void make(uint8_t uc[UCALL_SIZE], uint32_t cmd, uint32_t line, const char *file,
		 const char *msg)
{
	memset(uc, 0, UCALL_SIZE);
	put32(uc, UCALL_MAGIC);
	put32(uc + 4, cmd);
	put32(uc + 8, line);
	memcpy(uc + 16, file, strlen(file));
	memcpy(uc + 80, msg, strlen(msg));
}

/* The guest writes @gpa to the port; returns what the machine was told. */
static struct seen call(struct guest_mem *mem, uint32_t gpa, const uint8_t *uc)
{
	struct seen s = { 0 };
	struct ucall_dev u;
	uint8_t port[4];

	if (uc)
		assert_int_equal(guest_mem_write(mem, gpa, uc, UCALL_SIZE), 0);
	ucall_init(&u, mem, record, &s);
	put32(port, gpa);
	assert_int_equal(ucall_io(&u, 0, port, 4, true), 0);
	return s;
}

static void test_calls(void **state)
{
	struct guest_mem mem = { 0 };
	uint8_t uc[UCALL_SIZE], r[4];
	struct ucall_dev u;
	struct seen s;

	assert_int_equal(guest_mem_add_ram(&mem, 0, 0x10000, GUEST_MEM_ANON, false, "ram"), 0);
	make(uc, UCALL_DONE, 60, "guests/tests/smp.c", "done");
	s = call(&mem, UC_GPA, uc);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.m.cmd, UCALL_DONE);
	assert_int_equal(s.m.line, 60);
	assert_string_equal(s.m.file, "guests/tests/smp.c");
	make(uc, UCALL_ASSERT, 48, "guests/tests/smp.c", "n == 4: 0x2 != 0x4");
	s = call(&mem, UC_GPA, uc);
	assert_int_equal(s.m.cmd, UCALL_ASSERT);
	assert_string_equal(s.m.msg, "n == 4: 0x2 != 0x4");
	/* strings fill their fields without a NUL, with control bytes */
	memset(uc + 16, 'f', 64);
	memset(uc + 80, '\n', UCALL_MSG_LEN);
	s = call(&mem, UC_GPA, uc);
	assert_int_equal(strlen(s.m.file), UCALL_FILE_LEN);
	assert_int_equal(strlen(s.m.msg), UCALL_MSG_LEN);
	assert_int_equal(s.m.msg[0], '?');
	/* bad magic, unknown command, reserved bits: malformed, still reported */
	make(uc, 7, 1, "x", "y");
	s = call(&mem, UC_GPA, uc);
	assert_int_equal(s.m.cmd, UCALL_MALFORMED);
	assert_string_equal(s.m.msg, "the guest's ucall at 0x2000 is malformed");
	make(uc, UCALL_DONE, 1, "x", "y");
	put32(uc + 12, 1);
	assert_int_equal(call(&mem, UC_GPA, uc).m.cmd, UCALL_MALFORMED);
	/* outside RAM, or crossing its end */
	s = call(&mem, 0x10000 - 0x80, NULL);
	assert_string_equal(s.m.msg, "the guest's ucall at 0xff80 is not in guest RAM");
	assert_int_equal(call(&mem, 0xfffffff0u, NULL).m.cmd, UCALL_MALFORMED);
	/* only 4-byte writes are calls; reads see nothing */
	memset(&s, 0, sizeof(s));
	ucall_init(&u, &mem, record, &s);
	put32(r, UC_GPA);
	assert_int_equal(ucall_io(&u, 0, r, 2, true), 0);
	assert_int_equal(ucall_io(&u, 0, r, 4, false), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(r[0], 0xff);
	assert_int_equal(u.bad, 1);
	guest_mem_free(&mem);
}

static void test_register(void **state)
{
	struct io_bus pio = { .name = "pio" };
	struct ucall_dev a, b;

	ucall_init(&a, NULL, NULL, NULL);
	ucall_init(&b, NULL, NULL, NULL);
	assert_int_equal(ucall_register(&a, &pio, UCALL_DEFAULT_PORT), 0);
	assert_int_equal(ucall_register(&b, &pio, UCALL_DEFAULT_PORT + 2), -EBUSY);
	io_bus_free(&pio);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_register),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
