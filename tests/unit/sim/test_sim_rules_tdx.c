// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's TDX rules (arch/x86/kvm/vmx/tdx.c, the TDX
 * module, and the x86.c rules a TD launch meets), one case per rule of
 * docs/coco.md's table, each violated once with the kernel's -errno.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sim_rules.h"

#define TD_ATTR		(1ULL << 28)	/* SEPT_VE_DISABLE */

static void tdx_backend(struct coco_kvm *c, struct hs *h, struct launch_plan *plan,
			struct err_msg *err, unsigned int vcpus)
{
	const struct kvm_cpuid2 *sup;

	assert_int_equal(kvm_get_supported_cpuid(&h->sys, &sup), 0);
	memset(plan, 0, sizeof(*plan));
	plan->type = COCO_TDX;
	plan->tdx_attr = TD_ATTR;
	memset(c, 0, sizeof(*c));
	c->plan = plan;
	c->vm = &h->vm;
	c->sev_fd = c->gmem_fd = -1;
	c->cpuid = sup;
	c->err = err;
	c->nr_vcpus = vcpus;
}

void test_tdx_caps_rules(void **state)
{
	struct sim_config intel = sim_intel(0);
	_Alignas(8) uint8_t caps[sizeof(struct cvmm_kvm_tdx_capabilities) + sizeof(struct kvm_cpuid2) +
		     64 * sizeof(struct kvm_cpuid_entry2)];
	struct kvm_cpuid2 *cc = (void *)(caps + sizeof(struct cvmm_kvm_tdx_capabilities));
	struct cvmm_kvm_tdx_cmd cmd;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	/* [T1] capabilities: -E2BIG until the buffer holds every leaf; no flags */
	memset(caps, 0, sizeof(caps));
	cc->nent = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 0, caps, NULL), -E2BIG);
	cc->nent = 64;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 1, caps, NULL), -EINVAL);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 0, caps, NULL), 0);
	assert_int_equal(cc->nent, 5);
	/* like KVM: indexed leaves come without SIGNIFICANT_INDEX */
	assert_int_equal(cc->entries[2].function, 7);
	assert_int_equal(cc->entries[2].index, 1);
	assert_int_equal(cc->entries[2].flags, 0);
	/* [T1] hw_error must be 0 on input */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = CVMM_KVM_TDX_CAPABILITIES;
	cmd.data = (uint64_t)(uintptr_t)caps;
	cmd.hw_error = 1;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -EINVAL);
	/* [T7] no vCPU before INIT_VM */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EIO);
	/* [T17] FINALIZE before INIT_VM */
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), -EINVAL);
	assert_int_equal(hs_tdx_init(&h), 0);
	/* [T2] twice */
	assert_int_equal(hs_tdx_init(&h), -EINVAL);
	hs_close(&h);
}

/*
 * [K3] [K2] [K4] The order a TD launch needs: the APIC bus cycle only once
 * the split irqchip exists, the split irqchip only before any vCPU, and no
 * in-kernel IOAPIC at all (since 6.18: at KVM_CREATE_IRQCHIP; before: at
 * KVM_CREATE_VCPU) [T7].
 */
void test_tdx_irqchip_order(void **state)
{
	struct sim_config intel = sim_intel(0), old = sim_intel(SIM_KERNEL_6_16);
	struct err_msg err = { "" };
	struct launch_plan plan;
	struct coco_kvm c;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	tdx_backend(&c, &h, &plan, &err, 1);
	assert_int_equal(coco_tdx_ops.vm_init(&c), 0);
	/* issue 20: cvmm's old order, APIC bus cycle first, fails with -ENXIO [K3] */
	assert_int_equal(coco_tdx_ops.vm_ready(&c), -ENXIO);
	assert_string_equal(err.msg, "KVM_CAP_X86_APIC_BUS_CYCLES_NS: No such device or address");
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), -ENXIO);
	/* [K4] a TD cannot have an in-kernel IOAPIC (6.18+) */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -ENOTTY);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), 0);
	assert_int_equal(coco_tdx_ops.vm_ready(&c), 0);
	coco_kvm_release(&c);
	/* [K2] once */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), -EEXIST);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	/* [K3] [K5] VM-wide settings are frozen once a vCPU exists */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_SET_TSC_KHZ, (void *)2000000), -EINVAL);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/* 6.16: KVM_CREATE_IRQCHIP works, the TD's vCPU is refused instead [K4] [T7] */
	hs_open(&h, &old);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), 0);
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -EEXIST);
	tdx_backend(&c, &h, &plan, &err, 1);
	assert_int_equal(coco_tdx_ops.vm_init(&c), 0);
	assert_int_equal(coco_tdx_ops.vm_ready(&c), 0);
	coco_kvm_release(&c);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EINVAL);
	hs_close(&h);
}

