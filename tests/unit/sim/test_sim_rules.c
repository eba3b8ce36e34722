// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's rules: each rule of docs/coco.md's table (the
 * kernel's: arch/x86/kvm/x86.c, svm/svm.c, svm/sev.c, vmx/tdx.c, virt/kvm/), violated
 * once, gives the exact -errno (and PSP status / TDX error) Linux gives,
 * and the vCPU registers behave as KVM's on an AMD host.  This file: KVM
 * itself [Kn], the SVM register model [Vn], the kernel profiles, and the
 * test list; SEV/SNP and TDX rules are in test_sim_rules_{sev,tdx}.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "measure/vmsa.h"
#include "sim_rules.h"

/* ---------------- KVM ---------------- */

static void test_vm_caps(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	/* [K6] KVM_CAP_EXIT_HYPERCALL: only KVM_HC_MAP_GPA_RANGE */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_EXIT_HYPERCALL, 1), -EINVAL);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_EXIT_HYPERCALL,
					   1ULL << KVM_HC_MAP_GPA_RANGE), 0);
	/* [K3] the APIC bus cycle: not 0, and only with an in-kernel irqchip */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 0), -EINVAL);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), -ENXIO);
	/* [K2] at most 48 IOAPIC pins for the split irqchip */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 49), -EINVAL);
	/* [K4] the full irqchip, once */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), 0);
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -EEXIST);
	/* [K2] no split irqchip beside it */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), -EEXIST);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* [K3] [K5] VM-wide settings are frozen once a vCPU exists */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), -EINVAL);
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_SET_TSC_KHZ, (void *)2000000), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/* [K2] issue 20: the split irqchip after a vCPU is -EEXIST, not -EINVAL */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), -EEXIST);
	/* [K4] the full irqchip after a vCPU: -EINVAL */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_vcpu_create_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct kvm_vcpu v, w;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_ES_VM), 0);
	/* [K14] KVM_CAP_MAX_VCPUS of a VM is its own limit */
	assert_int_equal(kvm_vm_check_extension(&h.vm, KVM_CAP_MAX_VCPUS), 64);
	/* [K13] vCPU ids below KVM_MAX_VCPU_IDS, each once */
	assert_int_equal(kvm_vcpu_create(&h.vm, 1024, &v), -EINVAL);
	assert_int_equal(kvm_vcpu_create(&h.vm, 3, &v), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 3, &w), -EEXIST);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* A fresh vCPU of an SEV-ES (INIT2) guest after LAUNCH_START. */
static void es_vcpu(struct hs *h, struct kvm_vcpu *v)
{
	sev_started(h, KVM_X86_SEV_ES_VM, 5);
	assert_int_equal(kvm_vcpu_create(&h->vm, 0, v), 0);
}

/* LAUNCH_UPDATE_VMSA and the page KVM encrypted. */
static void es_vmsa(struct hs *h, uint8_t page[VMSA_PAGE_SIZE])
{
	assert_int_equal(hs_sev(h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), 0);
	assert_int_equal(sim_vcpu_vmsa(h->s, h->vm.fd, 0, page), 0);
}

static uint64_t le(const uint8_t *page, unsigned int off, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | page[off + n];
	return v;
}

static void test_sregs_validity(void **state)
{
	struct kvm_sregs sr, ok;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &ok), 0);
	/* [K15] CR0: NW without CD, PG without PE, upper bits */
	sr = ok;
	sr.cr0 = 0x20000010;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), -EINVAL);
	sr.cr0 = 0x80000010;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), -EINVAL);
	sr.cr0 = 1ULL << 32 | 0x10;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), -EINVAL);
	/* [K15] no long mode (LMA, CS.L) without LME and paging */
	sr = ok;
	sr.efer = 1ULL << 10;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), -EINVAL);
	sr = ok;
	sr.cs.l = 1;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &ok), 0);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_xcrs_debugregs_msrs(void **state)
{
	union {
		struct kvm_msrs hdr;
		uint8_t buf[sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry)];
	} m;
	const struct kvm_cpuid2 *sup;
	struct kvm_debugregs d;
	struct kvm_xcrs x;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	/* [K16] XCR0: x87 always, nothing the vCPU's CPUID lacks, YMM needs SSE */
	memset(&x, 0, sizeof(x));
	x.nr_xcrs = 1;
	x.xcrs[0].value = 0;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &x), -EINVAL);
	x.xcrs[0].value = 3;		/* no CPUID yet: x87 only */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &x), -EINVAL);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &sup), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_CPUID2, (void *)sup), 0);
	x.xcrs[0].value = 5;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &x), -EINVAL);
	x.xcrs[0].value = 7;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &x), 0);
	x.flags = 1;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &x), -EINVAL);
	/* [K17] debug registers: no flags, 32-bit DR6/DR7 */
	memset(&d, 0, sizeof(d));
	d.dr6 = 0xffff0ff0;
	d.dr7 = 0x400;
	d.flags = 1;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_DEBUGREGS, &d), -EINVAL);
	d.flags = 0;
	d.dr6 |= 1ULL << 32;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_DEBUGREGS, &d), -EINVAL);
	/* [K18] KVM_SET_MSRS stops at the first MSR KVM refuses: a PAT type 2, an XSS bit */
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.hdr.entries[0].index = 0x277;
	m.hdr.entries[0].data = 0x0007040600070406ULL;
	m.hdr.entries[1].index = 0x277;
	m.hdr.entries[1].data = 0x0007040600070402ULL;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_MSRS, &m), 1);
	m.hdr.entries[1].index = 0xda0;
	m.hdr.entries[1].data = 1;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_MSRS, &m), 1);
	m.hdr.entries[1].data = 0;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_MSRS, &m), 2);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* ---------------- the SVM register model ---------------- */

