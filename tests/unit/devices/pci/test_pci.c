// SPDX-License-Identifier: GPL-2.0-only
/* PCI host bridge: configuration space, BAR sizing and moves, INTx. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/layout.h"
#include "devices/pci/pci_host.h"
#include "fake_platform.h"

#define WIN_START	0xc0000000ULL
#define WIN_END		0xc0100000ULL	/* a 1 MiB window: easy to fill */
#define ECAM		0xe0000000ULL

struct tdev {
	struct pci_dev pci;
	uint64_t last_map[PCI_NR_BARS];
	unsigned int maps;
	uint64_t io_off;
	unsigned int io_bar, ios;
	uint32_t cfg_writes;
};

static int tdev_bar_io(struct pci_dev *d, unsigned int bar, uint64_t off,
		       uint8_t *data, uint32_t len, bool is_write)
{
	struct tdev *t = d->opaque;

	t->io_bar = bar;
	t->io_off = off;
	t->ios++;
	if (!is_write)
		memset(data, 0x5a, len);
	return 0;
}

static void tdev_bar_map(struct pci_dev *d, unsigned int bar, uint64_t addr)
{
	struct tdev *t = d->opaque;

	t->last_map[bar] = addr;
	t->maps++;
}

static void tdev_cfg_write(struct pci_dev *d, uint32_t off, uint32_t len)
{
	((struct tdev *)d->opaque)->cfg_writes++;
}

static const struct pci_dev_ops tdev_ops = {
	.bar_io = tdev_bar_io,
	.bar_map = tdev_bar_map,
	.cfg_write = tdev_cfg_write,
};

static void tdev_init(struct tdev *t, uint64_t bar0, uint64_t bar2)
{
	memset(t, 0, sizeof(*t));
	pci_dev_init(&t->pci, 0x1af4, 0x1042, 0x018000, 1, 0x1af4, 0x1100, true,
		     &tdev_ops, t);
	if (bar0)
		assert_int_equal(pci_dev_add_bar(&t->pci, 0, bar0, false), 0);
	if (bar2)
		assert_int_equal(pci_dev_add_bar(&t->pci, 2, bar2, true), 0);
}

struct rig {
	struct fake_platform fp;
	struct pci_host h;
	struct io_bus pio, mmio;
	unsigned int cf9_hits;
	uint8_t cf9_last;
};

static int cf9_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		  bool is_write)
{
	struct rig *r = opaque;

	r->cf9_hits++;
	if (is_write)
		r->cf9_last = data[0];
	else
		data[0] = 0x42;
	return 0;
}

static struct rig *rig_new(bool with_cf9)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct pci_host_config hc = {
		.mmio_start = WIN_START, .mmio_end = WIN_END,
		.ecam_base = ECAM, .ecam_size = 16ULL << 20,
		.intx_gsi = { 10, 11, 5, 15 }, .intx_edge = true,
	};

	assert_non_null(r);
	fake_platform_init(&r->fp);
	assert_int_equal(pci_host_init(&r->h, &hc, &r->fp.plat), 0);
	if (with_cf9)
		assert_int_equal(io_bus_register(&r->pio, PORT_RESET_CF9, 1, cf9_io, r,
						 "reset"), 0);
	assert_int_equal(pci_host_register(&r->h, &r->pio, &r->mmio), 0);
	return r;
}

static void rig_free(struct rig *r)
{
	pci_host_destroy(&r->h);
	io_bus_free(&r->pio);
	io_bus_free(&r->mmio);
	free(r);
}

/* ---- port and MMIO helpers ---- */

static uint32_t in(struct rig *r, uint16_t port, uint32_t len)
{
	uint8_t b[4] = { 0 };

	io_bus_dispatch(&r->pio, port, b, len, false);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static void out(struct rig *r, uint16_t port, uint32_t v, uint32_t len)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	io_bus_dispatch(&r->pio, port, b, len, true);
}