void test_tdx_init_vm_rules(void **state)
{
	struct sim_config intel = sim_intel(0), busy = { .platform = COCO_TDX, .eagain = 1 };
	_Alignas(8) uint8_t buf[sizeof(struct cvmm_kvm_tdx_init_vm) + sizeof(struct kvm_cpuid2) +
		    4 * sizeof(struct kvm_cpuid_entry2)];
	struct cvmm_kvm_tdx_init_vm *init = (void *)buf;
	struct kvm_cpuid2 *c = (void *)(buf + sizeof(*init));
	uint64_t hw;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	memset(buf, 0, sizeof(buf));
	c->nent = 1;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 48 << 16 };
	/* [T3] attributes and XFAM the module does not support */
	init->attributes = 1ULL << 30;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->attributes = TD_ATTR;
	init->xfam = 1ULL << 18;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->xfam = 0;
	/* [T2] reserved bytes, flags, too many CPUID entries */
	init->reserved[3] = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->reserved[3] = 0;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 1, buf, NULL), -EINVAL);
	c->nent = 257;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -E2BIG);
	c->nent = 1;
	/* [T4] GPAW (0x80000008 EAX[23:16]) must be 48 or 52 */
	c->entries[0].eax = 40 << 16;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	c->entries[0].eax = 48 << 16;
	/* [T5] a leaf the module does not let the VMM configure */
	c->nent = 2;
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0xd, .flags = 1, .eax = 7 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	/* [T5] a bit of a configurable leaf that is not configurable */
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0x7, .index = 1, .flags = 1,
						   .eax = 0x30 | 1 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, &hw), -EINVAL);
	assert_int_equal(hw, 0xC000010000000000ULL);
	/* [T5] TSX is never allowed */
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0x7, .flags = 1, .ebx = 1 << 11 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	c->nent = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), 0);
	hs_close(&h);

	/* [T6] TDH.MNG.CREATE without entropy: -EAGAIN, then it works */
	hs_open(&h, &busy);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EAGAIN);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), 0);
	hs_close(&h);
}

/* [T4] GPAW 52 needs 5-level EPT; cvmm takes the GPA width KVM reports */
void test_tdx_gpaw(void **state)
{
	struct sim_config five = sim_intel(0), four = sim_intel(0);
	_Alignas(8) uint8_t buf[sizeof(struct cvmm_kvm_tdx_init_vm) + sizeof(struct kvm_cpuid2) +
		    sizeof(struct kvm_cpuid_entry2)];
	struct cvmm_kvm_tdx_init_vm *init = (void *)buf;
	struct kvm_cpuid2 *c = (void *)(buf + sizeof(*init));
	const struct kvm_cpuid2 *sup;
	unsigned int i;
	struct hs h;

	four.tdx_ept_4level = true;
	/* KVM_GET_SUPPORTED_CPUID: 52 physical bits, mappable GPAs 52 or 48 */
	hs_open(&h, &five);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &sup), 0);
	for (i = 0; i < sup->nent; i++)
		if (sup->entries[i].function == 0x80000008)
			assert_int_equal(sup->entries[i].eax, 0x00343934);
	hs_close(&h);
	hs_open(&h, &four);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &sup), 0);
	for (i = 0; i < sup->nent; i++)
		if (sup->entries[i].function == 0x80000008)
			assert_int_equal(sup->entries[i].eax, 0x00303934);
	/* GPAW 52 on a CPU without 5-level EPT */
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	memset(buf, 0, sizeof(buf));
	init->attributes = TD_ATTR;
	c->nent = 1;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 52 << 16 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	/* the backend's filter picks 48 there, and the TD is made */
	assert_int_equal(hs_tdx_init(&h), 0);
	hs_close(&h);
}

