// SPDX-License-Identifier: GPL-2.0-only
/*
 * A hostile virtio driver.  It writes descriptor chains and registers no
 * correct driver would, and checks that cvmm fails the request (used
 * length 0, or an I/O error status) or marks the device DEVICE_NEEDS_RESET,
 * and that the device works again afterwards (after a reset where the
 * spec asks for one).  cvmm must survive all of it: the harness checks
 * that the run ends with this guest's verdict.
 *
 *   chains     self loop, two-descriptor loop, next index out of range,
 *              buffers outside RAM (MMIO hole, past the end, wrapping
 *              2^64), 4 GiB lengths, readable after writable, no status
 *              byte, short header, huge sector
 *   indirect   empty, size not a multiple of 16, misaligned, outside RAM,
 *              nested, with NEXT, looping inside, too many entries, next
 *              past the table, without the feature
 *   rings      head index past the queue, available index far ahead,
 *              rings outside RAM, queue size not a power of two
 *   transport  features never offered, VERSION_1 refused, DRIVER_OK
 *              without FEATURES_OK, out-of-range selectors and vectors,
 *              notify past the queues, MSI-X table/PBA abuse, the PCI
 *              config window with bad parameters, BAR moved out of the
 *              window and back
 *   devices    rng, vsock and net packets with lying lengths
 */
#include "vguest.h"

#define SPINS		20000
#define HDR		0	/* descriptor slots used by the raw requests */
#define DATA		1
#define STAT		2
#define IND		8

static const char *cmdline;
static struct vdev blk;
static uint8_t *hdr_buf, *data_buf, *stat_buf;
static struct vdesc *tables;	/* scratch space for indirect tables */
static uint64_t ram_end;

struct blk_hdr {
	uint32_t type, ioprio;
	uint64_t sector;
};

static uint8_t pattern(uint64_t sector, unsigned int j)
{
	return (uint8_t)((sector * 31) ^ j ^ (j >> 8) ^ (sector >> 8));
}

/* ---- raw queue access ---- */

static void set_desc(struct vdesc *d, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
}

static void submit(struct vdev *d, struct vq *q, uint16_t head)
{
	q->avail[2 + (q->avail_idx & (q->size - 1))] = head;
	barrier();
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	vq_kick(d, q);
}

/* Next used element: 0 with *id and *len, -1 after a while without one. */
static int reap(struct vq *q, uint32_t *id, uint32_t *len)
{
	const volatile uint8_t *e;

	if (wait_change16((volatile uint16_t *)(q->used + 2), q->last_used, SPINS))
		return -1;
	e = q->used + 4 + 8 * (q->last_used & (q->size - 1));
	*id = *(const volatile uint32_t *)e;
	*len = *(const volatile uint32_t *)(e + 4);
	q->last_used++;
	return 0;
}

static void blk_setup(void)
{
	int slot = vdev_find(VIRTIO_ID_BLOCK, 0);

	if (slot < 0 || vdev_probe(&blk, (unsigned int)slot) ||
	    vdev_init(&blk, 1ULL << F_INDIRECT, 1, 64, 0)) {
		printf("FAIL: no usable virtio-blk\n");
		guest_exit(GUEST_FAIL);
	}
}

/* The header, data and status buffers of a read of @sector. */
static void read_req(uint64_t sector, uint32_t len)
{
	struct blk_hdr *h = (struct blk_hdr *)hdr_buf;

	h->type = 0;
	h->ioprio = 0;
	h->sector = sector;
	*stat_buf = 0xee;
	memset(data_buf, 0, len);
}

