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
 * the bridge itself at 00:00.0 (cvmm's own, a Red Hat 1b36:0008 with no
 * registers, or the caller's, e.g. the Q35 MCH of devices/q35).
 *
 *   - configuration space through ports 0xcf8/0xcfc (mechanism #1) and
 *     through the ECAM (one 4 KiB page per function): either fixed,
 *     registered on the MMIO bus at start, or movable (pci_host_set_ecam(),
 *     what a PCIEXBAR register does): a movable ECAM inside the window is
 *     decoded by the window's handler before any BAR, elsewhere through
 *     pci_host_ecam_lookup() by whoever decodes that address;
 *   - the 32-bit MMIO window is registered on the MMIO bus once, as one
 *     range: BAR accesses are dispatched here, to whichever device decodes
 *     the address now, so the guest may move BARs after the vCPUs run
 *     (the I/O buses themselves never change after start);
 *   - BARs are pre-assigned (from alloc_start) when a device is added,
 *     with memory decoding on, so a guest without firmware can use them;
 *   - INTx: by default pin P of slot S is wired to gsi[(S + P - 1) % 4]
 *     (the ACPI _PRT swizzle); with a router (struct pci_intx_router) the
 *     router maps slot and pin to one of its lines and drives them.  The
 *     bridge ORs the devices sharing a line.  With intx_edge every new
 *     assertion on a busy line is sent as a fresh edge (0 then 1), so
 *     sharing loses no interrupt on an edge-triggered pin.
 *
 * Locking: a reader/writer lock.  BAR accesses take it shared (vCPUs run
 * in parallel); configuration accesses take it exclusively.  INTx state
 * has its own mutex (devices raise interrupts from their threads).
 */

#define PCI_HOST_MAX_DEVS	32
#define PCI_HOST_MAX_LINES	8

/* INTx wiring other than the default four GSIs (e.g. ICH9's PIRQ A-H). */
struct pci_intx_router {
	/* The line (< nr_lines) pin @pin (1 = INTA .. 4) of slot @slot drives. */
	unsigned int (*map)(void *opaque, unsigned int slot, unsigned int pin);
	/* Line @line is now asserted (1) or not (0). */
	void (*set)(void *opaque, unsigned int line, int level);
	void *opaque;
	unsigned int nr_lines;		/* 1 .. PCI_HOST_MAX_LINES */
};

struct pci_host_config {
	uint64_t mmio_start, mmio_end;	/* BAR window [start, end) */
	uint64_t alloc_start;		/* first pre-assigned BAR; 0: mmio_start */
	uint64_t ecam_base;		/* fixed ECAM; 0: none (pci_host_set_ecam() may place one) */
	uint64_t ecam_size;		/* 1 MiB per bus */
	struct pci_dev *root;		/* 00:00.0; NULL: cvmm's own bridge */
	uint32_t intx_gsi[4];		/* INTA..INTD after swizzling */
	const struct pci_intx_router *router;	/* NULL: intx_gsi */
	bool intx_edge;			/* lines are edge triggered */
};

struct pci_host {
	pthread_rwlock_t lock;
	struct pci_host_config cfg;
	struct pci_dev bridge;		/* cvmm's own 00:00.0 */
	struct pci_dev *devs[PCI_HOST_MAX_DEVS];	/* by slot */
	uint32_t conf1_addr;
	uint64_t ecam_base, ecam_size;	/* movable ECAM; size 0: off (lock) */
	struct platform *plat;		/* INTx levels */
	pthread_mutex_t intx_lock;
	unsigned int intx_count[PCI_HOST_MAX_LINES];
	/* a byte register that shares the 0xcf8..0xcff range (0xcf9) */
	io_handler_t cf9_fn;
	void *cf9_opaque;
};

/* -EINVAL for a window not below 4 GiB or a router without lines. */
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

/*
 * A movable ECAM: decode [@base, @base + @size) as configuration space
 * from now on (@size 0: nowhere).  Safe while vCPUs run; called with
 * the bridge's lock held when a configuration write of the root device
 * moves it (PCIEXBAR), so it takes none: pci_host_set_ecam_locked().
 */
void pci_host_set_ecam(struct pci_host *h, uint64_t base, uint64_t size);
void pci_host_set_ecam_locked(struct pci_host *h, uint64_t base, uint64_t size);
/* Is @addr + @len inside the movable ECAM now?  *@off gets the offset. */
bool pci_host_ecam_lookup(struct pci_host *h, uint64_t addr, uint32_t len, uint64_t *off);

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
