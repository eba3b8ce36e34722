// SPDX-License-Identifier: GPL-2.0-only
/*
 * Initial vCPU state: the identity-mapped page tables and the GDT written
 * to guest memory, and the register/segment state for the 64-bit Linux
 * boot protocol, PVH and the reset vector.  The segment registers must
 * agree with the descriptors in memory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "arch/x86/regs.h"
#include "mem/guest_mem.h"

static struct guest_mem mem;

static int setup(void **state)
{
	memset(&mem, 0, sizeof(mem));
	assert_int_equal(guest_mem_add_ram(&mem, 0, 2 << 20, GUEST_MEM_ANON, false,
					   "ram"), 0);
	memset(guest_mem_ptr(&mem, 0, 2 << 20), 0xcc, 2 << 20);
	return 0;
}

static int teardown(void **state)
{
	guest_mem_free(&mem);
	return 0;
}

static uint64_t q(uint64_t gpa)
{
	uint64_t v;

	assert_int_equal(guest_mem_read(&mem, gpa, &v, 8), 0);
	return v;
}

/* Decode a GDT descriptor and compare it with a KVM segment. */
static void check_desc(uint64_t d, const struct kvm_segment *s)
{
	uint32_t base = (uint32_t)(((d >> 16) & 0xffffff) | ((d >> 56) << 24));
	uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 48) & 0xf) << 16);
	unsigned int g = (d >> 55) & 1;

	assert_int_equal(base, s->base);
	assert_int_equal(g ? (limit << 12 | 0xfff) : limit, s->limit);
	assert_int_equal((d >> 40) & 0xf, s->type);
	assert_int_equal((d >> 44) & 1, s->s);
	assert_int_equal((d >> 45) & 3, s->dpl);
	assert_int_equal((d >> 47) & 1, s->present);
	assert_int_equal((d >> 53) & 1, s->l);
	assert_int_equal((d >> 54) & 1, s->db);
	assert_int_equal(g, s->g);
}

static void test_long_mode_tables(void **state)
{
	unsigned int i, j;

	assert_int_equal(regs_setup_long_mode_tables(&mem), 0);
	/* PML4[0] -> PDPT; nothing else mapped */
	assert_int_equal(q(BOOT_PML4_ADDR), BOOT_PDPT_ADDR | 0x3);
	for (i = 1; i < 512; i++)
		assert_int_equal(q(BOOT_PML4_ADDR + i * 8), 0);
	/* PDPT[0..3] -> four page directories: the first 4 GiB */
	for (i = 0; i < 4; i++)
		assert_int_equal(q(BOOT_PDPT_ADDR + i * 8), (BOOT_PD_ADDR + i * 0x1000) | 0x3);
	for (i = 4; i < 512; i++)
		assert_int_equal(q(BOOT_PDPT_ADDR + i * 8), 0);
	/* identity-mapped 2 MiB pages: present, writable, PS */
	for (i = 0; i < 4; i++)
		for (j = 0; j < 512; j++)
			assert_int_equal(q(BOOT_PD_ADDR + i * 0x1000 + j * 8),
					 ((uint64_t)i << 30 | (uint64_t)j << 21) | 0x83);
	assert_int_equal(q(BOOT_PD_ADDR + 3 * 0x1000 + 511 * 8), 0xffe00083ULL);

	/* GDT: null, null, 64-bit code 0x10, data 0x18, busy TSS 0x20 */
	assert_int_equal(q(BOOT_GDT_ADDR + 0x00), 0);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x08), 0);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x10), 0x00af9b000000ffffULL);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x18), 0x00cf93000000ffffULL);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x20), 0x00008b0000000067ULL);
	/* the boot tables stay clear of the zero page */
	assert_int_equal(*(uint8_t *)guest_mem_ptr(&mem, BOOT_PARAMS_ADDR, 1), 0xcc);
	assert_int_equal(*(uint8_t *)guest_mem_ptr(&mem, BOOT_PD_ADDR + 0x4000, 1), 0xcc);
}

static void test_protected_mode_gdt(void **state)
{
	assert_int_equal(regs_setup_protected_mode_gdt(&mem), 0);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x10), 0x00cf9b000000ffffULL);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x18), 0x00cf93000000ffffULL);
	assert_int_equal(q(BOOT_GDT_ADDR + 0x20), 0x00008b0000000067ULL);
	/* no page tables for PVH */
	assert_int_equal(q(BOOT_PML4_ADDR), 0xccccccccccccccccULL);
}