/* A correct read of sector 0 must work. */
static void good_read(const char *after)
{
	struct vq *q = &blk.vqs[0];
	uint32_t id, len;
	unsigned int j;

	read_req(0, 512);
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, DATA);
	set_desc(&q->desc[DATA], (uint64_t)data_buf, 512, D_NEXT | D_WRITE, STAT);
	set_desc(&q->desc[STAT], (uint64_t)stat_buf, 1, D_WRITE, 0);
	submit(&blk, q, HDR);
	if (reap(q, &id, &len)) {
		CHECK(0, "after %s: a good read got no answer (status 0x%x)", after,
		      vdev_status(&blk));
		return;
	}
	CHECK(id == HDR && len == 513 && *stat_buf == 0,
	      "after %s: good read id %u len %u status %u", after, id, len, *stat_buf);
	for (j = 0; j < 512; j++)
		if (data_buf[j] != pattern(0, j)) {
			CHECK(0, "after %s: good read data", after);
			break;
		}
}

/* The chain at @head must come back with length 0, the device still live. */
static void expect_failed(const char *what, uint16_t head)
{
	struct vq *q = &blk.vqs[0];
	uint32_t id, len;

	submit(&blk, q, head);
	if (reap(q, &id, &len)) {
		CHECK(0, "%s: no answer", what);
	} else {
		CHECK(id == head && len == 0, "%s: id %u len %u (expected %u, 0)", what,
		      id, len, head);
	}
	CHECK(!(vdev_status(&blk) & S_NEEDS_RESET), "%s: device broken", what);
	good_read(what);
}

/*
 * The device must say DEVICE_NEEDS_RESET (and raise a configuration
 * interrupt: @cfg_irqs is the count before the damage); then reset it and
 * use it again.
 */
static void expect_broken(const char *what, unsigned int cfg_irqs)
{
	int n;

	for (n = 0; n < SPINS && !(vdev_status(&blk) & S_NEEDS_RESET); n++)
		(void)inb(0x80);
	CHECK(vdev_status(&blk) & S_NEEDS_RESET, "%s: no DEVICE_NEEDS_RESET (status 0x%x)",
	      what, vdev_status(&blk));
	irq_wait(&irq_count[blk.vec_base], cfg_irqs, 2000);
	CHECK(irq_count[blk.vec_base] != cfg_irqs, "%s: no configuration interrupt", what);
	blk_setup();
	good_read(what);
}

/* ---- chains ---- */

static void bad_chains(void)
{
	struct vq *q = &blk.vqs[0];
	uint64_t outside[] = { 0xd0000000ULL, ram_end, 1ULL << 40, 0xfffffffffffff000ULL };
	unsigned int i;

	read_req(0, 512);
	/* a descriptor that points at itself */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, HDR);
	expect_failed("self loop", HDR);
	/* two descriptors pointing at each other */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, DATA);
	set_desc(&q->desc[DATA], (uint64_t)data_buf, 512, D_NEXT | D_WRITE, HDR);
	expect_failed("two-descriptor loop", HDR);
	/* next past the table */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, 5000);
	expect_failed("next out of range", HDR);
	/* buffers outside guest RAM */
	for (i = 0; i < 4; i++) {
		read_req(0, 512);
		set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, DATA);
		set_desc(&q->desc[DATA], outside[i], 0x2000, D_NEXT | D_WRITE, STAT);
		set_desc(&q->desc[STAT], (uint64_t)stat_buf, 1, D_WRITE, 0);
		expect_failed("buffer outside RAM", HDR);
	}
	/* a header outside RAM */
	set_desc(&q->desc[HDR], 0xfee00000ULL, 16, D_NEXT, STAT);
	expect_failed("header in the LAPIC page", HDR);
	/* a 4 GiB - 1 length at a valid address */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, DATA);
	set_desc(&q->desc[DATA], (uint64_t)data_buf, 0xffffffffu, D_NEXT | D_WRITE, STAT);
	set_desc(&q->desc[STAT], (uint64_t)stat_buf, 1, D_WRITE, 0);
	expect_failed("4 GiB length", HDR);
	/* device-readable after device-writable */
	set_desc(&q->desc[HDR], (uint64_t)stat_buf, 1, D_NEXT | D_WRITE, DATA);
	set_desc(&q->desc[DATA], (uint64_t)hdr_buf, 16, 0, 0);
	expect_failed("readable after writable", HDR);
	/* no writable byte for the status */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, 0, 0);
	expect_failed("no status byte", HDR);
	/* an 8-byte header */
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 8, D_NEXT, STAT);
	set_desc(&q->desc[STAT], (uint64_t)stat_buf, 1, D_WRITE, 0);
	expect_failed("short header", HDR);
	/* indirect descriptors on a queue where the feature is... on; nested below */
	printf("hostile: chains ok\n");
}

