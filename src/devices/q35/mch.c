// SPDX-License-Identifier: GPL-2.0-only
/* The Q35 MCH host bridge at 00:00.0: PCIEXBAR moves the ECAM (q35.h). */
#include <string.h>

#include "devices/q35/q35_internal.h"

#define PCIEXBAR_EN		0x1ULL
#define PCIEXBAR_LEN_SHIFT	1
#define PCIEXBAR_ADMSK		0x0000000ff0000000ULL	/* bits 35:28 */
#define PCIEXBAR_128ADMSK	(1ULL << 27)
#define PCIEXBAR_64ADMSK	(1ULL << 26)
#define PCIEXBAR_RESET		0xb0000000ULL
#define EXT_TSEG_QUERY		0xffff
#define EXT_TSEG_MBYTES		16
#define MCH_SMBASE		0x9c	/* 0x9c..0x9f: F_SMBASE, SMRAM, ESMRAMC */

void q35_func_init(struct pci_dev *d, uint16_t device, uint32_t class_code, uint8_t rev,
		   const struct pci_dev_ops *ops, void *opaque)
{
	pci_dev_init(d, Q35_VENDOR_INTEL, device, class_code, rev, Q35_SUBSYS_VENDOR,
		     Q35_SUBSYS_ID, false, ops, opaque);
	pci_put16(&d->cfg[PCI_COMMAND], 0);
	pci_put16(&d->wmask[PCI_COMMAND], Q35_CMD_WMASK);
	d->wmask[PCI_LATENCY_TIMER] = 0;
	memset(&d->wmask[0x40], 0xff, PCI_CFG_SPACE_SIZE - 0x40);
	d->conventional = true;
}

/* Decode PCIEXBAR: the ECAM's base and size, size 0 when off. */
static void pciexbar_decode(uint64_t v, uint64_t *base, uint64_t *size)
{
	uint64_t mask = PCIEXBAR_ADMSK;

	*base = 0;
	*size = 0;
	if (!(v & PCIEXBAR_EN))
		return;
	switch ((v >> PCIEXBAR_LEN_SHIFT) & 3) {
	case 0:
		*size = 256ULL << 20;
		break;
	case 1:
		*size = 128ULL << 20;
		mask |= PCIEXBAR_128ADMSK;
		break;
	case 2:
		*size = 64ULL << 20;
		mask |= PCIEXBAR_128ADMSK | PCIEXBAR_64ADMSK;
		break;
	default:
		return;		/* reserved length: no ECAM */
	}
	*base = v & mask;
}

static bool overlaps(uint32_t off, uint32_t len, uint32_t start, uint32_t n)
{
	return off < start + n && start < off + len;
}

static void mch_cfg_write(struct pci_dev *d, uint32_t off, uint32_t len)
{
	struct q35 *q = d->opaque;
	uint64_t base, size;
	bool moved;

	if (overlaps(off, len, Q35_MCH_EXT_TSEG, 2) &&
	    pci_get16(&d->cfg[Q35_MCH_EXT_TSEG]) == EXT_TSEG_QUERY)
		pci_put16(&d->cfg[Q35_MCH_EXT_TSEG], EXT_TSEG_MBYTES);
	if (!overlaps(off, len, Q35_MCH_PCIEXBAR, 8))
		return;
	pciexbar_decode((uint64_t)pci_get32(&d->cfg[Q35_MCH_PCIEXBAR + 4]) << 32 |
			pci_get32(&d->cfg[Q35_MCH_PCIEXBAR]), &base, &size);
	pthread_mutex_lock(&q->lock);
	moved = base != q->ecam_base || size != q->ecam_size;
	q->ecam_base = base;
	q->ecam_size = size;
	pthread_mutex_unlock(&q->lock);
	if (!moved)
		return;
	/* a configuration write: the host bridge's lock is held */
	if (q->host)
		pci_host_set_ecam_locked(q->host, base, size);
	if (q->cfg.changed)
		q->cfg.changed(q->cfg.opaque);
}

static const struct pci_dev_ops mch_ops = {
	.cfg_write = mch_cfg_write,
};

void q35_mch_init(struct q35 *q)
{
	struct pci_dev *d = &q->mch;

	q35_func_init(d, Q35_MCH_DEVICE_ID, 0x060000, 0, &mch_ops, q);
	pci_put32(&d->cfg[Q35_MCH_PCIEXBAR], (uint32_t)PCIEXBAR_RESET);
	pci_put16(&d->cfg[Q35_MCH_EXT_TSEG], EXT_TSEG_MBYTES);
	/* F_SMBASE 0, SMRAM 0x02 (C_BASE_SEG), ESMRAMC 0x38: no SMM, read only */
	d->cfg[MCH_SMBASE + 1] = 0x02;
	d->cfg[MCH_SMBASE + 2] = 0x38;
	memset(&d->wmask[MCH_SMBASE], 0, 4);
}

void q35_ecam(struct q35 *q, uint64_t *base, uint64_t *size)
{
	pthread_mutex_lock(&q->lock);
	*base = q->ecam_base;
	*size = q->ecam_size;
	pthread_mutex_unlock(&q->lock);
}