/* [V1] what a new vCPU holds: init_vmcb() + kvm_vcpu_reset() */
static void test_reset_state(void **state)
{
	uint8_t page[VMSA_PAGE_SIZE];
	struct kvm_sregs sr;
	struct kvm_regs r;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &r), 0);
	assert_int_equal(r.rip, 0xfff0);
	assert_int_equal(r.rdx, 0x600);
	assert_int_equal(r.rflags, 2);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &sr), 0);
	assert_int_equal(sr.cr0, 0x60000010);
	assert_int_equal(sr.cr4, 0);
	assert_int_equal(sr.efer, 0);
	assert_int_equal(sr.apic_base, 0xfee00900);
	/* untouched, the VMSA is KVM's reset VMCB, not QEMU's state */
	es_vmsa(&h, page);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_CS) + 2, 2), 0x9a);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_CS) + 8, 8), 0xffff0000);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_SS) + 2, 2), 0x92);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_DS) + 2, 2), 0x92);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_TR) + 2, 2), 0x83);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_LDTR) + 2, 2), 0x82);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_GDTR) + 4, 4), 0xffff);
	assert_int_equal(le(page, VMSA_OFF_EFER, 8), 0x1000);
	assert_int_equal(le(page, VMSA_OFF_CR0, 8), 0x10);
	assert_int_equal(le(page, VMSA_OFF_CR4, 8), 0x40);
	assert_int_equal(le(page, VMSA_OFF_DR6, 8), 0xffff0ff0);
	assert_int_equal(le(page, VMSA_OFF_DR7, 8), 0x400);
	assert_int_equal(le(page, VMSA_OFF_RFLAGS, 8), 2);
	assert_int_equal(le(page, VMSA_OFF_RIP, 8), 0xfff0);
	assert_int_equal(le(page, VMSA_OFF_RDX, 8), 0x600);
	assert_int_equal(le(page, VMSA_OFF_G_PAT, 8), 0x0007040600070406ULL);
	assert_int_equal(le(page, VMSA_OFF_XCR0, 8), 1);
	assert_int_equal(le(page, VMSA_OFF_MXCSR, 4), 0x1f80);
	assert_int_equal(le(page, VMSA_OFF_X87_FCW, 2), 0x37f);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/*
 * [V2] svm_get_segment(): KVM_GET_SREGS adds the accessed bit to DS/ES/FS/
 * GS and the busy bit to TR, not to SS; writing it back (what cvmm did
 * before issue 20) gives DS 0x93 but leaves SS 0x92 and TR 0x83.
 */
static void test_get_segment_adjustments(void **state)
{
	uint8_t page[VMSA_PAGE_SIZE];
	struct kvm_sregs sr;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &sr), 0);
	assert_int_equal(sr.cs.type, 0xa);
	assert_int_equal(sr.ds.type, 0x3);
	assert_int_equal(sr.es.type, 0x3);
	assert_int_equal(sr.ss.type, 0x2);
	assert_int_equal(sr.tr.type, 0x3);
	assert_int_equal(sr.ldt.type, 0x2);
	assert_int_equal(sr.ss.dpl, 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), 0);
	es_vmsa(&h, page);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_DS) + 2, 2), 0x93);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_SS) + 2, 2), 0x92);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_TR) + 2, 2), 0x83);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_CS) + 2, 2), 0x9a);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* [V3] what KVM does to the values on their way into the VMCB */