static void bad_requests(void)
{
	struct vq *q = &blk.vqs[0];
	struct blk_hdr *h = (struct blk_hdr *)hdr_buf;
	uint32_t id, len;

	/* sector 2^63: the byte offset overflows */
	read_req(1ULL << 63, 512);
	set_desc(&q->desc[HDR], (uint64_t)hdr_buf, 16, D_NEXT, DATA);
	set_desc(&q->desc[DATA], (uint64_t)data_buf, 512, D_NEXT | D_WRITE, STAT);
	set_desc(&q->desc[STAT], (uint64_t)stat_buf, 1, D_WRITE, 0);
	submit(&blk, q, HDR);
	CHECK(!reap(q, &id, &len) && *stat_buf == 1, "sector 2^63: status %u", *stat_buf);
	/* sector just below 2^64 / 512 with a length that wraps */
	read_req(~0ULL / 512, 512);
	submit(&blk, q, HDR);
	CHECK(!reap(q, &id, &len) && *stat_buf == 1, "last sector: status %u", *stat_buf);
	/* a discard with 10000 segments worth of length */
	h->type = 11;
	set_desc(&q->desc[DATA], (uint64_t)data_buf, 16 * 10000, D_NEXT, STAT);
	submit(&blk, q, HDR);
	CHECK(!reap(q, &id, &len) && *stat_buf != 0, "huge discard: status %u", *stat_buf);
	good_read("bad requests");
	printf("hostile: requests ok\n");
}

/* ---- indirect tables ---- */

static void indirect(const char *what, uint64_t addr, uint32_t len, uint16_t flags)
{
	struct vq *q = &blk.vqs[0];

	set_desc(&q->desc[IND], addr, len, D_INDIRECT | flags, 0);
	expect_failed(what, IND);
}

static void good_table(struct vdesc *t)
{
	read_req(0, 512);
	set_desc(&t[0], (uint64_t)hdr_buf, 16, D_NEXT, 1);
	set_desc(&t[1], (uint64_t)data_buf, 512, D_NEXT | D_WRITE, 2);
	set_desc(&t[2], (uint64_t)stat_buf, 1, D_WRITE, 0);
}

static void bad_indirect(void)
{
	struct vq *q = &blk.vqs[0];
	struct vdesc *t = tables;
	uint32_t id, len;

	/* a good one first: the feature works */
	good_table(t);
	set_desc(&q->desc[IND], (uint64_t)t, 48, D_INDIRECT, 0);
	submit(&blk, q, IND);
	CHECK(!reap(q, &id, &len) && id == IND && len == 513 && *stat_buf == 0,
	      "good indirect: id %u len %u status %u", id, len, *stat_buf);

	indirect("empty indirect table", (uint64_t)t, 0, 0);
	indirect("indirect size 17", (uint64_t)t, 17, 0);
	indirect("misaligned indirect table", (uint64_t)t + 8, 48, 0);
	indirect("indirect table outside RAM", 0xd0000000ULL, 48, 0);
	indirect("indirect table past RAM", ram_end - 16, 48, 0);
	indirect("indirect with NEXT", (uint64_t)t, 48, D_NEXT);
	indirect("indirect table of 2048 entries", (uint64_t)t, 16 * 2048, 0);
	good_table(t);
	t[1].flags |= D_INDIRECT;
	indirect("nested indirect", (uint64_t)t, 48, 0);
	good_table(t);
	t[2].flags |= D_NEXT;
	t[2].next = 0;
	indirect("loop inside the table", (uint64_t)t, 48, 0);
	good_table(t);
	t[1].next = 7;
	indirect("next past the table", (uint64_t)t, 48, 0);
	printf("hostile: indirect ok\n");

	/* without the feature negotiated, an indirect descriptor is bad */
	{
		int slot = (int)blk.slot;

		if (vdev_init(&blk, 0, 1, 64, 0)) {
			failures++;
			return;
		}
		(void)slot;
		good_table(t);
		indirect("indirect without the feature", (uint64_t)t, 48, 0);
		blk_setup();
	}
}

