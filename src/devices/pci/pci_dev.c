// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "devices/pci/pci.h"
#include "devices/pci/pci_host.h"

void pci_dev_init(struct pci_dev *d, uint16_t vendor, uint16_t device,
		  uint32_t class_code, uint8_t revision,
		  uint16_t subsys_vendor, uint16_t subsys_id, bool intx,
		  const struct pci_dev_ops *ops, void *opaque)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->opaque = opaque;
	d->next_cap = PCI_CAP_START;
	atomic_init(&d->intx_on, false);
	pci_put16(&d->cfg[PCI_VENDOR_ID], vendor);
	pci_put16(&d->cfg[PCI_DEVICE_ID], device);
	d->cfg[PCI_REVISION_ID] = revision;
	d->cfg[PCI_CLASS_PROG] = (uint8_t)class_code;
	pci_put16(&d->cfg[PCI_CLASS_DEVICE], (uint16_t)(class_code >> 8));
	pci_put16(&d->cfg[PCI_SUBSYSTEM_VENDOR_ID], subsys_vendor);
	pci_put16(&d->cfg[PCI_SUBSYSTEM_ID], subsys_id);
	pci_put16(&d->cfg[PCI_COMMAND], PCI_COMMAND_MEMORY);
	pci_put16(&d->wmask[PCI_COMMAND],
		  PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_PARITY |
		  PCI_COMMAND_SERR | (intx ? PCI_COMMAND_INTX_DISABLE : 0));
	d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	d->wmask[PCI_LATENCY_TIMER] = 0xff;
	d->wmask[PCI_INTERRUPT_LINE] = 0xff;
	if (intx)
		d->cfg[PCI_INTERRUPT_PIN] = 1;	/* INTA */
}

int pci_dev_add_bar(struct pci_dev *d, unsigned int bar, uint64_t size,
		    bool prefetch)
{
	uint32_t off;

	if (bar >= PCI_NR_BARS || size < 16 || size > (1ULL << 31) ||
	    (size & (size - 1)) || d->bars[bar].size)
		return -EINVAL;
	off = PCI_BASE_ADDRESS_0 + 4 * bar;
	d->bars[bar].size = size;
	d->bars[bar].prefetch = prefetch;
	d->bars[bar].mapped = PCI_BAR_UNMAPPED;
	pci_put32(&d->cfg[off], prefetch ? PCI_BASE_ADDRESS_MEM_PREFETCH : 0);
	pci_put32(&d->wmask[off], (uint32_t)~(size - 1) & PCI_BASE_ADDRESS_MEM_MASK);
	return 0;
}

int pci_dev_add_cap(struct pci_dev *d, uint8_t id, uint8_t len)
{
	unsigned int off = d->next_cap;

	if (len < 2 || off < PCI_CAP_START || off + len > PCI_CFG_SPACE_SIZE)
		return -ENOSPC;
	d->cfg[off] = id;
	d->cfg[off + 1] = 0;
	if (d->last_cap)
		d->cfg[d->last_cap + 1] = (uint8_t)off;
	else
		d->cfg[PCI_CAPABILITY_LIST] = (uint8_t)off;
	d->last_cap = (uint8_t)off;
	d->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	/* capabilities start on a dword boundary */
	d->next_cap = (uint8_t)((off + len + 3) & ~3U);
	if (off + len + 3 > PCI_CFG_SPACE_SIZE - 1)
		d->next_cap = 0;	/* full */
	return (int)off;
}

uint64_t pci_dev_bar_addr(const struct pci_dev *d, unsigned int bar)
{
	if (bar >= PCI_NR_BARS || !d->bars[bar].size)
		return 0;
	return pci_get32(&d->cfg[PCI_BASE_ADDRESS_0 + 4 * bar]) &
	       PCI_BASE_ADDRESS_MEM_MASK;
}

void pci_dev_set_bar_addr(struct pci_dev *d, unsigned int bar, uint64_t addr)
{
	uint32_t off = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint32_t v;

	if (bar >= PCI_NR_BARS || !d->bars[bar].size)
		return;
	v = pci_get32(&d->cfg[off]) & ~pci_get32(&d->wmask[off]);
	v |= (uint32_t)addr & pci_get32(&d->wmask[off]);
	pci_put32(&d->cfg[off], v);
}

void pci_dev_update_bars(struct pci_dev *d)
{
	bool mem = pci_get16(&d->cfg[PCI_COMMAND]) & PCI_COMMAND_MEMORY;
	unsigned int i;

	for (i = 0; i < PCI_NR_BARS; i++) {
		struct pci_bar *b = &d->bars[i];
		uint64_t addr = pci_dev_bar_addr(d, i);
		uint64_t now = PCI_BAR_UNMAPPED;

		if (!b->size)
			continue;
		if (mem && addr && (!d->host || pci_host_bar_ok(d->host, addr, b->size)))
			now = addr;
		if (now == b->mapped)
			continue;
		b->mapped = now;
		if (d->ops && d->ops->bar_map)
			d->ops->bar_map(d, i, now);
	}
}

void pci_dev_cfg_read(struct pci_dev *d, uint32_t off, uint8_t *data,
		      uint32_t len)
{
	uint32_t i;

	if (d->ops && d->ops->cfg_read && off < PCI_CFG_SPACE_SIZE)
		d->ops->cfg_read(d, off, len);
	for (i = 0; i < len; i++) {
		uint32_t o = off + i;

		if (o >= PCI_CFG_SPACE_SIZE) {
			data[i] = d->conventional ? 0xff : 0;
			continue;
		}
		data[i] = d->cfg[o];
		if (o == PCI_STATUS && atomic_load(&d->intx_on))
			data[i] |= PCI_STATUS_INTERRUPT;
	}
}

static bool overlaps(uint32_t off, uint32_t len, uint32_t start, uint32_t n)
{
	return off < start + n && start < off + len;
}

void pci_dev_cfg_write(struct pci_dev *d, uint32_t off, const uint8_t *data,
		       uint32_t len)
{
	uint32_t i;

	if (off >= PCI_CFG_SPACE_SIZE)
		return;
	if (off + len > PCI_CFG_SPACE_SIZE)
		len = PCI_CFG_SPACE_SIZE - off;
	for (i = 0; i < len; i++) {
		uint8_t m = d->wmask[off + i];

		d->cfg[off + i] = (uint8_t)((d->cfg[off + i] & ~m) | (data[i] & m));
	}
	if (overlaps(off, len, PCI_COMMAND, 2) ||
	    overlaps(off, len, PCI_BASE_ADDRESS_0, 4 * PCI_NR_BARS))
		pci_dev_update_bars(d);
	if (overlaps(off, len, PCI_COMMAND, 2)) {
		bool dis = pci_get16(&d->cfg[PCI_COMMAND]) & PCI_COMMAND_INTX_DISABLE;

		if (d->host)
			pci_host_intx_update(d->host, d, -1, dis);
		else
			d->intx_disabled = dis;
	}
	if (d->ops && d->ops->cfg_write)
		d->ops->cfg_write(d, off, len);
}

void pci_dev_set_irq(struct pci_dev *d, bool level)
{
	if (d->host)
		pci_host_intx_update(d->host, d, level, -1);
}
