// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI part of the Q35 probe: configuration space through conf1 and the
 * ECAM, BAR sizing and bottom-up assignment as OVMF's PciHostBridgeDxe does
 * it, and a check that a device decodes at the address it was given.
 *
 * Devices differ between VMMs (QEMU's virtio-rng-pci has a 64-bit BAR and
 * an MSI-X BAR, cvmm's one 32-bit BAR): what is printed about BARs is what
 * must hold for any device (first BAR at the window base, all aligned and
 * inside the window, the device answers there), not their sizes.
 */
#include "q35probe.h"

#define CONF1_ADDR		0xcf8
#define CONF1_DATA		0xcfc
#define MAX_BARS		16

#define PCI_COMMAND		0x04
#define PCI_CMD_MEM		0x0002
#define PCI_HEADER_TYPE		0x0e
#define PCI_BAR0		0x10
#define PCI_CAP_PTR		0x34
#define PCI_INT_LINE		0x3c
#define PCI_INT_PIN		0x3d
#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_CAP_COMMON	1

static void conf1_select(unsigned int dev, unsigned int off)
{
	outl(CONF1_ADDR, 0x80000000u | dev << 11 | (off & 0xfc));
}

uint32_t conf1_read32(unsigned int dev, unsigned int off)
{
	conf1_select(dev, off);
	return inl(CONF1_DATA);
}

uint16_t conf1_read16(unsigned int dev, unsigned int off)
{
	conf1_select(dev, off);
	return inw((uint16_t)(CONF1_DATA + (off & 2)));
}

uint8_t conf1_read8(unsigned int dev, unsigned int off)
{
	conf1_select(dev, off);
	return inb((uint16_t)(CONF1_DATA + (off & 3)));
}

void conf1_write32(unsigned int dev, unsigned int off, uint32_t v)
{
	conf1_select(dev, off);
	outl(CONF1_DATA, v);
}

void conf1_write16(unsigned int dev, unsigned int off, uint16_t v)
{
	conf1_select(dev, off);
	outw((uint16_t)(CONF1_DATA + (off & 2)), v);
}

void conf1_write8(unsigned int dev, unsigned int off, uint8_t v)
{
	conf1_select(dev, off);
	outb((uint16_t)(CONF1_DATA + (off & 3)), v);
}

uint64_t ecam_addr(uint32_t ecam, unsigned int dev, unsigned int off)
{
	return (uint64_t)ecam + ((uint64_t)dev << 15) + off;
}

void pci_scan(uint32_t ecam)
{
	unsigned int dev;

	for (dev = 0; dev < 32; dev++) {
		uint32_t id = mmio_read32(ecam_addr(ecam, dev, 0));

		if ((id & 0xffff) == 0xffff)
			continue;
		printf(PR "ecam scan: 00:%02x.0 %04x:%04x class 0x%06x header 0x%02x\n", dev,
		       id & 0xffff, id >> 16, mmio_read32(ecam_addr(ecam, dev, 8)) >> 8,
		       mmio_read8(ecam_addr(ecam, dev, PCI_HEADER_TYPE)));
	}
}

struct bar {
	unsigned int dev, off;
	bool is64;
	uint64_t size, addr;
};

/* Size the memory BARs of @dev (decoding off); appends to @b. */
static unsigned int size_bars(uint32_t ecam, unsigned int dev, struct bar *b, unsigned int n)
{
	unsigned int off;

	for (off = PCI_BAR0; off < PCI_BAR0 + 24 && n < MAX_BARS; off += 4) {
		uint64_t a = ecam_addr(ecam, dev, off);
		uint32_t orig = mmio_read32(a), lo, hi = 0xffffffff;
		bool is64;

		mmio_write32(a, 0xffffffff);
		lo = mmio_read32(a);
		mmio_write32(a, orig);
		if (!lo || (lo & 1))
			continue;	/* not implemented, or an I/O BAR */
		is64 = ((lo >> 1) & 3) == 2;
		if (is64) {
			uint32_t ohi = mmio_read32(a + 4);

			mmio_write32(a + 4, 0xffffffff);
			hi = mmio_read32(a + 4);
			mmio_write32(a + 4, ohi);
		}
		b[n].dev = dev;
		b[n].off = off;
		b[n].is64 = is64;
		b[n].size = ~(((uint64_t)hi << 32) | (lo & ~0xfu)) + 1;
		n++;
		if (is64)
			off += 4;
	}
	return n;
}

static void sort_by_size(struct bar *b, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct bar t = b[i];

		for (j = i; j > 0 && b[j - 1].size < t.size; j--)
			b[j] = b[j - 1];
		b[j] = t;
	}
}

/* The virtio common configuration of @dev: its address, or 0. */
static uint64_t virtio_common(uint32_t ecam, unsigned int dev, const struct bar *b,
			      unsigned int n)
{
	unsigned int cap = mmio_read8(ecam_addr(ecam, dev, PCI_CAP_PTR)), guard = 0, i;

	while (cap && guard++ < 48) {
		uint64_t c = ecam_addr(ecam, dev, cap);

		if (mmio_read8(c) == 0x09 && mmio_read8(c + 3) == VIRTIO_CAP_COMMON) {
			unsigned int bar = mmio_read8(c + 4);

			for (i = 0; i < n; i++)
				if (b[i].dev == dev && b[i].off == PCI_BAR0 + 4 * bar)
					return b[i].addr + mmio_read32(c + 8);
			return 0;
		}
		cap = mmio_read8(c + 1);
	}
	return 0;
}