static uint32_t conf1_read(struct rig *r, unsigned int slot, unsigned int off,
			   unsigned int len)
{
	out(r, 0xcf8, 0x80000000u | slot << 11 | (off & 0xfc), 4);
	return in(r, (uint16_t)(0xcfc + (off & 3)), len);
}

static void conf1_write(struct rig *r, unsigned int slot, unsigned int off,
			uint32_t v, unsigned int len)
{
	out(r, 0xcf8, 0x80000000u | slot << 11 | (off & 0xfc), 4);
	out(r, (uint16_t)(0xcfc + (off & 3)), v, len);
}

static uint64_t mmio_read(struct rig *r, uint64_t addr, uint32_t len, int *ret)
{
	uint8_t b[8] = { 0 };
	uint64_t v;
	int rc = io_bus_dispatch(&r->mmio, addr, b, len, false);

	if (ret)
		*ret = rc;
	memcpy(&v, b, 8);
	return v;
}

static void mmio_write(struct rig *r, uint64_t addr, uint64_t v, uint32_t len)
{
	uint8_t b[8];

	memcpy(b, &v, 8);
	io_bus_dispatch(&r->mmio, addr, b, len, true);
}

/* ---- tests ---- */

static void test_conf1_bridge(void **state)
{
	struct rig *r = rig_new(false);

	/* the address register reads back, reserved bits dropped */
	out(r, 0xcf8, 0x80000000u | 0x3, 4);
	assert_int_equal(in(r, 0xcf8, 4), 0x80000000u);
	out(r, 0xcf8, 0x8f00ff04, 4);
	assert_int_equal(in(r, 0xcf8, 4), 0x8000ff04u);
	/* 00:00.0 is the host bridge */
	assert_int_equal(conf1_read(r, 0, 0, 4), 0x00081b36);
	assert_int_equal(conf1_read(r, 0, 0x0a, 2), 0x0600);
	assert_int_equal(conf1_read(r, 0, 0x0e, 1), 0x00);	/* header type 0 */
	/* byte and word reads inside the dword */
	assert_int_equal(conf1_read(r, 0, 1, 1), 0x1b);
	assert_int_equal(conf1_read(r, 0, 2, 2), 0x0008);
	/* empty slot, other bus, other function, enable bit off */
	assert_int_equal(conf1_read(r, 7, 0, 4), 0xffffffff);
	out(r, 0xcf8, 0x80010000u, 4);
	assert_int_equal(in(r, 0xcfc, 4), 0xffffffff);
	out(r, 0xcf8, 0x80000100u, 4);
	assert_int_equal(in(r, 0xcfc, 4), 0xffffffff);
	out(r, 0xcf8, 0x00000000u, 4);
	assert_int_equal(in(r, 0xcfc, 4), 0xffffffff);
	/* an access that straddles the data port's end is not served */
	conf1_write(r, 0, 0x0c, 0x1234, 4);
	out(r, 0xcf8, 0x8000000cu, 4);
	assert_int_equal(in(r, 0xcfe, 4) & 0xffff, 0xffff);
	/* IDs are read-only */
	conf1_write(r, 0, 0, 0xdeadbeef, 4);
	assert_int_equal(conf1_read(r, 0, 0, 4), 0x00081b36);
	rig_free(r);
}

static void test_cf9_forwarded(void **state)
{
	struct rig *r = rig_new(true);

	out(r, 0xcf9, 0x06, 1);
	assert_int_equal(r->cf9_hits, 1);
	assert_int_equal(r->cf9_last, 0x06);
	assert_int_equal(in(r, 0xcf9, 1), 0x42);
	/* dword configuration accesses still work */
	assert_int_equal(conf1_read(r, 0, 0, 4), 0x00081b36);
	assert_int_equal(r->cf9_hits, 2);
	rig_free(r);

	/* anything else inside 0xcf8..0xcff is a conflict */
	{
		struct fake_platform fp;
		struct pci_host h;
		struct io_bus pio = { 0 }, mmio = { 0 };
		struct pci_host_config hc = { .mmio_start = WIN_START, .mmio_end = WIN_END };

		fake_platform_init(&fp);
		assert_int_equal(pci_host_init(&h, &hc, &fp.plat), 0);
		assert_int_equal(io_bus_register(&pio, 0xcfc, 2, cf9_io, NULL, "x"), 0);
		assert_int_equal(pci_host_register(&h, &pio, &mmio), -EBUSY);
		pci_host_destroy(&h);
		io_bus_free(&pio);
		io_bus_free(&mmio);
	}
}

