// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX launch on KVM (Documentation/virt/kvm/x86/intel-tdx.rst), in QEMU's
 * order: right after KVM_CREATE_VM the vCPU limit, KVM_TDX_CAPABILITIES
 * (grown on -E2BIG) and KVM_CAP_EXIT_HYPERCALL for TDG.VP.VMCALL<MapGPA>;
 * once the split irqchip exists and before any vCPU, the APIC bus cycle
 * (-ENXIO without an in-kernel irqchip), the TSC frequency and
 * KVM_TDX_INIT_VM with the CPUID filtered by (leaf, subleaf) (retried on
 * -EAGAIN); KVM_TDX_INIT_VCPU with the TD HOB address on each vCPU;
 * KVM_TDX_INIT_MEM_REGION per plan operation on vCPU 0, measured iff the
 * TDVF section says MR.EXTEND; KVM_TDX_FINALIZE_VM.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coco/kvm/kvm_coco.h"
#include "util/compiler.h"

#define PAGE_SIZE		4096ULL
#define TDX_CAPS_MAX_ENTRIES	4096
#define TDX_INIT_VM_RETRIES	10000
#define TDX_MEM_RETRIES		10000
#define TDX_APIC_BUS_CYCLES_NS	40		/* 25 MHz, the TDX module's */
#define TDX_TSC_UNIT_KHZ	25000		/* the module counts in 25 MHz */
#define TDX_TSC_MIN_KHZ		100000
#define TDX_TSC_MAX_KHZ		10000000

#define CPUID_SIG		KVM_CPUID_FLAG_SIGNIFCANT_INDEX

static int tdx_fail(struct coco_kvm *c, const char *what, int ret)
{
	if (c->hw_error)
		err_set(c->err, "%s: %s (TDX status 0x%" PRIx64 ")", what, strerror(-ret),
			(uint64_t)c->hw_error);
	else
		err_set(c->err, "%s: %s", what, strerror(-ret));
	return ret;
}

static const struct kvm_cpuid_entry2 *caps_find(const struct kvm_cpuid2 *caps,
						uint32_t function, uint32_t index)
{
	uint32_t i;

	/* caps entries are indexed whatever their flags say (see kvm_coco.h) */
	for (i = 0; i < caps->nent; i++)
		if (caps->entries[i].function == function && caps->entries[i].index == index)
			return &caps->entries[i];
	return NULL;
}

void coco_tdx_filter_cpuid(const struct kvm_cpuid2 *board, const struct kvm_cpuid2 *caps,
			   struct kvm_cpuid2 *out)
{
	uint32_t i, n = 0;

	for (i = 0; i < board->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &board->entries[i];
		bool indexed = e->flags & CPUID_SIG;
		const struct kvm_cpuid_entry2 *conf;
		struct kvm_cpuid_entry2 *d;

		conf = caps_find(caps, e->function, indexed ? e->index : 0);
		if (!conf)
			continue;
		d = &out->entries[n++];
		memset(d, 0, sizeof(*d));
		d->function = e->function;
		d->index = indexed ? e->index : 0;
		d->flags = indexed ? CPUID_SIG : 0;
		d->eax = e->eax & conf->eax;
		d->ebx = e->ebx & conf->ebx;
		d->ecx = e->ecx & conf->ecx;
		d->edx = e->edx & conf->edx;
		if (e->function == 0x80000008) {
			/*
			 * GPAW: 52 when KVM can map 52-bit GPAs (EAX[23:16] of
			 * KVM_GET_SUPPORTED_CPUID, 48 at most without 5-level
			 * EPT, which KVM_TDX_INIT_VM needs for 52), else 48
			 */
			uint32_t gpaw = ((e->eax >> 16) & 0xff) >= 52 ? 52 : 48;

			d->eax = (d->eax & ~0x00ff0000u) | gpaw << 16;
		}
	}
	out->nent = n;
	out->padding = 0;
}