static void test_set_transformations(void **state)
{
	uint8_t page[VMSA_PAGE_SIZE];
	struct kvm_sregs sr;
	struct kvm_regs r;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &sr), 0);
	sr.cr0 = 0x60000011;		/* CD and NW: cleared (the quirk) */
	sr.cr2 = 0x1234;		/* written to the VMCB only at VMRUN */
	sr.cr3 = 0x5000;		/* svm_post_set_cr3(): SEV-ES takes it now */
	sr.cr4 = 0;			/* the host's MCE added */
	sr.efer = 0;			/* SVME added */
	sr.ss.dpl = 3;			/* SS.DPL is the CPL */
	sr.ss.type = 3;
	sr.tr.type = 0xb;
	sr.ds.unusable = 1;		/* an unusable segment is not present */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sr), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &r), 0);
	r.rflags = 0;			/* bit 1 added */
	r.r8 = 0x88;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_REGS, &r), 0);
	es_vmsa(&h, page);
	assert_int_equal(le(page, VMSA_OFF_CR0, 8), 0x11);
	assert_int_equal(le(page, VMSA_OFF_CR2, 8), 0);
	assert_int_equal(le(page, VMSA_OFF_CR3, 8), 0x5000);
	assert_int_equal(le(page, VMSA_OFF_CR4, 8), 0x40);
	assert_int_equal(le(page, VMSA_OFF_EFER, 8), 0x1000);
	assert_int_equal(le(page, VMSA_OFF_RFLAGS, 8), 2);
	assert_int_equal(le(page, 0x0cb, 1), 3);				/* CPL */
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_SS) + 2, 2), 0xf3);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_TR) + 2, 2), 0x8b);
	assert_int_equal(le(page, VMSA_OFF_SEG(VMSA_DS) + 2, 2), 0x13);
	assert_int_equal(le(page, 0x340, 8), 0x88);				/* R8 */
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* [V4] sev_es_sync_vmsa(): MSRs in the VMCB, XCR0, XSS, DR6, the FPU */
static void test_sync_vmsa(void **state)
{
	union {
		struct kvm_msrs hdr;
		uint8_t buf[sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry)];
	} m;
	uint8_t page[VMSA_PAGE_SIZE];
	struct kvm_fpu f;
	struct kvm_vcpu v;
	struct hs h;

	es_vcpu(&h, &v);
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.hdr.entries[0].index = 0xc0000081;	/* STAR: in the VMCB save area */
	m.hdr.entries[0].data = 0x1111;
	m.hdr.entries[1].index = 0x277;		/* PAT */
	m.hdr.entries[1].data = 0x0606060606060606ULL;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_MSRS, &m), 2);
	memset(&f, 0, sizeof(f));
	f.fcw = 0x27f;
	f.mxcsr = 0x1fa0;
	f.fpr[1][9] = 0x5a;
	f.xmm[2][0] = 0xa5;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &f), 0);
	es_vmsa(&h, page);
	assert_int_equal(le(page, 0x200, 8), 0x1111);
	assert_int_equal(le(page, VMSA_OFF_G_PAT, 8), 0x0606060606060606ULL);
	assert_int_equal(le(page, VMSA_OFF_X87_FCW, 2), 0x27f);
	assert_int_equal(le(page, VMSA_OFF_MXCSR, 4), 0x1fa0);
	assert_int_equal(page[0x420 + 64 + 1 * 2 + 1], 0x5a);	/* bytes 8-9 after the 8*8 */
	assert_int_equal(page[0x470 + 2 * 16], 0xa5);
	assert_int_equal(le(page, VMSA_OFF_SEV_FEATURES, 8), 0);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* sim_config.kernel: the releases with a profile */
static void test_kernel_profiles(void **state)
{
	struct sim_config bad = sim_amd(615);
	unsigned int k = 0;
	struct sim *s;

	assert_int_equal(sim_kernel_parse("6.16", &k), 0);
	assert_int_equal(k, SIM_KERNEL_6_16);
	assert_int_equal(sim_kernel_parse("6.17", &k), 0);
	assert_int_equal(k, SIM_KERNEL_6_17);
	assert_int_equal(sim_kernel_parse("7.0", &k), 0);
	assert_int_equal(k, SIM_KERNEL_7_0);
	assert_int_equal(sim_kernel_parse("6.18", &k), -EINVAL);
	assert_int_equal(sim_kernel_parse("", &k), -EINVAL);
	assert_int_equal(sim_create(&bad, &s), -EINVAL);
}