static void test_ecam(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev t;
	int slot;

	tdev_init(&t, 0x8000, 0);
	slot = pci_host_add_dev(&r->h, &t.pci, 0);
	assert_int_equal(slot, 1);
	assert_int_equal(mmio_read(r, ECAM, 4, NULL), 0x00081b36);
	assert_int_equal(mmio_read(r, ECAM + (1 << 15), 4, NULL) & 0xffffffff, 0x10421af4);
	assert_int_equal(mmio_read(r, ECAM + (1 << 15) + 2, 2, NULL) & 0xffff, 0x1042);
	/* bus 1, function 1: nothing */
	assert_int_equal(mmio_read(r, ECAM + (1 << 20), 4, NULL) & 0xffffffff, 0xffffffff);
	assert_int_equal(mmio_read(r, ECAM + (1 << 15) + (1 << 12), 4, NULL) & 0xffffffff,
			 0xffffffff);
	/* extended space reads as zero; misaligned reads are refused */
	assert_int_equal(mmio_read(r, ECAM + (1 << 15) + 0x100, 4, NULL) & 0xffffffff, 0);
	assert_int_equal(mmio_read(r, ECAM + (1 << 15) + 1, 2, NULL) & 0xffff, 0xffff);
	/* one 8-byte write covers BAR0 and BAR1 */
	mmio_write(r, ECAM + (1 << 15) + 0x10, ~0ULL, 8);
	assert_int_equal(conf1_read(r, 1, 0x10, 4), 0xffff8000);
	assert_int_equal(conf1_read(r, 1, 0x14, 4), 0);
	/* same contents through both mechanisms */
	assert_int_equal(mmio_read(r, ECAM + (1 << 15) + 0x2c, 4, NULL) & 0xffffffff,
			 conf1_read(r, 1, 0x2c, 4));
	rig_free(r);
}

static void test_bar_assign_and_size(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev a, b;
	uint32_t v;

	tdev_init(&a, 0x8000, 0x1000);
	tdev_init(&b, 0x8000, 0);
	assert_int_equal(pci_host_add_dev(&r->h, &a.pci, 0), 1);
	assert_int_equal(pci_host_add_dev(&r->h, &b.pci, 0), 2);
	/* pre-assigned, naturally aligned, inside the window, decoding on */
	assert_int_equal(pci_dev_bar_addr(&a.pci, 0), WIN_START);
	assert_int_equal(pci_dev_bar_addr(&a.pci, 2), WIN_START + 0x8000);
	assert_int_equal(pci_dev_bar_addr(&b.pci, 0), WIN_START + 0x10000);
	assert_true(conf1_read(r, 1, 4, 2) & PCI_COMMAND_MEMORY);
	assert_int_equal(a.last_map[0], WIN_START);
	assert_int_equal(b.last_map[0], WIN_START + 0x10000);
	/* sizing: all ones read back as the size mask and the flags */
	conf1_write(r, 1, 0x10, 0xffffffff, 4);
	assert_int_equal(conf1_read(r, 1, 0x10, 4), 0xffff8000);
	conf1_write(r, 1, 0x18, 0xffffffff, 4);
	v = conf1_read(r, 1, 0x18, 4);
	assert_int_equal(v, 0xfffff000 | PCI_BASE_ADDRESS_MEM_PREFETCH);
	/* unimplemented BARs and the ROM read as zero */
	conf1_write(r, 1, 0x14, 0xffffffff, 4);
	assert_int_equal(conf1_read(r, 1, 0x14, 4), 0);
	conf1_write(r, 1, 0x30, 0xffffffff, 4);
	assert_int_equal(conf1_read(r, 1, 0x30, 4), 0);
	/* the sized BAR lies outside the window: not decoding */
	assert_int_equal(a.last_map[0], PCI_BAR_UNMAPPED);
	rig_free(r);
}

