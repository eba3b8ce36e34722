// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated vCPU's registers, kept the way KVM on an AMD host keeps
 * them (arch/x86/kvm/svm/svm.c, arch/x86/kvm/x86.c):
 *
 *  - the VMCB save area (struct vmcb_save_area), as init_vmcb() and
 *    kvm_vcpu_reset() leave it and svm_set_segment(), svm_set_cr0/cr4(),
 *    svm_set_efer(), svm_set_rflags(), svm_set_dr7() and svm_set_msr()
 *    write it;
 *  - vcpu->arch: GPRs and RIP, CR0/CR2/CR3/CR4/EFER as userspace gave
 *    them, DR6, XCR0, XSS, PKRU, PAT and the FPU state.
 *
 * KVM_GET_SREGS reads segments back through svm_get_segment()'s
 * adjustments (accessed bit on DS/ES/FS/GS, busy bit on TR, SS.DPL =
 * CPL), and sim_vcpu_sync_vmsa() builds the VMSA page from both exactly
 * as sev_es_sync_vmsa() does.  A VMM that leaves a field at KVM's reset
 * value gets KVM's value in its VMSA, not the one its measurement
 * assumed.  A TD's vCPU uses the same storage but never shows it (the TDX
 * module owns it).  [Kn]/[Sn]/[Vn] tags refer to the rule table in
 * docs/coco.md.
 */
#include <errno.h>
#include <string.h>

#include "sim/sim_internal.h"

/* struct vmcb_save_area / struct sev_es_save_area (arch/x86/include/asm/svm.h) */
#define SAVE_SEG(i)		((unsigned int)(i) * 16)
#define SAVE_CPL		0x0cb
#define SAVE_EFER		0x0d0
#define SAVE_XSS		0x140	/* VMSA only */
#define SAVE_CR4		0x148
#define SAVE_CR3		0x150
#define SAVE_CR0		0x158
#define SAVE_DR7		0x160
#define SAVE_DR6		0x168
#define SAVE_RFLAGS		0x170
#define SAVE_RIP		0x178
#define SAVE_RSP		0x1d8
#define SAVE_RAX		0x1f8
#define SAVE_STAR		0x200	/* .. SYSENTER_EIP at 0x238: 8 MSRs */
#define SAVE_CR2		0x240	/* written at VMRUN only: 0 in every launch VMSA */
#define SAVE_G_PAT		0x268
#define SAVE_DBGCTL		0x270
#define SAVE_PKRU		0x2e8	/* VMSA only */
#define SAVE_RCX		0x308	/* VMSA only from here on */
#define SAVE_RDX		0x310
#define SAVE_RBX		0x318
#define SAVE_RBP		0x328
#define SAVE_RSI		0x330
#define SAVE_RDI		0x338
#define SAVE_R8			0x340
#define SAVE_SEV_FEATURES	0x3b0
#define SAVE_XCR0		0x3e8
#define SAVE_X87_DP		0x400
#define SAVE_MXCSR		0x408
#define SAVE_X87_FTW		0x40c
#define SAVE_X87_FSW		0x40e
#define SAVE_X87_FCW		0x410
#define SAVE_X87_FOP		0x412
#define SAVE_X87_RIP		0x418
#define SAVE_FPREG_X87		0x420
#define SAVE_FPREG_XMM		0x470

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_GDTR, SEG_LDTR, SEG_IDTR, SEG_TR };

/* SVM_SELECTOR_* attribute bits */
#define ATTR_TYPE		0x00f
#define ATTR_S			(1u << 4)
#define ATTR_P			(1u << 7)