static void test_memslot_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct hs h;
	uint8_t *p;
	int fd;

	/* [K7] read-only memslots need a VM without protected state */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_ES_VM), 0);
	p = aligned_alloc(4096, 0x2000);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0x100000, 0x2000, p,
					    -1, 0), -EINVAL);
	/* [K12] [K11] no private memory on SEV types: no guest_memfd, no attributes */
	assert_int_equal(kvm_vm_create_guest_memfd(&h.vm, 1 << 20), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0x1000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), -EINVAL);
	hs_close(&h);

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0x100000, 0x2000, p,
					    -1, 0), 0);
	/* [K8] overlap, alignment */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x101000, 0x2000, p, -1, 0), -EEXIST);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x200800, 0x1000, p, -1, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x200000, 0x1000, p + 8, -1, 0), -EINVAL);
	hs_close(&h);

	/* [K9] guest_memfd slots (SNP): binding rules */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	fd = kvm_vm_create_guest_memfd(&h.vm, 1 << 20);
	assert_true(fd >= 0);
	assert_int_equal(kvm_vm_create_guest_memfd(&h.vm, 12345), -EINVAL);	/* [K12] */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, h.vm.fd, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, 9999, 0), -EBADF);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, (1 << 20) - 0x1000),
			 -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0, 0x2000, p, fd, 0),
			 -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, 0), 0);
	/* [K9] the same guest_memfd range cannot back two slots */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x10000, 0x2000, p, fd, 0x1000), -EINVAL);
	/* [K10] guest_memfd slots are immutable (delete and re-add) */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0, p, -1, 0), 0);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0, p, -1, 0), -EINVAL);
	/* [K11] attributes: flags, alignment, emptiness */
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x800, 0x1000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0x1000, 1), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x1000, 0x3000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), 0);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x2000, 0x1000, 0), 0);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x1000), 1);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x2000), 0);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x3000), 1);
	kvm_vm_close_fd(&h.vm, fd);
	hs_close(&h);
	free(p);
}

static void test_vm_types_and_objects(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct sim_config cfg = { .platform = COCO_SNP, .no_vm_types = true };
	struct kvm_sys sys;
	struct kvm_vm vm;
	struct sim *s;
	unsigned int fds = count_fds();

	assert_int_equal(sim_create(&amd, &s), 0);
	sim_install(s, &sys);
	assert_int_equal(kvm_check_extension(&sys, KVM_CAP_VM_TYPES), 0x1f);
	/* [K1] only the types KVM_CAP_VM_TYPES offers */
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_TDX_VM, &vm), -EINVAL);
	assert_int_equal(kvm_vm_create(&sys, 9, &vm), -EINVAL);
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_SNP_VM, &vm), 0);
	assert_int_equal(sim_nr_objects(s), 3);		/* kvm, sev, vm */
	assert_int_equal(count_fds(), fds + 3);
	kvm_vm_destroy(&vm);
	kvm_sys_close(&sys);
	assert_int_equal(sim_nr_objects(s), 1);		/* /dev/sev stays with the sim */
	sim_put(s);
	assert_int_equal(count_fds(), fds);

	/* a kernel without KVM_CAP_VM_TYPES: only the default type */
	assert_int_equal(sim_create(&cfg, &s), 0);
	sim_install(s, &sys);
	sim_put(s);
	assert_int_equal(kvm_check_extension(&sys, KVM_CAP_VM_TYPES), 0);
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_SEV_VM, &vm), -EINVAL);
	kvm_sys_close(&sys);
	assert_int_equal(count_fds(), fds);
}

/* A KVM whose answers the test sets, for the MAP_GPA_RANGE exit probe. */
static int fake_check, fake_enable;

static int fake_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	if (req == KVM_CHECK_EXTENSION)
		return fake_check;
	if (req == KVM_ENABLE_CAP)
		return fake_enable;
	return -ENOTTY;
}

static const struct kvm_sys_ops fake_ops = { .ioctl = fake_ioctl };