static const struct kvm_cpuid_entry2 *board_find(const struct kvm_cpuid2 *cpuid,
						 uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function == function &&
		    (!(e->flags & CPUID_SIG) || e->index == index))
			return e;
	}
	return NULL;
}

/* XFAM: the XCR0 and XSS features the vCPU model enumerates, as far as the module allows. */
static uint64_t tdx_xfam(const struct kvm_cpuid2 *cpuid, uint64_t supported)
{
	const struct kvm_cpuid_entry2 *d0 = board_find(cpuid, 0xd, 0);
	const struct kvm_cpuid_entry2 *d1 = board_find(cpuid, 0xd, 1);
	uint64_t xfam = 0x3;	/* x87, SSE */

	if (d0)
		xfam |= (uint64_t)d0->eax | (uint64_t)d0->edx << 32;
	if (d1)
		xfam |= (uint64_t)d1->ecx | (uint64_t)d1->edx << 32;
	return xfam & supported;
}

static int tdx_get_caps(struct coco_kvm *c)
{
	size_t hdr = sizeof(struct cvmm_kvm_tdx_capabilities);
	uint32_t nent = 16;
	uint8_t *buf;
	int ret;

	for (;;) {
		struct kvm_cpuid2 *cpuid;

		buf = calloc(1, hdr + sizeof(struct kvm_cpuid2) +
			     nent * sizeof(struct kvm_cpuid_entry2));
		if (!buf)
			return -ENOMEM;
		cpuid = (struct kvm_cpuid2 *)(buf + hdr);
		cpuid->nent = nent;
		ret = coco_tdx_cmd(c, c->vm->sys, c->vm->fd, CVMM_KVM_TDX_CAPABILITIES, 0, buf);
		if (ret == -E2BIG && nent < TDX_CAPS_MAX_ENTRIES) {
			free(buf);
			nent *= 2;
			continue;
		}
		break;
	}
	if (ret == -ENOTTY) {
		free(buf);
		err_set(c->err, "KVM has no TDX (KVM_MEMORY_ENCRYPT_OP is not supported): "
			"this host has no TDX");
		return -ENODEV;
	}
	if (ret) {
		free(buf);
		return tdx_fail(c, "KVM_TDX_CAPABILITIES", ret);
	}
	memcpy(&c->tdx_caps, buf, hdr);
	{
		const struct kvm_cpuid2 *got = (const struct kvm_cpuid2 *)(buf + hdr);
		uint32_t n = MIN(got->nent, nent);

		free(c->tdx_caps_cpuid);
		c->tdx_caps_cpuid = kvm_cpuid2_alloc(n);
		if (!c->tdx_caps_cpuid) {
			free(buf);
			return -ENOMEM;
		}
		memcpy(c->tdx_caps_cpuid->entries, got->entries, n * sizeof(got->entries[0]));
	}
	free(buf);
	return 0;
}

static int tdx_set_tsc(struct coco_kvm *c)
{
	long khz = c->tsc_khz;
	int ret;

	if (!khz) {
		if (kvm_vm_check_extension(c->vm, KVM_CAP_VM_TSC_CONTROL) <= 0)
			return 0;	/* the host's frequency, as KVM defaults */
		khz = kvm_vm_ioctl(c->vm, KVM_GET_TSC_KHZ, NULL);
		if (khz <= 0)
			return 0;
	}
	/* the module takes whole 25 MHz units */
	khz = (khz + TDX_TSC_UNIT_KHZ / 2) / TDX_TSC_UNIT_KHZ * TDX_TSC_UNIT_KHZ;
	if (khz < TDX_TSC_MIN_KHZ || khz > TDX_TSC_MAX_KHZ) {
		err_set(c->err, "TSC frequency %ld kHz is outside what TDX accepts "
			"(100 MHz to 10 GHz)", khz);
		return -EINVAL;
	}
	ret = kvm_vm_ioctl(c->vm, KVM_SET_TSC_KHZ, (void *)(uintptr_t)khz);
	if (ret < 0)
		return tdx_fail(c, "KVM_SET_TSC_KHZ", ret);
	c->tsc_khz = (uint32_t)khz;
	return 0;
}

