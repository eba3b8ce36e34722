/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_Q35_Q35_H
#define CVMM_DEVICES_Q35_Q35_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/acpi_pm.h"
#include "devices/bus.h"
#include "devices/pci/pci_host.h"
#include "devices/platform.h"
#include "devices/vm_control.h"

/*
 * The Q35 persona: the chipset registers OVMF (and SeaBIOS) program on
 * QEMU's -M q35, with QEMU 7.2's reset values and write masks (smm=off),
 * so that firmware written for QEMU finds what it expects.
 *
 * 00:00.0, the MCH host bridge 8086:29c0 (mch.c), the root of the PCI
 * host bridge:
 *   0x60 PCIEXBAR (64 bits, all writable): bit 0 enables the ECAM at bits
 *        35:28 (256 buses), 35:27 (length 1: 128) or 35:26 (length 2: 64);
 *        length 3 is reserved (no ECAM).  The ECAM really moves
 *        (pci_host_set_ecam()); OVMF 2022.11 puts it at 0xb0000000,
 *        edk2 >= 202305 at 0xe0000000.  Reset: 0xb0000000, disabled.
 *   0x50 extended TSEG size: writing 0xffff reads back 16 (MiB), QEMU's
 *        answer to OVMF's query; 0x9c-0x9f (SMBASE, SMRAM, ESMRAMC) read
 *        QEMU's reset values and ignore writes: there is no SMM.
 *   0x40-0xff otherwise: plain writable bytes (PAM 0x90-0x96 included:
 *        RAM below 1 MiB stays RAM whatever is written).
 *
 * 00:1f.0, the ICH9 LPC bridge 8086:2918, class 0x060100 (lpc.c):
 *   0x40 PMBASE (bits 15:7 the base; bits 2:0 writable, bit 0 set at
 *        reset, as QEMU) and 0x44 ACPI_CNTL (bit 7 ACPI_EN): the ICH9 PM
 *        block (devices/acpi_pm.h) decodes at PMBASE & 0xff80 while
 *        ACPI_EN is set and the base is not 0, through the port bus's
 *        fallback (nothing registered at a fixed port);
 *   0xf0 RCBA (all writable): bit 0 maps the 16 KiB chipset configuration
 *        block (D25IR..D31IR interrupt routes 0x3210, the rest 0, storage)
 *        at bits 31:14, through the MMIO bus's fallback;
 *   0x60-0x63, 0x68-0x6b PIRQA-H routes (reset 0x80): see the router;
 *   0x82 LPC_EN bit 0: COM1 is decoded; 0x44-0xff otherwise writable.
 *   Port 0x92 (fast A20 / reset): bit 1 stored, bit 0 rising resets.
 *   The reset control register 0xcf9 stays devices/misc_ports.c's.
 *
 * INTx (irq.c, the PCI host's router): pin P of slot S < 25 drives PIRQ
 * E + (S + P - 1) % 4 (QEMU's default), slots 25..31 the PIRQ their
 * DnnIR register in the RCRB names when the device is added.  PIRQ n is
 * GSI 16 + n on the IOAPIC, and also ISA IRQ r (PIC and IOAPIC pin r)
 * while its route register is r with bit 7 clear; an ISA IRQ is the OR
 * of the PIRQs routed to it.  The DSDT's _PRT names the GSIs 16..23.
 *
 * Locking: configuration accesses arrive serialized by the host bridge;
 * q35.lock guards what the fallbacks and the router read concurrently.
 * The changed() hook runs after the ECAM or the PM block moved, with the
 * host bridge's lock held (it must not make configuration accesses).
 */

#define Q35_MCH_DEVICE_ID	0x29c0
#define Q35_LPC_DEVICE_ID	0x2918
#define Q35_LPC_SLOT		31
#define Q35_RCRB_SIZE		0x4000
#define Q35_NR_PIRQS		8
#define Q35_PIRQ_GSI_BASE	16
#define Q35_PORT_A20		0x92

/* config space offsets */
#define Q35_MCH_PCIEXBAR	0x60
#define Q35_MCH_EXT_TSEG	0x50
#define Q35_LPC_PMBASE		0x40
#define Q35_LPC_ACPI_CNTL	0x44
#define Q35_LPC_ACPI_EN		0x80
#define Q35_LPC_PIRQA		0x60
#define Q35_LPC_PIRQE		0x68
#define Q35_LPC_PIRQ_DISABLE	0x80
#define Q35_LPC_RCBA		0xf0

struct q35_config {
	struct acpi_pm *pm;		/* initialized with acpi_pm_init_ich9() */
	struct platform *plat;		/* GSI levels (PIRQs and their ISA IRQs) */
	struct vm_control ctl;		/* port 0x92 reset */
	void (*changed)(void *opaque);	/* the ECAM or the PM block moved */
	void *opaque;
};

struct q35 {
	pthread_mutex_t lock;
	struct q35_config cfg;
	struct pci_dev mch, lpc;
	struct pci_host *host;
	struct pci_intx_router router;	/* for the host bridge's config */

	/* decoded state (lock) */
	uint64_t ecam_base, ecam_size;	/* size 0: off */
	uint16_t pm_base;		/* 0: not decoded */
	uint32_t rcrb_base;		/* 0: not decoded */
	uint8_t rcrb[Q35_RCRB_SIZE];
	uint8_t port92;
	uint8_t pirq_route[Q35_NR_PIRQS];	/* copies of the route registers */
	int pirq_level[Q35_NR_PIRQS];
	int isa_level[16];		/* what the PIRQs drive on ISA IRQs */
};

/* Before pci_host_init(): the MCH (its root) and the router exist. */
void q35_init(struct q35 *q, const struct q35_config *cfg);
void q35_destroy(struct q35 *q);
/* After pci_host_init() with root = &q->mch, router = &q->router: the LPC at 00:1f.0. */
int q35_attach(struct q35 *q, struct pci_host *host);
/* Port 0x92 and the two fallback decoders.  -EBUSY if taken. */
int q35_register(struct q35 *q, struct io_bus *pio, struct io_bus *mmio);

/* Where the ECAM decodes now (*@size 0: nowhere); the PM block's base (0: off). */
void q35_ecam(struct q35 *q, uint64_t *base, uint64_t *size);
uint16_t q35_pm_base(struct q35 *q);

/* Handlers (exported for tests and fuzzing): absolute addresses. */
int q35_pio_fallback(void *opaque, uint64_t port, uint8_t *data, uint32_t len, bool is_write);
int q35_mmio_fallback(void *opaque, uint64_t addr, uint8_t *data, uint32_t len, bool is_write);
int q35_port92_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len, bool is_write);

#endif
