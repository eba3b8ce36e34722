// SPDX-License-Identifier: GPL-2.0-only
/* The VM's interrupt controller, in-kernel or split (see machine/irqchip.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "machine/irqchip.h"
#include "util/log.h"

#define SPLIT_IRQCHIP_PINS	24

int irqchip_send_msi(struct irqchip *ic, uint64_t address, uint32_t data)
{
	struct kvm_msi msi = {
		.address_lo = (uint32_t)address,
		.address_hi = (uint32_t)(address >> 32),
		.data = data,
	};
	int ret = kvm_vm_ioctl(ic->kvm, KVM_SIGNAL_MSI, &msi);

	if (ret < 0)
		log_debug("KVM_SIGNAL_MSI 0x%" PRIx64 "/0x%x: %s", address, data,
			  strerror(-ret));
	return ret < 0 ? ret : 0;
}

static void ioapic_send_msi(void *opaque, uint64_t address, uint32_t data)
{
	irqchip_send_msi(opaque, address, data);
}

static int create_in_kernel(struct irqchip *ic)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	int ret;

	ret = kvm_vm_ioctl(ic->kvm, KVM_CREATE_IRQCHIP, NULL);
	if (ret < 0)
		return log_errno("KVM_CREATE_IRQCHIP", ret);
	ret = kvm_vm_ioctl(ic->kvm, KVM_CREATE_PIT2, &pit);
	if (ret < 0)
		return log_errno("KVM_CREATE_PIT2", ret);
	return 0;
}

/* LAPICs in KVM; the IOAPIC (and no PIC) is cvmm's */
static int create_split(struct irqchip *ic, unsigned int nr_vcpus, struct io_bus *mmio)
{
	int ret;

	ioapic_init(&ic->ioapic, (uint8_t)nr_vcpus, ioapic_send_msi, ic);
	ic->have_ioapic = true;
	ret = ioapic_register(&ic->ioapic, mmio, IOAPIC_ADDR);
	if (ret)
		return log_errno("ioapic", ret);
	ret = kvm_vm_enable_cap(ic->kvm, KVM_CAP_SPLIT_IRQCHIP, SPLIT_IRQCHIP_PINS);
	if (ret < 0)
		return log_errno("KVM_CAP_SPLIT_IRQCHIP", ret);
	return 0;
}

int irqchip_create(struct irqchip *ic, struct kvm_vm *kvm, bool split, unsigned int nr_vcpus,
		   struct io_bus *mmio)
{
	memset(ic, 0, sizeof(*ic));
	ic->kvm = kvm;
	ic->split = split;
	return split ? create_split(ic, nr_vcpus, mmio) : create_in_kernel(ic);
}

void irqchip_destroy(struct irqchip *ic)
{
	if (ic->have_ioapic)
		ioapic_destroy(&ic->ioapic);
	ic->have_ioapic = false;
}

int irqchip_set_level(struct irqchip *ic, uint32_t gsi, int level)
{
	int ret;

	if (ic->split) {
		ioapic_set_irq(&ic->ioapic, gsi, level);
		return 0;
	}
	ret = kvm_vm_irq_line(ic->kvm, gsi, level);
	if (ret)
		log_debug("KVM_IRQ_LINE %u: %s", gsi, strerror(-ret));
	return ret;
}

bool irqchip_eoi(struct irqchip *ic, uint8_t vector)
{
	if (!ic->have_ioapic)
		return false;
	ioapic_eoi(&ic->ioapic, vector);
	return true;
}
