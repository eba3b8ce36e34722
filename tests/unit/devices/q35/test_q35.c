// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Q35 persona (devices/q35): the MCH at 00:00.0 and the ICH9 LPC at
 * 00:1f.0 as QEMU 7.2's -M q35,smm=off presents them (reset values and
 * write masks read from QEMU by guests/firmware/q35probe.c), PCIEXBAR
 * moving the ECAM, PMBASE/ACPI_CNTL placing the PM block, RCBA the RCRB,
 * the PIRQ routes steering INTx, port 0x92.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devices/q35/q35.h"
#include "fake_platform.h"

struct rig {
	struct fake_platform fp;
	struct acpi_pm pm;
	struct q35 q;
	struct pci_host h;
	struct io_bus pio, mmio;
	unsigned int changed;
	unsigned int resets, poweroffs;
};

static void on_changed(void *opaque)
{
	((struct rig *)opaque)->changed++;
}

static void on_request(void *opaque, enum vm_request req, int status)
{
	if (req == VM_REQ_RESET)
		((struct rig *)opaque)->resets++;
	if (req == VM_REQ_POWEROFF)
		((struct rig *)opaque)->poweroffs++;
}

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));
	struct vm_control ctl = { .request = on_request };
	struct q35_config qc = { .pm = NULL };
	struct pci_host_config hc = {
		.mmio_start = 0x20000000, .mmio_end = 0xfc000000, .alloc_start = 0xc0000000,
		.intx_edge = true,
	};

	assert_non_null(r);
	ctl.opaque = r;
	fake_platform_init(&r->fp);
	acpi_pm_init_ich9(&r->pm, &ctl);
	qc.pm = &r->pm;
	qc.plat = &r->fp.plat;
	qc.ctl = ctl;
	qc.changed = on_changed;
	qc.opaque = r;
	q35_init(&r->q, &qc);
	hc.root = &r->q.mch;
	hc.router = &r->q.router;
	assert_int_equal(pci_host_init(&r->h, &hc, &r->fp.plat), 0);
	assert_int_equal(q35_attach(&r->q, &r->h), 0);
	assert_int_equal(pci_host_register(&r->h, &r->pio, &r->mmio), 0);
	assert_int_equal(q35_register(&r->q, &r->pio, &r->mmio), 0);
	return r;
}

static void rig_free(struct rig *r)
{
	pci_host_destroy(&r->h);
	q35_destroy(&r->q);
	acpi_pm_destroy(&r->pm);
	io_bus_free(&r->pio);
	io_bus_free(&r->mmio);
	free(r);
}

static uint32_t get(const uint8_t *b, unsigned int len)
{
	uint32_t v = 0, i;

	for (i = 0; i < len; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static uint32_t in(struct rig *r, uint16_t port, unsigned int len)
{
	uint8_t b[4] = { 0 };

	io_bus_dispatch(&r->pio, port, b, len, false);
	return get(b, len);
}

static void out(struct rig *r, uint16_t port, uint32_t v, unsigned int len)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	io_bus_dispatch(&r->pio, port, b, len, true);
}

static uint32_t cfg_read(struct rig *r, unsigned int dev, unsigned int off, unsigned int len)
{
	out(r, 0xcf8, 0x80000000u | dev << 11 | (off & 0xfc), 4);
	return in(r, (uint16_t)(0xcfc + (off & 3)), len);
}

static void cfg_write(struct rig *r, unsigned int dev, unsigned int off, uint32_t v,
		      unsigned int len)
{
	out(r, 0xcf8, 0x80000000u | dev << 11 | (off & 0xfc), 4);
	out(r, (uint16_t)(0xcfc + (off & 3)), v, len);
}

static uint32_t mem_read(struct rig *r, uint64_t addr, unsigned int len, int *ret)
{
	uint8_t b[8] = { 0 };
	int rc = io_bus_dispatch(&r->mmio, addr, b, len, false);

	if (ret)
		*ret = rc;
	return get(b, len > 4 ? 4 : len);
}

static void mem_write(struct rig *r, uint64_t addr, uint32_t v, unsigned int len)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	io_bus_dispatch(&r->mmio, addr, b, len, true);
}

