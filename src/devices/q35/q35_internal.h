/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_Q35_Q35_INTERNAL_H
#define CVMM_DEVICES_Q35_Q35_INTERNAL_H

/* Internal to the Q35 persona: shared by mch.c, lpc.c and irq.c. */

#include "devices/q35/q35.h"

#define Q35_VENDOR_INTEL	0x8086
#define Q35_SUBSYS_VENDOR	0x1af4	/* QEMU's default subsystem IDs */
#define Q35_SUBSYS_ID		0x1100
#define Q35_CMD_WMASK		0x0507	/* IO, MEM, MASTER, SERR, INTX_DISABLE */

/* RCRB: the interrupt route registers of devices 25..31 */
#define Q35_RCRB_DIR_DEFAULT	0x3210

/* Identity, header write masks and 0x40-0xff writable, as QEMU. */
void q35_func_init(struct pci_dev *d, uint16_t device, uint32_t class_code, uint8_t rev,
		   const struct pci_dev_ops *ops, void *opaque);
void q35_mch_init(struct q35 *q);
void q35_lpc_init(struct q35 *q);
void q35_irq_init(struct q35 *q);
/* The PIRQ route registers changed: copy them, drive the ISA IRQs anew (lock held). */
void q35_irq_reroute(struct q35 *q);

#endif
