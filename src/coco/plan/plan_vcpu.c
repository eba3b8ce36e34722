// SPDX-License-Identifier: GPL-2.0-only
/*
 * Initial vCPU state of SEV-ES/SNP guests, as each VMM's launch leaves it
 * in the VMSA.  QEMU sets every register at reset (x86_cpu_reset(): data
 * segments 0x93, CS 0x9b, LDTR 0x82, TR 0x8b, CR0 ET, default PAT, XCR0 =
 * x87, MXCSR and FCW at their FINIT values) with CS:IP at the reset address
 * and RDX = the CPUID signature; KVM adds EFER.SVME and the host's CR4.MCE.
 * cvmm gives KVM exactly these values field by field (coco/kvm_vmsa.c), so
 * its VMSAs are QEMU's.  Other VMMs' differences (EC2 keeps KVM's reset
 * segment attributes, EC2 and GCE differ in RDX, G_PAT and the FPU) are
 * their rows in plan_vmm.c.
 */
#include <string.h>

#include "coco/plan/plan_internal.h"

static void seg(struct vmsa_seg *s, uint16_t sel, uint16_t attrib, uint32_t limit,
		uint64_t base)
{
	s->selector = sel;
	s->attrib = attrib;
	s->limit = limit;
	s->base = base;
}

void plan_vcpu_reset_state(enum plan_vmm vmm, uint32_t eip, bool bsp,
			   uint32_t sig, uint64_t features, struct vmsa_state *v)
{
	const struct plan_vmm_quirks *q = plan_vmm_quirks(vmm);
	uint16_t cs_attr = 0x9b, ss_attr = 0x93, tr_attr = 0x8b;

	memset(v, 0, sizeof(*v));
	if (q->kvm_reset_segments) {
		cs_attr = bsp ? 0x9a : 0x9b;
		ss_attr = 0x92;
		tr_attr = 0x83;
	}
	seg(&v->seg[VMSA_ES], 0, 0x93, 0xffff, 0);
	seg(&v->seg[VMSA_CS], 0xf000, cs_attr, 0xffff, eip & 0xffff0000u);
	seg(&v->seg[VMSA_SS], 0, ss_attr, 0xffff, 0);
	seg(&v->seg[VMSA_DS], 0, 0x93, 0xffff, 0);
	seg(&v->seg[VMSA_FS], 0, 0x93, 0xffff, 0);
	seg(&v->seg[VMSA_GS], 0, 0x93, 0xffff, 0);
	seg(&v->seg[VMSA_GDTR], 0, 0, 0xffff, 0);
	seg(&v->seg[VMSA_LDTR], 0, 0x82, 0xffff, 0);
	seg(&v->seg[VMSA_IDTR], 0, 0, 0xffff, 0);
	seg(&v->seg[VMSA_TR], 0, tr_attr, 0xffff, 0);
	v->efer = 0x1000;		/* EFER.SVME */
	v->cr4 = 0x40;			/* CR4.MCE */
	v->cr0 = 0x10;			/* CR0.ET */
	v->dr7 = 0x400;
	v->dr6 = 0xffff0ff0;
	v->rflags = 0x2;
	v->rip = eip & 0xffff;
	v->g_pat = q->g_pat ? q->g_pat : 0x0007040600070406ULL;
	v->rdx = q->no_cpuid_signature ? 0x600 : sig;
	v->xcr0 = 0x1;
	v->sev_features = features;
	if (!q->no_fpu_init) {
		v->mxcsr = 0x1f80;
		v->x87_fcw = 0x37f;
	}
}

/*
 * A Coconut SVSM starts every vCPU in 32-bit protected mode with flat
 * segments at its entry point (coconut-svsm QEMU), SEV_FEATURES SNPActive.
 */
void plan_vcpu_svsm_state(uint32_t eip, uint32_t sig, struct vmsa_state *v)
{
	memset(v, 0, sizeof(*v));
	seg(&v->seg[VMSA_ES], 16, 0xc93, 0xffffffff, 0);
	seg(&v->seg[VMSA_CS], 8, 0xc9b, 0xffffffff, 0);
	seg(&v->seg[VMSA_SS], 16, 0xc93, 0xffffffff, 0);
	seg(&v->seg[VMSA_DS], 16, 0xc93, 0xffffffff, 0);
	seg(&v->seg[VMSA_FS], 16, 0xc93, 0xffffffff, 0);
	seg(&v->seg[VMSA_GS], 0, 0x93, 0xffff, 0);
	seg(&v->seg[VMSA_GDTR], 0, 0, 0xffff, 0);
	seg(&v->seg[VMSA_LDTR], 0, 0x82, 0xffff, 0);
	seg(&v->seg[VMSA_IDTR], 0, 0, 0xffff, 0);
	seg(&v->seg[VMSA_TR], 0, 0x8b, 0xffff, 0);
	v->efer = 0x1000;
	v->cr4 = 0x40;
	v->cr0 = 0x11;			/* PE | ET */
	v->dr7 = 0x400;
	v->dr6 = 0xffff0ff0;
	v->rflags = 0x2;
	v->rip = eip;
	v->g_pat = 0x0007040600070406ULL;
	v->rdx = sig;
	v->xcr0 = 0x1;
	v->sev_features = 0x1;
	v->mxcsr = 0x1f80;
}
