// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's VM ioctls (kvm_vm_ioctl(), kvm_arch_vm_ioctl(),
 * kvm_vm_ioctl_enable_cap()), one handler each behind a table: the
 * capabilities, the irqchip, MSIs and GSI routes, the TSC; memory
 * (sim_mem.c), the PSP (sim_sev.c), the TDX module (sim_tdx.c) and vCPU
 * creation (sim_vcpu.c) are reached from here.  [Kn] tags refer to the
 * rule table in docs/coco.md.
 */
#include <errno.h>
#include <stdint.h>

#include "sim/sim_internal.h"
#include "util/compiler.h"

#define MAX_RESERVED_IOAPIC_PINS	48

static int vm_enable_cap(struct sim_vm *vm, const struct kvm_enable_cap *c)
{
	struct sim *s = vm->sim;

	if (c->flags)
		return -EINVAL;
	switch (c->cap) {
	case KVM_CAP_SPLIT_IRQCHIP:	/* kvm_vm_ioctl_enable_cap() [K2] */
		if (c->args[0] > MAX_RESERVED_IOAPIC_PINS)
			return sim_fail(s, -EINVAL, "KVM_CAP_SPLIT_IRQCHIP: %llu pins",
					(unsigned long long)c->args[0]);
		if (vm->irqchip != IRQCHIP_NONE)
			return sim_fail(s, -EEXIST, "KVM_CAP_SPLIT_IRQCHIP: an irqchip exists");
		if (vm->nr_vcpus)	/* still -EEXIST: r is not reset */
			return sim_fail(s, -EEXIST, "KVM_CAP_SPLIT_IRQCHIP after KVM_CREATE_VCPU");
		if (sim_order(vm, COCO_STEP_IRQCHIP))
			return -EINVAL;
		vm->irqchip = IRQCHIP_SPLIT;
		return 0;
	case KVM_CAP_EXIT_HYPERCALL:	/* [K6] */
		if (c->args[0] & ~(1ULL << KVM_HC_MAP_GPA_RANGE))
			return sim_fail(s, -EINVAL, "KVM_CAP_EXIT_HYPERCALL 0x%llx",
					(unsigned long long)c->args[0]);
		vm->exit_hypercall = c->args[0];
		return 0;
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:	/* kvm_vm_ioctl_enable_cap() [K3] */
		if (!c->args[0] || c->args[0] > UINT64_MAX / (128ULL * UINT32_MAX))
			return sim_fail(s, -EINVAL, "KVM_CAP_X86_APIC_BUS_CYCLES_NS %llu",
					(unsigned long long)c->args[0]);
		if (vm->irqchip == IRQCHIP_NONE)
			return sim_fail(s, -ENXIO, "KVM_CAP_X86_APIC_BUS_CYCLES_NS before an "
					"in-kernel irqchip (KVM_CAP_SPLIT_IRQCHIP first)");
		if (vm->nr_vcpus)
			return sim_fail(s, -EINVAL, "KVM_CAP_X86_APIC_BUS_CYCLES_NS after "
					"KVM_CREATE_VCPU");
		vm->apic_bus_ns = c->args[0];
		return 0;
	case KVM_CAP_X2APIC_API:
		return c->args[0] & ~3ULL ? -EINVAL : 0;
	}
	return sim_fail(s, -EINVAL, "KVM_ENABLE_CAP %u is not simulated", c->cap);
}

static int vm_signal_msi(struct sim_vm *vm, const struct kvm_msi *m)
{
	struct sim *s = vm->sim;

	if (vm->irqchip == IRQCHIP_NONE || (m->flags & ~KVM_MSI_VALID_DEVID))
		return sim_fail(s, -EINVAL, "KVM_SIGNAL_MSI without an in-kernel LAPIC");
	if (s->nr_msis < SIM_MAX_MSIS) {
		s->msi_addr[s->nr_msis] = (uint64_t)m->address_hi << 32 | m->address_lo;
		s->msi_data[s->nr_msis] = m->data;
	}
	s->nr_msis++;
	return 1;
}

