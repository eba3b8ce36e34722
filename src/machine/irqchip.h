/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_IRQCHIP_H
#define CVMM_MACHINE_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/ioapic.h"
#include "kvm/kvm.h"

/*
 * The interrupt controller of one VM boot, as every source of INTx lines
 * (the legacy devices, the PCI host bridge) and the vCPU threads see it:
 *
 *  - in-kernel (the default): KVM's PICs, IOAPIC and PIT
 *    (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2); a line's level goes to
 *    KVM_IRQ_LINE;
 *  - split (TDX): only the LAPICs in KVM (KVM_CAP_SPLIT_IRQCHIP with 24
 *    pins), cvmm's IOAPIC (devices/ioapic.c) at IOAPIC_ADDR on the MMIO
 *    bus, which delivers with KVM_SIGNAL_MSI and hears EOIs through its
 *    EOI register and KVM_EXIT_IOAPIC_EOI (irqchip_eoi()); no PIC.
 *
 * irqchip_create() runs once per VM, right after KVM_CREATE_VM's
 * platform setup and before memory and vCPUs (coco/stage.h).  Levels may
 * be set from any thread.
 */

struct irqchip {
	struct kvm_vm *kvm;
	bool split;
	bool have_ioapic;
	struct ioapic ioapic;		/* split only */
};

/* @nr_vcpus: the IOAPIC's ID (the MP table's and MADT's); @mmio: where it decodes. */
int irqchip_create(struct irqchip *ic, struct kvm_vm *kvm, bool split, unsigned int nr_vcpus,
		   struct io_bus *mmio);
void irqchip_destroy(struct irqchip *ic);

/* INTx: GSI @gsi asserted (1) or not (0). */
int irqchip_set_level(struct irqchip *ic, uint32_t gsi, int level);
/* One MSI, now (KVM_SIGNAL_MSI). */
int irqchip_send_msi(struct irqchip *ic, uint64_t address, uint32_t data);
/* KVM_EXIT_IOAPIC_EOI: false when this irqchip has no userspace IOAPIC. */
bool irqchip_eoi(struct irqchip *ic, uint8_t vector);

#endif