/* ---- identity and reset state: QEMU 7.2's, register by register ---- */

static void test_reset_state(void **state)
{
	struct rig *r = rig_new();
	unsigned int off;

	/* MCH */
	assert_int_equal(cfg_read(r, 0, 0x00, 4), 0x29c08086);
	assert_int_equal(cfg_read(r, 0, 0x04, 4), 0);		/* command, status */
	assert_int_equal(cfg_read(r, 0, 0x08, 4), 0x06000000);	/* host bridge, rev 0 */
	assert_int_equal(cfg_read(r, 0, 0x0c, 4), 0);
	assert_int_equal(cfg_read(r, 0, 0x2c, 4), 0x11001af4);
	assert_int_equal(cfg_read(r, 0, 0x50, 4), 0x10);		/* ext TSEG: 16 MiB */
	assert_int_equal(cfg_read(r, 0, 0x60, 4), 0xb0000000);	/* PCIEXBAR, off */
	assert_int_equal(cfg_read(r, 0, 0x64, 4), 0);
	assert_int_equal(cfg_read(r, 0, 0x9c, 4), 0x00380200);	/* SMBASE, SMRAM, ESMRAMC */
	for (off = 0x10; off < 0x100; off += 4)
		if (off != 0x2c && off != 0x50 && off != 0x60 && off != 0x9c)
			assert_int_equal(cfg_read(r, 0, off, 4), 0);
	/* LPC */
	assert_int_equal(cfg_read(r, 31, 0x00, 4), 0x29188086);
	assert_int_equal(cfg_read(r, 31, 0x04, 4), 0);
	assert_int_equal(cfg_read(r, 31, 0x08, 4), 0x06010002);	/* ISA bridge, rev 2 */
	assert_int_equal(cfg_read(r, 31, 0x0c, 4), 0x00800000);	/* multi-function */
	assert_int_equal(cfg_read(r, 31, 0x2c, 4), 0x11001af4);
	assert_int_equal(cfg_read(r, 31, 0x3c, 4), 0);		/* no interrupt pin */
	assert_int_equal(cfg_read(r, 31, 0x40, 4), 1);		/* PMBASE: RTE */
	assert_int_equal(cfg_read(r, 31, 0x44, 4), 0);		/* ACPI_CNTL */
	assert_int_equal(cfg_read(r, 31, 0x60, 4), 0x80808080);	/* PIRQ A-D off */
	assert_int_equal(cfg_read(r, 31, 0x68, 4), 0x80808080);	/* PIRQ E-H off */
	assert_int_equal(cfg_read(r, 31, 0x80, 4), 0x00010000);	/* LPC_EN: COM1 */
	assert_int_equal(cfg_read(r, 31, 0xf0, 4), 0);		/* RCBA */
	/* conventional functions: nothing past 256 through the ECAM */
	cfg_write(r, 0, 0x60, 0xb0000001, 4);
	assert_int_equal(mem_read(r, 0xb0000100, 4, NULL), 0xffffffff);
	/* nothing else on the bus but the persona */
	assert_int_equal(cfg_read(r, 30, 0, 4), 0xffffffff);
	/* no CPU-hotplug block at 0xcd8: all ones, never 0 (edk2 >= 202302 hangs on 0) */
	out(r, 0xcd8, 0, 4);
	out(r, 0xcdd, 0, 1);
	assert_int_equal(in(r, 0xcd8, 4), 0xffffffff);
	rig_free(r);
}

/* ---- what the guest can write (QEMU's masks, including its PMBASE one) ---- */

