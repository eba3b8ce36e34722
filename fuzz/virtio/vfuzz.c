// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/virtqueue.h"
#include "util/compiler.h"
#include "vfuzz.h"

#define DESC_NEXT	1
#define DESC_WRITE	2
#define DESC_INDIRECT	4

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
	f->image = data + VFUZZ_HDR;
	f->image_len = n;
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

/* ------------------------------------------------------------------ */
/* invariants */

/* Guest memory as bitmap indices: RAM at 0, then RAM2 (after a hole). */
#define RAM2_SIZE	0x10000ULL
#define SPAN		(VFUZZ_RAM + RAM2_SIZE)

static uint8_t allowed[SPAN / 8];
static uint8_t ring_area[SPAN / 8];

/* Set the bits of [gpa, gpa + len) that lie in the region holding @gpa. */
static void mark(uint8_t *map, uint64_t gpa, uint64_t len)
{
	uint64_t end, s, e;

	if (gpa < VFUZZ_RAM) {
		end = VFUZZ_RAM;
		s = gpa;
	} else if (gpa >= VFUZZ_RAM2 && gpa < VFUZZ_RAM2 + RAM2_SIZE) {
		end = SPAN;
		s = VFUZZ_RAM + gpa - VFUZZ_RAM2;
	} else {
		return;
	}
	e = len > end - s ? end : s + len;
	for (; s < e && (s & 7); s++)
		map[s / 8] |= (uint8_t)(1u << (s % 8));
	if (s + 8 <= e) {
		memset(map + s / 8, 0xff, (e - s) / 8);
		s += (e - s) / 8 * 8;
	}
	for (; s < e; s++)
		map[s / 8] |= (uint8_t)(1u << (s % 8));
}

static bool marked(const uint8_t *map, uint64_t k)
{
	return map[k / 8] & (1u << (k % 8));
}

/* The initial contents of guest memory at @gpa (zero outside the image). */
static void initial(const struct vfuzz *f, uint64_t gpa, void *out, size_t len)
{
	uint8_t *o = out;
	size_t i;

	for (i = 0; i < len; i++)
		o[i] = gpa + i < f->image_len ? f->image[gpa + i] : 0;
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static void desc_at(const struct vfuzz *f, uint64_t gpa, struct desc *d)
{
	uint8_t b[16];

	initial(f, gpa, b, 16);
	memcpy(&d->addr, b, 8);
	memcpy(&d->len, b + 8, 4);
	memcpy(&d->flags, b + 12, 2);
	memcpy(&d->next, b + 14, 2);
}

/* Mark what the descriptor table at @table (@n entries) lets a device write. */
static void mark_table(const struct vfuzz *f, uint64_t table, unsigned int n, bool top)
{
	struct desc d;
	unsigned int i;

	for (i = 0; i < n; i++) {
		desc_at(f, table + 16 * i, &d);
		if (top && (d.flags & DESC_INDIRECT) && d.len >= 16 && d.addr < VFUZZ_RAM) {
			mark(ring_area, d.addr, d.len);
			mark_table(f, d.addr, MIN(d.len / 16, 4096u), false);
		} else if (d.flags & DESC_WRITE) {
			mark(allowed, d.addr, d.len);
		}
	}
}

/* The most a chain from @head may take (its writable bytes); 0 if invalid. */
static uint64_t chain_room(const struct vfuzz *f, unsigned int q, uint16_t head)
{
	uint64_t room = 0, base = vfuzz_desc(q);
	unsigned int i = head, steps, n = f->qsize;
	bool in_table = false;
	struct desc d;

	for (steps = 0; steps <= 2u * 4096; steps++) {
		desc_at(f, base + 16 * i, &d);
		if (d.flags & DESC_INDIRECT) {
			if (in_table || d.len < 16 || d.addr >= VFUZZ_RAM)
				return 0;
			in_table = true;
			base = d.addr;
			n = MIN(d.len / 16, 4096u);
			i = 0;
			continue;
		}
		if (d.flags & DESC_WRITE)
			room += d.len;
		if (!(d.flags & DESC_NEXT))
			return room;
		i = d.next;
		if (i >= n)
			return 0;
	}
	return 0;
}

static void __attribute__((noreturn)) violation(const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "vfuzz: invariant violated: %s (0x%llx, 0x%llx)\n", what,
		(unsigned long long)a, (unsigned long long)b);
	abort();
}

/* Used elements the device wrote: heads inside the queue, lengths within reach. */
static void check_used(const struct vfuzz *f, unsigned int q)
{
	const uint8_t *u = guest_mem_ptr(&f->mem, vfuzz_used(q), vq_used_size(f->qsize));
	uint8_t was[8];
	uint16_t idx, idx0, i, n;

	if (!u)
		return;
	memcpy(&idx, u + 2, 2);
	initial(f, vfuzz_used(q) + 2, &idx0, 2);
	if (idx == idx0)
		return;		/* nothing pushed (or 65536 times) */
	n = idx < f->qsize ? idx : f->qsize;
	for (i = 0; i < n; i++) {
		uint32_t id, len;

		initial(f, vfuzz_used(q) + 4 + 8 * i, was, 8);
		if (!memcmp(was, u + 4 + 8 * i, 8))
			continue;	/* not written, or written as it was */
		memcpy(&id, u + 4 + 8 * i, 4);
		memcpy(&len, u + 8 + 8 * i, 4);
		if (id >= f->qsize)
			violation("a used element names a head past the queue", id, f->qsize);
		if (len > chain_room(f, q, (uint16_t)id))
			violation("a used length exceeds the chain's writable bytes", id, len);
	}
}

void vfuzz_check(struct vfuzz *f, unsigned int nq)
{
	const uint8_t *ram = guest_mem_ptr(&f->mem, 0, VFUZZ_RAM);
	const uint8_t *ram2 = guest_mem_ptr(&f->mem, VFUZZ_RAM2, RAM2_SIZE);
	unsigned int q;
	uint64_t k;

	memset(allowed, 0, sizeof(allowed));
	memset(ring_area, 0, sizeof(ring_area));
	for (q = 0; q < nq; q++) {
		mark(ring_area, vfuzz_desc(q), vq_desc_size(f->qsize));
		mark(ring_area, vfuzz_avail(q), vq_avail_size(f->qsize));
		mark(allowed, vfuzz_used(q), vq_used_size(f->qsize));
		mark_table(f, vfuzz_desc(q), f->qsize, true);
	}
	for (k = 0; k < sizeof(allowed); k++)
		if (allowed[k] & ring_area[k])
			return;		/* the rings could change under the device */
	for (q = 0; q < nq; q++)
		check_used(f, q);
	for (k = 0; k < SPAN; k++) {
		uint8_t was = k < f->image_len ? f->image[k] : 0;
		uint8_t now = k < VFUZZ_RAM ? ram[k] : ram2[k - VFUZZ_RAM];

		if (now != was && !marked(allowed, k))
			violation("the device wrote guest memory no descriptor let it write",
				  k < VFUZZ_RAM ? k : VFUZZ_RAM2 + k - VFUZZ_RAM, now);
	}
}