static void test_map_gpa_exit_probe(void **state)
{
	struct launch_plan plan = { .type = COCO_SNP };
	struct err_msg err = { "" };
	struct kvm_sys sys;
	struct kvm_vm vm;
	struct coco_kvm c;

	memset(&sys, 0, sizeof(sys));
	sys.ops = &fake_ops;
	sys.fd = -1;
	vm = (struct kvm_vm){ .sys = &sys, .fd = 3, .type = KVM_X86_SNP_VM };
	memset(&c, 0, sizeof(c));
	c.plan = &plan;
	c.vm = &vm;
	c.err = &err;
	c.fw_error = CVMM_SEV_RET_INVALID_PARAM;	/* stale: must not be reported */

	/* a failing KVM_CHECK_EXTENSION is no capability (-EINVAL has bit 12 set) */
	fake_check = -EINVAL;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -ENODEV);
	assert_non_null(strstr(err.msg, "cannot pass KVM_HC_MAP_GPA_RANGE"));
	fake_check = 0;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -ENODEV);
	/* offered but refused: KVM's errno, no PSP status */
	fake_check = 1 << KVM_HC_MAP_GPA_RANGE;
	fake_enable = -EINVAL;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -EINVAL);
	assert_string_equal(err.msg, "KVM_CAP_EXIT_HYPERCALL: Invalid argument");
	fake_enable = 0;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), 0);
}

/*
 * [K20] with vmm_order (--dry-run, whole launches), the VMM's build order
 * of coco/stage.h: irqchip, memory, vCPUs (memory again allowed), launch;
 * without it the single-ioctl rule tests above may build in any order.
 */
static void test_vmm_build_order(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct kvm_vcpu v;
	char why[200];
	uint8_t *ram;
	struct hs h;

	amd.vmm_order = true;
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	ram = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(ram != MAP_FAILED);
	/* [K20] memory and vCPUs need the irqchip first */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 0, 0, 0, 4096, ram, -1, 0), -EINVAL);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EINVAL);
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), 0);
	/* [K20] a vCPU needs memory first */
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 0, 0, 0, 4096, ram, -1, 0), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* the firmware's memslot comes after the vCPUs */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 4096, 4096, ram + 4096, -1, 0), 0);
	/* [K20] nothing runs before the launch (a plain VM never launches) */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	sim_last_error(h.s, why, sizeof(why));
	assert_non_null(strstr(why, "running the VM out of the VMM's build order"));
	kvm_vcpu_destroy(&v);
	hs_close(&h);
	munmap(ram, 2 * 4096);

	/* without vmm_order: any order */
	hs_open(&h, &(struct sim_config){ .platform = COCO_SNP });
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_types_and_objects),
		cmocka_unit_test(test_vm_caps),
		cmocka_unit_test(test_memslot_rules),
		cmocka_unit_test(test_vcpu_create_rules),
		cmocka_unit_test(test_vmm_build_order),
		cmocka_unit_test(test_sregs_validity),
		cmocka_unit_test(test_xcrs_debugregs_msrs),
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_get_segment_adjustments),
		cmocka_unit_test(test_set_transformations),
		cmocka_unit_test(test_sync_vmsa),
		cmocka_unit_test(test_kernel_profiles),
		cmocka_unit_test(test_map_gpa_exit_probe),
		/* test_sim_rules_sev.c */
		cmocka_unit_test(test_sev_init_rules),
		cmocka_unit_test(test_sev_launch_start_rules),
		cmocka_unit_test(test_sev_update_measure_finish),
		cmocka_unit_test(test_sev_es_vmsa_rules),
		cmocka_unit_test(test_snp_start_rules),
		cmocka_unit_test(test_snp_policy_bits),
		cmocka_unit_test(test_snp_update_rules),
		cmocka_unit_test(test_snp_update_profiles),
		cmocka_unit_test(test_snp_update_progress),
		cmocka_unit_test(test_snp_cpuid_page),
		cmocka_unit_test(test_snp_finish_rules),
		cmocka_unit_test(test_snp_req_certs),
		cmocka_unit_test(test_snp_req_certs_exit),
		cmocka_unit_test(test_snp_backend_cpuid_rejected),
		cmocka_unit_test(test_snp_backend_policy),
		cmocka_unit_test(test_snp_vmsa_features),
		/* test_sim_rules_tdx.c */
		cmocka_unit_test(test_tdx_caps_rules),
		cmocka_unit_test(test_tdx_irqchip_order),
		cmocka_unit_test(test_tdx_init_vm_rules),
		cmocka_unit_test(test_tdx_gpaw),
		cmocka_unit_test(test_tdx_vcpu_limit),
		cmocka_unit_test(test_tdx_vcpu_rules),
		cmocka_unit_test(test_tdx_mem_region_rules),
		cmocka_unit_test(test_tdx_interrupted_region),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
