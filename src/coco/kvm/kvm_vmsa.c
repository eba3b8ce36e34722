// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU state of SEV-ES and SNP launches: every field of the plan's
 * VMSA (plan->vcpus[i].vmsa) given to KVM explicitly, so that the page
 * sev_es_sync_vmsa() builds at LAUNCH_UPDATE_VMSA / SNP_LAUNCH_FINISH is
 * the plan's byte for byte.  Nothing is left at KVM's reset values: those
 * differ from QEMU's (init_vmcb() gives SS 0x92, CS 0x9a, TR 0x83) and
 * KVM_GET_SREGS does not even report them faithfully (svm_get_segment()
 * sets the accessed bit of DS/ES/FS/GS and the busy bit of TR), so a
 * read-modify-write of the registers measures something else than
 * `cvmm measure` predicts.  docs/coco.md lists every VMSA field and who
 * sets it.
 *
 * What KVM does to each value on the way (arch/x86/kvm/svm/svm.c), which
 * the values given here undo or match:
 *   segments  svm_set_segment(): attrib = type | S | DPL | P | AVL | L |
 *             DB | G, P cleared for unusable; SS.DPL becomes the CPL
 *   EFER      svm_set_efer() adds SVME (and KVM refuses SVME from
 *             userspace without nested SVM): given without it
 *   CR0       svm_set_cr0() clears CD and NW (KVM_X86_QUIRK_CD_NW_CLEARED):
 *             given without them, so the quirk changes nothing
 *   CR4       svm_set_cr4() adds the host's CR4.MCE: given with it
 *   CR2       reaches the VMCB only at VMRUN: the VMSA always has 0
 *   RFLAGS    kvm_set_rflags() adds bit 1
 *   DR6, DR7  vcpu->arch.dr6 and the VMCB's DR7 (KVM_SET_DEBUGREGS); a DR7
 *             with breakpoints makes KVM refuse the VMSA
 *   XCR0, XSS, PAT, FCW, MXCSR   KVM_SET_XCRS, KVM_SET_MSRS, KVM_SET_FPU
 *   SEV_FEATURES  KVM_SEV_INIT2's vmsa_features (kvm_snp.c), not a register
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "coco/kvm/kvm_coco.h"
#include "coco/kvm/kvm_vmsa.h"

#define EFER_SVME		(1ULL << 12)
#define CR0_NW			(1ULL << 29)
#define CR0_CD			(1ULL << 30)
#define MSR_IA32_CR_PAT		0x277
#define MSR_IA32_XSS		0xda0

void kvm_seg_from_vmsa(const struct vmsa_seg *s, struct kvm_segment *k)
{
	memset(k, 0, sizeof(*k));
	k->selector = s->selector;
	k->base = s->base;
	k->limit = s->limit;
	k->type = s->attrib & 0xf;
	k->s = (s->attrib >> 4) & 1;
	k->dpl = (s->attrib >> 5) & 3;
	k->present = (s->attrib >> 7) & 1;
	k->avl = (s->attrib >> 8) & 1;
	k->l = (s->attrib >> 9) & 1;
	k->db = (s->attrib >> 10) & 1;
	k->g = (s->attrib >> 11) & 1;
	k->unusable = !k->present;
}

static int set_sregs(struct kvm_vcpu *v, const struct vmsa_state *st)
{
	struct kvm_sregs sr;
	int ret;

	/* read first only for what the VMSA does not hold: APIC base, CR8 */
	ret = kvm_vcpu_ioctl(v, KVM_GET_SREGS, &sr);
	if (ret < 0)
		return ret;
	kvm_seg_from_vmsa(&st->seg[VMSA_CS], &sr.cs);
	kvm_seg_from_vmsa(&st->seg[VMSA_DS], &sr.ds);
	kvm_seg_from_vmsa(&st->seg[VMSA_ES], &sr.es);
	kvm_seg_from_vmsa(&st->seg[VMSA_FS], &sr.fs);
	kvm_seg_from_vmsa(&st->seg[VMSA_GS], &sr.gs);
	kvm_seg_from_vmsa(&st->seg[VMSA_SS], &sr.ss);
	kvm_seg_from_vmsa(&st->seg[VMSA_TR], &sr.tr);
	kvm_seg_from_vmsa(&st->seg[VMSA_LDTR], &sr.ldt);
	memset(&sr.gdt, 0, sizeof(sr.gdt));
	sr.gdt.base = st->seg[VMSA_GDTR].base;
	sr.gdt.limit = (uint16_t)st->seg[VMSA_GDTR].limit;
	memset(&sr.idt, 0, sizeof(sr.idt));
	sr.idt.base = st->seg[VMSA_IDTR].base;
	sr.idt.limit = (uint16_t)st->seg[VMSA_IDTR].limit;
	sr.cr0 = st->cr0 & ~(CR0_CD | CR0_NW);
	sr.cr2 = 0;
	sr.cr3 = st->cr3;
	sr.cr4 = st->cr4;
	sr.efer = st->efer & ~EFER_SVME;
	memset(sr.interrupt_bitmap, 0, sizeof(sr.interrupt_bitmap));
	ret = kvm_vcpu_ioctl(v, KVM_SET_SREGS, &sr);
	return ret < 0 ? ret : 0;
}

