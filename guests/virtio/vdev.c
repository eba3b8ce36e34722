// SPDX-License-Identifier: GPL-2.0-only
/* virtio 1.x over PCI, driver side (virtio 1.2, 4.1 and 2.7). */
#include "vguest.h"

#define CAP_VNDR	0x09
#define CAP_MSIX	0x11
#define T_COMMON	1
#define T_NOTIFY	2
#define T_ISR		3
#define T_DEVICE	4

int failures;
static uint64_t heap, heap_end;
static unsigned int next_vec = VEC_BASE;

void valloc_init(const struct guest_boot *boot)
{
	heap = 32ULL << 20;		/* above the guest image and its stack */
	heap_end = boot_ram_end(boot);
	if (heap_end > (3ULL << 30))
		heap_end = 3ULL << 30;
}

uint64_t valloc_ram_end(void)
{
	return heap_end;
}

void *valloc(uint64_t size, uint64_t align)
{
	uint64_t p = (heap + align - 1) & ~(align - 1);

	if (p + size > heap_end) {
		printf("FAIL: out of guest memory\n");
		guest_exit(GUEST_FAIL);
	}
	heap = p + size;
	/* guest RAM starts zeroed and nothing is reused: no memset, which
	 * would take long where KVM interprets guest kernel code */
	return (void *)p;
}

uint64_t cmdline_num(const char *cmdline, const char *key, uint64_t def)
{
	size_t kl = strlen(key);
	const char *p = cmdline;
	uint64_t v = 0;

	while (p && *p) {
		if (!strncmp(p, key, kl) && p[kl] == '=' &&
		    (p == cmdline || p[-1] == ' ')) {
			p += kl + 1;
			if (p[0] == '0' && p[1] == 'x') {
				for (p += 2; *p && *p != ' '; p++)
					v = v * 16 + (uint64_t)(*p <= '9' ? *p - '0' :
							(*p | 0x20) - 'a' + 10);
			} else {
				for (; *p >= '0' && *p <= '9'; p++)
					v = v * 10 + (uint64_t)(*p - '0');
			}
			return v;
		}
		p++;
	}
	return def;
}

int cmdline_flag(const char *cmdline, const char *word)
{
	size_t wl = strlen(word);
	const char *p = cmdline;

	while (p && *p) {
		if (!strncmp(p, word, wl) && (p == cmdline || p[-1] == ' ') &&
		    (p[wl] == 0 || p[wl] == ' '))
			return 1;
		p++;
	}
	return 0;
}

int vdev_find(uint16_t id, int n)
{
	unsigned int slot;

	for (slot = 0; slot < 32; slot++) {
		uint32_t idw = pci_read32(slot, 0);

		if ((idw & 0xffff) != VIRTIO_VENDOR)
			continue;
		if ((idw >> 16) != 0x1040u + id)
			continue;
		if (n-- == 0)
			return (int)slot;
	}
	return -1;
}

int vdev_probe(struct vdev *d, unsigned int slot)
{
	unsigned int cap = 0;

	memset(d, 0, sizeof(*d));
	d->slot = slot;
	d->id = (uint16_t)(pci_read16(slot, 2) - 0x1040);
	/* memory decoding and bus mastering on */
	pci_write16(slot, 4, pci_read16(slot, 4) | 0x6);
	while ((cap = pci_find_cap(slot, CAP_VNDR, cap))) {
		uint8_t type = pci_read8(slot, cap + 3);
		uint64_t base = pci_bar(slot, pci_read8(slot, cap + 4));
		uint64_t addr = base + pci_read32(slot, cap + 8);

		if (!base)
			continue;
		if (type == T_COMMON && !d->common)
			d->common = addr;
		else if (type == T_NOTIFY && !d->notify_base) {
			d->notify_base = addr;
			d->notify_mult = pci_read32(slot, cap + 16);
		} else if (type == T_ISR && !d->isr)
			d->isr = addr;
		else if (type == T_DEVICE && !d->device)
			d->device = addr;
	}
	cap = pci_find_cap(slot, CAP_MSIX, 0);
	if (cap) {
		uint32_t t = pci_read32(slot, cap + 4);

		d->msix_cap = cap;
		d->msix_nr = (pci_read16(slot, cap + 2) & 0x7ff) + 1;
		d->msix_table = pci_bar(slot, t & 7) + (t & ~7u);
	}
	d->intx_line = pci_read8(slot, 0x3c);
	if (!d->common || !d->notify_base || !d->isr) {
		printf("FAIL: virtio device at slot %u lacks capabilities\n", slot);
		return -1;
	}
	return 0;
}