static uint32_t wmask(struct rig *r, unsigned int dev, unsigned int off, uint32_t ones)
{
	uint32_t v;

	cfg_write(r, dev, off, ones, 4);
	v = cfg_read(r, dev, off, 4);
	return v;
}

static void test_write_masks(void **state)
{
	struct rig *r = rig_new();

	assert_int_equal(wmask(r, 0, 0x04, 0xffffffff), 0x0507);
	assert_int_equal(wmask(r, 0, 0x0c, 0xffffffff), 0x000000ff);	/* latency RO */
	assert_int_equal(wmask(r, 0, 0x10, 0xffffffff), 0);		/* no BARs */
	assert_int_equal(wmask(r, 0, 0x3c, 0xffffffff), 0xff);
	assert_int_equal(wmask(r, 0, 0x40, 0xffffffff), 0xffffffff);
	assert_int_equal(wmask(r, 0, 0x90, 0xffffffff), 0xffffffff);	/* PAM */
	assert_int_equal(wmask(r, 0, 0x9c, 0xffffffff), 0x00380200);	/* no SMM */
	assert_int_equal(wmask(r, 0, 0xfc, 0xffffffff), 0xffffffff);
	assert_int_equal(wmask(r, 31, 0x04, 0xffffffff), 0x0507);
	assert_int_equal(wmask(r, 31, 0x0c, 0xffffffff), 0x008000ff);
	assert_int_equal(wmask(r, 31, 0x40, 0xffffffff), 0xff87);	/* QEMU's PMBASE mask */
	assert_int_equal(wmask(r, 31, 0x44, 0xffffff7f), 0xffffff7f);
	assert_int_equal(wmask(r, 31, 0x48, 0xffffffff), 0xffffffff);
	assert_int_equal(wmask(r, 31, 0xa0, 0xffffffff), 0xffffffff);
	assert_int_equal(wmask(r, 31, 0xf0, 0xfffffffe), 0xfffffffe);
	rig_free(r);
}

/* ---- MCH: PCIEXBAR and the extended-TSEG query ---- */

