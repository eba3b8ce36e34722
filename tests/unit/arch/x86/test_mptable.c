// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MP table read back the way Linux does (arch/x86/kernel/mpparse.c):
 * scan the BIOS area for the floating pointer, check both checksums and
 * the spec revision, then walk the entries by type.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "arch/x86/mptable.h"
#include "mem/guest_mem.h"

struct mp_view {
	unsigned int nr_cpus, nr_bus, nr_ioapic, nr_intsrc, nr_lint, entries;
	uint8_t cpu_apicid[256], cpu_flags[256], cpu_apicver[256];
	uint8_t ioapic_id, ioapic_ver, ioapic_flags;
	uint32_t ioapic_addr, lapic;
	char bustype[7];
	int pin_of_irq[16];		/* -1: not routed */
	int irq_of_pin[24];
	uint8_t lint_type[2], lint_pin[2], lint_dst[2];
	uint16_t length, oemcount;
	uint64_t end;			/* gpa just past the table */
};

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

static uint16_t g16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t g32(const uint8_t *p)
{
	return (uint32_t)g16(p) | (uint32_t)g16(p + 2) << 16;
}

/* Find and parse the table; fails the test on anything Linux would reject. */
static void mp_parse(const struct guest_mem *mem, struct mp_view *v)
{
	const uint8_t *bios = guest_mem_ptr(mem, BIOS_AREA_START + 0x10000, 0x10000);
	const uint8_t *mpf = NULL, *mpc, *p, *end;
	uint64_t mpf_gpa = 0, mpc_gpa;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < 16; i++)
		v->pin_of_irq[i] = -1;
	for (i = 0; i < 24; i++)
		v->irq_of_pin[i] = -1;
	assert_non_null(bios);
	/* smp_scan_config(0xf0000, 0x10000): 16-byte steps */
	for (i = 0; i < 0x10000; i += 16) {
		if (memcmp(bios + i, "_MP_", 4) || bios[i + 8] != 1 ||
		    sum(bios + i, 16) || (bios[i + 9] != 1 && bios[i + 9] != 4))
			continue;
		mpf = bios + i;
		mpf_gpa = 0xf0000 + i;
		break;
	}
	assert_non_null(mpf);
	assert_int_equal(mpf_gpa, MPTABLE_START);
	assert_int_equal(mpf[11], 0);		/* feature1: no default config */
	mpc_gpa = g32(mpf + 4);
	assert_int_equal(mpc_gpa, MPTABLE_START + 16);

	/* smp_check_mpc() */
	mpc = guest_mem_ptr(mem, mpc_gpa, 44);
	assert_non_null(mpc);
	assert_memory_equal(mpc, "PCMP", 4);
	v->length = g16(mpc + 4);
	assert_true(v->length >= 44);
	mpc = guest_mem_ptr(mem, mpc_gpa, v->length);
	assert_non_null(mpc);
	assert_int_equal(sum(mpc, v->length), 0);
	assert_true(mpc[6] == 1 || mpc[6] == 4);
	assert_memory_equal(mpc + 8, "CVMM    ", 8);
	v->oemcount = g16(mpc + 34);
	v->lapic = g32(mpc + 36);
	assert_int_not_equal(v->lapic, 0);
	v->end = mpc_gpa + v->length;

	/* smp_read_mpc(): walk the entries */
	p = mpc + 44;
	end = mpc + v->length;
	while (p < end) {
		v->entries++;
		switch (p[0]) {
		case 0:		/* processor */
			assert_true(p + 20 <= end);
			v->cpu_apicid[v->nr_cpus] = p[1];
			v->cpu_apicver[v->nr_cpus] = p[2];
			v->cpu_flags[v->nr_cpus] = p[3];
			assert_int_equal(g32(p + 8), 0x201);	/* FPU, APIC */
			v->nr_cpus++;
			p += 20;
			break;
		case 1:		/* bus */
			assert_true(p + 8 <= end);
			memcpy(v->bustype, p + 2, 6);
			v->nr_bus++;
			p += 8;
			break;
		case 2:		/* I/O APIC */
			assert_true(p + 8 <= end);
			v->ioapic_id = p[1];
			v->ioapic_ver = p[2];
			v->ioapic_flags = p[3];
			v->ioapic_addr = g32(p + 4);
			v->nr_ioapic++;
			p += 8;
			break;
		case 3:		/* I/O interrupt */
			assert_true(p + 8 <= end);
			assert_int_equal(p[1], 0);		/* INT */
			assert_int_equal(g16(p + 2), 0);	/* conforming */
			assert_int_equal(p[4], 0);		/* bus 0 (ISA) */
			assert_true(p[5] < 16);
			assert_true(p[7] < 24);
			assert_int_equal(p[6], v->ioapic_id);
			assert_int_equal(v->pin_of_irq[p[5]], -1);
			assert_int_equal(v->irq_of_pin[p[7]], -1);
			v->pin_of_irq[p[5]] = p[7];
			v->irq_of_pin[p[7]] = p[5];
			v->nr_intsrc++;
			p += 8;
			break;
		case 4:		/* local interrupt */
			assert_true(p + 8 <= end);
			assert_true(v->nr_lint < 2);
			v->lint_type[v->nr_lint] = p[1];
			v->lint_dst[v->nr_lint] = p[6];
			v->lint_pin[v->nr_lint] = p[7];
			v->nr_lint++;
			p += 8;
			break;
		default:
			fail_msg("unknown MP entry type %u", p[0]);
		}
	}
	assert_ptr_equal(p, end);
}