uint8_t vdev_status(struct vdev *d)
{
	return rd8(d->common + C_STATUS);
}

void vdev_reset(struct vdev *d)
{
	int n = 100000;

	wr8(d->common + C_STATUS, 0);
	while (rd8(d->common + C_STATUS) && --n)
		cpu_relax();
}

uint64_t vdev_offered(struct vdev *d)
{
	uint64_t f;

	wr32(d->common + C_DFSELECT, 0);
	f = rd32(d->common + C_DF);
	wr32(d->common + C_DFSELECT, 1);
	return f | (uint64_t)rd32(d->common + C_DF) << 32;
}

static void intx_all(void);
static struct vdev *intx_devs[16];
static unsigned int nr_intx;

static void intx_all(void)
{
	unsigned int i;

	/* reading the ISR acknowledges (and lowers) the line */
	for (i = 0; i < nr_intx; i++)
		(void)rd8(intx_devs[i]->isr);
}

static int setup_queue(struct vdev *d, unsigned int i, uint16_t want)
{
	struct vq *q = &d->vqs[i];
	uint16_t max, size, n, off;

	wr16(d->common + C_QSELECT, (uint16_t)i);
	max = rd16(d->common + C_QSIZE);
	if (!max) {
		printf("FAIL: queue %u has size 0\n", i);
		return -1;
	}
	size = want < max ? want : max;
	wr16(d->common + C_QSIZE, size);
	memset(q, 0, sizeof(*q));
	q->index = i;
	q->size = size;
	q->desc = valloc(16ULL * size, 16);
	q->avail = valloc(6 + 2ULL * size, 2);
	q->used = valloc(6 + 8ULL * size, 4);
	for (n = 0; n + 1 < size; n++)
		q->desc[n].next = (uint16_t)(n + 1);
	q->free_head = 0;
	q->num_free = size;
	wr64(d->common + C_QDESC, (uint64_t)q->desc);
	wr64(d->common + C_QAVAIL, (uint64_t)q->avail);
	wr64(d->common + C_QUSED, (uint64_t)q->used);
	q->vector = 0xffff;
	if (d->use_msix) {
		wr16(d->common + C_QMSIX, (uint16_t)(1 + i));
		q->vector = rd16(d->common + C_QMSIX);
		if (q->vector != 1 + i) {
			printf("FAIL: queue %u: MSI-X vector not accepted\n", i);
			return -1;
		}
	}
	off = rd16(d->common + C_QNOFF);
	q->notify = d->notify_base + (uint64_t)off * d->notify_mult;
	wr16(d->common + C_QENABLE, 1);
	if (rd16(d->common + C_QENABLE) != 1) {
		printf("FAIL: queue %u not enabled (status 0x%x)\n", i, vdev_status(d));
		return -1;
	}
	return 0;
}

