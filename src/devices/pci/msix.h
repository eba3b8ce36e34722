/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_PCI_MSIX_H
#define CVMM_DEVICES_PCI_MSIX_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/pci/pci.h"
#include "devices/platform.h"

/*
 * MSI-X: the capability in config space, the vector table and the
 * pending bit array (PBA) inside a memory BAR.
 *
 * Delivery: each vector in use gets an eventfd bound to its message
 * through the platform (irqfd + GSI route), created when the guest first
 * unmasks it; a device thread raises the vector by writing the eventfd.
 * Where no route can be had, the message is signalled directly.  A
 * masked vector (per-vector or function mask) sets its pending bit
 * instead; unmasking delivers it.
 */

#define MSIX_CAP_LEN		12
#define MSIX_ENTRY_SIZE		16
#define MSIX_MAX_VECTORS	2048

#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_MASKALL	0x4000
#define MSIX_VECTOR_MASKED	0x1

struct msix_vector {
	uint32_t addr_lo, addr_hi, data, ctrl;
	int fd;			/* irqfd eventfd, -1: none yet */
	int route;		/* platform route, -1: none (signal directly) */
	bool stale;		/* message changed since the route was set */
	bool tried;		/* route creation attempted */
};

struct pci_msix {
	pthread_mutex_t lock;
	struct pci_dev *dev;
	struct platform *plat;
	unsigned int nr;
	uint8_t cap;			/* capability offset */
	bool enabled, maskall;
	struct msix_vector *vec;
	uint64_t *pba;
	uint64_t delivered;		/* statistics (tests) */
};

/*
 * Add the capability to @d, with @nr vectors, the table at @table_off
 * and the PBA at @pba_off of BAR @bar (8-byte aligned offsets).
 */
int msix_init(struct pci_msix *m, struct pci_dev *d, struct platform *plat,
	      unsigned int nr, unsigned int bar, uint32_t table_off,
	      uint32_t pba_off);
void msix_destroy(struct pci_msix *m);

/* Bytes of BAR space the table and the PBA take. */
uint32_t msix_table_size(unsigned int nr);
uint32_t msix_pba_size(unsigned int nr);

/* BAR accesses at @off inside the table / the PBA. */
void msix_table_io(struct pci_msix *m, uint64_t off, uint8_t *data,
		   uint32_t len, bool is_write);
void msix_pba_io(struct pci_msix *m, uint64_t off, uint8_t *data,
		 uint32_t len, bool is_write);
/* The guest wrote config space [@off, @off + @len): the control word? */
void msix_cfg_write(struct pci_msix *m, uint32_t off, uint32_t len);

bool msix_enabled(struct pci_msix *m);
/*
 * Raise @vector: 0 when delivered or left pending, -ENOENT when MSI-X is
 * off (use INTx), -EINVAL for a vector the table does not have.
 */
int msix_notify(struct pci_msix *m, unsigned int vector);
bool msix_pending(struct pci_msix *m, unsigned int vector);

#endif
