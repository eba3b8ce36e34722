// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ICH9 LPC bridge at 00:1f.0: PMBASE / ACPI_CNTL place the PM block,
 * RCBA the chipset configuration block, PIRQ routes steer INTx (q35.h).
 */
#include <errno.h>
#include <string.h>

#include "devices/q35/q35_internal.h"

#define PMBASE_MASK		0xff80u
#define PMBASE_RESET		0x00000001u	/* RTE */
#define PMBASE_WMASK0		0x87	/* QEMU: bits 7, 2..0 of the low byte */
#define RCBA_EN			0x1u
#define RCBA_MASK		0xffffc000u
#define LPC_EN			0x82
#define LPC_EN_COM1		0x01

static bool overlaps(uint32_t off, uint32_t len, uint32_t start, uint32_t n)
{
	return off < start + n && start < off + len;
}

static void lpc_cfg_write(struct pci_dev *d, uint32_t off, uint32_t len)
{
	struct q35 *q = d->opaque;
	uint32_t pmbase = pci_get32(&d->cfg[Q35_LPC_PMBASE]);
	uint32_t rcba = pci_get32(&d->cfg[Q35_LPC_RCBA]);
	uint16_t base = 0;
	bool moved = false;

	if (d->cfg[Q35_LPC_ACPI_CNTL] & Q35_LPC_ACPI_EN)
		base = (uint16_t)(pmbase & PMBASE_MASK);
	pthread_mutex_lock(&q->lock);
	if (overlaps(off, len, Q35_LPC_PMBASE, 5)) {
		moved = base != q->pm_base;
		q->pm_base = base;
	}
	if (overlaps(off, len, Q35_LPC_RCBA, 4))
		q->rcrb_base = (rcba & RCBA_EN) ? rcba & RCBA_MASK : 0;
	if (overlaps(off, len, Q35_LPC_PIRQA, 4) || overlaps(off, len, Q35_LPC_PIRQE, 4))
		q35_irq_reroute(q);
	pthread_mutex_unlock(&q->lock);
	if (moved && q->cfg.changed)
		q->cfg.changed(q->cfg.opaque);
}

static const struct pci_dev_ops lpc_ops = {
	.cfg_write = lpc_cfg_write,
};

static void rcrb_reset(struct q35 *q)
{
	static const uint16_t dir[] = { 0x3140, 0x3144, 0x3146, 0x3148, 0x314c, 0x3150 };
	unsigned int i;

	memset(q->rcrb, 0, sizeof(q->rcrb));
	for (i = 0; i < sizeof(dir) / sizeof(dir[0]); i++)
		pci_put16(&q->rcrb[dir[i]], Q35_RCRB_DIR_DEFAULT);	/* D30IR stays 0 */
}

void q35_lpc_init(struct q35 *q)
{
	struct pci_dev *d = &q->lpc;
	unsigned int i;

	q35_func_init(d, Q35_LPC_DEVICE_ID, 0x060100, 2, &lpc_ops, q);
	d->cfg[PCI_HEADER_TYPE] = 0x80;		/* multi-function, as QEMU's */
	pci_put32(&d->cfg[Q35_LPC_PMBASE], PMBASE_RESET);
	d->wmask[Q35_LPC_PMBASE] = PMBASE_WMASK0;
	d->wmask[Q35_LPC_PMBASE + 1] = 0xff;
	d->wmask[Q35_LPC_PMBASE + 2] = 0;
	d->wmask[Q35_LPC_PMBASE + 3] = 0;
	for (i = 0; i < 4; i++) {
		d->cfg[Q35_LPC_PIRQA + i] = Q35_LPC_PIRQ_DISABLE;
		d->cfg[Q35_LPC_PIRQE + i] = Q35_LPC_PIRQ_DISABLE;
	}
	d->cfg[LPC_EN] = LPC_EN_COM1;
	rcrb_reset(q);
}

uint16_t q35_pm_base(struct q35 *q)
{
	uint16_t base;

	pthread_mutex_lock(&q->lock);
	base = q->pm_base;
	pthread_mutex_unlock(&q->lock);
	return base;
}

/* The chipset configuration block: bytes, stored (routes read at add time). */
static void rcrb_io(struct q35 *q, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (off + i >= Q35_RCRB_SIZE) {
			if (!is_write)
				data[i] = 0xff;
		} else if (is_write) {
			q->rcrb[off + i] = data[i];
		} else {
			data[i] = q->rcrb[off + i];
		}
	}
}

int q35_pio_fallback(void *opaque, uint64_t port, uint8_t *data, uint32_t len, bool is_write)
{
	struct q35 *q = opaque;
	uint16_t base = q35_pm_base(q);

	if (!base || port < base || port + len > (uint64_t)base + ACPI_PM_BLOCK_SIZE)
		return -ENOENT;
	return acpi_pm_block_io(q->cfg.pm, port - base, data, len, is_write);
}

int q35_mmio_fallback(void *opaque, uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
	struct q35 *q = opaque;
	uint64_t off;
	bool rcrb;

	if (q->host && pci_host_ecam_lookup(q->host, addr, len, &off))
		return pci_host_ecam_io(q->host, off, data, len, is_write);
	pthread_mutex_lock(&q->lock);
	rcrb = q->rcrb_base && addr >= q->rcrb_base &&
	       addr + len <= (uint64_t)q->rcrb_base + Q35_RCRB_SIZE;
	if (rcrb)
		rcrb_io(q, addr - q->rcrb_base, data, len > 4 ? 4 : len, is_write);
	pthread_mutex_unlock(&q->lock);
	if (rcrb && len > 4 && !is_write)
		memset(data + 4, 0, len - 4);
	return rcrb ? 0 : -ENOENT;
}

int q35_port92_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len, bool is_write)
{
	struct q35 *q = opaque;
	bool reset;

	if (len != 1) {
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	pthread_mutex_lock(&q->lock);
	if (!is_write) {
		data[0] = q->port92;
		pthread_mutex_unlock(&q->lock);
		return 0;
	}
	reset = (data[0] & 1) && !(q->port92 & 1);
	q->port92 = data[0];
	pthread_mutex_unlock(&q->lock);
	if (reset)
		vm_control_request(&q->cfg.ctl, VM_REQ_RESET, 0);
	return 0;
}