static void test_pciexbar(void **state)
{
	struct rig *r = rig_new();
	uint64_t base, size;
	int ret;

	/* reset: 0xb0000000 without the enable bit: no ECAM anywhere */
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(size, 0);
	assert_int_equal(mem_read(r, 0xb0000000, 4, &ret), 0xffffffff);
	/* OVMF 2022.11: high dword, low dword 0, then base | 1 */
	cfg_write(r, 0, 0x64, 0, 4);
	cfg_write(r, 0, 0x60, 0, 4);
	assert_int_equal(r->changed, 0);
	cfg_write(r, 0, 0x60, 0xb0000001, 4);
	assert_int_equal(r->changed, 1);
	assert_int_equal(cfg_read(r, 0, 0x60, 4), 0xb0000001);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(base, 0xb0000000);
	assert_int_equal(size, 256ULL << 20);
	assert_int_equal(mem_read(r, 0xb0000000, 4, NULL), 0x29c08086);
	assert_int_equal(mem_read(r, 0xb0000000 + (31 << 15), 4, NULL), 0x29188086);
	assert_int_equal(mem_read(r, 0xb0000000 + (31 << 15) + 0x40, 4, NULL), 1);
	/* a write through the ECAM lands in config space */
	mem_write(r, 0xb0000000 + (31 << 15) + 0x6b, 0x85, 1);
	assert_int_equal(cfg_read(r, 31, 0x6b, 1), 0x85);
	/* edk2 >= 202305: 0xe0000000; the old place decodes no more */
	cfg_write(r, 0, 0x60, 0xe0000001, 4);
	assert_int_equal(r->changed, 2);
	assert_int_equal(mem_read(r, 0xe0000000, 4, NULL), 0x29c08086);
	assert_int_equal(mem_read(r, 0xb0000000, 4, NULL), 0xffffffff);
	/* rewriting the same value moves nothing */
	cfg_write(r, 0, 0x60, 0xe0000001, 4);
	assert_int_equal(r->changed, 2);
	/* lengths: 128 MiB (bit 27 is address), 64 MiB (bits 27:26) */
	cfg_write(r, 0, 0x60, 0xe8000003, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(base, 0xe8000000);
	assert_int_equal(size, 128ULL << 20);
	cfg_write(r, 0, 0x60, 0xec000005, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(base, 0xec000000);
	assert_int_equal(size, 64ULL << 20);
	assert_int_equal(mem_read(r, 0xec000000 + (31 << 15), 2, NULL), 0x8086);
	/* length 3 is reserved: no ECAM (QEMU aborts) */
	cfg_write(r, 0, 0x60, 0xe0000007, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(size, 0);
	/* above 4 GiB, outside the window: through the MMIO fallback */
	cfg_write(r, 0, 0x64, 0x1, 4);
	cfg_write(r, 0, 0x60, 0x00000001, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(base, 0x100000000ULL);
	assert_int_equal(mem_read(r, 0x100000000ULL + (31 << 15), 4, NULL), 0x29188086);
	/* bits above 35 are not address */
	cfg_write(r, 0, 0x64, 0x10, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(base, 0);
	assert_int_equal(cfg_read(r, 0, 0x64, 4), 0x10);
	/* off again */
	cfg_write(r, 0, 0x60, 0xb0000000, 4);
	q35_ecam(&r->q, &base, &size);
	assert_int_equal(size, 0);
	rig_free(r);
}

static void test_ext_tseg(void **state)
{
	struct rig *r = rig_new();

	cfg_write(r, 0, 0x50, 0xffff, 2);
	assert_int_equal(cfg_read(r, 0, 0x50, 2), 16);
	cfg_write(r, 0, 0x50, 0x0002, 2);
	assert_int_equal(cfg_read(r, 0, 0x50, 2), 2);
	rig_free(r);
}

/* ---- LPC: PMBASE / ACPI_CNTL place the PM block ---- */

static void test_pmbase(void **state)
{
	struct rig *r = rig_new();
	uint32_t t0, t1;
	int i;

	/* no PM block before ACPI_EN: all ones, as QEMU */
	assert_int_equal(in(r, 0x608, 4), 0xffffffff);
	assert_int_equal(q35_pm_base(&r->q), 0);
	/* OVMF's SEC: PMBASE & ~0xff80 | 0x600 keeps RTE, then ACPI_EN */
	cfg_write(r, 31, 0x40, (cfg_read(r, 31, 0x40, 4) & ~0xff80u) | 0x600, 4);
	assert_int_equal(cfg_read(r, 31, 0x40, 4), 0x601);
	assert_int_equal(in(r, 0x608, 4), 0xffffffff);
	assert_int_equal(r->changed, 0);
	cfg_write(r, 31, 0x44, 0x80, 1);
	assert_int_equal(r->changed, 1);
	assert_int_equal(q35_pm_base(&r->q), 0x600);
	/* PM1_CNT: SCI_EN at reset; the timer counts with bits 31:24 clear */
	assert_int_equal(in(r, 0x604, 2), 0x0001);
	t0 = in(r, 0x608, 4);
	for (i = 0, t1 = t0; i < 1000000 && t1 == t0; i++)
		t1 = in(r, 0x608, 4);
	assert_int_not_equal(t1, t0);
	assert_int_equal(t1 >> 24, 0);
	/* 0x606 is a hole of the block */
	assert_int_equal(in(r, 0x606, 2), 0xffff);
	/* moved: the old base decodes no more */
	cfg_write(r, 31, 0x40, 0xb001, 4);
	assert_int_equal(r->changed, 2);
	assert_int_equal(in(r, 0x608, 4), 0xffffffff);
	assert_int_equal(in(r, 0xb008, 4) >> 24, 0);
	assert_int_not_equal(in(r, 0xb008, 4), 0xffffffff);
	/* the block's last port decodes, one past it does not */
	assert_int_equal(in(r, 0xb07f, 1), 0xff);
	assert_int_equal(in(r, 0xb07e, 4), 0xffffffff);
	/* ACPI_EN off: gone; base 0 with ACPI_EN: gone too */
	cfg_write(r, 31, 0x44, 0x00, 1);
	assert_int_equal(in(r, 0xb008, 4), 0xffffffff);
	assert_int_equal(r->changed, 3);
	cfg_write(r, 31, 0x40, 0x1, 4);
	cfg_write(r, 31, 0x44, 0x80, 1);
	assert_int_equal(q35_pm_base(&r->q), 0);
	assert_int_equal(in(r, 0x008, 4), 0xffffffff);
	/* SLP_TYP 0 | SLP_EN at the programmed base powers off */
	cfg_write(r, 31, 0x40, 0x601, 4);
	out(r, 0x604, 0x1401, 2);			/* SLP_TYP 5: not here */
	assert_int_equal(r->poweroffs, 0);
	out(r, 0x604, 0x2001, 2);
	assert_int_equal(r->poweroffs, 1);
	assert_int_equal(r->resets, 0);
	rig_free(r);
}

/* ---- LPC: RCBA and the chipset configuration block ---- */

static void test_rcba(void **state)
{
	struct rig *r = rig_new();
	int ret;

	/* off: nothing at 0xfed1c000 */
	mem_read(r, 0xfed1c000 + 0x3140, 2, &ret);
	assert_int_equal(ret, -ENOENT);
	cfg_write(r, 31, 0xf0, 0xfed1c001, 4);		/* OVMF's PlatformPei */
	assert_int_equal(cfg_read(r, 31, 0xf0, 4), 0xfed1c001);
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3140, 2, NULL), 0x3210);	/* D31IR */
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3142, 2, NULL), 0);	/* D30IR */
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3150, 2, NULL), 0x3210);	/* D25IR */
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3410, 4, NULL), 0);	/* GCS */
	mem_write(r, 0xfed1c000 + 0x3410, 0x20, 4);
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3410, 4, NULL), 0x20);
	/* the last dword decodes, past the block does not */
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3ffc, 4, &ret), 0);
	assert_int_equal(ret, 0);
	mem_read(r, 0xfed1c000 + 0x3ffe, 4, &ret);
	assert_int_equal(ret, -ENOENT);
	/* base bits 13:1 are not address */
	cfg_write(r, 31, 0xf0, 0xfed1e001, 4);
	assert_int_equal(mem_read(r, 0xfed1c000 + 0x3410, 4, NULL), 0x20);
	/* disabled: gone */
	cfg_write(r, 31, 0xf0, 0xfed1c000, 4);
	mem_read(r, 0xfed1c000 + 0x3410, 4, &ret);
	assert_int_equal(ret, -ENOENT);
	rig_free(r);
}

