/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_VMSA_H
#define CVMM_MEASURE_VMSA_H

#include <stdint.h>

#include "util/compiler.h"

/*
 * The SEV-ES/SNP VMSA page (struct sev_es_save_area, AMD APM vol. 2
 * table B-4) as KVM encrypts it at LAUNCH_UPDATE_VMSA / SNP_LAUNCH_FINISH.
 *
 * struct vmsa_state is a neutral description of the register state that
 * ends up in the page; vmsa_build() lays it out at the architectural
 * offsets (everything not described here is zero, as in KVM's page).
 */
#define VMSA_PAGE_SIZE	PAGE_SIZE	/* the old name, still used by coco/ */

struct vmsa_seg {
	uint16_t selector;
	uint16_t attrib;	/* VMCB format: type | S | DPL | P | AVL | L | DB | G */
	uint32_t limit;
	uint64_t base;
};

enum vmsa_seg_idx {
	VMSA_ES, VMSA_CS, VMSA_SS, VMSA_DS, VMSA_FS, VMSA_GS,
	VMSA_GDTR, VMSA_LDTR, VMSA_IDTR, VMSA_TR,
	VMSA_NR_SEGS,
};

struct vmsa_state {
	struct vmsa_seg seg[VMSA_NR_SEGS];
	uint64_t efer;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t dr6, dr7;
	uint64_t rflags, rip;
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t g_pat;
	uint64_t xcr0, xss;
	uint64_t sev_features;
	uint32_t mxcsr;
	uint16_t x87_fcw;
};

/* Field offsets inside the page (exported for tests and dumps). */
#define VMSA_OFF_SEG(i)		((unsigned int)(i) * 16)
#define VMSA_OFF_EFER		0x0d0
#define VMSA_OFF_XSS		0x140
#define VMSA_OFF_CR4		0x148
#define VMSA_OFF_CR3		0x150
#define VMSA_OFF_CR0		0x158
#define VMSA_OFF_DR7		0x160
#define VMSA_OFF_DR6		0x168
#define VMSA_OFF_RFLAGS		0x170
#define VMSA_OFF_RIP		0x178
#define VMSA_OFF_RSP		0x1d8
#define VMSA_OFF_RAX		0x1f8
#define VMSA_OFF_CR2		0x240
#define VMSA_OFF_G_PAT		0x268
#define VMSA_OFF_RCX		0x308
#define VMSA_OFF_RDX		0x310
#define VMSA_OFF_RBX		0x318
#define VMSA_OFF_RBP		0x328
#define VMSA_OFF_RSI		0x330
#define VMSA_OFF_RDI		0x338
#define VMSA_OFF_SEV_FEATURES	0x3b0
#define VMSA_OFF_XCR0		0x3e8
#define VMSA_OFF_MXCSR		0x408
#define VMSA_OFF_X87_FCW	0x410

void vmsa_build(const struct vmsa_state *s, uint8_t page[PAGE_SIZE]);

#endif
