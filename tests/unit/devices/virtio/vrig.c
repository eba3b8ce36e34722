// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "vrig.h"

void vrig_init(struct vrig *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(guest_mem_add_ram(&r->mem, 0, VRIG_RAM, GUEST_MEM_ANON, false,
					   "ram"), 0);
	fake_platform_init(&r->fp);
}

void vrig_free(struct vrig *r)
{
	guest_mem_free(&r->mem);
}

void *gp(struct vrig *r, uint64_t gpa)
{
	void *p = guest_mem_ptr(&r->mem, gpa, 1);

	assert_non_null(p);
	return p;
}

static void w16(struct vrig *r, uint64_t gpa, uint16_t v)
{
	memcpy(gp(r, gpa), &v, 2);
}

static uint16_t r16(struct vrig *r, uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, gp(r, gpa), 2);
	return v;
}

void dq_init(struct dq *q, struct vrig *r, uint16_t size, uint64_t base)
{
	memset(q, 0, sizeof(*q));
	q->r = r;
	q->size = size;
	q->desc = base;
	q->avail = base + 16ULL * size;
	q->used = (q->avail + 6 + 2ULL * size + 3) & ~3ULL;
	memset(gp(r, base), 0, (size_t)(q->used + 6 + 8ULL * size - base));
}

void dq_desc(struct dq *q, uint16_t i, uint64_t addr, uint32_t len,
	     uint16_t flags, uint16_t next)
{
	uint8_t *d = gp(q->r, q->desc + 16ULL * i);

	memcpy(d, &addr, 8);
	memcpy(d + 8, &len, 4);
	memcpy(d + 12, &flags, 2);
	memcpy(d + 14, &next, 2);
}

void dq_publish(struct dq *q, uint16_t head)
{
	w16(q->r, q->avail + 4 + 2ULL * (q->avail_idx % q->size), head);
	q->avail_idx++;
	w16(q->r, q->avail + 2, q->avail_idx);
}

uint16_t dq_chain(struct dq *q, const struct tb *b, unsigned int n)
{
	uint16_t head = q->next % q->size, i = head;
	unsigned int k;

	for (k = 0; k < n; k++) {
		uint16_t nx = (uint16_t)((i + 1) % q->size);

		dq_desc(q, i, b[k].gpa, b[k].len,
			(uint16_t)((b[k].write ? VIRTQ_DESC_F_WRITE : 0) |
				   (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0)), nx);
		i = nx;
	}
	q->next = i;
	dq_publish(q, head);
	return head;
}

int dq_used(struct dq *q, uint32_t *id, uint32_t *len)
{
	uint8_t *e;

	if (r16(q->r, q->used + 2) == q->last_used)
		return 0;
	e = gp(q->r, q->used + 4 + 8ULL * (q->last_used % q->size));
	memcpy(id, e, 4);
	memcpy(len, e + 4, 4);
	q->last_used++;
	return 1;
}

void dq_set_avail_flags(struct dq *q, uint16_t flags)
{
	w16(q->r, q->avail, flags);
}

void dq_set_used_event(struct dq *q, uint16_t v)
{
	w16(q->r, q->avail + 4 + 2ULL * q->size, v);
}

uint16_t dq_used_flags(struct dq *q)
{
	return r16(q->r, q->used);
}

uint16_t dq_avail_event(struct dq *q)
{
	return r16(q->r, q->used + 4 + 8ULL * q->size);
}

uint64_t bar_r(struct virtio_dev *vd, uint32_t off, uint32_t len)
{
	uint8_t b[8] = { 0 };
	uint64_t v;

	virtio_pci_bar_io(&vd->pci, VIRTIO_BAR, off, b, len, false);
	memcpy(&v, b, 8);
	return len == 8 ? v : v & ((1ULL << (8 * len)) - 1);
}

void bar_w(struct virtio_dev *vd, uint32_t off, uint64_t v, uint32_t len)
{
	uint8_t b[8];

	memcpy(b, &v, 8);
	virtio_pci_bar_io(&vd->pci, VIRTIO_BAR, off, b, len, true);
}

void cfg_w16(struct virtio_dev *vd, uint32_t off, uint16_t v)
{
	uint8_t b[2];

	pci_put16(b, v);
	pci_dev_cfg_write(&vd->pci, off, b, 2);
}

uint8_t drv_start(struct virtio_dev *vd, uint64_t features, struct dq *q,
		  unsigned int nq, bool msix)
{
	uint32_t c = VIRTIO_OFF_COMMON;
	unsigned int i;

	uint64_t offered;

	features |= 1ULL << VIRTIO_F_VERSION_1;
	bar_w(vd, c + VIRTIO_PCI_COMMON_STATUS, 0, 1);
	bar_w(vd, c + VIRTIO_PCI_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE, 1);
	bar_w(vd, c + VIRTIO_PCI_COMMON_STATUS,
	      VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER, 1);
	bar_w(vd, c + VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	offered = bar_r(vd, c + VIRTIO_PCI_COMMON_DF, 4);
	bar_w(vd, c + VIRTIO_PCI_COMMON_DFSELECT, 1, 4);
	offered |= bar_r(vd, c + VIRTIO_PCI_COMMON_DF, 4) << 32;
	features &= offered;
	bar_w(vd, c + VIRTIO_PCI_COMMON_GFSELECT, 0, 4);
	bar_w(vd, c + VIRTIO_PCI_COMMON_GF, (uint32_t)features, 4);
	bar_w(vd, c + VIRTIO_PCI_COMMON_GFSELECT, 1, 4);
	bar_w(vd, c + VIRTIO_PCI_COMMON_GF, features >> 32, 4);
	bar_w(vd, c + VIRTIO_PCI_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	      VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK, 1);
	if (msix) {
		for (i = 0; i <= nq; i++) {
			bar_w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i, 0xfee00000, 4);
			bar_w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i + 8, 0x40 + i, 4);
			bar_w(vd, VIRTIO_OFF_MSIX_TABLE + 16 * i + 12, 0, 4);
		}
		cfg_w16(vd, vd->msix.cap + 2, MSIX_CTRL_ENABLE);
		bar_w(vd, c + VIRTIO_PCI_COMMON_MSIX, 0, 2);
	}
	for (i = 0; i < nq; i++) {
		if (!q[i].size)
			continue;
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_SELECT, i, 2);
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_SIZE, q[i].size, 2);
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_DESCLO, q[i].desc, 8);
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_AVAILLO, q[i].avail, 8);
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_USEDLO, q[i].used, 8);
		if (msix)
			bar_w(vd, c + VIRTIO_PCI_COMMON_Q_MSIX, i + 1, 2);
		bar_w(vd, c + VIRTIO_PCI_COMMON_Q_ENABLE, 1, 2);
	}
	bar_w(vd, c + VIRTIO_PCI_COMMON_STATUS, VIRTIO_STATUS_ACKNOWLEDGE |
	      VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
	      VIRTIO_STATUS_DRIVER_OK, 1);
	return (uint8_t)bar_r(vd, c + VIRTIO_PCI_COMMON_STATUS, 1);
}

void drv_kick(struct vrig *r, struct virtio_dev *vd, unsigned int q)
{
	bar_w(vd, VIRTIO_OFF_NOTIFY + VIRTIO_NOTIFY_MULT * q, q, 2);
	fake_platform_run(&r->fp);
}