static void check_table(unsigned int n)
{
	struct guest_mem mem = { 0 };
	struct mp_view v;
	uint8_t *ram;
	unsigned int i;

	assert_int_equal(guest_mem_add_ram(&mem, 0, 2 << 20, GUEST_MEM_ANON, false,
					   "ram"), 0);
	ram = guest_mem_ptr(&mem, 0, 2 << 20);
	memset(ram, 0xa5, 2 << 20);
	assert_int_equal(mptable_write(&mem, MPTABLE_START, n), 0);
	mp_parse(&mem, &v);

	assert_int_equal(v.lapic, LAPIC_ADDR);
	assert_int_equal(v.nr_cpus, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(v.cpu_apicid[i], i);
		assert_int_equal(v.cpu_apicver[i], 0x14);
		/* enabled; the boot processor flag on the first only */
		assert_int_equal(v.cpu_flags[i], i == 0 ? 3 : 1);
	}
	assert_int_equal(v.nr_bus, 1);
	assert_memory_equal(v.bustype, "ISA   ", 6);
	assert_int_equal(v.nr_ioapic, 1);
	assert_int_equal(v.ioapic_id, n);	/* clear of every LAPIC id */
	assert_int_equal(v.ioapic_addr, IOAPIC_ADDR);
	assert_int_equal(v.ioapic_flags, 1);
	/* ISA IRQs 0..15 except 2; the PIT (IRQ 0) on pin 2 */
	assert_int_equal(v.nr_intsrc, 15);
	assert_int_equal(v.pin_of_irq[0], 2);
	assert_int_equal(v.pin_of_irq[2], -1);
	for (i = 1; i < 16; i++)
		if (i != 2)
			assert_int_equal(v.pin_of_irq[i], i);
	assert_int_equal(v.irq_of_pin[0], -1);
	/* LINT0 ExtINT, LINT1 NMI, on all local APICs */
	assert_int_equal(v.nr_lint, 2);
	assert_int_equal(v.lint_type[0], 3);
	assert_int_equal(v.lint_pin[0], 0);
	assert_int_equal(v.lint_type[1], 1);
	assert_int_equal(v.lint_pin[1], 1);
	assert_int_equal(v.lint_dst[0], 0xff);
	assert_int_equal(v.lint_dst[1], 0xff);
	/* the OEM count is the number of entries */
	assert_int_equal(v.oemcount, v.entries);
	assert_int_equal(v.entries, n + 1 + 1 + 15 + 2);
	/* mptable_size() is exactly what was written; nothing after it */
	assert_int_equal(v.end - MPTABLE_START, mptable_size(n));
	assert_int_equal(ram[v.end], 0xa5);
	assert_int_equal(ram[MPTABLE_START - 1], 0xa5);
	/* it fits in the BIOS area below 1 MiB */
	assert_true(v.end <= BIOS_AREA_END);
	guest_mem_free(&mem);
}

static void test_one_cpu(void **state)
{
	check_table(1);
}

static void test_smp(void **state)
{
	check_table(2);
	check_table(3);
	check_table(8);
	check_table(64);
}

static void test_max(void **state)
{
	check_table(254);
}

static void test_errors(void **state)
{
	struct guest_mem mem = { 0 };

	assert_int_equal(guest_mem_add_ram(&mem, 0, 1 << 20, GUEST_MEM_ANON, false,
					   "ram"), 0);
	assert_int_equal(mptable_write(&mem, MPTABLE_START, 0), -EINVAL);
	assert_int_equal(mptable_write(&mem, MPTABLE_START, 255), -EINVAL);
	assert_int_equal(mptable_write(&mem, MPTABLE_START, 100000), -EINVAL);
	/* not in guest RAM */
	assert_int_equal(mptable_write(&mem, 0xfffff000, 1), -EFAULT);
	assert_int_equal(mptable_write(&mem, (1 << 20) - 16, 1), -EFAULT);
	guest_mem_free(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_cpu),
		cmocka_unit_test(test_smp),
		cmocka_unit_test(test_max),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