/* ---- rings ---- */

static void bad_rings(void)
{
	struct vq *q = &blk.vqs[0];
	unsigned int irqs;
	uint16_t v;

	/* a head index past the queue */
	irqs = irq_count[blk.vec_base];
	q->avail[2 + (q->avail_idx & (q->size - 1))] = 999;
	barrier();
	q->avail_idx++;
	q->avail[1] = q->avail_idx;
	vq_kick(&blk, q);
	expect_broken("head past the queue", irqs);

	/* the available index 1000 entries ahead */
	q = &blk.vqs[0];
	irqs = irq_count[blk.vec_base];
	q->avail_idx = (uint16_t)(q->avail_idx + 1000);
	q->avail[1] = q->avail_idx;
	vq_kick(&blk, q);
	expect_broken("available index far ahead", irqs);

	/* rings outside RAM */
	vdev_reset(&blk);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER);
	wr32(blk.common + C_GFSELECT, 1);
	wr32(blk.common + C_GF, 1);		/* VERSION_1 */
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	wr16(blk.common + C_QSELECT, 0);
	wr64(blk.common + C_QDESC, 0xd0000000ULL);
	wr64(blk.common + C_QAVAIL, ram_end - 4);
	wr64(blk.common + C_QUSED, 1ULL << 45);
	wr16(blk.common + C_QENABLE, 1);
	CHECK(rd16(blk.common + C_QENABLE) == 0, "rings outside RAM: queue enabled");
	CHECK(vdev_status(&blk) & S_NEEDS_RESET, "rings outside RAM: status 0x%x",
	      vdev_status(&blk));
	/* misaligned rings */
	vdev_reset(&blk);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER);
	wr32(blk.common + C_GFSELECT, 1);
	wr32(blk.common + C_GF, 1);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	wr64(blk.common + C_QDESC, (uint64_t)tables + 8);
	wr64(blk.common + C_QAVAIL, (uint64_t)tables + 0x10001);
	wr64(blk.common + C_QUSED, (uint64_t)tables + 0x20002);
	wr16(blk.common + C_QENABLE, 1);
	CHECK(rd16(blk.common + C_QENABLE) == 0, "misaligned rings: queue enabled");
	/* queue sizes */
	vdev_reset(&blk);
	wr16(blk.common + C_QSELECT, 0);
	v = rd16(blk.common + C_QSIZE);
	wr16(blk.common + C_QSIZE, 3);
	CHECK(rd16(blk.common + C_QSIZE) == v, "queue size 3 accepted");
	wr16(blk.common + C_QSIZE, 0);
	CHECK(rd16(blk.common + C_QSIZE) == v, "queue size 0 accepted");
	wr16(blk.common + C_QSIZE, 0x8000);
	CHECK(rd16(blk.common + C_QSIZE) == v, "queue size 32768 above the maximum accepted");
	blk_setup();
	good_read("ring abuse");
	printf("hostile: rings ok\n");
}

/* ---- transport ---- */

