// SPDX-License-Identifier: GPL-2.0-only
#include <stddef.h>
#include <string.h>

#include "measure/vmsa.h"
#include "util/bytes.h"

void vmsa_build(const struct vmsa_state *s, uint8_t page[PAGE_SIZE])
{
	static const struct {
		unsigned int off;
		size_t field;
	} regs[] = {
		{ VMSA_OFF_EFER, offsetof(struct vmsa_state, efer) },
		{ VMSA_OFF_XSS, offsetof(struct vmsa_state, xss) },
		{ VMSA_OFF_CR4, offsetof(struct vmsa_state, cr4) },
		{ VMSA_OFF_CR3, offsetof(struct vmsa_state, cr3) },
		{ VMSA_OFF_CR0, offsetof(struct vmsa_state, cr0) },
		{ VMSA_OFF_DR7, offsetof(struct vmsa_state, dr7) },
		{ VMSA_OFF_DR6, offsetof(struct vmsa_state, dr6) },
		{ VMSA_OFF_RFLAGS, offsetof(struct vmsa_state, rflags) },
		{ VMSA_OFF_RIP, offsetof(struct vmsa_state, rip) },
		{ VMSA_OFF_RSP, offsetof(struct vmsa_state, rsp) },
		{ VMSA_OFF_RAX, offsetof(struct vmsa_state, rax) },
		{ VMSA_OFF_CR2, offsetof(struct vmsa_state, cr2) },
		{ VMSA_OFF_G_PAT, offsetof(struct vmsa_state, g_pat) },
		{ VMSA_OFF_RCX, offsetof(struct vmsa_state, rcx) },
		{ VMSA_OFF_RDX, offsetof(struct vmsa_state, rdx) },
		{ VMSA_OFF_RBX, offsetof(struct vmsa_state, rbx) },
		{ VMSA_OFF_RBP, offsetof(struct vmsa_state, rbp) },
		{ VMSA_OFF_RSI, offsetof(struct vmsa_state, rsi) },
		{ VMSA_OFF_RDI, offsetof(struct vmsa_state, rdi) },
		{ VMSA_OFF_SEV_FEATURES, offsetof(struct vmsa_state, sev_features) },
		{ VMSA_OFF_XCR0, offsetof(struct vmsa_state, xcr0) },
	};
	unsigned int i;

	memset(page, 0, PAGE_SIZE);
	for (i = 0; i < VMSA_NR_SEGS; i++) {
		uint8_t *p = page + VMSA_OFF_SEG(i);

		put_le(p, s->seg[i].selector, 2);
		put_le(p + 2, s->seg[i].attrib, 2);
		put_le(p + 4, s->seg[i].limit, 4);
		put_le(p + 8, s->seg[i].base, 8);
	}
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		uint64_t v;

		memcpy(&v, (const uint8_t *)s + regs[i].field, sizeof(v));
		put_le(page + regs[i].off, v, 8);
	}
	put_le(page + VMSA_OFF_MXCSR, s->mxcsr, 4);
	put_le(page + VMSA_OFF_X87_FCW, s->x87_fcw, 2);
}
