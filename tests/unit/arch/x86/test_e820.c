// SPDX-License-Identifier: GPL-2.0-only
/* The RAM split around the 32-bit hole and the e820 maps built from it. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"

#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

struct want {
	uint64_t addr, size;
	uint32_t type;
};

static void expect_map(const struct e820_map *m, const struct want *w,
		       unsigned int n)
{
	unsigned int i;

	assert_int_equal(m->nr, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(m->entries[i].addr, w[i].addr);
		assert_int_equal(m->entries[i].size, w[i].size);
		assert_int_equal(m->entries[i].type, w[i].type);
	}
}

static void test_entry_layout(void **state)
{
	/* boot_params.e820_table and fw_cfg etc/e820 use 20-byte entries */
	assert_int_equal(sizeof(struct e820_entry), 20);
	assert_int_equal(offsetof(struct e820_entry, size), 8);
	assert_int_equal(offsetof(struct e820_entry, type), 16);
}

static void test_ram_split(void **state)
{
	uint64_t lo, hi;

	e820_ram_split(512 * MiB, &lo, &hi);
	assert_int_equal(lo, 512 * MiB);
	assert_int_equal(hi, 0);
	e820_ram_split(LOW_RAM_END, &lo, &hi);
	assert_int_equal(lo, 3 * GiB);
	assert_int_equal(hi, 0);
	e820_ram_split(LOW_RAM_END + 4096, &lo, &hi);
	assert_int_equal(lo, 3 * GiB);
	assert_int_equal(hi, 4096);
	e820_ram_split(5 * GiB, &lo, &hi);
	assert_int_equal(lo, 3 * GiB);
	assert_int_equal(hi, 2 * GiB);
	e820_ram_split(1ULL << 46, &lo, &hi);
	assert_int_equal(lo + hi, 1ULL << 46);
	e820_ram_split(0, &lo, &hi);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
}

/* QEMU's q35: all RAM low below 2.75 GiB, else 2 GiB low (probe-checked). */
static void test_ram_split_q35(void **state)
{
	struct e820_map m;
	uint64_t lo, hi;

	e820_ram_split_q35(512 * MiB, &lo, &hi);
	assert_int_equal(lo, 512 * MiB);
	assert_int_equal(hi, 0);
	e820_ram_split_q35(2 * GiB, &lo, &hi);
	assert_int_equal(lo, 2 * GiB);
	assert_int_equal(hi, 0);
	e820_ram_split_q35(0xb0000000ULL - 4096, &lo, &hi);
	assert_int_equal(lo, 0xb0000000ULL - 4096);
	assert_int_equal(hi, 0);
	e820_ram_split_q35(0xb0000000ULL, &lo, &hi);
	assert_int_equal(lo, 2 * GiB);
	assert_int_equal(hi, 0x30000000ULL);
	e820_ram_split_q35(3 * GiB, &lo, &hi);
	assert_int_equal(lo, 2 * GiB);
	assert_int_equal(hi, 1 * GiB);
	e820_ram_split_q35(1ULL << 46, &lo, &hi);
	assert_int_equal(lo + hi, 1ULL << 46);
	e820_build_firmware_split(&m, 2 * GiB, 1 * GiB);
	assert_int_equal(m.nr, 2);
	assert_int_equal(m.entries[0].addr, 0);
	assert_int_equal(m.entries[0].size, 2 * GiB);
	assert_int_equal(m.entries[1].addr, 4 * GiB);
	assert_int_equal(m.entries[1].size, 1 * GiB);
	e820_build_firmware_split(&m, 512 * MiB, 0);
	assert_int_equal(m.nr, 1);
}

static void test_direct_small(void **state)
{
	struct e820_map m;
	const struct want w[] = {
		{ 0, 0x9fc00, E820_RAM },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0xe0000, 0x20000, E820_RESERVED },
		{ 0x100000, 511 * MiB, E820_RAM },
	};

	memset(&m, 0xff, sizeof(m));
	e820_build_direct(&m, 512 * MiB);
	expect_map(&m, w, 4);
	assert_int_equal(e820_ram_total(&m), 0x9fc00 + 511 * MiB);

	/* the smallest --memory (2 MiB) */
	e820_build_direct(&m, 2 * MiB);
	assert_int_equal(m.nr, 4);
	assert_int_equal(m.entries[3].addr, HIMEM_START);
	assert_int_equal(m.entries[3].size, 1 * MiB);
}

