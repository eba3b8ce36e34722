// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "vfuzz.h"

uint64_t vfuzz_desc(unsigned int q)
{
	return 0x1000ULL + 0x3000ULL * q;
}

uint64_t vfuzz_avail(unsigned int q)
{
	return 0x2000ULL + 0x3000ULL * q;
}

uint64_t vfuzz_used(unsigned int q)
{
	return 0x3000ULL + 0x3000ULL * q;
}

bool vfuzz_begin(struct vfuzz *f, const uint8_t *data, size_t size)
{
	size_t n;

	if (size < VFUZZ_HDR)
		return false;
	memset(f, 0, sizeof(*f));
	f->flags = data[0];
	f->rounds = 1 + data[1] % 8;
	f->qsize = (uint16_t)(1u << (1 + data[2] % 8));
	f->extra = data[3];
	if (guest_mem_add_ram(&f->mem, 0, VFUZZ_RAM, GUEST_MEM_ANON, false, "ram") ||
	    guest_mem_add_ram(&f->mem, VFUZZ_RAM2, 0x10000, GUEST_MEM_ANON, false, "ram2"))
		return false;
	n = size - VFUZZ_HDR;
	if (n > VFUZZ_RAM)
		n = VFUZZ_RAM;
	memcpy(guest_mem_ptr(&f->mem, 0, VFUZZ_RAM), data + VFUZZ_HDR, n);
	fake_platform_init(&f->fp);
	return true;
}

static void w(struct virtio_dev *vd, uint32_t off, uint64_t v, uint32_t len)
{
	uint8_t b[8];

	memcpy(b, &v, 8);
	virtio_pci_bar_io(&vd->pci, VIRTIO_BAR, off, b, len, true);
}

static uint64_t r(struct virtio_dev *vd, uint32_t off, uint32_t len)
{
	uint8_t b[8] = { 0 };
	uint64_t v;

	virtio_pci_bar_io(&vd->pci, VIRTIO_BAR, off, b, len, false);
	memcpy(&v, b, 8);
	return v;
}

void vfuzz_start(struct vfuzz *f, struct virtio_dev *vd, unsigned int nq)
{
	const uint32_t c = VIRTIO_OFF_COMMON;
	uint64_t feat;
	unsigned int i;

	w(vd, c + VIRTIO_PCI_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER, 1);
	w(vd, c + VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	feat = r(vd, c + VIRTIO_PCI_COMMON_DF, 4) & 0xffffffff;
	w(vd, c + VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	feat |= r(vd, c + VIRTIO_PCI_COMMON_DF, 4) << 32;
	if (!(f->flags & 1))
		feat &= ~(1ULL << VIRTIO_F_EVENT_IDX);
	if (!(f->flags & 2))
		feat &= ~(1ULL << VIRTIO_F_INDIRECT_DESC);
	w(vd, c + VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	w(vd, c + VIRTIO_PCI_COMMON_GF, feat & 0xffffffff, 4);
	w(vd, c + VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	w(vd, c + VIRTIO_PCI_COMMON_GF, feat >> 32, 4);
	w(vd, c + VIRTIO_PCI_COMMON_STATUS, 0xb, 1);
	if (f->flags & 4) {
		uint8_t ctl[2] = { 0, 0x80 };

		for (i = 0; i <= nq; i++) {
			w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i, 0xfee00000, 4);
			w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i + 8, 0x40 + i, 4);
			w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i + 12, 0, 4);
		}
		pci_dev_cfg_write(&vd->pci, vd->msix.cap + 2, ctl, 2);
		w(vd, c + VIRTIO_PCI_COMMON_MSIX, 0, 2);
	}
	for (i = 0; i < nq; i++) {
		w(vd, c + VIRTIO_PCI_COMMON_Q_SELECT, i, 2);
		w(vd, c + VIRTIO_PCI_COMMON_Q_SIZE, f->qsize, 2);
		w(vd, c + VIRTIO_PCI_COMMON_Q_DESCLO, vfuzz_desc(i), 8);
		w(vd, c + VIRTIO_PCI_COMMON_Q_AVAILLO, vfuzz_avail(i), 8);
		w(vd, c + VIRTIO_PCI_COMMON_Q_USEDLO, vfuzz_used(i), 8);
		w(vd, c + VIRTIO_PCI_COMMON_Q_MSIX, i + 1, 2);
		w(vd, c + VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
	}
	if (!(f->flags & 8))
		w(vd, c + VIRTIO_PCI_COMMON_STATUS, 0xf, 1);
}

void vfuzz_kick(struct vfuzz *f, struct virtio_dev *vd, unsigned int q)
{
	w(vd, VIRTIO_OFF_NOTIFY + VIRTIO_NOTIFY_MULT * q, q, 2);
	fake_platform_run(&f->fp);
	(void)r(vd, VIRTIO_OFF_ISR, 1);
}

void vfuzz_end(struct vfuzz *f)
{
	guest_mem_free(&f->mem);
}