static void bad_transport(void)
{
	struct vq *q;
	uint32_t id, len, cap;
	unsigned int i;

	/* features never offered */
	vdev_reset(&blk);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER);
	wr32(blk.common + C_GFSELECT, 1);
	wr32(blk.common + C_GF, 0x80000001u);	/* VERSION_1 and bit 63 */
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK(!(vdev_status(&blk) & S_FEATURES_OK), "unoffered feature accepted");
	/* no VERSION_1: legacy drivers are not served */
	vdev_reset(&blk);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	CHECK(!(vdev_status(&blk) & S_FEATURES_OK), "FEATURES_OK without VERSION_1");
	/* selectors and vectors out of range */
	wr32(blk.common + C_DFSELECT, 77);
	CHECK(rd32(blk.common + C_DF) == 0, "feature word 77 not zero");
	wr16(blk.common + C_QSELECT, 999);
	CHECK(rd16(blk.common + C_QSIZE) == 0, "queue 999 has a size");
	wr16(blk.common + C_QENABLE, 1);
	wr16(blk.common + C_MSIX, 999);
	CHECK(rd16(blk.common + C_MSIX) == 0xffff, "config vector 999 accepted");
	/* DRIVER_OK without FEATURES_OK: the device must not run */
	vdev_reset(&blk);
	wr8(blk.common + C_STATUS, S_ACK | S_DRIVER | S_DRIVER_OK);
	CHECK(!(vdev_status(&blk) & S_DRIVER_OK), "DRIVER_OK without FEATURES_OK");

	blk_setup();
	q = &blk.vqs[0];
	/* notify a queue that does not exist, and unaligned notify writes */
	wr16(blk.notify_base + 4 * 50, 50);
	wr8(blk.notify_base + 1, 0);
	wr32(blk.notify_base + 4000, 7);
	/* MSI-X table: out of range entries, PBA writes, odd sizes */
	wr32(blk.msix_table + 16 * 200, 0x12345678);
	CHECK(rd32(blk.msix_table + 16 * 200) == 0xffffffff, "MSI-X entry 200 exists");
	wr32(blk.msix_table + 0x1000, 0xffffffff);		/* the PBA */
	wr8(blk.msix_table + 3, 0xff);
	/* ISR and device config past their ends */
	wr32(blk.isr, 0xffffffff);
	(void)rd32(blk.device + 0x800);
	wr32(blk.device + 0x800, 1);
	wr32(blk.device + 0, 0xdeadbeef);		/* capacity is read-only */
	CHECK(rd32(blk.device) != 0xdeadbeef, "capacity writable");
	/* the PCI config access window with bad parameters */
	cap = 0;
	while ((cap = pci_find_cap(blk.slot, 0x09, cap)))
		if (pci_read8(blk.slot, cap + 3) == 5)
			break;
	CHECK(cap, "no VIRTIO_PCI_CAP_PCI_CFG");
	if (cap) {
		uint32_t bad[][3] = {
			{ 0, 0x12, 3 }, { 0, 0x13, 2 }, { 5, 0x12, 2 }, { 0, 0x7fff, 4 },
			{ 0, 0xfffffffc, 4 }, { 0, 0x12, 0 }, { 0, 0x12, 8 },
		};

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			pci_write8(blk.slot, cap + 4, (uint8_t)bad[i][0]);
			pci_write32(blk.slot, cap + 8, bad[i][1]);
			pci_write32(blk.slot, cap + 12, bad[i][2]);
			pci_write32(blk.slot, cap + 16, 0x55555555);
			(void)pci_read32(blk.slot, cap + 16);
		}
		/* and a good access: num_queues through config space */
		pci_write8(blk.slot, cap + 4, 0);
		pci_write32(blk.slot, cap + 8, 0x12);
		pci_write32(blk.slot, cap + 12, 2);
		CHECK((pci_read32(blk.slot, cap + 16) & 0xffff) == 1,
		      "num_queues through the config window: 0x%x",
		      pci_read32(blk.slot, cap + 16));
	}
	/* the BAR out of the window, an access, and back */
	{
		uint32_t bar = pci_read32(blk.slot, 0x10);

		pci_write32(blk.slot, 0x10, 0xfffff000);
		CHECK(rd32(bar & ~0xfu) == 0xffffffff, "BAR still decodes at the old address");
		pci_write32(blk.slot, 0x10, 0);
		pci_write32(blk.slot, 0x10, bar);
		pci_write32(blk.slot, 0x3c, 0xffffffff);	/* line, pin (RO) */
		pci_write32(blk.slot, 0x00, 0);			/* IDs are RO */
		CHECK(pci_read16(blk.slot, 0) == VIRTIO_VENDOR, "vendor ID writable");
	}
	/* other buses, functions and registers past 256 through ECAM */
	CHECK(rd32(0xe0000000ULL + (1ULL << 20)) == 0xffffffff, "bus 1 has a device");
	CHECK(rd32(0xe0000000ULL + ((uint64_t)blk.slot << 15) + (1 << 12)) == 0xffffffff,
	      "function 1 exists");
	CHECK(rd32(0xe0000000ULL + ((uint64_t)blk.slot << 15) + 0x800) == 0,
	      "extended config space not zero");
	{
		uint32_t bar = pci_read32(blk.slot, 0x10);

		/* one 8-byte ECAM write over BAR0 and BAR1, then BAR0 back */
		*(volatile uint64_t *)(0xe0000000ULL + ((uint64_t)blk.slot << 15) + 0x10) = ~0ULL;
		CHECK(pci_read32(blk.slot, 0x10) == 0xffff8000, "BAR0 after ~0: 0x%x",
		      pci_read32(blk.slot, 0x10));
		CHECK(pci_read32(blk.slot, 0x14) == 0, "BAR1 is implemented");
		pci_write32(blk.slot, 0x10, bar);
	}
	(void)rd8(0xe0000000ULL + 3);
	/* conf1 with odd sizes and the enable bit off */
	outl(0xcf8, 0x00000000);
	(void)inl(0xcfc);
	outb(0xcfb, 1);
	outw(0xcfa, 0xffff);
	good_read("transport abuse");
	(void)q;
	(void)id;
	(void)len;
	printf("hostile: transport ok\n");
}