/*
 * A TD gets at most one vCPU per present host CPU (tdx_vm_init() lowers
 * the VM's KVM_CAP_MAX_VCPUS to num_present_cpus()): say so before
 * anything else is built.
 */
static int tdx_check_vcpus(struct coco_kvm *c)
{
	int max = kvm_vm_check_extension(c->vm, KVM_CAP_MAX_VCPUS);

	if (max > 0 && c->nr_vcpus > (unsigned int)max) {
		err_set(c->err, "a TD on this host can have at most %d vCPUs (one per "
			"present host CPU), not %u: use --cpu count=%d or fewer", max,
			c->nr_vcpus, max);
		return -EINVAL;
	}
	return 0;
}

static int tdx_vm_init(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	int ret;

	if (!c->cpuid) {
		err_set(c->err, "no CPUID table for KVM_TDX_INIT_VM");
		return -EINVAL;
	}
	ret = tdx_check_vcpus(c);
	if (ret)
		return ret;
	ret = tdx_get_caps(c);
	if (ret)
		return ret;
	if (p->tdx_attr & ~c->tdx_caps.supported_attrs) {
		err_set(c->err, "TD attributes 0x%" PRIx64 " are not supported by this "
			"KVM and TDX module (supported 0x%" PRIx64 ")", p->tdx_attr,
			(uint64_t)c->tdx_caps.supported_attrs);
		return -EINVAL;
	}
	c->tdx_xfam = tdx_xfam(c->cpuid, c->tdx_caps.supported_xfam);
	if (kvm_vm_check_extension(c->vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS) <= 0) {
		err_set(c->err, "KVM lacks KVM_CAP_X86_APIC_BUS_CYCLES_NS, which TDX needs");
		return -ENODEV;
	}
	return coco_kvm_enable_map_gpa(c);
}

static int tdx_init_vm(struct coco_kvm *c)
{
	size_t hdr = sizeof(struct cvmm_kvm_tdx_init_vm);
	struct cvmm_kvm_tdx_init_vm *init;
	struct kvm_cpuid2 *cpuid;
	unsigned int tries = 0;
	uint8_t *buf;
	int ret;

	buf = calloc(1, hdr + sizeof(struct kvm_cpuid2) +
		     c->cpuid->nent * sizeof(struct kvm_cpuid_entry2));
	if (!buf)
		return -ENOMEM;
	init = (struct cvmm_kvm_tdx_init_vm *)buf;
	cpuid = (struct kvm_cpuid2 *)(buf + hdr);
	init->attributes = c->plan->tdx_attr;
	init->xfam = c->tdx_xfam;
	coco_tdx_filter_cpuid(c->cpuid, c->tdx_caps_cpuid, cpuid);
	do {
		/* -EAGAIN: the module ran out of entropy (TDX_RND_NO_ENTROPY) */
		ret = coco_tdx_cmd(c, c->vm->sys, c->vm->fd, CVMM_KVM_TDX_INIT_VM, 0, buf);
	} while (ret == -EAGAIN && ++tries < TDX_INIT_VM_RETRIES);
	free(buf);
	if (ret)
		return tdx_fail(c, "KVM_TDX_INIT_VM", ret);
	return 0;
}

static int tdx_vm_ready(struct coco_kvm *c)
{
	int ret;

	c->hw_error = 0;	/* no stale TDX status in the messages below */
	/* kvm_vm_ioctl_enable_cap(): -ENXIO until the (split) irqchip exists */
	ret = kvm_vm_enable_cap(c->vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, TDX_APIC_BUS_CYCLES_NS);
	if (ret < 0)
		return tdx_fail(c, "KVM_CAP_X86_APIC_BUS_CYCLES_NS", ret);
	ret = tdx_set_tsc(c);
	if (ret)
		return ret;
	return tdx_init_vm(c);
}