static void test_bar_move_and_dispatch(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev a;
	int ret;

	tdev_init(&a, 0x8000, 0);
	pci_host_add_dev(&r->h, &a.pci, 0);
	mmio_read(r, WIN_START + 0x1234, 4, &ret);
	assert_int_equal(ret, 0);
	assert_int_equal(a.io_off, 0x1234);
	/* move it: the device is told, the old address is dead */
	conf1_write(r, 1, 0x10, (uint32_t)WIN_START + 0x40000, 4);
	assert_int_equal(a.last_map[0], WIN_START + 0x40000);
	assert_int_equal(mmio_read(r, WIN_START + 0x1234, 4, &ret) & 0xffffffff, 0xffffffff);
	assert_int_equal(ret, -ENOENT);
	assert_int_equal(mmio_read(r, WIN_START + 0x40010, 2, &ret) & 0xffff, 0x5a5a);
	assert_int_equal(a.io_off, 0x10);
	/* an access running past the BAR's end is not the device's */
	a.ios = 0;
	mmio_read(r, WIN_START + 0x40000 + 0x7ffe, 4, &ret);
	assert_int_equal(a.ios, 0);
	/* memory decoding off: unmapped; on again: back */
	conf1_write(r, 1, 4, 0, 2);
	assert_int_equal(a.last_map[0], PCI_BAR_UNMAPPED);
	mmio_read(r, WIN_START + 0x40010, 4, &ret);
	assert_int_equal(ret, -ENOENT);
	conf1_write(r, 1, 4, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(a.last_map[0], WIN_START + 0x40000);
	/* a BAR that leaves the window stops decoding */
	conf1_write(r, 1, 0x10, (uint32_t)WIN_END, 4);
	assert_int_equal(a.last_map[0], PCI_BAR_UNMAPPED);
	conf1_write(r, 1, 0x10, 0, 4);
	assert_int_equal(a.last_map[0], PCI_BAR_UNMAPPED);
	rig_free(r);
}

static void test_window_full(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev t[33];
	unsigned int i;
	int ret = 0;

	/* 1 MiB window, 256 KiB BARs: four fit */
	for (i = 0; i < 5; i++) {
		tdev_init(&t[i], 0x40000, 0);
		ret = pci_host_add_dev(&r->h, &t[i].pci, 0);
		if (i < 4)
			assert_int_equal(ret, (int)i + 1);
	}
	assert_int_equal(ret, -ENOSPC);
	rig_free(r);

	/* 31 slots besides the bridge */
	r = rig_new(false);
	for (i = 0; i < 32; i++) {
		tdev_init(&t[i], 0, 0);
		ret = pci_host_add_dev(&r->h, &t[i].pci, 0);
		if (i < 31)
			assert_int_equal(ret, (int)i + 1);
	}
	assert_int_equal(ret, -ENOSPC);
	tdev_init(&t[32], 0, 0);
	assert_int_equal(pci_host_add_dev(&r->h, &t[32].pci, 5), -EBUSY);
	rig_free(r);
}

static void test_caps_and_masks(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev t;
	int c1, c2;

	tdev_init(&t, 0x8000, 0);
	c1 = pci_dev_add_cap(&t.pci, 0x09, 16);
	c2 = pci_dev_add_cap(&t.pci, 0x11, 12);
	assert_int_equal(c1, 0x40);
	assert_int_equal(c2, 0x50);
	pci_host_add_dev(&r->h, &t.pci, 0);
	assert_true(conf1_read(r, 1, 6, 2) & PCI_STATUS_CAP_LIST);
	assert_int_equal(conf1_read(r, 1, 0x34, 1), 0x40);
	assert_int_equal(conf1_read(r, 1, 0x40, 2), 0x5009);
	assert_int_equal(conf1_read(r, 1, 0x50, 2), 0x0011);
	/* the cap bytes are read-only unless the device says so */
	conf1_write(r, 1, 0x40, 0xffffffff, 4);
	assert_int_equal(conf1_read(r, 1, 0x40, 2), 0x5009);
	assert_int_equal(t.cfg_writes, 1);
	/* interrupt pin read-only, line writable */
	conf1_write(r, 1, 0x3c, 0x0000ff77, 4);
	assert_int_equal(conf1_read(r, 1, 0x3c, 2), 0x0177);
	/* a full capability list */
	{
		struct pci_dev d;
		int n = 0;

		pci_dev_init(&d, 1, 2, 0, 0, 0, 0, false, NULL, NULL);
		while (pci_dev_add_cap(&d, 0x09, 20) > 0)
			n++;
		assert_int_equal(n, 9);		/* (256 - 64) / 20 */
	}
	rig_free(r);
}

static void test_intx(void **state)
{
	struct rig *r = rig_new(false);
	struct tdev t[5];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		tdev_init(&t[i], 0x1000, 0);
		assert_int_equal(pci_host_add_dev(&r->h, &t[i].pci, 0), (int)i + 1);
	}
	/* slot s, INTA: gsi[(s + 0) % 4] */
	assert_int_equal(conf1_read(r, 1, 0x3c, 1), 11);
	assert_int_equal(conf1_read(r, 2, 0x3c, 1), 5);
	assert_int_equal(conf1_read(r, 3, 0x3c, 1), 15);
	assert_int_equal(conf1_read(r, 4, 0x3c, 1), 10);
	assert_int_equal(conf1_read(r, 5, 0x3c, 1), 11);
	/* slot 1 asserts: GSI 11 up, status bit set */
	pci_dev_set_irq(&t[0].pci, true);
	assert_int_equal(r->fp.level[11], 1);
	assert_int_equal(r->fp.rising[11], 1);
	assert_true(conf1_read(r, 1, 6, 2) & PCI_STATUS_INTERRUPT);
	/* slot 5 shares GSI 11: a new edge, the line stays up */
	pci_dev_set_irq(&t[4].pci, true);
	assert_int_equal(r->fp.rising[11], 2);
	assert_int_equal(r->fp.level[11], 1);
	/* one goes down: still up; both: down */
	pci_dev_set_irq(&t[0].pci, false);
	assert_int_equal(r->fp.level[11], 1);
	assert_false(conf1_read(r, 1, 6, 2) & PCI_STATUS_INTERRUPT);
	pci_dev_set_irq(&t[4].pci, false);
	assert_int_equal(r->fp.level[11], 0);
	/* repeating a level changes nothing */
	pci_dev_set_irq(&t[1].pci, true);
	pci_dev_set_irq(&t[1].pci, true);
	assert_int_equal(r->fp.rising[5], 1);
	/* INTX_DISABLE masks the pin, and lets it through when cleared */
	conf1_write(r, 2, 4, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE, 2);
	assert_int_equal(r->fp.level[5], 0);
	conf1_write(r, 2, 4, PCI_COMMAND_MEMORY, 2);
	assert_int_equal(r->fp.level[5], 1);
	assert_int_equal(r->fp.rising[5], 2);
	rig_free(r);
}