/* [T8] [K14] [K13] a TD's vCPUs: one per present host CPU */
void test_tdx_vcpu_limit(void **state)
{
	struct sim_config small = sim_intel(0);
	struct err_msg err = { "" };
	struct launch_plan plan;
	struct kvm_vcpu v[3];
	struct coco_kvm c;
	struct hs h;

	small.host_cpus = 2;
	hs_open(&h, &small);
	/* /dev/kvm's KVM_CAP_MAX_VCPUS is not the TD's */
	assert_int_equal(kvm_check_extension(&h.sys, KVM_CAP_MAX_VCPUS), 64);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(kvm_vm_check_extension(&h.vm, KVM_CAP_MAX_VCPUS), 2);
	/* the backend says so before anything is built */
	tdx_backend(&c, &h, &plan, &err, 3);
	assert_int_equal(coco_tdx_ops.vm_init(&c), -EINVAL);
	assert_string_equal(err.msg, "a TD on this host can have at most 2 vCPUs (one per present "
			    "host CPU), not 3: use --cpu count=2 or fewer");
	coco_kvm_release(&c);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(hs_vcpu(&h, &v[0], 0), 0);
	assert_int_equal(hs_vcpu(&h, &v[1], 1), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 2, &v[2]), -EINVAL);
	kvm_vcpu_destroy(&v[0]);
	kvm_vcpu_destroy(&v[1]);
	hs_close(&h);
}

void test_tdx_vcpu_rules(void **state)
{
	struct sim_config intel = sim_intel(0);
	union {
		struct kvm_msrs hdr;
		uint8_t buf[sizeof(struct kvm_msrs) + 2 * sizeof(struct kvm_msr_entry)];
	} m;
	struct kvm_lapic_state lapic;
	struct kvm_regs regs;
	struct kvm_fpu fpu;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* [T10] the TDX module owns LAPIC, FPU and registers */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_LAPIC, &lapic), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_LAPIC, &lapic), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &fpu), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), -EINVAL);
	/* [T11] only the MSRs KVM emulates for a TD: KVM_SET_MSRS stops at EFER */
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.hdr.entries[0].index = 0x1a0;		/* MISC_ENABLE */
	m.hdr.entries[1].index = 0xc0000080;	/* EFER */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_MSRS, &m), 1);
	/* [T9] INIT_VCPU needs x2APIC in the CPUID (KVM_SET_CPUID2 first) */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_VCPU, 0, (void *)0x800000), -EINVAL);
	kvm_vcpu_destroy(&v);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	/* [T9] once, without flags */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_VCPU, 0, NULL), -EINVAL);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_VCPU, 1, NULL), -EINVAL);
	/* [T18] not before FINALIZE */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

void test_tdx_mem_region_rules(void **state)
{
	struct sim_config intel = sim_intel(0);
	struct cvmm_kvm_tdx_init_mem_region r;
	struct kvm_vcpu v, w;
	struct sim_launch rec;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* [T12] INIT_MEM_REGION needs INIT_VCPU */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	kvm_vcpu_destroy(&v);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	/* [T13] not private yet; not in a guest_memfd memslot */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.gpa = HS_RAM_SIZE;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.gpa = GPA;
	make_private(&h, GPA, 0x4000);
	/* [T12] alignment, emptiness, the shared bit, flags */
	r.source_addr += 8;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.source_addr -= 8;
	r.nr_pages = 0;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.nr_pages = 1;
	r.gpa = GPA | (1ULL << 51);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.gpa = GPA;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 2, &r), -EINVAL);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION,
				     KVM_TDX_MEASURE_MEMORY_REGION, &r), 0);
	assert_int_equal(r.nr_pages, 0);
	assert_int_equal(r.gpa, GPA + 0x1000);
	/* [T14] a page is populated once: kvm_gmem_populate() says -EEXIST */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EEXIST);
	/* [T18] not before FINALIZE */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), 0);
	/* [T17] once */
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), -EINVAL);
	/* [T16] the initial memory is fixed once finalized */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA + 0x2000, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	/* [T7] and no vCPU joins a finalized TD */
	assert_int_equal(kvm_vcpu_create(&h.vm, 1, &w), -EIO);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.len, 48);
	assert_int_equal(rec.tdx_attr, TD_ATTR);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

void test_tdx_interrupted_region(void **state)
{
	struct sim_config cfg = { .platform = COCO_TDX, .tdx_interrupt_pages = 2 };
	struct cvmm_kvm_tdx_init_mem_region r;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &cfg);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	make_private(&h, GPA, 0x5000);
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA, 5 };
	/* [T15] -EINTR with the region advanced past what was done */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINTR);
	assert_int_equal(r.nr_pages, 3);
	assert_int_equal(r.gpa, GPA + 0x2000);
	assert_int_equal(r.source_addr, (uint64_t)(uintptr_t)h.ram + 0x2000);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}
