/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_IOAPIC_H
#define CVMM_DEVICES_IOAPIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"

/*
 * A userspace 82093AA-style I/O APIC (version 0x20, with the EOI
 * register) for a split irqchip, where KVM keeps only the local APICs:
 * TDX makes that mandatory.  The guest programs it through the usual
 * IOREGSEL/IOWIN window; an unmasked pin becomes an MSI (the format
 * QEMU's IOAPIC and KVM's MSI routing use: destination ID in address
 * bits 19:12, extended destination ID bits 55:49 in address bits 11:5,
 * destination mode in bit 2; vector, delivery mode and trigger mode in
 * the data) handed to @send_msi, i.e. KVM_SIGNAL_MSI.
 *
 * Edge pins fire on a rising edge.  Level pins fire while asserted and
 * Remote IRR is clear; Remote IRR is cleared by an EOI for the pin's
 * vector (the guest's write to the EOI register, or the vCPU exit
 * KVM_EXIT_IOAPIC_EOI), after which a still-asserted pin fires again.
 * @update_route (optional) is told each pin's MSI whenever a
 * redirection entry changes, so KVM can route EOIs of level-triggered
 * vectors back to userspace.
 */

#define IOAPIC_NR_PINS		24
#define IOAPIC_MMIO_SIZE	0x1000
#define IOAPIC_VERSION		0x20

/* MMIO registers */
#define IOAPIC_REG_SELECT	0x00
#define IOAPIC_REG_WINDOW	0x10
#define IOAPIC_REG_EOI		0x40

/* indirect registers */
#define IOAPIC_ID		0x00
#define IOAPIC_VER		0x01
#define IOAPIC_ARB		0x02
#define IOAPIC_REDTBL		0x10

/* redirection entry bits */
#define IOAPIC_RTE_VECTOR	0xffULL
#define IOAPIC_RTE_DELMODE_SHIFT 8
#define IOAPIC_RTE_DESTMODE	(1ULL << 11)
#define IOAPIC_RTE_DELIVS	(1ULL << 12)
#define IOAPIC_RTE_POLARITY	(1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR	(1ULL << 14)
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_MASKED	(1ULL << 16)
/* bits the guest cannot write: delivery status and Remote IRR */
#define IOAPIC_RTE_RO		(IOAPIC_RTE_DELIVS | IOAPIC_RTE_REMOTE_IRR)

struct ioapic {
	pthread_mutex_t lock;
	uint8_t id;
	uint32_t select;
	uint64_t rte[IOAPIC_NR_PINS];
	uint32_t level;			/* pins currently asserted */
	uint32_t edge;			/* edge pins latched, not yet delivered */
	uint64_t delivered;		/* MSIs sent (statistics, tests) */

	void (*send_msi)(void *opaque, uint64_t address, uint32_t data);
	void (*update_route)(void *opaque, unsigned int pin, uint64_t address,
			     uint32_t data, bool masked);
	void *opaque;
};

void ioapic_init(struct ioapic *io, uint8_t id,
		 void (*send_msi)(void *opaque, uint64_t address, uint32_t data),
		 void *opaque);
void ioapic_destroy(struct ioapic *io);
/* Claim [@base, @base + IOAPIC_MMIO_SIZE) on @mmio. */
int ioapic_register(struct ioapic *io, struct io_bus *mmio, uint64_t base);

/* Drive pin @pin (GSI) to @level; out-of-range pins are ignored. */
void ioapic_set_irq(struct ioapic *io, uint32_t pin, int level);
/* End of interrupt for @vector (KVM_EXIT_IOAPIC_EOI). */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/* The MSI a redirection entry describes. */
void ioapic_rte_to_msi(uint64_t rte, uint64_t *address, uint32_t *data);

/* The io_bus handler (exported for tests). */
int ioapic_mmio(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		bool is_write);

#endif