/* ---- what the Q35 persona uses: its own root, a movable ECAM, a router ---- */

struct router_rec {
	int level[PCI_HOST_MAX_LINES];
	unsigned int rising[PCI_HOST_MAX_LINES];
};

static unsigned int router_map(void *opaque, unsigned int slot, unsigned int pin)
{
	return 4 + (slot + pin - 1) % 4;	/* ICH9's PIRQ E..H */
}

static void router_set(void *opaque, unsigned int line, int level)
{
	struct router_rec *rr = opaque;

	if (level && !rr->level[line])
		rr->rising[line]++;
	rr->level[line] = level;
}

struct q35_rig {
	struct router_rec rr;
	struct pci_intx_router router;
	struct fake_platform fp;
	struct rig r;
	struct tdev root, t[2];
};

static struct q35_rig *q35_rig_new(void)
{
	struct q35_rig *q = calloc(1, sizeof(*q));
	struct pci_host_config hc = {
		.mmio_start = 0x20000000, .mmio_end = 0xfc000000, .alloc_start = WIN_START,
		.intx_edge = true,
	};

	assert_non_null(q);
	q->router = (struct pci_intx_router){
		.map = router_map, .set = router_set, .opaque = &q->rr, .nr_lines = 8,
	};
	fake_platform_init(&q->fp);
	tdev_init(&q->root, 0, 0);
	pci_dev_init(&q->root.pci, 0x8086, 0x29c0, 0x060000, 0, 0x1af4, 0x1100, false,
		     &tdev_ops, &q->root);
	q->root.pci.conventional = true;
	hc.root = &q->root.pci;
	hc.router = &q->router;
	assert_int_equal(pci_host_init(&q->r.h, &hc, &q->fp.plat), 0);
	assert_int_equal(pci_host_register(&q->r.h, &q->r.pio, &q->r.mmio), 0);
	tdev_init(&q->t[0], 0x8000, 0);
	tdev_init(&q->t[1], 0x8000, 0);
	assert_int_equal(pci_host_add_dev(&q->r.h, &q->t[0].pci, 0), 1);
	assert_int_equal(pci_host_add_dev(&q->r.h, &q->t[1].pci, 0), 2);
	return q;
}