int vdev_init(struct vdev *d, uint64_t want, unsigned int nvq, uint16_t qsize,
	      int intx)
{
	uint64_t offered;
	unsigned int i;

	vdev_reset(d);
	wr8(d->common + C_STATUS, S_ACK);
	wr8(d->common + C_STATUS, S_ACK | S_DRIVER);
	offered = vdev_offered(d);
	if (!(offered >> F_VERSION_1 & 1)) {
		printf("FAIL: device does not offer VERSION_1\n");
		return -1;
	}
	d->features = (want | 1ULL << F_VERSION_1) & offered;
	wr32(d->common + C_GFSELECT, 0);
	wr32(d->common + C_GF, (uint32_t)d->features);
	wr32(d->common + C_GFSELECT, 1);
	wr32(d->common + C_GF, (uint32_t)(d->features >> 32));
	wr8(d->common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	if (!(vdev_status(d) & S_FEATURES_OK)) {
		printf("FAIL: FEATURES_OK refused for 0x%llx\n",
		       (unsigned long long)d->features);
		return -1;
	}
	d->use_msix = !intx && d->msix_cap && d->msix_nr >= nvq + 1;
	if (d->use_msix) {
		/* vector i of the table -> IDT vector vec_base + i, to us */
		if (!d->vec_base) {
			d->vec_base = (uint8_t)next_vec;
			next_vec += nvq + 1;
		}
		for (i = 0; i < nvq + 1; i++) {
			uint64_t e = d->msix_table + 16ULL * i;

			wr32(e + 0, 0xfee00000u | (uint32_t)lapic_id() << 12);
			wr32(e + 4, 0);
			wr32(e + 8, d->vec_base + i);
			wr32(e + 12, 0);	/* unmasked */
		}
		pci_write16(d->slot, d->msix_cap + 2, 0x8000);	/* enable */
		wr16(d->common + C_MSIX, 0);
		if (rd16(d->common + C_MSIX) != 0) {
			printf("FAIL: config MSI-X vector not accepted\n");
			return -1;
		}
	} else {
		if (d->msix_cap)
			pci_write16(d->slot, d->msix_cap + 2, 0);
		if (!d->vec_base) {
			d->vec_base = (uint8_t)(0x30 + d->intx_line);
			irq_route_ioapic(d->intx_line, d->vec_base);
			intx_hook = intx_all;
			if (nr_intx < 16)
				intx_devs[nr_intx++] = d;
		}
	}
	d->nvq = nvq;
	for (i = 0; i < nvq; i++)
		if (setup_queue(d, i, qsize))
			return -1;
	wr8(d->common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	return 0;
}

/* ---- queues ---- */

static uint16_t used_idx(struct vq *q)
{
	return *(volatile uint16_t *)(q->used + 2);
}

uint16_t vq_used_idx(struct vq *q)
{
	return used_idx(q);
}

int vq_add(struct vq *q, const struct vbuf *b, unsigned int n, int indirect)
{
	uint16_t head, i, k;

	if (!n)
		return -1;
	if (indirect) {
		struct vdesc *t = valloc(16ULL * n, 16);

		for (k = 0; k < n; k++) {
			t[k].addr = (uint64_t)b[k].addr;
			t[k].len = b[k].len;
			t[k].flags = (uint16_t)((b[k].write ? D_WRITE : 0) |
						(k + 1u < n ? D_NEXT : 0));
			t[k].next = (uint16_t)(k + 1);
		}
		if (!q->num_free)
			return -1;
		head = q->free_head;
		q->free_head = q->desc[head].next;
		q->num_free--;
		q->desc[head].addr = (uint64_t)t;
		q->desc[head].len = 16 * n;
		q->desc[head].flags = D_INDIRECT;
	} else {
		if (q->num_free < n)
			return -1;
		head = i = q->free_head;
		for (k = 0; k < n; k++) {
			q->desc[i].addr = (uint64_t)b[k].addr;
			q->desc[i].len = b[k].len;
			q->desc[i].flags = (uint16_t)((b[k].write ? D_WRITE : 0) |
						      (k + 1u < n ? D_NEXT : 0));
			if (k + 1u < n)
				i = q->desc[i].next;
		}
		q->free_head = q->desc[i].next;
		q->num_free = (uint16_t)(q->num_free - n);
	}
	q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
	barrier();
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	return head;
}

void vq_kick(struct vdev *d, struct vq *q)
{
	mb();
	wr16(q->notify, (uint16_t)q->index);
}

int vq_wait(struct vdev *d, struct vq *q, uint32_t *len, unsigned long spins)
{
	const volatile uint8_t *e;
	uint16_t id, i, n;

	if (used_idx(q) == q->last_used &&
	    wait_change16((volatile uint16_t *)(q->used + 2), q->last_used, spins))
		return -1;
	barrier();
	e = q->used + 4 + 8 * (q->last_used & (q->size - 1));
	id = (uint16_t)*(const volatile uint32_t *)e;
	if (len)
		*len = *(const volatile uint32_t *)(e + 4);
	q->last_used++;
	/* give the chain's descriptors back */
	if (id < q->size) {
		for (i = id, n = 1; (q->desc[i].flags & D_NEXT) && n < q->size; n++)
			i = q->desc[i].next;
		q->desc[i].next = q->free_head;
		q->free_head = id;
		q->num_free = (uint16_t)(q->num_free + n);
	}
	return id;
}

int vq_poll(struct vq *q, uint32_t *len)
{
	if (used_idx(q) == q->last_used)
		return -1;
	return vq_wait(NULL, q, len, 1);
}

int vq_xfer(struct vdev *d, struct vq *q, const struct vbuf *b, unsigned int n,
	    int indirect, uint32_t *len)
{
	int head = vq_add(q, b, n, indirect && vdev_has(d, F_INDIRECT));

	if (head < 0)
		return -1;
	vq_kick(d, q);
	return vq_wait(d, q, len, 0) == head ? 0 : -1;
}