/* ---- INTx: PIRQ routes ---- */

struct tdev {
	struct pci_dev pci;
};

static void tdev_add(struct rig *r, struct tdev *t, unsigned int slot)
{
	pci_dev_init(&t->pci, 0x1af4, 0x1044, 0x00ff00, 1, 0x1af4, 0x1100, true, NULL, t);
	assert_int_equal(pci_host_add_dev(&r->h, &t->pci, slot), (int)slot);
}

static void test_pirq(void **state)
{
	struct rig *r = rig_new();
	struct tdev a, b, c;

	tdev_add(r, &a, 1);	/* INTA -> PIRQF, GSI 21 */
	tdev_add(r, &b, 5);	/* INTA -> PIRQF too ((5 + 0) % 4 = 1) */
	tdev_add(r, &c, 2);	/* INTA -> PIRQG, GSI 22 */
	/* the firmware writes the Interrupt Line; the persona leaves it 0 */
	assert_int_equal(cfg_read(r, 1, 0x3c, 1), 0);
	/* routes off: the IOAPIC pin only */
	pci_dev_set_irq(&a.pci, true);
	assert_int_equal(r->fp.level[21], 1);
	assert_int_equal(r->fp.level[10], 0);
	assert_int_equal(r->fp.rising[10], 0);
	/* OVMF's BDS: PIRQ A-H <- 0a 0a 0b 0b: the asserted PIRQF reaches IRQ 10 now */
	cfg_write(r, 31, 0x60, 0x0b0b0a0a, 4);
	cfg_write(r, 31, 0x68, 0x0b0b0a0a, 4);
	assert_int_equal(r->fp.level[10], 1);
	assert_int_equal(r->fp.level[11], 0);
	/* PIRQG -> IRQ 11 */
	pci_dev_set_irq(&c.pci, true);
	assert_int_equal(r->fp.level[22], 1);
	assert_int_equal(r->fp.level[11], 1);
	/* sharing: b on PIRQF as well; a fresh edge, and the OR on IRQ 10 */
	pci_dev_set_irq(&b.pci, true);
	assert_int_equal(r->fp.rising[21], 2);
	pci_dev_set_irq(&a.pci, false);
	assert_int_equal(r->fp.level[21], 1);
	assert_int_equal(r->fp.level[10], 1);
	pci_dev_set_irq(&b.pci, false);
	assert_int_equal(r->fp.level[21], 0);
	assert_int_equal(r->fp.level[10], 0);
	/* two PIRQs on one IRQ: PIRQG moved to IRQ 10 joins PIRQF there */
	cfg_write(r, 31, 0x6a, 0x0a, 1);
	assert_int_equal(r->fp.level[11], 0);
	assert_int_equal(r->fp.level[10], 1);
	/* disabling the route drops the ISA IRQ, not the IOAPIC pin */
	cfg_write(r, 31, 0x6a, 0x8a, 1);
	assert_int_equal(r->fp.level[10], 0);
	assert_int_equal(r->fp.level[22], 1);
	pci_dev_set_irq(&c.pci, false);
	assert_int_equal(r->fp.level[22], 0);
	rig_free(r);
}