static void q35_rig_free(struct q35_rig *q)
{
	pci_host_destroy(&q->r.h);
	io_bus_free(&q->r.pio);
	io_bus_free(&q->r.mmio);
	free(q);
}

/* What the Q35 persona uses: its own root, pre-assignment apart, a router. */
static void test_q35_root_and_router(void **state)
{
	struct q35_rig *q = q35_rig_new();
	struct rig *r = &q->r;

	/* the window and nothing else: no fixed ECAM */
	assert_int_equal(r->mmio.nr, 1);
	/* 00:00.0 is the caller's device, its writes reach its callback */
	assert_int_equal(conf1_read(r, 0, 0, 4), 0x29c08086);
	conf1_write(r, 0, 0x60, 0xb0000001, 4);
	assert_int_equal(q->root.cfg_writes, 1);
	/* and the root cannot be removed */
	pci_host_remove_dev(&r->h, &q->root.pci);
	assert_int_equal(conf1_read(r, 0, 0, 4), 0x29c08086);
	/* BARs are pre-assigned from alloc_start, not the window base */
	assert_int_equal(conf1_read(r, 1, 0x10, 4), (uint32_t)WIN_START);
	/* the router's map: no Interrupt Line written (the firmware's job) */
	assert_int_equal(conf1_read(r, 1, 0x3c, 1), 0);
	/* INTx through the router: slot 1 INTA -> line 5, slot 2 -> line 6 */
	pci_dev_set_irq(&q->t[0].pci, true);
	assert_int_equal(q->rr.level[5], 1);
	pci_dev_set_irq(&q->t[1].pci, true);
	assert_int_equal(q->rr.level[6], 1);
	pci_dev_set_irq(&q->t[0].pci, false);
	assert_int_equal(q->rr.level[5], 0);
	assert_int_equal(q->rr.level[6], 1);
	assert_int_equal(q->fp.irq_sets, 0);	/* the platform is not used directly */
	q35_rig_free(q);
}

