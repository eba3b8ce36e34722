/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_PCI_PCI_H
#define CVMM_DEVICES_PCI_PCI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * One conventional PCI function (type 0 header): its 256 bytes of
 * configuration space with per-bit write masks, 32-bit memory BARs and a
 * capability list.  The host bridge (pci_host.h) routes configuration
 * and BAR accesses here; the device model behind it gets callbacks.
 *
 * Locking: configuration accesses are serialized by the host bridge; BAR
 * accesses from several vCPUs may run concurrently with each other (never
 * with a configuration write), so bar_io must protect the device's state.
 */

#define PCI_CFG_SPACE_SIZE	256
#define PCI_CFG_SPACE_EXP_SIZE	4096
#define PCI_NR_BARS		6
#define PCI_BAR_UNMAPPED	UINT64_MAX

/* Header registers */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_ROM_ADDRESS		0x30
#define PCI_CAPABILITY_LIST	0x34
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_PARITY	0x0040
#define PCI_COMMAND_SERR	0x0100
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_STATUS_INTERRUPT	0x0008
#define PCI_STATUS_CAP_LIST	0x0010

#define PCI_BASE_ADDRESS_MEM_PREFETCH	0x08
#define PCI_BASE_ADDRESS_MEM_MASK	(~0x0fU)

#define PCI_CAP_ID_VNDR		0x09
#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_START		0x40

#define PCI_DEVFN(slot, fn)	((uint8_t)(((slot) << 3) | (fn)))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)

struct pci_dev;
struct pci_host;

struct pci_dev_ops {
	/* An access of @len (1, 2, 4 or 8) bytes at @off inside BAR @bar. */
	int (*bar_io)(struct pci_dev *d, unsigned int bar, uint64_t off,
		      uint8_t *data, uint32_t len, bool is_write);
	/*
	 * BAR @bar now decodes at @addr (PCI_BAR_UNMAPPED: not at all):
	 * the guest moved it or switched memory decoding.
	 */
	void (*bar_map)(struct pci_dev *d, unsigned int bar, uint64_t addr);
	/* After the guest wrote [@off, @off + @len) of config space. */
	void (*cfg_write)(struct pci_dev *d, uint32_t off, uint32_t len);
	/* Before the guest reads [@off, @off + @len) of config space. */
	void (*cfg_read)(struct pci_dev *d, uint32_t off, uint32_t len);
};

struct pci_bar {
	uint64_t size;		/* 0: not implemented; else a power of two */
	uint64_t mapped;	/* decoding address, or PCI_BAR_UNMAPPED */
	bool prefetch;
};

struct pci_dev {
	uint8_t cfg[PCI_CFG_SPACE_SIZE];
	uint8_t wmask[PCI_CFG_SPACE_SIZE];	/* guest-writable bits */
	struct pci_bar bars[PCI_NR_BARS];
	uint8_t next_cap;	/* where the next capability goes */
	uint8_t last_cap;	/* offset of the last capability, 0: none */
	uint8_t devfn;
	bool conventional;	/* no extended space: bytes past 256 read all ones */
	struct pci_host *host;	/* NULL until added to a bus */
	const struct pci_dev_ops *ops;
	void *opaque;

	/* INTx (pin INTA..INTD wired to a GSI by the host bridge) */
	unsigned int intx_line;		/* 0..3 after swizzling */
	bool intx_level;		/* what the device drives */
	bool intx_disabled;		/* COMMAND.INTX_DISABLE */
	atomic_bool intx_on;		/* level seen by the bridge */
};

/*
 * A function with the given identity; INTx pin INTA when @intx.  Memory
 * decoding is on (no firmware is needed to use the pre-assigned BARs).
 */
void pci_dev_init(struct pci_dev *d, uint16_t vendor, uint16_t device,
		  uint32_t class_code, uint8_t revision,
		  uint16_t subsys_vendor, uint16_t subsys_id, bool intx,
		  const struct pci_dev_ops *ops, void *opaque);
/* A 32-bit memory BAR of @size bytes (power of two, >= 16). */
int pci_dev_add_bar(struct pci_dev *d, unsigned int bar, uint64_t size,
		    bool prefetch);
/*
 * Append a capability of @len bytes (header included) with ID @id to the
 * list; returns its offset, or -ENOSPC.  The caller fills the body and
 * marks writable bits in d->wmask.
 */
int pci_dev_add_cap(struct pci_dev *d, uint8_t id, uint8_t len);

/* Config accesses of 1, 2 or 4 bytes, @off + @len <= 4096 (bytes past
 * 256 ignore writes and read as zero, a PCIe function without extended
 * capabilities; all ones for a conventional function).  Called by the
 * host bridge. */
void pci_dev_cfg_read(struct pci_dev *d, uint32_t off, uint8_t *data,
		      uint32_t len);
void pci_dev_cfg_write(struct pci_dev *d, uint32_t off, const uint8_t *data,
		       uint32_t len);

/* The BAR's programmed base address (what the guest wrote). */
uint64_t pci_dev_bar_addr(const struct pci_dev *d, unsigned int bar);
/* Program BAR @bar to @addr (pre-assignment by the host bridge). */
void pci_dev_set_bar_addr(struct pci_dev *d, unsigned int bar, uint64_t addr);
/* Re-evaluate where each BAR decodes; calls ops->bar_map on changes. */
void pci_dev_update_bars(struct pci_dev *d);

/* INTx: the device drives its interrupt pin to @level. */
void pci_dev_set_irq(struct pci_dev *d, bool level);

static inline uint16_t pci_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t pci_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void pci_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void pci_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#endif