static int set_regs(struct kvm_vcpu *v, const struct vmsa_state *st)
{
	struct kvm_regs r;
	int ret;

	memset(&r, 0, sizeof(r));	/* R8-R15: the plan has none */
	r.rax = st->rax;
	r.rbx = st->rbx;
	r.rcx = st->rcx;
	r.rdx = st->rdx;
	r.rsi = st->rsi;
	r.rdi = st->rdi;
	r.rsp = st->rsp;
	r.rbp = st->rbp;
	r.rip = st->rip;
	r.rflags = st->rflags;
	ret = kvm_vcpu_ioctl(v, KVM_SET_REGS, &r);
	return ret < 0 ? ret : 0;
}

static int set_debugregs(struct kvm_vcpu *v, const struct vmsa_state *st)
{
	struct kvm_debugregs d;
	int ret;

	memset(&d, 0, sizeof(d));
	d.dr6 = st->dr6;
	d.dr7 = st->dr7;
	ret = kvm_vcpu_ioctl(v, KVM_SET_DEBUGREGS, &d);
	return ret < 0 ? ret : 0;
}

static int set_xcr0(struct kvm_vcpu *v, const struct vmsa_state *st)
{
	struct kvm_xcrs x;
	int ret;

	memset(&x, 0, sizeof(x));
	x.nr_xcrs = 1;
	x.xcrs[0].xcr = 0;
	x.xcrs[0].value = st->xcr0;
	ret = kvm_vcpu_ioctl(v, KVM_SET_XCRS, &x);
	return ret < 0 ? ret : 0;
}

/* PAT and XSS: the MSRs whose values land in the VMSA */
static int set_msrs(struct kvm_vcpu *v, const struct vmsa_state *st, uint32_t *refused)
{
	union {
		struct kvm_msrs hdr;
		uint8_t buf[sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry)];
	} m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.hdr.entries[0].index = MSR_IA32_CR_PAT;
	m.hdr.entries[0].data = st->g_pat;
	m.hdr.entries[1].index = MSR_IA32_XSS;
	m.hdr.entries[1].data = st->xss;
	ret = kvm_vcpu_ioctl(v, KVM_SET_MSRS, &m);
	if (ret >= 0 && ret < 2) {
		*refused = m.hdr.entries[ret].index;	/* KVM stops at the first it refuses */
		return -EINVAL;
	}
	return ret < 0 ? ret : 0;
}

static int set_fpu(struct kvm_vcpu *v, const struct vmsa_state *st)
{
	struct kvm_fpu f;
	int ret;

	memset(&f, 0, sizeof(f));
	f.fcw = st->x87_fcw;
	f.mxcsr = st->mxcsr;
	ret = kvm_vcpu_ioctl(v, KVM_SET_FPU, &f);
	return ret < 0 ? ret : 0;
}

static int set_one(struct coco_kvm *c, unsigned int i, const struct vmsa_state *st)
{
	struct kvm_vcpu *v = c->vcpus[i];
	uint32_t msr = 0;
	const char *what;
	int ret;

	if (st->cr2) {
		err_set(c->err, "vCPU %u: a VMSA with CR2 0x%" PRIx64 " cannot be launched "
			"(KVM writes CR2 to the VMCB only when the vCPU runs)", i, st->cr2);
		return -EINVAL;
	}
	what = "KVM_SET_SREGS";
	ret = set_sregs(v, st);
	if (!ret) {
		what = "KVM_SET_REGS";
		ret = set_regs(v, st);
	}
	if (!ret) {
		what = "KVM_SET_DEBUGREGS";
		ret = set_debugregs(v, st);
	}
	if (!ret) {
		what = "KVM_SET_XCRS";
		ret = set_xcr0(v, st);
	}
	if (!ret) {
		what = "KVM_SET_MSRS";
		ret = set_msrs(v, st, &msr);
	}
	if (!ret) {
		what = "KVM_SET_FPU";
		ret = set_fpu(v, st);
	}
	if (ret && msr)
		err_set(c->err, "vCPU %u: KVM_SET_MSRS refused MSR 0x%x", i, msr);
	else if (ret)
		err_set(c->err, "vCPU %u: %s: %s", i, what, strerror(-ret));
	return ret;
}

int coco_kvm_set_vcpu_regs(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	uint64_t features = p->type == COCO_SNP ? p->sev_features | SVM_SEV_FEAT_SNP_ACTIVE : 0;
	unsigned int i;
	int ret;

	if (p->nr_vcpus != c->nr_vcpus) {
		err_set(c->err, "the plan has %u vCPUs, the VM %u", p->nr_vcpus,
			c->nr_vcpus);
		return -EINVAL;
	}
	for (i = 0; i < c->nr_vcpus; i++) {
		const struct vmsa_state *st = &p->vcpus[i].vmsa;

		/* KVM_SEV_INIT2's vmsa_features (+ SNPActive) are every VMSA's */
		if (!c->legacy_sev && st->sev_features != features) {
			err_set(c->err, "vCPU %u: the plan's SEV_FEATURES 0x%" PRIx64 " are "
				"not the VM's 0x%" PRIx64, i, st->sev_features, features);
			return -EINVAL;
		}
		ret = set_one(c, i, st);
		if (ret)
			return ret;
	}
	return 0;
}