static int vm_set_gsi_routing(struct sim_vm *vm, const struct kvm_irq_routing *r)
{
	uint32_t i;

	if (r->nr > 4096 || r->flags)
		return -EINVAL;
	for (i = 0; i < r->nr; i++)
		if (r->entries[i].type == KVM_IRQ_ROUTING_IRQCHIP &&
		    vm->irqchip != IRQCHIP_FULL)
			return sim_fail(vm->sim, -EINVAL, "KVM_SET_GSI_ROUTING: irqchip route "
					"without the in-kernel PIC/IOAPIC");
	return 0;
}

static int vm_check_extension(struct sim_vm *vm, unsigned long req, void *arg)
{
	return sim_check_extension(vm->sim, vm, (long)(uintptr_t)arg);
}

static int vm_enable_cap_ioctl(struct sim_vm *vm, unsigned long req, void *arg)
{
	return vm_enable_cap(vm, arg);
}

static int vm_ok(struct sim_vm *vm, unsigned long req, void *arg)
{
	return 0;	/* KVM_SET_TSS_ADDR, KVM_SET_CLOCK, KVM_IRQFD, KVM_IOEVENTFD */
}

static int vm_identity_map(struct sim_vm *vm, unsigned long req, void *arg)
{
	return vm->nr_vcpus ? -EINVAL : 0;
}

static int vm_create_irqchip(struct sim_vm *vm, unsigned long req, void *arg)
{
	struct sim *s = vm->sim;

	/* kvm_arch_vm_ioctl() [K4] */
	if (vm->irqchip != IRQCHIP_NONE)
		return sim_fail(s, -EEXIST, "KVM_CREATE_IRQCHIP: an irqchip exists");
	if (vm->type == KVM_X86_TDX_VM && sim_kernel(s) >= 618)	/* has_protected_eoi */
		return sim_fail(s, -ENOTTY, "KVM_CREATE_IRQCHIP: a TD cannot have an "
				"in-kernel IOAPIC (KVM_CAP_SPLIT_IRQCHIP)");
	if (vm->nr_vcpus)
		return sim_fail(s, -EINVAL, "KVM_CREATE_IRQCHIP after KVM_CREATE_VCPU");
	if (sim_order(vm, COCO_STEP_IRQCHIP))
		return -EINVAL;
	vm->irqchip = IRQCHIP_FULL;
	return 0;
}

static int vm_create_pit2(struct sim_vm *vm, unsigned long req, void *arg)
{
	if (vm->pit)
		return -EEXIST;
	vm->pit = true;
	return 0;
}

static int vm_irq_line(struct sim_vm *vm, unsigned long req, void *arg)
{
	return vm->irqchip == IRQCHIP_NONE ? -ENXIO : 0;
}

static int vm_signal_msi_ioctl(struct sim_vm *vm, unsigned long req, void *arg)
{
	return vm_signal_msi(vm, arg);
}

static int vm_set_gsi_routing_ioctl(struct sim_vm *vm, unsigned long req, void *arg)
{
	return vm_set_gsi_routing(vm, arg);
}

static int vm_memslot(struct sim_vm *vm, unsigned long req, void *arg)
{
	const struct kvm_userspace_memory_region *r = arg;

	return sim_vm_set_memslot(vm, r->slot, r->flags, r->guest_phys_addr, r->memory_size,
				  r->userspace_addr, false, 0, 0);
}

static int vm_memslot2(struct sim_vm *vm, unsigned long req, void *arg)
{
	const struct kvm_userspace_memory_region2 *r = arg;

	return sim_vm_set_memslot(vm, r->slot, r->flags, r->guest_phys_addr, r->memory_size,
				  r->userspace_addr, true, r->guest_memfd, r->guest_memfd_offset);
}

