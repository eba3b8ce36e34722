// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Q35 probe's INTx check: a virtio device (MSI-X off) completes a
 * request and asserts INTA; the PIRQ its slot is wired to must reach the
 * ISA IRQ the route register names (seen in the slave PIC's IRR, level
 * mode) and GSI 16 + PIRQ (an IOAPIC entry whose vector then waits in the
 * LAPIC's IRR: interrupts stay off); with the route disabled only the
 * IOAPIC pin.  Reading the virtio ISR deasserts the line.
 */
#include "q35probe.h"

#define VQ_DESC		0x200000ULL	/* RAM the probe uses for the queue */
#define VQ_AVAIL	0x201000ULL
#define VQ_USED		0x202000ULL
#define VQ_BUF		0x203000ULL
#define VQ_SIZE		8

#define PCI_STATUS_INTX	0x08
#define IOAPIC		0xfec00000ULL
#define LAPIC		0xfee00000ULL
#define VECTOR		0x60
#define WAIT_TICKS	(3579545u / 10)		/* 100 ms of PM timer */

/* Poll @cond until it holds or 100 ms of PM timer passed (or a stuck timer). */
#define WAIT_FOR(cond) ({						\
	uint32_t t0_ = probe_pm_now();					\
	long n_ = 0;							\
	bool ok_;							\
	while (!(ok_ = (cond)) && ((probe_pm_now() - t0_) & 0xffffff) < WAIT_TICKS && \
	       ++n_ < 1000000)						\
		;							\
	ok_;								\
})

struct vdev {
	unsigned int dev;
	uint64_t common, notify, isr;
	uint16_t avail_idx;
};

static uint64_t bar_addr(uint32_t ecam, unsigned int dev, unsigned int bar)
{
	uint64_t a = ecam_addr(ecam, dev, 0x10 + 4 * bar);
	uint32_t lo = mmio_read32(a);

	if (((lo >> 1) & 3) == 2)
		return ((uint64_t)mmio_read32(a + 4) << 32) | (lo & ~0xfu);
	return lo & ~0xfu;
}

/* The virtio structures of @dev: common, notify (for queue 0), ISR. */
static bool vdev_find(uint32_t ecam, unsigned int dev, struct vdev *v)
{
	unsigned int cap = mmio_read8(ecam_addr(ecam, dev, 0x34)), guard = 0;
	uint32_t mult = 0;
	uint64_t notify = 0;

	v->dev = dev;
	v->common = v->notify = v->isr = 0;
	while (cap && guard++ < 48) {
		uint64_t c = ecam_addr(ecam, dev, cap);

		if (mmio_read8(c) == 0x09) {
			uint64_t at = bar_addr(ecam, dev, mmio_read8(c + 4)) + mmio_read32(c + 8);

			switch (mmio_read8(c + 3)) {
			case 1:
				v->common = at;
				break;
			case 2:
				notify = at;
				mult = mmio_read32(c + 16);
				break;
			case 3:
				v->isr = at;
				break;
			}
		}
		cap = mmio_read8(c + 1);
	}
	if (!v->common || !notify || !v->isr)
		return false;
	mmio_write16(v->common + 0x16, 0);			/* queue_select */
	v->notify = notify + (uint64_t)mmio_read16(v->common + 0x1e) * mult;
	return true;
}

/* Reset, VERSION_1, one queue of VQ_SIZE, DRIVER_OK; MSI-X stays off. */
static bool vdev_setup(struct vdev *v)
{
	uint64_t c = v->common;
	uint16_t size;

	mmio_write8(c + 0x14, 0);
	mmio_write8(c + 0x14, 1 | 2);				/* ACKNOWLEDGE, DRIVER */
	mmio_write32(c + 0x08, 0);
	mmio_write32(c + 0x0c, 0);
	mmio_write32(c + 0x08, 1);
	mmio_write32(c + 0x0c, 1);				/* VERSION_1 */
	mmio_write8(c + 0x14, 1 | 2 | 8);			/* FEATURES_OK */
	if (!(mmio_read8(c + 0x14) & 8))
		return false;
	mmio_write16(c + 0x16, 0);
	size = mmio_read16(c + 0x18);
	if (size < VQ_SIZE)
		return false;
	mmio_write16(c + 0x18, VQ_SIZE);
	mmio_write16(c + 0x1a, 0xffff);				/* no MSI-X vector */
	memset(phys(VQ_DESC), 0, 0x4000);
	mmio_write32(c + 0x20, (uint32_t)VQ_DESC);
	mmio_write32(c + 0x24, 0);
	mmio_write32(c + 0x28, (uint32_t)VQ_AVAIL);
	mmio_write32(c + 0x2c, 0);
	mmio_write32(c + 0x30, (uint32_t)VQ_USED);
	mmio_write32(c + 0x34, 0);
	mmio_write16(c + 0x1c, 1);				/* queue_enable */
	mmio_write8(c + 0x14, 1 | 2 | 8 | 4);			/* DRIVER_OK */
	v->avail_idx = 0;
	return true;
}

