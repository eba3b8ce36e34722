// SPDX-License-Identifier: GPL-2.0-only
/* Firmware ROM size checks and mapping below 4 GiB. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "boot/firmware.h"
#include "mem/guest_mem.h"

static void expect_bad(size_t len, const char *msg)
{
	const char *why = NULL;

	assert_int_equal(firmware_check(len, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, msg);
}

static void test_check(void **state)
{
	const char *why = NULL;

	expect_bad(0, "firmware image is empty");
	expect_bad(1, "firmware size is not a multiple of 4 KiB");
	expect_bad(4095, "firmware size is not a multiple of 4 KiB");
	expect_bad(4097, "firmware size is not a multiple of 4 KiB");
	expect_bad((16 << 20) + 4096, "firmware larger than 16 MiB");
	expect_bad((size_t)1 << 40, "firmware larger than 16 MiB");
	expect_bad(SIZE_MAX, "firmware size is not a multiple of 4 KiB");
	expect_bad(SIZE_MAX & ~(size_t)0xfff, "firmware larger than 16 MiB");
	assert_int_equal(firmware_check(4096, &why), 0);
	assert_int_equal(firmware_check(2 << 20, &why), 0);
	assert_int_equal(firmware_check(16 << 20, &why), 0);
	assert_null(why);
}

static void test_base(void **state)
{
	assert_int_equal(firmware_base(4096), 0xfffff000);
	assert_int_equal(firmware_base(2 << 20), 0xffe00000);
	assert_int_equal(firmware_base(16 << 20), 0xff000000);
	/* the largest ROM stays clear of the KVM identity map and TSS */
	assert_true(firmware_base(FIRMWARE_MAX_SIZE) >= KVM_TSS_ADDR + 3 * 4096);
}

static void test_map(void **state)
{
	const size_t len = 64 * 1024;
	struct guest_mem mem = { 0 };
	const struct guest_region *r;
	uint8_t *rom = malloc(len), buf[16], junk[16] = { 0xee };
	size_t i;

	assert_non_null(rom);
	for (i = 0; i < len; i++)
		rom[i] = (uint8_t)(i * 31 + 7);
	assert_int_equal(guest_mem_add_ram(&mem, 0, 1 << 20, GUEST_MEM_ANON, false,
					   "ram"), 0);
	assert_int_equal(firmware_map(&mem, rom, len), 0);
	assert_int_equal(mem.nr, 2);
	assert_int_equal(mem.ram_size, 1 << 20);	/* ROM is not RAM */
	r = guest_mem_region(&mem, 0xffff0000, len);
	assert_non_null(r);
	assert_int_equal(r->gpa, 0xffff0000);
	assert_int_equal(r->size, len);
	assert_int_equal(r->kind, GUEST_REGION_ROM);
	assert_string_equal(r->name, "firmware");

	/* the reset vector is the ROM's last 16 bytes, readable... */
	assert_int_equal(guest_mem_read(&mem, 0xfffffff0, buf, 16), 0);
	assert_memory_equal(buf, rom + len - 16, 16);
	/* ...but never writable or handed out as a pointer */
	assert_int_equal(guest_mem_write(&mem, 0xfffffff0, junk, 16), -EFAULT);
	assert_int_equal(guest_mem_fill(&mem, 0xffff0000, 0, 1), -EFAULT);
	assert_null(guest_mem_ptr(&mem, 0xffff0000, 1));
	assert_int_equal(guest_mem_read(&mem, 0xfffffff0, buf, 16), 0);
	assert_memory_equal(buf, rom + len - 16, 16);
	/* nothing past 4 GiB */
	assert_int_equal(guest_mem_read(&mem, 0xfffffff0, buf, 17), -EFAULT);

	/* a second ROM overlapping the first is refused */
	assert_int_equal(firmware_map(&mem, rom, 4096), -EINVAL);
	assert_int_equal(mem.nr, 2);
	guest_mem_free(&mem);
	free(rom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