static int tdx_vcpu_created(struct coco_kvm *c, struct kvm_vcpu *v)
{
	/* data = the vCPU's initial RCX: where TDVF finds its HOB list */
	int ret = coco_tdx_cmd(c, v->vm->sys, v->fd, CVMM_KVM_TDX_INIT_VCPU, 0,
			       (void *)(uintptr_t)c->plan->tdx_hob_gpa);

	if (ret)
		return tdx_fail(c, "KVM_TDX_INIT_VCPU", ret);
	return 0;
}

static int tdx_add_region(struct coco_kvm *c, const struct plan_op *o, uint8_t *hva)
{
	struct cvmm_kvm_tdx_init_mem_region r = {
		.source_addr = (uint64_t)(uintptr_t)hva,
		.gpa = o->gpa,
		.nr_pages = o->len / PAGE_SIZE,
	};
	struct kvm_vcpu *v = c->vcpus[0];
	unsigned int tries = 0;
	char what[96];
	int ret;

	snprintf(what, sizeof(what), "KVM_TDX_INIT_MEM_REGION of %s at 0x%" PRIx64,
		 o->what, o->gpa);
	while (r.nr_pages) {
		/* KVM advances the region as it goes; retry what is left */
		ret = coco_tdx_cmd(c, v->vm->sys, v->fd, CVMM_KVM_TDX_INIT_MEM_REGION,
				   o->tdx_measure ? KVM_TDX_MEASURE_MEMORY_REGION : 0, &r);
		if (!ret)
			continue;
		if ((ret == -EAGAIN || ret == -EINTR || ret == -EBUSY) &&
		    ++tries < TDX_MEM_RETRIES)
			continue;
		return tdx_fail(c, what, ret);
	}
	return 0;
}

static int tdx_launch(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	unsigned int i, tries = 0;
	int ret;

	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];
		uint8_t *hva;

		if (o->tdx_aug)
			continue;	/* accepted by the guest later (TDH.MEM.PAGE.AUG) */
		hva = guest_mem_ptr(c->mem, o->gpa, o->len);
		if (!hva || !IS_ALIGNED(o->gpa | o->len, PAGE_SIZE)) {
			err_set(c->err, "%s at 0x%" PRIx64 " (0x%" PRIx64 " bytes) is not "
				"page-aligned guest RAM", o->what, o->gpa, o->len);
			return -EINVAL;
		}
		if (o->src == PLAN_SRC_DATA) {
			if (hva != o->data)
				memcpy(hva, o->data, o->len);
		} else {
			memset(hva, 0, o->len);
		}
		ret = kvm_vm_set_memory_attributes(c->vm, o->gpa, o->len,
						   KVM_MEMORY_ATTRIBUTE_PRIVATE);
		if (ret < 0) {
			err_set(c->err, "KVM_SET_MEMORY_ATTRIBUTES(private) of %s at 0x%"
				PRIx64 ": %s", o->what, o->gpa, strerror(-ret));
			return ret;
		}
		ret = tdx_add_region(c, o, hva);
		if (ret)
			return ret;
	}
	do {
		ret = coco_tdx_cmd(c, c->vm->sys, c->vm->fd, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL);
	} while ((ret == -EBUSY || ret == -EAGAIN) && ++tries < TDX_MEM_RETRIES);
	if (ret)
		return tdx_fail(c, "KVM_TDX_FINALIZE_VM", ret);
	return 0;
}

const struct coco_platform_ops coco_tdx_ops = {
	.name = "TDX",
	.vm_type = KVM_X86_TDX_VM,
	.vm_type_name = "TDX",
	.private_mem = true,
	.split_irqchip = true,
	.sets_regs = true,
	.vcpu_state_protected = true,
	.vm_init = tdx_vm_init,
	.vm_ready = tdx_vm_ready,
	.memory_added = coco_kvm_set_private,
	.vcpu_created = tdx_vcpu_created,
	.launch = tdx_launch,
};