#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)
#define EFER_SVME		(1ULL << 12)
#define CR0_PE			(1ULL << 0)
#define CR0_ET			(1ULL << 4)
#define CR0_NW			(1ULL << 29)
#define CR0_CD			(1ULL << 30)
#define CR0_PG			(1ULL << 31)
#define CR4_PAE			(1ULL << 5)
#define CR4_MCE			(1ULL << 6)
#define DR6_ACTIVE_LOW		0xffff0ff0ULL
#define DR7_FIXED_1		0x400ULL
#define PAT_DEFAULT		0x0007040600070406ULL
#define MSR_EFER		0xc0000080
#define MSR_STAR		0xc0000081
#define MSR_LSTAR		0xc0000082
#define MSR_CSTAR		0xc0000083
#define MSR_SFMASK		0xc0000084
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_SYSENTER_CS		0x174
#define MSR_SYSENTER_ESP	0x175
#define MSR_SYSENTER_EIP	0x176
#define MSR_DEBUGCTL		0x1d9
#define MSR_PAT			0x277
#define MSR_XSS			0xda0
#define KVM_MAX_XCRS		16

static void put(uint8_t *p, unsigned int off, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[off + i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get(const uint8_t *p, unsigned int off, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[off + n];
	return v;
}

static void vmcb_seg(struct sim_vcpu *v, unsigned int i, uint16_t sel, uint16_t attrib,
		     uint32_t limit, uint64_t base)
{
	put(v->vmcb, SAVE_SEG(i), sel, 2);
	put(v->vmcb, SAVE_SEG(i) + 2, attrib, 2);
	put(v->vmcb, SAVE_SEG(i) + 4, limit, 4);
	put(v->vmcb, SAVE_SEG(i) + 8, base, 8);
}

/* svm_set_cr0(), svm_set_cr4(), svm_set_efer(): vcpu->arch and the VMCB */
static void set_cr0(struct sim_vcpu *v, uint64_t cr0)
{
	v->cr0 = cr0;
	/* NPT; KVM_X86_QUIRK_CD_NW_CLEARED (on unless userspace disables it) */
	put(v->vmcb, SAVE_CR0, cr0 & ~(CR0_CD | CR0_NW), 8);
}

static void set_cr4(struct sim_vcpu *v, uint64_t cr4)
{
	v->cr4 = cr4;
	put(v->vmcb, SAVE_CR4, cr4 | CR4_MCE, 8);	/* the host's CR4.MCE */
}

static void set_efer(struct sim_vcpu *v, uint64_t efer)
{
	v->efer = efer;
	put(v->vmcb, SAVE_EFER, efer | EFER_SVME, 8);
}

/* kvm_vcpu_reset() + svm_vcpu_reset() / init_vmcb(): the state of a new vCPU [V1] */
void sim_svm_reset(struct sim_vcpu *v)
{
	memset(v->vmcb, 0, sizeof(v->vmcb));
	/* init_seg(): P | S | writable data; CS: P | S | code | readable */
	vmcb_seg(v, SEG_ES, 0, ATTR_P | ATTR_S | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_CS, 0xf000, ATTR_P | ATTR_S | 0xa, 0xffff, 0xffff0000);
	vmcb_seg(v, SEG_SS, 0, ATTR_P | ATTR_S | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_DS, 0, ATTR_P | ATTR_S | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_FS, 0, ATTR_P | ATTR_S | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_GS, 0, ATTR_P | ATTR_S | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_GDTR, 0, 0, 0xffff, 0);
	vmcb_seg(v, SEG_IDTR, 0, 0, 0xffff, 0);
	/* init_sys_seg(): SEG_TYPE_LDT, SEG_TYPE_BUSY_TSS16 */
	vmcb_seg(v, SEG_LDTR, 0, ATTR_P | 0x2, 0xffff, 0);
	vmcb_seg(v, SEG_TR, 0, ATTR_P | 0x3, 0xffff, 0);
	put(v->vmcb, SAVE_G_PAT, PAT_DEFAULT, 8);
	put(v->vmcb, SAVE_DR7, DR7_FIXED_1, 8);
	put(v->vmcb, SAVE_RFLAGS, 0x2, 8);	/* kvm_set_rflags(X86_EFLAGS_FIXED) */
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = 0xfff0;
	v->regs.rdx = 0x600;	/* no CPUID yet: KVM's default signature */
	set_cr0(v, CR0_ET | CR0_CD | CR0_NW);
	set_cr4(v, 0);
	set_efer(v, 0);
	v->cr2 = v->cr3 = 0;
	v->apic_base = 0xfee00800 | (v->index == 0 ? 0x100 : 0);
	v->dr6 = DR6_ACTIVE_LOW;
	v->dr7 = DR7_FIXED_1;
	v->xcr0 = 1;		/* XFEATURE_MASK_FP */
	v->xss = 0;
	v->pkru = 0;
	v->pat = PAT_DEFAULT;
	memset(&v->fpu, 0, sizeof(v->fpu));
	v->fpu.fcw = 0x37f;	/* fpstate_init_fxstate() */
	v->fpu.mxcsr = 0x1f80;
}

/* ------------------------------------------------------------------ */
/* segments */

static const struct {
	size_t off;		/* in struct kvm_sregs */
	unsigned int seg;	/* VMCB index */
} sregs_segs[] = {
	{ offsetof(struct kvm_sregs, cs), SEG_CS },
	{ offsetof(struct kvm_sregs, ds), SEG_DS },
	{ offsetof(struct kvm_sregs, es), SEG_ES },
	{ offsetof(struct kvm_sregs, fs), SEG_FS },
	{ offsetof(struct kvm_sregs, gs), SEG_GS },
	{ offsetof(struct kvm_sregs, ss), SEG_SS },
	{ offsetof(struct kvm_sregs, tr), SEG_TR },
	{ offsetof(struct kvm_sregs, ldt), SEG_LDTR },
};

/* svm_get_segment() [V2] */
static void get_segment(const struct sim_vcpu *v, unsigned int seg, struct kvm_segment *var)
{
	unsigned int a = (unsigned int)get(v->vmcb, SAVE_SEG(seg) + 2, 2);

	memset(var, 0, sizeof(*var));
	var->selector = (uint16_t)get(v->vmcb, SAVE_SEG(seg), 2);
	var->limit = (uint32_t)get(v->vmcb, SAVE_SEG(seg) + 4, 4);
	var->base = get(v->vmcb, SAVE_SEG(seg) + 8, 8);
	var->type = a & ATTR_TYPE;
	var->s = (a >> 4) & 1;
	var->dpl = (a >> 5) & 3;
	var->present = (a >> 7) & 1;
	var->avl = (a >> 8) & 1;
	var->l = (a >> 9) & 1;
	var->db = (a >> 10) & 1;
	var->g = var->limit > 0xfffff;
	var->unusable = !var->present;
	switch (seg) {
	case SEG_TR:
		var->type |= 0x2;		/* the busy bit the VMCB does not show */
		break;
	case SEG_DS:
	case SEG_ES:
	case SEG_FS:
	case SEG_GS:
		if (!var->unusable)
			var->type |= 0x1;	/* accessed, as VMX requires */
		break;
	case SEG_SS:
		if (var->unusable)
			var->db = 0;
		var->dpl = v->vmcb[SAVE_CPL];
		break;
	}
}

/* svm_set_segment(); with set_cr0/cr4/efer() above: what KVM writes [V3] */
static void set_segment(struct sim_vcpu *v, unsigned int seg, const struct kvm_segment *var)
{
	unsigned int a = (var->type & ATTR_TYPE) | (var->s & 1u) << 4 | (var->dpl & 3u) << 5 |
			 (unsigned int)((var->present & 1) && !var->unusable) << 7 |
			 (var->avl & 1u) << 8 | (var->l & 1u) << 9 | (var->db & 1u) << 10 |
			 (var->g & 1u) << 11;

	vmcb_seg(v, seg, var->selector, (uint16_t)a, var->limit, var->base);
	if (seg == SEG_SS)
		v->vmcb[SAVE_CPL] = var->dpl & 3;
}

void sim_svm_get_sregs(const struct sim_vcpu *v, struct kvm_sregs *sr)
{
	unsigned int i;

	memset(sr, 0, sizeof(*sr));
	for (i = 0; i < sizeof(sregs_segs) / sizeof(sregs_segs[0]); i++)
		get_segment(v, sregs_segs[i].seg, (void *)((uint8_t *)sr + sregs_segs[i].off));
	sr->gdt.limit = (uint16_t)get(v->vmcb, SAVE_SEG(SEG_GDTR) + 4, 4);
	sr->gdt.base = get(v->vmcb, SAVE_SEG(SEG_GDTR) + 8, 8);
	sr->idt.limit = (uint16_t)get(v->vmcb, SAVE_SEG(SEG_IDTR) + 4, 4);
	sr->idt.base = get(v->vmcb, SAVE_SEG(SEG_IDTR) + 8, 8);
	sr->cr0 = v->cr0;
	sr->cr2 = v->cr2;
	sr->cr3 = v->cr3;
	sr->cr4 = v->cr4;
	sr->efer = v->efer;
	sr->apic_base = v->apic_base;
}

/* kvm_is_valid_sregs() + __set_sregs_common() [K15] */
int sim_svm_set_sregs(struct sim_vcpu *v, const struct kvm_sregs *sr)
{
	unsigned int i;

	if ((sr->efer & EFER_LME) && (sr->cr0 & CR0_PG) ?
	    !(sr->cr4 & CR4_PAE) || !(sr->efer & EFER_LMA) :
	    (sr->efer & EFER_LMA) || sr->cs.l)
		return sim_fail(v->vm->sim, -EINVAL, "KVM_SET_SREGS: EFER 0x%llx, CR0 0x%llx, "
				"CR4 0x%llx and CS.L %u are no valid mode",
				(unsigned long long)sr->efer, (unsigned long long)sr->cr0,
				(unsigned long long)sr->cr4, sr->cs.l);
	if ((sr->cr0 >> 32) || ((sr->cr0 & CR0_NW) && !(sr->cr0 & CR0_CD)) ||
	    ((sr->cr0 & CR0_PG) && !(sr->cr0 & CR0_PE)))	/* kvm_is_valid_cr0() */
		return sim_fail(v->vm->sim, -EINVAL, "KVM_SET_SREGS: CR0 0x%llx",
				(unsigned long long)sr->cr0);
	put(v->vmcb, SAVE_SEG(SEG_IDTR) + 4, sr->idt.limit, 4);
	put(v->vmcb, SAVE_SEG(SEG_IDTR) + 8, sr->idt.base, 8);
	put(v->vmcb, SAVE_SEG(SEG_GDTR) + 4, sr->gdt.limit, 4);
	put(v->vmcb, SAVE_SEG(SEG_GDTR) + 8, sr->gdt.base, 8);
	v->cr2 = sr->cr2;		/* VMCB.CR2 is written at VMRUN only */
	v->cr3 = sr->cr3;
	/* svm_post_set_cr3(): an SEV-ES VMCB takes CR3 now, for the VMSA */
	if (v->vm->sev_es)
		put(v->vmcb, SAVE_CR3, sr->cr3, 8);
	set_efer(v, sr->efer);
	set_cr0(v, sr->cr0);
	set_cr4(v, sr->cr4);
	for (i = 0; i < sizeof(sregs_segs) / sizeof(sregs_segs[0]); i++)
		set_segment(v, sregs_segs[i].seg,
			    (const void *)((const uint8_t *)sr + sregs_segs[i].off));
	v->apic_base = sr->apic_base;
	return 0;
}

/* ------------------------------------------------------------------ */
/* XCRs, debug registers, MSRs */

/* __kvm_set_xcr(): XCR0 needs x87, YMM needs SSE, nothing the guest CPUID lacks [K16] */
int sim_svm_set_xcrs(struct sim_vcpu *v, const struct kvm_xcrs *x)
{
	const struct kvm_cpuid_entry2 *d = NULL;
	uint64_t valid = 1, xcr0;
	uint32_t i;

	if (x->nr_xcrs > KVM_MAX_XCRS || x->flags)
		return sim_fail(v->vm->sim, -EINVAL, "KVM_SET_XCRS: %u XCRs, flags 0x%x",
				x->nr_xcrs, x->flags);
	for (i = 0; v->cpuid && i < v->cpuid->nent; i++)
		if (v->cpuid->entries[i].function == 0xd && v->cpuid->entries[i].index == 0)
			d = &v->cpuid->entries[i];
	if (d)
		valid |= (uint64_t)d->eax | (uint64_t)d->edx << 32;
	for (i = 0; i < x->nr_xcrs; i++) {
		if (x->xcrs[i].xcr != 0)
			continue;
		xcr0 = x->xcrs[i].value;
		if (!(xcr0 & 1) || ((xcr0 & 4) && !(xcr0 & 2)) || (xcr0 & ~valid))
			return sim_fail(v->vm->sim, -EINVAL, "KVM_SET_XCRS: XCR0 0x%llx (the "
					"vCPU's CPUID allows 0x%llx)", (unsigned long long)xcr0,
					(unsigned long long)valid);
		v->xcr0 = xcr0;
		break;
	}
	return 0;
}

/* kvm_vcpu_ioctl_x86_set_debugregs() [K17] */
int sim_svm_set_debugregs(struct sim_vcpu *v, const struct kvm_debugregs *d)
{
	if (d->flags || (d->dr6 >> 32) || (d->dr7 >> 32))
		return sim_fail(v->vm->sim, -EINVAL, "KVM_SET_DEBUGREGS: flags 0x%llx, DR6 "
				"0x%llx, DR7 0x%llx", (unsigned long long)d->flags,
				(unsigned long long)d->dr6, (unsigned long long)d->dr7);
	v->dr6 = d->dr6;
	v->dr7 = d->dr7;
	put(v->vmcb, SAVE_DR7, d->dr7, 8);	/* kvm_update_dr7() -> svm_set_dr7() */
	return 0;
}

/* kvm_pat_valid(): every entry a memory type */
static bool pat_valid(uint64_t pat)
{
	unsigned int i;

	for (i = 0; i < 8; i++) {
		unsigned int t = (pat >> (8 * i)) & 0xff;

		if (t != 0 && t != 1 && t != 4 && t != 5 && t != 6 && t != 7)
			return false;
	}
	return true;
}

/* svm_set_msr() / kvm_set_msr_common(), host-initiated: false when KVM refuses it */
bool sim_svm_set_msr(struct sim_vcpu *v, uint32_t index, uint64_t data)
{
	if (v->protected_state)
		return true;	/* the VMSA is encrypted: nothing lands any more */
	switch (index) {
	case MSR_PAT:
		if (!pat_valid(data))
			return false;
		v->pat = data;
		put(v->vmcb, SAVE_G_PAT, data, 8);
		return true;
	case MSR_XSS:
		if (data)
			return false;	/* the simulated vCPU supports no XSS feature */
		v->xss = data;
		return true;
	case MSR_EFER:
		set_efer(v, data);
		return true;
	case MSR_STAR: case MSR_LSTAR: case MSR_CSTAR: case MSR_SFMASK:
		put(v->vmcb, SAVE_STAR + 8 * (index - MSR_STAR), data, 8);
		return true;
	case MSR_KERNEL_GS_BASE:
		put(v->vmcb, SAVE_STAR + 0x20, data, 8);
		return true;
	case MSR_SYSENTER_CS: case MSR_SYSENTER_ESP: case MSR_SYSENTER_EIP:
		put(v->vmcb, SAVE_STAR + 0x28 + 8 * (index - MSR_SYSENTER_CS), data, 8);
		return true;
	case MSR_DEBUGCTL:
		put(v->vmcb, SAVE_DBGCTL, data, 8);
		return true;
	}
	return true;	/* MISC_ENABLE, TSC, ...: not in the VMCB save area */
}

/* svm_get_msr(): what the VMCB and vcpu->arch hold (0 for the rest) */
uint64_t sim_svm_get_msr(const struct sim_vcpu *v, uint32_t index)
{
	switch (index) {
	case MSR_PAT:
		return v->pat;
	case MSR_XSS:
		return v->xss;
	case MSR_EFER:
		return v->efer;
	}
	return 0;
}

/* KVM_GET_REGS / KVM_SET_REGS: RFLAGS lives in the VMCB (svm_get/set_rflags()) */
void sim_svm_get_regs(const struct sim_vcpu *v, struct kvm_regs *r)
{
	*r = v->regs;
	r->rflags = get(v->vmcb, SAVE_RFLAGS, 8);
}

void sim_svm_set_regs(struct sim_vcpu *v, const struct kvm_regs *r)
{
	v->regs = *r;
	put(v->vmcb, SAVE_RFLAGS, r->rflags | 0x2, 8);	/* kvm_set_rflags() */
}

/* ------------------------------------------------------------------ */
/* the VMSA */

/* sev_es_sync_vmsa(): the VMCB save area, GPRs, XCR0, PKRU, XSS, DR6, SEV_FEATURES, FPU [V4] */
int sim_vcpu_sync_vmsa(struct sim_vcpu *v, uint8_t page[VMSA_PAGE_SIZE])
{
	const struct kvm_regs *r = &v->regs;
	const struct {
		unsigned int off;
		uint64_t val;
	} gprs[] = {
		{ SAVE_RAX, r->rax }, { SAVE_RBX, r->rbx }, { SAVE_RCX, r->rcx },
		{ SAVE_RDX, r->rdx }, { SAVE_RSP, r->rsp }, { SAVE_RBP, r->rbp },
		{ SAVE_RSI, r->rsi }, { SAVE_RDI, r->rdi }, { SAVE_R8, r->r8 },
		{ SAVE_R8 + 8, r->r9 }, { SAVE_R8 + 16, r->r10 }, { SAVE_R8 + 24, r->r11 },
		{ SAVE_R8 + 32, r->r12 }, { SAVE_R8 + 40, r->r13 }, { SAVE_R8 + 48, r->r14 },
		{ SAVE_R8 + 56, r->r15 }, { SAVE_RIP, r->rip },
	};
	const struct kvm_fpu *f = &v->fpu;
	uint64_t dr7 = get(v->vmcb, SAVE_DR7, 8);
	unsigned int i;

	/* sev_es_sync_vmsa(): no debugging of an encrypted guest [S13] */
	if (dr7 & ~DR7_FIXED_1)
		return sim_fail(v->vm->sim, -EINVAL, "vCPU %u: DR7 0x%llx has breakpoints: KVM "
				"does not encrypt such a VMSA", v->index, (unsigned long long)dr7);
	memset(page, 0, VMSA_PAGE_SIZE);
	memcpy(page, v->vmcb, sizeof(v->vmcb));		/* the VMCB save area as built so far */
	for (i = 0; i < sizeof(gprs) / sizeof(gprs[0]); i++)
		put(page, gprs[i].off, gprs[i].val, 8);
	put(page, SAVE_XCR0, v->xcr0, 8);
	put(page, SAVE_PKRU, v->pkru, 4);
	put(page, SAVE_XSS, v->xss, 8);
	put(page, SAVE_DR6, v->dr6, 8);
	put(page, SAVE_SEV_FEATURES, v->vm->vmsa_features, 8);
	/* the FPU only with KVM_SEV_INIT2 ("to avoid breaking older measurements") */
	if (v->vm->type == KVM_X86_DEFAULT_VM)
		return 0;
	put(page, SAVE_X87_DP, f->last_dp, 8);
	put(page, SAVE_MXCSR, f->mxcsr, 4);
	put(page, SAVE_X87_FTW, f->ftwx, 2);
	put(page, SAVE_X87_FSW, f->fsw, 2);
	put(page, SAVE_X87_FCW, f->fcw, 2);
	put(page, SAVE_X87_FOP, f->last_opcode, 2);
	put(page, SAVE_X87_RIP, f->last_ip, 8);
	for (i = 0; i < 8; i++) {
		/* bytes 0-7 of each register, then bytes 8-9 of each */
		memcpy(page + SAVE_FPREG_X87 + i * 8, f->fpr[i], 8);
		page[SAVE_FPREG_X87 + 64 + i * 2] = f->fpr[i][8];
		page[SAVE_FPREG_X87 + 64 + i * 2 + 1] = f->fpr[i][9];
	}
	memcpy(page + SAVE_FPREG_XMM, f->xmm, sizeof(f->xmm));
	return 0;	/* YMM: the simulator takes no KVM_SET_XSAVE, so zero */
}