static void test_pirq_dnnir(void **state)
{
	struct rig *r = rig_new();
	struct tdev d, e;

	/* slots 25..31 follow their DnnIR: D29IR <- INTA -> PIRQC */
	cfg_write(r, 31, 0xf0, 0xfed1c001, 4);
	mem_write(r, 0xfed1c000 + 0x3144, 0x3212, 2);
	tdev_add(r, &d, 29);
	pci_dev_set_irq(&d.pci, true);
	assert_int_equal(r->fp.level[18], 1);
	/* D25IR at its default: INTA -> PIRQA */
	tdev_add(r, &e, 25);
	pci_dev_set_irq(&e.pci, true);
	assert_int_equal(r->fp.level[16], 1);
	rig_free(r);
}

/* ---- port 0x92 ---- */

static void test_port92(void **state)
{
	struct rig *r = rig_new();

	assert_int_equal(in(r, 0x92, 1), 0x00);
	out(r, 0x92, 0x02, 1);				/* OVMF: A20 on */
	assert_int_equal(in(r, 0x92, 1), 0x02);
	assert_int_equal(r->resets, 0);
	out(r, 0x92, 0x03, 1);				/* fast reset */
	assert_int_equal(r->resets, 1);
	out(r, 0x92, 0x03, 1);				/* no new edge */
	assert_int_equal(r->resets, 1);
	assert_int_equal(in(r, 0x92, 2), 0xffff);	/* a byte register */
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_write_masks),
		cmocka_unit_test(test_pciexbar),
		cmocka_unit_test(test_ext_tseg),
		cmocka_unit_test(test_pmbase),
		cmocka_unit_test(test_rcba),
		cmocka_unit_test(test_pirq),
		cmocka_unit_test(test_pirq_dnnir),
		cmocka_unit_test(test_port92),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
