/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_PCI_PCI_HOST_H
#define CVMM_DEVICES_PCI_PCI_HOST_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/pci/pci.h"
#include "devices/platform.h"

/*
 * The PCI host bridge: bus 0, up to 31 devices (function 0 each) besides
 * the bridge itself at 00:00.0.
 *
 *   - configuration space through ports 0xcf8/0xcfc (mechanism #1) and
 *     through the ECAM window (one 4 KiB page per function);
 *   - the 32-bit MMIO window is registered on the MMIO bus once, as one
 *     range: BAR accesses are dispatched here, to whichever device decodes
 *     the address now, so the guest may move BARs after the vCPUs run
 *     (the I/O buses themselves never change after start);
 *   - BARs are pre-assigned from the window when a device is added, with
 *     memory decoding on, so a guest without firmware can use them;
 *   - INTx: pin P of slot S is wired to gsi[(S + P - 1) % 4] (the ACPI
 *     _PRT swizzle); the bridge ORs the devices sharing a line.  On an
 *     edge-triggered line every new assertion is sent as a fresh edge, so
 *     sharing loses no interrupt.
 *
 * Locking: a reader/writer lock.  BAR accesses take it shared (vCPUs run
 * in parallel); configuration accesses take it exclusively.  INTx state
 * has its own mutex (devices raise interrupts from their threads).
 */

#define PCI_HOST_MAX_DEVS	32

struct pci_host_config {
	uint64_t mmio_start, mmio_end;	/* BAR window [start, end) */
	uint64_t ecam_base;		/* 0: no ECAM */
	uint64_t ecam_size;		/* 1 MiB per bus */
	uint32_t intx_gsi[4];		/* INTA..INTD after swizzling */
	bool intx_edge;			/* lines are edge triggered */
};

struct pci_host {
	pthread_rwlock_t lock;
	struct pci_host_config cfg;
	struct pci_dev bridge;
	struct pci_dev *devs[PCI_HOST_MAX_DEVS];	/* by slot */
	uint32_t conf1_addr;
	struct platform *plat;		/* INTx levels */
	pthread_mutex_t intx_lock;
	unsigned int intx_count[4];
	/* a byte register that shares the 0xcf8..0xcff range (0xcf9) */
	io_handler_t cf9_fn;
	void *cf9_opaque;
};

int pci_host_init(struct pci_host *h, const struct pci_host_config *cfg,
		  struct platform *plat);
void pci_host_destroy(struct pci_host *h);

/*
 * Claim ports 0xcf8..0xcff, the ECAM and the MMIO window.  A 1-byte
 * device already registered at 0xcf9 (the reset control register) is
 * taken over: its accesses are forwarded to it.
 */
int pci_host_register(struct pci_host *h, struct io_bus *pio,
		      struct io_bus *mmio);

/*
 * Put @d in the first free slot (or @slot if non-zero), allocate its BARs
 * (first fit in the window) and wire its interrupt pin.  Returns the
 * slot, or -ENOSPC (-EBUSY: @slot is taken).  Safe while vCPUs run.
 */
int pci_host_add_dev(struct pci_host *h, struct pci_dev *d, unsigned int slot);
/*
 * Take @d off the bus: its INTx is lowered, and once this returns no
 * configuration or BAR access reaches it (vCPUs may run); its slot and
 * BAR space are free for the next device.
 */
void pci_host_remove_dev(struct pci_host *h, struct pci_dev *d);

/* Handlers (exported for tests and fuzzing). */
int pci_host_conf1_io(void *opaque, uint64_t off, uint8_t *data,
		      uint32_t len, bool is_write);
int pci_host_ecam_io(void *opaque, uint64_t off, uint8_t *data,
		     uint32_t len, bool is_write);
int pci_host_mmio_io(void *opaque, uint64_t off, uint8_t *data,
		     uint32_t len, bool is_write);

/* Used by pci_dev.c */
bool pci_host_bar_ok(const struct pci_host *h, uint64_t addr, uint64_t size);
/* Set the device's pin to @level and COMMAND.INTX_DISABLE to @disabled
 * (-1: unchanged) and update its line. */
void pci_host_intx_update(struct pci_host *h, struct pci_dev *d, int level,
			  int disabled);

#endif
