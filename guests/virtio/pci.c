// SPDX-License-Identifier: GPL-2.0-only
/* PCI configuration space through ports 0xcf8/0xcfc, bus 0, function 0. */
#include "vguest.h"

#define CONF_ADDR	0xcf8
#define CONF_DATA	0xcfc

static void pci_select(unsigned int slot, unsigned int off)
{
	outl(CONF_ADDR, 0x80000000u | (slot & 31) << 11 | (off & 0xfc));
}

uint32_t pci_read32(unsigned int slot, unsigned int off)
{
	pci_select(slot, off);
	return inl(CONF_DATA);
}

uint16_t pci_read16(unsigned int slot, unsigned int off)
{
	return (uint16_t)(pci_read32(slot, off) >> (8 * (off & 2)));
}

uint8_t pci_read8(unsigned int slot, unsigned int off)
{
	return (uint8_t)(pci_read32(slot, off) >> (8 * (off & 3)));
}

void pci_write32(unsigned int slot, unsigned int off, uint32_t v)
{
	pci_select(slot, off);
	outl(CONF_DATA, v);
}

void pci_write16(unsigned int slot, unsigned int off, uint16_t v)
{
	pci_select(slot, off);
	outw((uint16_t)(CONF_DATA + (off & 2)), v);
}

void pci_write8(unsigned int slot, unsigned int off, uint8_t v)
{
	pci_select(slot, off);
	outb((uint16_t)(CONF_DATA + (off & 3)), v);
}

uint64_t pci_bar(unsigned int slot, unsigned int bar)
{
	uint32_t lo = pci_read32(slot, 0x10 + 4 * bar);

	if (lo & 1)
		return 0;			/* I/O BAR: unused here */
	if (((lo >> 1) & 3) == 2 && bar < 5)	/* 64-bit */
		return (uint64_t)pci_read32(slot, 0x14 + 4 * bar) << 32 | (lo & ~0xfu);
	return lo & ~0xfu;
}

unsigned int pci_find_cap(unsigned int slot, uint8_t id, unsigned int from)
{
	unsigned int p, n = 0;

	if (!(pci_read16(slot, 0x06) & 0x10))
		return 0;
	p = from ? pci_read8(slot, from + 1) : pci_read8(slot, 0x34);
	while (p && n++ < 48) {
		p &= 0xfc;
		if (pci_read8(slot, p) == id)
			return p;
		p = pci_read8(slot, p + 1);
	}
	return 0;
}