/* One 16-byte request; true once the device has used it (bounded wait). */
static bool vdev_kick(struct vdev *v)
{
	volatile uint8_t *desc = phys(VQ_DESC), *avail = phys(VQ_AVAIL);
	volatile uint16_t *used_idx = phys(VQ_USED + 2);
	unsigned int slot = v->avail_idx % VQ_SIZE;

	put_le64((uint8_t *)desc + 16 * slot, VQ_BUF);
	put_le32((uint8_t *)desc + 16 * slot + 8, 16);
	put_le16((uint8_t *)desc + 16 * slot + 12, 2);		/* VIRTQ_DESC_F_WRITE */
	put_le16((uint8_t *)avail + 4 + 2 * slot, (uint16_t)slot);
	__asm__ volatile("" ::: "memory");
	v->avail_idx++;
	put_le16((uint8_t *)avail + 2, v->avail_idx);
	__asm__ volatile("mfence" ::: "memory");
	mmio_write16(v->notify, 0);
	return WAIT_FOR(*used_idx == v->avail_idx);
}

/* The device's PCI status says INTx is asserted (bounded wait). */
static bool intx_asserted(uint32_t ecam, unsigned int dev)
{
	return WAIT_FOR(mmio_read16(ecam_addr(ecam, dev, 0x06)) & PCI_STATUS_INTX);
}

static bool pic_irr(unsigned int irq)
{
	uint16_t port = irq < 8 ? 0x20 : 0xa0;

	outb(port, 0x0a);				/* OCW3: read IRR */
	return inb(port) & (1u << (irq & 7));
}

static bool pic_irr_wait(unsigned int irq, bool want)
{
	return WAIT_FOR(pic_irr(irq) == want);
}

static void ioapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(IOAPIC, reg);
	mmio_write32(IOAPIC + 0x10, v);
}

static bool lapic_pending(unsigned int vec)
{
	return WAIT_FOR(mmio_read32(LAPIC + 0x200 + 0x10 * (vec / 32)) & (1u << (vec % 32)));
}

void pci_intx(uint32_t ecam, unsigned int dev, unsigned int pirq, unsigned int irq)
{
	unsigned int gsi = 16 + pirq, route = pirq < 4 ? 0x60 + pirq : 0x68 + pirq - 4;
	struct vdev v;
	bool pic, apic;

	if (!vdev_find(ecam, dev, &v) || !vdev_setup(&v)) {
		printf(PR "intx: 00:%02x.0 could not be set up as a virtio device\n", dev);
		return;
	}
	/* PICs masked, IRQ 8-15 level triggered; the GSI to a vector, LAPIC on */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	outb(0x4d1, (uint8_t)(inb(0x4d1) | 1u << (irq - 8)));
	mmio_write32(LAPIC + 0xf0, mmio_read32(LAPIC + 0xf0) | 0x1ff);
	ioapic_write(0x10 + 2 * gsi + 1, 0);				/* APIC ID 0 */
	ioapic_write(0x10 + 2 * gsi, VECTOR | 1u << 15);		/* level, unmasked */

	printf(PR "intx: 00:%02x.0 INTA is PIRQ%c, route 0x%02x, GSI %u\n", dev, 'A' + pirq,
	       conf1_read8(LPC_DEV, route), gsi);
	if (!vdev_kick(&v) || !intx_asserted(ecam, dev)) {
		printf(PR "intx: the device completed no request with INTx\n");
		return;
	}
	pic = pic_irr_wait(irq, true);
	apic = lapic_pending(VECTOR);
	printf(PR "intx: asserted: IRQ %u in the PIC's IRR %s, GSI %u -> vector 0x%x %s\n",
	       irq, pic ? "yes" : "NO", gsi, VECTOR, apic ? "pending in the LAPIC" : "NOT SEEN");
	(void)mmio_read8(v.isr);					/* deasserts */
	printf(PR "intx: after the ISR read: IRQ %u in the IRR %s\n", irq,
	       pic_irr_wait(irq, false) ? "no" : "STILL");
	/* the route disabled: the ISA IRQ stays quiet */
	conf1_write8(LPC_DEV, route, (uint8_t)(irq | 0x80));
	if (!vdev_kick(&v) || !intx_asserted(ecam, dev)) {
		printf(PR "intx: the device completed no second request\n");
		return;
	}
	printf(PR "intx: route 0x%02x (disabled): IRQ %u in the IRR %s\n",
	       conf1_read8(LPC_DEV, route), irq, pic_irr_wait(irq, true) ? "YES" : "no");
	(void)mmio_read8(v.isr);
	conf1_write8(LPC_DEV, route, (uint8_t)irq);
	ioapic_write(0x10 + 2 * gsi, 1u << 16);				/* masked */
	mmio_write8(v.common + 0x14, 0);				/* reset */
}