/* ---- other devices ---- */

static void bad_rng(void)
{
	struct vdev d;
	struct vbuf vb;
	uint32_t len = 1;
	uint8_t *big;
	int slot = vdev_find(VIRTIO_ID_RNG, 0);

	if (slot < 0 || vdev_probe(&d, (unsigned int)slot) || vdev_init(&d, 0, 1, 16, 0)) {
		CHECK(0, "no virtio-rng");
		return;
	}
	/* only device-readable buffers: nothing to fill */
	vb = (struct vbuf){ data_buf, 64, 0 };
	CHECK(!vq_xfer(&d, &d.vqs[0], &vb, 1, 0, &len) && len == 0,
	      "rng with a readable buffer: len %u", len);
	/* 16 MiB of writable buffer: capped */
	big = valloc(16 << 20, 4096);
	vb = (struct vbuf){ big, 16 << 20, 1 };
	CHECK(!vq_xfer(&d, &d.vqs[0], &vb, 1, 0, &len) && len > 0 && len <= (16u << 20),
	      "rng with 16 MiB: len %u", len);
	printf("hostile: rng ok (%u bytes for 16 MiB)\n", len);
}

struct vs_hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));

static void bad_vsock(void)
{
	struct vdev d;
	struct vs_hdr *h = valloc(sizeof(*h), 8);
	uint8_t *rx = valloc(44 + 256, 64);
	struct vbuf b[2];
	uint32_t len;
	uint64_t cid;
	int slot = vdev_find(VIRTIO_ID_VSOCK, 0), id;

	if (slot < 0 || vdev_probe(&d, (unsigned int)slot) || vdev_init(&d, 0, 3, 16, 0)) {
		CHECK(0, "no virtio-vsock");
		return;
	}
	cid = (uint64_t)rd32(d.device) | (uint64_t)rd32(d.device + 4) << 32;
	b[0] = (struct vbuf){ rx, 44 + 256, 1 };
	vq_add(&d.vqs[0], b, 1, 0);
	vq_kick(&d, &d.vqs[0]);
	/* a header that claims more payload than the chain has */
	*h = (struct vs_hdr){ .src_cid = cid, .dst_cid = 2, .src_port = 7, .dst_port = 5000,
			      .len = 0x7fffffff, .type = 1, .op = 5, .buf_alloc = 4096 };
	b[0] = (struct vbuf){ h, sizeof(*h), 0 };
	b[1] = (struct vbuf){ data_buf, 16, 0 };
	CHECK(!vq_xfer(&d, &d.vqs[1], b, 2, 0, &len), "vsock lying length");
	/* a short header, a foreign source CID, a wrong type */
	b[0].len = 20;
	CHECK(!vq_xfer(&d, &d.vqs[1], b, 1, 0, &len), "vsock short header");
	h->len = 0;
	h->src_cid = cid + 1;
	h->op = 1;
	b[0].len = sizeof(*h);
	CHECK(!vq_xfer(&d, &d.vqs[1], b, 1, 0, &len), "vsock foreign CID");
	/* data on a connection that does not exist: RST */
	h->src_cid = cid;
	h->op = 5;
	h->len = 4;
	b[1].len = 4;
	CHECK(!vq_xfer(&d, &d.vqs[1], b, 2, 0, &len), "vsock stray data");
	id = vq_wait(&d, &d.vqs[0], &len, SPINS);
	CHECK(id == 0 && len == 44 && ((struct vs_hdr *)rx)->op == 3,
	      "stray data answered with id %d len %u op %u", id, len,
	      ((struct vs_hdr *)rx)->op);
	printf("hostile: vsock ok\n");
}