static int vm_set_attributes(struct sim_vm *vm, unsigned long req, void *arg)
{
	return sim_vm_set_attributes(vm, arg);
}

static int vm_create_gmem(struct sim_vm *vm, unsigned long req, void *arg)
{
	return sim_vm_create_gmem(vm, arg);
}

static int vm_encrypt_op(struct sim_vm *vm, unsigned long req, void *arg)
{
	if (vm->type == KVM_X86_TDX_VM)
		return sim_tdx_vm_ioctl(vm, arg);
	if (vm->sim->cfg.platform == COCO_TDX)
		return -ENOTTY;
	return sim_sev_ioctl(vm, arg);
}

static int vm_enc_region(struct sim_vm *vm, unsigned long req, void *arg)
{
	if (vm->sim->cfg.platform == COCO_TDX)
		return -ENOTTY;
	return sim_sev_reg_region(vm, req == KVM_MEMORY_ENCRYPT_REG_REGION);
}

static int vm_set_tsc_khz(struct sim_vm *vm, unsigned long req, void *arg)
{
	if (vm->nr_vcpus)	/* [K5] */
		return sim_fail(vm->sim, -EINVAL, "KVM_SET_TSC_KHZ (VM) after KVM_CREATE_VCPU");
	vm->tsc_khz = (uint32_t)(uintptr_t)arg ? (uint32_t)(uintptr_t)arg : SIM_TSC_KHZ;
	return 0;
}

static int vm_get_tsc_khz(struct sim_vm *vm, unsigned long req, void *arg)
{
	return (int)vm->tsc_khz;
}

static int vm_create_vcpu(struct sim_vm *vm, unsigned long req, void *arg)
{
	return sim_vcpu_create(vm, (unsigned long)(uintptr_t)arg);
}

/* The VM ioctls the simulator knows; others are -ENOTTY. */
static const struct {
	unsigned long req;
	int (*fn)(struct sim_vm *vm, unsigned long req, void *arg);
} vm_ioctls[] = {
	{ KVM_CHECK_EXTENSION, vm_check_extension },
	{ KVM_ENABLE_CAP, vm_enable_cap_ioctl },
	{ KVM_SET_TSS_ADDR, vm_ok },
	{ KVM_SET_IDENTITY_MAP_ADDR, vm_identity_map },
	{ KVM_CREATE_IRQCHIP, vm_create_irqchip },
	{ KVM_CREATE_PIT2, vm_create_pit2 },
	{ KVM_IRQ_LINE, vm_irq_line },
	{ KVM_SIGNAL_MSI, vm_signal_msi_ioctl },
	{ KVM_SET_GSI_ROUTING, vm_set_gsi_routing_ioctl },
	{ KVM_SET_USER_MEMORY_REGION, vm_memslot },
	{ KVM_SET_USER_MEMORY_REGION2, vm_memslot2 },
	{ KVM_SET_MEMORY_ATTRIBUTES, vm_set_attributes },
	{ KVM_CREATE_GUEST_MEMFD, vm_create_gmem },
	{ KVM_MEMORY_ENCRYPT_OP, vm_encrypt_op },
	{ KVM_MEMORY_ENCRYPT_REG_REGION, vm_enc_region },
	{ KVM_MEMORY_ENCRYPT_UNREG_REGION, vm_enc_region },
	{ KVM_SET_TSC_KHZ, vm_set_tsc_khz },
	{ KVM_GET_TSC_KHZ, vm_get_tsc_khz },
	{ KVM_CREATE_VCPU, vm_create_vcpu },
	{ KVM_SET_CLOCK, vm_ok },
	{ KVM_IRQFD, vm_ok },
	{ KVM_IOEVENTFD, vm_ok },
};

int sim_vm_ioctl(struct sim_vm *vm, unsigned long req, void *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vm_ioctls); i++)
		if (vm_ioctls[i].req == req)
			return vm_ioctls[i].fn(vm, req, arg);
	return -ENOTTY;
}