static void test_long_mode_regs(void **state)
{
	struct vcpu_boot_state st;

	memset(&st, 0x77, sizeof(st));
	st.sregs.cr4 = 0x40;		/* as KVM_GET_SREGS gave it */
	st.sregs.efer = 0x1;
	assert_int_equal(regs_setup_long_mode_tables(&mem), 0);
	regs_long_mode(&st, 0x1000200, BOOT_PARAMS_ADDR);

	assert_int_equal(st.regs.rip, 0x1000200);
	assert_int_equal(st.regs.rsi, BOOT_PARAMS_ADDR);
	assert_int_equal(st.regs.rsp, BOOT_STACK_TOP);
	assert_int_equal(st.regs.rflags, 0x2);
	assert_int_equal(st.regs.rax, 0);
	assert_int_equal(st.regs.rbx, 0);
	assert_int_equal(st.regs.rbp, 0);
	assert_int_equal(st.regs.rdi, 0);
	assert_int_equal(st.sregs.cr0, 0x80000011);	/* PG, ET, PE */
	assert_int_equal(st.sregs.cr3, BOOT_PML4_ADDR);
	assert_int_equal(st.sregs.cr4, 0x60);		/* kept + PAE */
	assert_int_equal(st.sregs.efer, 0x501);		/* kept + LME, LMA */
	assert_int_equal(st.sregs.cs.selector, 0x10);
	assert_int_equal(st.sregs.cs.l, 1);
	assert_int_equal(st.sregs.cs.db, 0);
	assert_int_equal(st.sregs.ds.selector, 0x18);
	assert_int_equal(st.sregs.ss.selector, 0x18);
	assert_int_equal(st.sregs.es.selector, 0x18);
	assert_int_equal(st.sregs.fs.selector, 0x18);
	assert_int_equal(st.sregs.gs.selector, 0x18);
	assert_int_equal(st.sregs.tr.selector, 0x20);
	assert_int_equal(st.sregs.gdt.base, BOOT_GDT_ADDR);
	assert_int_equal(st.sregs.gdt.limit, 5 * 8 - 1);
	assert_int_equal(st.sregs.idt.base, BOOT_IDT_ADDR);
	assert_int_equal(st.sregs.idt.limit, 0);
	assert_int_equal(st.sregs.ldt.unusable, 1);
	/* the hidden parts match the descriptors the guest can reload */
	check_desc(q(BOOT_GDT_ADDR + st.sregs.cs.selector), &st.sregs.cs);
	check_desc(q(BOOT_GDT_ADDR + st.sregs.ds.selector), &st.sregs.ds);
	check_desc(q(BOOT_GDT_ADDR + st.sregs.tr.selector), &st.sregs.tr);
}

static void test_protected_mode_regs(void **state)
{
	struct vcpu_boot_state st;

	memset(&st, 0x77, sizeof(st));
	assert_int_equal(regs_setup_protected_mode_gdt(&mem), 0);
	regs_protected_mode(&st, 0x1000040, BOOT_PARAMS_ADDR);
	assert_int_equal(st.regs.rip, 0x1000040);
	assert_int_equal(st.regs.rbx, BOOT_PARAMS_ADDR);
	assert_int_equal(st.regs.rflags, 0x2);
	assert_int_equal(st.regs.rsi, 0);
	assert_int_equal(st.sregs.cr0, 0x11);		/* PE, ET; no paging */
	assert_int_equal(st.sregs.cr3, 0);
	assert_int_equal(st.sregs.cr4, 0);
	assert_int_equal(st.sregs.efer, 0);
	assert_int_equal(st.sregs.cs.selector, 0x10);
	assert_int_equal(st.sregs.cs.l, 0);
	assert_int_equal(st.sregs.cs.db, 1);
	assert_int_equal(st.sregs.cs.base, 0);
	assert_int_equal(st.sregs.cs.limit, 0xffffffff);
	check_desc(q(BOOT_GDT_ADDR + st.sregs.cs.selector), &st.sregs.cs);
	check_desc(q(BOOT_GDT_ADDR + st.sregs.ss.selector), &st.sregs.ss);
	check_desc(q(BOOT_GDT_ADDR + st.sregs.tr.selector), &st.sregs.tr);
}

static void test_reset_vector(void **state)
{
	struct vcpu_boot_state st;

	memset(&st, 0x77, sizeof(st));
	regs_reset_vector(&st, 0x00a00f11);
	assert_int_equal(st.regs.rip, 0xfff0);
	assert_int_equal(st.regs.rdx, 0x00a00f11);
	assert_int_equal(st.regs.rflags, 0x2);
	assert_int_equal(st.regs.rax, 0);
	assert_int_equal(st.sregs.cs.selector, 0xf000);
	assert_int_equal(st.sregs.cs.base, 0xffff0000);
	assert_int_equal(st.sregs.cs.limit, 0xffff);
	/* the first fetch is at 0xfffffff0: the last 16 bytes of the ROM */
	assert_int_equal(st.sregs.cs.base + st.regs.rip, 0xfffffff0);
	assert_int_equal(st.sregs.ds.base, 0);
	assert_int_equal(st.sregs.ds.limit, 0xffff);
	assert_int_equal(st.sregs.ss.selector, 0);
	assert_int_equal(st.sregs.cr0, 0x60000010);	/* CD, NW, ET */
	assert_int_equal(st.sregs.cr3, 0);
	assert_int_equal(st.sregs.cr4, 0);
	assert_int_equal(st.sregs.efer, 0);
	assert_int_equal(st.sregs.gdt.limit, 0xffff);
	assert_int_equal(st.sregs.idt.limit, 0xffff);
	assert_int_equal(st.sregs.idt.base, 0);
}

static void test_no_low_memory(void **state)
{
	struct guest_mem high = { 0 };

	assert_int_equal(guest_mem_add_ram(&high, 1 << 20, 1 << 20, GUEST_MEM_ANON,
					   false, "ram"), 0);
	assert_int_equal(regs_setup_long_mode_tables(&high), -EFAULT);
	assert_int_equal(regs_setup_protected_mode_gdt(&high), -EFAULT);
	guest_mem_free(&high);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_long_mode_tables, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protected_mode_gdt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_mode_regs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protected_mode_regs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset_vector, setup, teardown),
		cmocka_unit_test(test_no_low_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