static void test_direct_no_himem(void **state)
{
	struct e820_map m;

	/* exactly 1 MiB: no RAM entry above it */
	e820_build_direct(&m, 1 * MiB);
	assert_int_equal(m.nr, 3);
	assert_int_equal(m.entries[2].type, E820_RESERVED);
	assert_int_equal(e820_ram_total(&m), 0x9fc00);
}

static void test_direct_at_hole(void **state)
{
	struct e820_map m;
	const struct want w3[] = {
		{ 0, 0x9fc00, E820_RAM },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0xe0000, 0x20000, E820_RESERVED },
		{ 0x100000, 3 * GiB - MiB, E820_RAM },
	};
	const struct want w5[] = {
		{ 0, 0x9fc00, E820_RAM },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0xe0000, 0x20000, E820_RESERVED },
		{ 0x100000, 3 * GiB - MiB, E820_RAM },
		{ 4 * GiB, 2 * GiB, E820_RAM },
	};

	e820_build_direct(&m, 3 * GiB);
	expect_map(&m, w3, 4);
	e820_build_direct(&m, 5 * GiB);
	expect_map(&m, w5, 5);
	e820_build_direct(&m, 3 * GiB + 4096);
	assert_int_equal(m.nr, 5);
	assert_int_equal(m.entries[4].addr, HIGH_RAM_START);
	assert_int_equal(m.entries[4].size, 4096);
	/* no entry reaches into the PCI hole */
	assert_true(m.entries[3].addr + m.entries[3].size <= PCI_MMIO32_START);
}

static void test_firmware_map(void **state)
{
	struct e820_map m;
	const struct want w1[] = { { 0, 512 * MiB, E820_RAM } };
	const struct want w2[] = {
		{ 0, 3 * GiB, E820_RAM },
		{ 4 * GiB, 1 * GiB, E820_RAM },
	};

	e820_build_firmware(&m, 512 * MiB);
	expect_map(&m, w1, 1);
	e820_build_firmware(&m, 4 * GiB);
	expect_map(&m, w2, 2);
	assert_int_equal(e820_ram_total(&m), 4 * GiB);
}

static void test_add(void **state)
{
	struct e820_map m = { .nr = 0 };
	unsigned int i;

	/* empty ranges are dropped, not stored */
	assert_int_equal(e820_add(&m, 0x1000, 0, E820_RAM), 0);
	assert_int_equal(m.nr, 0);
	for (i = 0; i < E820_MAX_ENTRIES; i++)
		assert_int_equal(e820_add(&m, i * 0x1000ULL, 0x1000, E820_ACPI), 0);
	assert_int_equal(m.nr, E820_MAX_ENTRIES);
	assert_int_equal(e820_add(&m, 0x100000, 0x1000, E820_RAM), -ENOSPC);
	assert_int_equal(m.nr, E820_MAX_ENTRIES);
	/* a full map still accepts (and ignores) an empty range */
	assert_int_equal(e820_add(&m, 0x100000, 0, E820_RAM), 0);
	assert_int_equal(e820_ram_total(&m), 0);
	assert_int_equal(m.entries[E820_MAX_ENTRIES - 1].addr,
			 (E820_MAX_ENTRIES - 1) * 0x1000ULL);
}

static void test_type_names(void **state)
{
	assert_string_equal(e820_type_name(E820_RAM), "usable");
	assert_string_equal(e820_type_name(E820_RESERVED), "reserved");
	assert_string_equal(e820_type_name(E820_ACPI), "ACPI data");
	assert_string_equal(e820_type_name(E820_NVS), "ACPI NVS");
	assert_string_equal(e820_type_name(E820_UNUSABLE), "unusable");
	assert_string_equal(e820_type_name(E820_PMEM), "persistent (type 7)");
	assert_string_equal(e820_type_name(0), "type unknown");
	assert_string_equal(e820_type_name(6), "type unknown");
	assert_string_equal(e820_type_name(0xffffffff), "type unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_layout),
		cmocka_unit_test(test_ram_split),
		cmocka_unit_test(test_ram_split_q35),
		cmocka_unit_test(test_direct_small),
		cmocka_unit_test(test_direct_no_himem),
		cmocka_unit_test(test_direct_at_hole),
		cmocka_unit_test(test_firmware_map),
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
