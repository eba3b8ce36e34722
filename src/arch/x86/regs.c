// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "arch/x86/layout.h"
#include "arch/x86/regs.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_ET	(1ULL << 4)
#define X86_CR0_NW	(1ULL << 29)
#define X86_CR0_CD	(1ULL << 30)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PAE	(1ULL << 5)
#define EFER_LME	(1ULL << 8)
#define EFER_LMA	(1ULL << 10)

#define PTE_PRESENT	(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_PS		(1ULL << 7)

/* GDT: null, null, code (0x10), data (0x18), TSS (0x20) */
#define GDT_ENTRY(flags, base, limit)					\
	((((base) & 0xff000000ULL) << (56 - 24)) |			\
	 (((flags) & 0x0000f0ffULL) << 40) |				\
	 (((limit) & 0x000f0000ULL) << (48 - 16)) |			\
	 (((base) & 0x00ffffffULL) << 16) |				\
	 (((limit) & 0x0000ffffULL)))

#define SEL_CODE	0x10
#define SEL_DATA	0x18
#define SEL_TSS		0x20

static int write_gdt(const struct guest_mem *mem, uint64_t code_flags)
{
	const uint64_t gdt[] = {
		0,
		0,
		GDT_ENTRY(code_flags, 0, 0xfffff),
		GDT_ENTRY(0xc093, 0, 0xfffff),	/* data: G, D/B, P, S, RW, A */
		GDT_ENTRY(0x008b, 0, 0x67),	/* busy 64-bit TSS */
	};

	return guest_mem_write(mem, BOOT_GDT_ADDR, gdt, sizeof(gdt));
}

int regs_setup_long_mode_tables(const struct guest_mem *mem)
{
	uint64_t pml4[512] = { 0 }, pdpt[512] = { 0 }, pd[512];
	unsigned int i, j;
	int ret;

	/*
	 * An empty IDT (limit 0): the kernel installs its own before enabling
	 * IRQs.  BOOT_IDT_ADDR (0x520) is also the GDT's TSS descriptor
	 * (0x500 + 4 * 8), so clear it first: writing it after the GDT
	 * zeroed that descriptor.  With limit 0 no IDT byte is ever read.
	 */
	ret = guest_mem_fill(mem, BOOT_IDT_ADDR, 0, 8);
	if (ret)
		return ret;
	ret = write_gdt(mem, 0xa09b);	/* code: G, L, P, S, exec/read, A */
	if (ret)
		return ret;
	pml4[0] = BOOT_PDPT_ADDR | PTE_PRESENT | PTE_RW;
	for (i = 0; i < 4; i++) {
		pdpt[i] = (BOOT_PD_ADDR + i * 0x1000) | PTE_PRESENT | PTE_RW;
		for (j = 0; j < 512; j++)
			pd[j] = ((uint64_t)i << 30 | (uint64_t)j << 21) |
				PTE_PRESENT | PTE_RW | PTE_PS;
		ret = guest_mem_write(mem, BOOT_PD_ADDR + i * 0x1000, pd, sizeof(pd));
		if (ret)
			return ret;
	}
	ret = guest_mem_write(mem, BOOT_PML4_ADDR, pml4, sizeof(pml4));
	if (!ret)
		ret = guest_mem_write(mem, BOOT_PDPT_ADDR, pdpt, sizeof(pdpt));
	return ret;
}

int regs_setup_protected_mode_gdt(const struct guest_mem *mem)
{
	return write_gdt(mem, 0xc09b);	/* code: G, D/B, P, S, exec/read, A */
}

static void set_seg(struct kvm_segment *s, uint16_t sel, uint8_t type,
		    uint8_t l, uint8_t db)
{
	*s = (struct kvm_segment){
		.base = 0, .limit = 0xffffffff, .selector = sel, .type = type,
		.present = 1, .dpl = 0, .db = db, .s = 1, .l = l, .g = 1,
	};
}

static void set_flat_segments(struct kvm_sregs *sr, uint8_t l, uint8_t db)
{
	set_seg(&sr->cs, SEL_CODE, 0xb, l, db);
	set_seg(&sr->ds, SEL_DATA, 0x3, 0, 1);
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->tr = (struct kvm_segment){
		.base = 0, .limit = 0x67, .selector = SEL_TSS, .type = 0xb,
		.present = 1,
	};
	sr->ldt = (struct kvm_segment){ .type = 0x2, .present = 1, .unusable = 1 };
	sr->gdt.base = BOOT_GDT_ADDR;
	sr->gdt.limit = 5 * 8 - 1;
	sr->idt.base = BOOT_IDT_ADDR;
	sr->idt.limit = 0;
}

void regs_long_mode(struct vcpu_boot_state *st, uint64_t rip, uint64_t rsi)
{
	struct kvm_sregs *sr = &st->sregs;

	memset(&st->regs, 0, sizeof(st->regs));
	st->regs.rflags = 0x2;
	st->regs.rip = rip;
	st->regs.rsi = rsi;
	st->regs.rsp = BOOT_STACK_TOP;
	set_flat_segments(sr, 1, 0);
	sr->cr3 = BOOT_PML4_ADDR;
	sr->cr4 |= X86_CR4_PAE;
	sr->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_PG;
	sr->efer |= EFER_LME | EFER_LMA;
}

void regs_protected_mode(struct vcpu_boot_state *st, uint32_t eip, uint32_t ebx)
{
	struct kvm_sregs *sr = &st->sregs;

	memset(&st->regs, 0, sizeof(st->regs));
	st->regs.rflags = 0x2;
	st->regs.rip = eip;
	st->regs.rbx = ebx;
	set_flat_segments(sr, 0, 1);
	sr->cr0 = X86_CR0_PE | X86_CR0_ET;
	sr->cr3 = 0;
	sr->cr4 = 0;
	sr->efer = 0;
}

void regs_reset_vector(struct vcpu_boot_state *st, uint32_t cpu_signature)
{
	struct kvm_sregs *sr = &st->sregs;

	memset(&st->regs, 0, sizeof(st->regs));
	st->regs.rflags = 0x2;
	st->regs.rip = 0xfff0;
	st->regs.rdx = cpu_signature;
	sr->cs = (struct kvm_segment){
		.base = 0xffff0000, .limit = 0xffff, .selector = 0xf000,
		.type = 0xb, .present = 1, .s = 1,
	};
	sr->ds = (struct kvm_segment){
		.base = 0, .limit = 0xffff, .type = 0x3, .present = 1, .s = 1,
	};
	sr->es = sr->fs = sr->gs = sr->ss = sr->ds;
	sr->tr = (struct kvm_segment){ .limit = 0xffff, .type = 0xb, .present = 1 };
	sr->ldt = (struct kvm_segment){ .limit = 0xffff, .type = 0x2, .present = 1 };
	sr->gdt.base = 0;
	sr->gdt.limit = 0xffff;
	sr->idt.base = 0;
	sr->idt.limit = 0xffff;
	sr->cr0 = X86_CR0_ET | X86_CR0_NW | X86_CR0_CD;
	sr->cr3 = 0;
	sr->cr4 = 0;
	sr->efer = 0;
}