static void bad_net(void)
{
	struct vdev d;
	struct vbuf b;
	uint8_t *big;
	uint32_t len;
	int slot = vdev_find(VIRTIO_ID_NET, 0);

	if (slot < 0)
		return;
	if (vdev_probe(&d, (unsigned int)slot) || vdev_init(&d, 0, 2, 16, 0)) {
		CHECK(0, "virtio-net init");
		return;
	}
	b = (struct vbuf){ data_buf, 5, 0 };
	CHECK(!vq_xfer(&d, &d.vqs[1], &b, 1, 0, &len), "net: 5-byte frame");
	big = valloc(128 << 10, 4096);
	b = (struct vbuf){ big, 128 << 10, 0 };
	CHECK(!vq_xfer(&d, &d.vqs[1], &b, 1, 0, &len), "net: 128 KiB frame");
	printf("hostile: net ok\n");
}

void guest_main(const struct guest_boot *boot)
{
	cmdline = boot->cmdline;
	valloc_init(boot);
	ram_end = boot_ram_end(boot);
	irq_init();
	hdr_buf = valloc(4096, 4096);
	data_buf = valloc(16 * 10000, 4096);
	stat_buf = valloc(64, 64);
	tables = valloc(0x40000, 4096);
	printf("hostile: start, RAM ends at 0x%llx\n", (unsigned long long)ram_end);
	blk_setup();
	good_read("setup");
	if (cmdline_flag(cmdline, "only_rng")) {
		bad_rng();
		guest_exit(GUEST_PASS);
	}
	bad_chains();
	bad_requests();
	bad_indirect();
	bad_rings();
	bad_transport();
	bad_rng();
	bad_vsock();
	bad_net();
	blk_setup();
	good_read("everything");
	if (failures) {
		printf("hostile: %d failures\n", failures);
		guest_exit(GUEST_FAIL);
	}
	printf("hostile: PASS\n");
	guest_exit(GUEST_PASS);
}
