// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated /dev/kvm: the kernel profile in force, capabilities (of
 * /dev/kvm and of a VM), the supported CPUID, KVM_CREATE_VM and the
 * KVM_X86_GRP_SEV device attributes.  [Kn]/[Nn]/[Tn] tags refer to the
 * rule table in docs/coco.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "util/compiler.h"

/* ------------------------------------------------------------------ */
/* kernel profiles */

unsigned int sim_kernel(const struct sim *s)
{
	return s->cfg.kernel ? s->cfg.kernel : SIM_KERNEL_NEWEST;
}

int sim_kernel_parse(const char *str, unsigned int *kernel)
{
	static const struct {
		const char *name;
		unsigned int version;
	} k[] = {
		{ "6.16", SIM_KERNEL_6_16 }, { "6.17", SIM_KERNEL_6_17 }, { "7.0", SIM_KERNEL_7_0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		if (!strcmp(str, k[i].name)) {
			*kernel = k[i].version;
			return 0;
		}
	}
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* /dev/kvm */

static uint64_t vm_types(const struct sim *s)
{
	if (s->cfg.vm_types)
		return s->cfg.vm_types;
	if (s->cfg.platform == COCO_TDX)
		return 1u << KVM_X86_DEFAULT_VM | 1u << KVM_X86_SW_PROTECTED_VM |
		       1u << KVM_X86_TDX_VM;
	return 1u << KVM_X86_DEFAULT_VM | 1u << KVM_X86_SW_PROTECTED_VM |
	       1u << KVM_X86_SEV_VM | 1u << KVM_X86_SEV_ES_VM | 1u << KVM_X86_SNP_VM;
}

int sim_check_extension(struct sim *s, const struct sim_vm *vm, long cap)
{
	switch (cap) {
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_TSC_DEADLINE_TIMER:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:
	case KVM_CAP_VM_TSC_CONTROL:
	case KVM_CAP_IRQ_ROUTING:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_MEMORY_FAULT_INFO:
	case KVM_CAP_SET_TSS_ADDR:
		return 1;
	case KVM_CAP_MAX_VCPUS:		/* per VM: kvm->max_vcpus [K14] */
		return vm ? (int)vm->max_vcpus : SIM_MAX_VCPUS;
	case KVM_CAP_NR_VCPUS:
		return SIM_MAX_VCPUS;
	case KVM_CAP_VM_TYPES:
		return s->cfg.no_vm_types ? 0 : (int)vm_types(s);
	case KVM_CAP_GUEST_MEMFD:
		return !vm || vm->has_private_mem;
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return vm && vm->has_private_mem ? (int)KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	case KVM_CAP_EXIT_HYPERCALL:
		return 1 << KVM_HC_MAP_GPA_RANGE;
	case KVM_CAP_X2APIC_API:
		return 3;
	case KVM_CAP_READONLY_MEM:
		return !vm || !vm->has_protected_state;
	}
	return 0;
}

static int dev_get_supported_cpuid(struct sim *s, struct kvm_cpuid2 *c)
{
	if (c->nent < s->supported->nent) {
		c->nent = s->supported->nent;
		return -E2BIG;
	}
	c->nent = s->supported->nent;
	memcpy(c->entries, s->supported->entries, c->nent * sizeof(c->entries[0]));
	return 0;
}

static int dev_create_vm(struct sim *s, unsigned long type)
{
	struct sim_vm *vm;
	int fd;

	/* kvm_arch_init_vm(): kvm_is_vm_type_supported() [K1] */
	if (type > KVM_X86_TDX_VM || !(vm_types(s) & (1ULL << type)) ||
	    (s->cfg.no_vm_types && type != KVM_X86_DEFAULT_VM))
		return sim_fail(s, -EINVAL, "KVM_CREATE_VM: VM type %lu is not offered", type);
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->sim = s;
	vm->refs = 1;
	vm->type = type;
	vm->has_private_mem = type == KVM_X86_SW_PROTECTED_VM || type == KVM_X86_SNP_VM ||
			      type == KVM_X86_TDX_VM;
	vm->has_protected_state = type == KVM_X86_SEV_ES_VM || type == KVM_X86_SNP_VM ||
				  type == KVM_X86_TDX_VM;
	vm->sev_need_init = type == KVM_X86_SEV_VM || type == KVM_X86_SEV_ES_VM ||
			    type == KVM_X86_SNP_VM;
	vm->stage = COCO_STAGE_VM;
	vm->tsc_khz = SIM_TSC_KHZ;
	vm->apic_bus_ns = 1;
	vm->max_vcpus = SIM_MAX_VCPUS;
	if (type == KVM_X86_TDX_VM)	/* tdx_vm_init(): one per present host CPU [T8] */
		vm->max_vcpus = MIN(vm->max_vcpus, s->cfg.host_cpus ? s->cfg.host_cpus : 8);
	fd = sim_obj_new(s, SIM_VM, vm, "cvmm-sim-vm");
	if (fd < 0) {
		free(vm);
		return fd;
	}
	vm->fd = fd;
	vm->rec.type = type == KVM_X86_TDX_VM ? COCO_TDX : COCO_NONE;
	return fd;
}

/* sev_dev_get_attr() through kvm_x86_dev_get_attr() */
static int dev_get_device_attr(struct sim *s, struct kvm_device_attr *a)
{
	bool new_kernel = sim_kernel(s) >= 618;
	uint64_t v;

	if (s->cfg.platform == COCO_TDX || a->group != KVM_X86_GRP_SEV)
		return -ENXIO;
	switch (a->attr) {
	case KVM_X86_SEV_VMSA_FEATURES:		/* what INIT2 takes [S18] */
		v = sim_vmsa_features(s);
		break;
	case KVM_X86_SNP_POLICY_BITS:		/* 6.18+ [N5] */
		if (!new_kernel)
			return -ENXIO;
		v = s->cfg.snp_policy_bits ? s->cfg.snp_policy_bits : SIM_SNP_POLICY_BITS;
		break;
	case KVM_X86_SEV_SNP_REQ_CERTS:		/* 7.0 [N15] */
		if (sim_kernel(s) < SIM_KERNEL_7_0)
			return -ENXIO;
		v = 1;
		break;
	default:
		return -ENXIO;
	}
	memcpy((void *)(uintptr_t)a->addr, &v, sizeof(v));
	return 0;
}

int sim_dev_ioctl(struct sim *s, unsigned long req, void *arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		return KVM_API_VERSION;
	case KVM_GET_VCPU_MMAP_SIZE:
		return SIM_RUN_SIZE;
	case KVM_CHECK_EXTENSION:
		return sim_check_extension(s, NULL, (long)(uintptr_t)arg);
	case KVM_GET_SUPPORTED_CPUID:
		return dev_get_supported_cpuid(s, arg);
	case KVM_CREATE_VM:
		return dev_create_vm(s, (unsigned long)(uintptr_t)arg);
	case KVM_GET_DEVICE_ATTR:
		return dev_get_device_attr(s, arg);
	}
	return -ENOTTY;
}

uint64_t sim_vmsa_features(const struct sim *s)
{
	if (s->cfg.vmsa_features == SIM_NO_VMSA_FEATURES)
		return 0;
	return s->cfg.vmsa_features ? s->cfg.vmsa_features : SIM_VMSA_FEATURES;
}