static void check_virtio(uint32_t ecam, const struct bar *b, unsigned int n)
{
	unsigned int dev;

	for (dev = 1; dev < 31; dev++) {
		uint32_t id = mmio_read32(ecam_addr(ecam, dev, 0));
		uint64_t common;

		if ((id & 0xffff) != VIRTIO_VENDOR)
			continue;
		common = virtio_common(ecam, dev, b, n);
		if (!common) {
			printf(PR "virtio 00:%02x.0: no common configuration in a BAR\n", dev);
			continue;
		}
		mmio_write32(common + 0x00, 1);		/* device_feature_select */
		printf(PR "virtio 00:%02x.0 at its BAR: feature select reads %u, "
		       "VERSION_1 %s, num_queues %u\n", dev, mmio_read32(common + 0x00),
		       (mmio_read32(common + 0x04) & 1) ? "offered" : "missing",
		       mmio_read16(common + 0x12));
		mmio_write32(common + 0x00, 0);
	}
}

void pci_assign_bars(uint32_t ecam, uint32_t base, uint32_t limit, const char *what)
{
	struct bar b[MAX_BARS];
	unsigned int dev, n = 0, i;
	uint64_t next = base;
	bool aligned = true, inside = true;

	for (dev = 1; dev < 31; dev++) {
		uint64_t cmd = ecam_addr(ecam, dev, PCI_COMMAND);

		if ((mmio_read32(ecam_addr(ecam, dev, 0)) & 0xffff) == 0xffff ||
		    (mmio_read8(ecam_addr(ecam, dev, PCI_HEADER_TYPE)) & 0x7f))
			continue;
		mmio_write16(cmd, mmio_read16(cmd) & ~PCI_CMD_MEM);
		n = size_bars(ecam, dev, b, n);
	}
	sort_by_size(b, n);
	for (i = 0; i < n; i++) {
		uint64_t a = ecam_addr(ecam, b[i].dev, b[i].off);

		next = (next + b[i].size - 1) & ~(b[i].size - 1);
		b[i].addr = next;
		next += b[i].size;
		aligned &= !(b[i].addr & (b[i].size - 1));
		inside &= b[i].addr >= base && next <= limit;
		mmio_write32(a, (uint32_t)b[i].addr);
		if (b[i].is64)
			mmio_write32(a + 4, (uint32_t)(b[i].addr >> 32));
	}
	for (dev = 1; dev < 31; dev++) {
		uint64_t cmd = ecam_addr(ecam, dev, PCI_COMMAND);

		if ((mmio_read32(ecam_addr(ecam, dev, 0)) & 0xffff) != 0xffff)
			mmio_write16(cmd, mmio_read16(cmd) | PCI_CMD_MEM);
	}
	printf(PR "bars (%s): window [0x%x, 0x%x), %s BARs assigned bottom-up, largest "
	       "first: the first at 0x%llx, %s, %s\n", what, base, limit, n ? "memory" : "no",
	       (unsigned long long)(n ? b[0].addr : 0), aligned ? "all aligned" : "MISALIGNED",
	       inside ? "all inside the window" : "OUTSIDE THE WINDOW");
	check_virtio(ecam, b, n);
}

/* OVMF's PciHostIrqs[] for Q35, and the SeaBIOS swizzle of slots 0..24. */
static const uint8_t host_irqs[4] = { 0x0a, 0x0a, 0x0b, 0x0b };

void pci_pirq(uint32_t ecam)
{
	unsigned int i, dev;

	printf(PR "pirq a-h at reset:");
	for (i = 0; i < 4; i++)
		printf(" 0x%02x", conf1_read8(LPC_DEV, LPC_PIRQA + i));
	for (i = 0; i < 4; i++)
		printf(" 0x%02x", conf1_read8(LPC_DEV, LPC_PIRQE + i));
	printf("\n");
	for (i = 0; i < 4; i++) {
		conf1_write8(LPC_DEV, LPC_PIRQA + i, host_irqs[i]);
		conf1_write8(LPC_DEV, LPC_PIRQE + i, host_irqs[i]);
	}
	printf(PR "pirq a-h after OVMF's writes:");
	for (i = 0; i < 4; i++)
		printf(" 0x%02x", conf1_read8(LPC_DEV, LPC_PIRQA + i));
	for (i = 0; i < 4; i++)
		printf(" 0x%02x", conf1_read8(LPC_DEV, LPC_PIRQE + i));
	printf("\n");
	for (dev = 1; dev < 25; dev++) {
		uint8_t pin = mmio_read8(ecam_addr(ecam, dev, PCI_INT_PIN));
		uint8_t line;

		if ((mmio_read32(ecam_addr(ecam, dev, 0)) & 0xffff) == 0xffff || !pin)
			continue;
		line = host_irqs[(dev + pin - 1) % 4];
		mmio_write8(ecam_addr(ecam, dev, PCI_INT_LINE), line);
		printf(PR "00:%02x.0 INT%c: interrupt line 0x%02x (reads 0x%02x)\n", dev,
		       'A' + pin - 1, line, mmio_read8(ecam_addr(ecam, dev, PCI_INT_LINE)));
		/* QEMU's q35: slot S, pin P -> PIRQ E + (S + P - 1) % 4 */
		if ((mmio_read32(ecam_addr(ecam, dev, 0)) & 0xffff) == VIRTIO_VENDOR && pin == 1)
			pci_intx(ecam, dev, 4 + (dev + pin - 1) % 4, line);
	}
}