/* A movable ECAM: nowhere until placed, before the BARs inside the window. */
static void test_q35_movable_ecam(void **state)
{
	struct q35_rig *q = q35_rig_new();
	struct rig *r = &q->r;
	uint64_t off;
	int ret;

	assert_false(pci_host_ecam_lookup(&r->h, 0xb0000000, 4, &off));
	assert_int_equal(mmio_read(r, 0xb0000000, 4, &ret) & 0xffffffff, 0xffffffff);
	pci_host_set_ecam(&r->h, 0xb0000000, 256ULL << 20);
	assert_true(pci_host_ecam_lookup(&r->h, 0xb0008004, 4, &off));
	assert_int_equal(off, 0x8004);
	assert_int_equal(mmio_read(r, 0xb0000000, 4, NULL) & 0xffffffff, 0x29c08086);
	assert_int_equal(mmio_read(r, 0xb0000000 + (1 << 15), 4, NULL) & 0xffffffff,
			 0x10421af4);
	/* a conventional function: no extended space, all ones past 256 */
	assert_int_equal(mmio_read(r, 0xb0000100, 4, NULL) & 0xffffffff, 0xffffffff);
	assert_int_equal(mmio_read(r, 0xb0000000 + (1 << 15) + 0x100, 4, NULL) & 0xffffffff, 0);
	/* a BAR moved under the ECAM loses to it */
	conf1_write(r, 1, 0x10, 0xb0000000, 4);
	assert_int_equal(mmio_read(r, 0xb0000000, 4, NULL) & 0xffffffff, 0x29c08086);
	assert_int_equal(q->t[0].ios, 0);
	/* moved: the old place is a BAR again, the new one config space */
	pci_host_set_ecam(&r->h, 0xe0000000, 256ULL << 20);
	assert_int_equal(mmio_read(r, 0xb0000000, 4, NULL) & 0xffffffff, 0x5a5a5a5a);
	assert_int_equal(q->t[0].ios, 1);
	assert_int_equal(mmio_read(r, 0xe0000000 + (2 << 15), 2, NULL) & 0xffff, 0x1af4);
	/* an access straddling the ECAM's end is not the ECAM's */
	assert_false(pci_host_ecam_lookup(&r->h, 0xeffffffe, 4, &off));
	pci_host_set_ecam(&r->h, 0, 0);
	assert_false(pci_host_ecam_lookup(&r->h, 0xe0000000, 4, &off));
	q35_rig_free(q);
}

static void test_bad_config(void **state)
{
	struct fake_platform fp;
	struct pci_host h;
	struct pci_host_config hc = { .mmio_start = 0x1000, .mmio_end = 0x1000 };
	struct pci_dev d;

	fake_platform_init(&fp);
	assert_int_equal(pci_host_init(&h, &hc, &fp.plat), -EINVAL);
	hc.mmio_end = 0x100000001ULL;
	assert_int_equal(pci_host_init(&h, &hc, &fp.plat), -EINVAL);
	hc.mmio_end = 0x2000;
	hc.alloc_start = 0x800;		/* below the window */
	assert_int_equal(pci_host_init(&h, &hc, &fp.plat), -EINVAL);
	hc.alloc_start = 0;
	{
		const struct pci_intx_router bad = { .map = router_map, .set = router_set,
						     .nr_lines = PCI_HOST_MAX_LINES + 1 };

		hc.router = &bad;
		assert_int_equal(pci_host_init(&h, &hc, &fp.plat), -EINVAL);
		hc.router = NULL;
	}
	pci_dev_init(&d, 1, 2, 0, 0, 0, 0, false, NULL, NULL);
	assert_int_equal(pci_dev_add_bar(&d, 6, 0x1000, false), -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 0x1800, false), -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 8, false), -EINVAL);
	assert_int_equal(pci_dev_add_bar(&d, 0, 0x1000, false), 0);
	assert_int_equal(pci_dev_add_bar(&d, 0, 0x1000, false), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conf1_bridge),
		cmocka_unit_test(test_cf9_forwarded),
		cmocka_unit_test(test_ecam),
		cmocka_unit_test(test_bar_assign_and_size),
		cmocka_unit_test(test_bar_move_and_dispatch),
		cmocka_unit_test(test_window_full),
		cmocka_unit_test(test_caps_and_masks),
		cmocka_unit_test(test_intx),
		cmocka_unit_test(test_q35_root_and_router),
		cmocka_unit_test(test_q35_movable_ecam),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
