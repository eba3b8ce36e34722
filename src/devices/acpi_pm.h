/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_ACPI_PM_H
#define CVMM_DEVICES_ACPI_PM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/vm_control.h"

/*
 * The ACPI fixed-hardware power-management registers the FADT points at:
 * PM1a event block (status/enable), PM1a control block and the 24-bit
 * 3.579545 MHz PM timer, in one of two flavours:
 *
 *   - cvmm's machine (acpi_pm_init): at the fixed ports PORT_ACPI_PM1_*
 *     (acpi_pm_register); SCI_EN always reads 1; SLP_EN with SLP_TYP 5
 *     (its \_S5) powers the machine off;
 *   - the ICH9 PM block of the Q35 persona (acpi_pm_init_ich9): 128
 *     ports wherever the LPC bridge's PMBASE puts them (acpi_pm_block_io,
 *     offsets below); SCI_EN set at reset and writable (a chipset without
 *     SMM starts in ACPI mode, as QEMU's q35 with smm=off); SLP_EN with
 *     SLP_TYP 0 powers off, as QEMU does and OVMF's ResetShutdown writes.
 *     Besides PM1 and the timer the block has GPE0 (0x20: 8 status bytes,
 *     write one to clear, then 8 enable bytes) and SMI_EN / SMI_STS
 *     (0x30 / 0x34: stored, no SMI is ever raised); the rest of it, TCO
 *     included, is not decoded (reads all ones).
 *
 * No SCI is raised: nothing sets a status bit whose enable could fire it.
 */
#define ACPI_PM_BLOCK_SIZE	128
#define ACPI_PM_OFF_EVT		0x00
#define ACPI_PM_OFF_CNT		0x04
#define ACPI_PM_OFF_TMR		0x08
#define ACPI_PM_OFF_GPE0	0x20
#define ACPI_PM_GPE0_LEN	16
#define ACPI_PM_OFF_SMI_EN	0x30
#define ACPI_PM_OFF_SMI_STS	0x34

struct acpi_pm {
	pthread_mutex_t lock;
	struct vm_control ctl;
	uint16_t pm1_sts, pm1_en, pm1_cnt;
	bool sci_en_fixed;		/* SCI_EN reads 1 whatever is written */
	uint8_t soft_off;		/* SLP_TYP values that power off, one bit each */
	uint8_t gpe0[ACPI_PM_GPE0_LEN];	/* ICH9: status, then enable */
	uint32_t smi_en;		/* ICH9 */
};

void acpi_pm_init(struct acpi_pm *pm, const struct vm_control *ctl);
void acpi_pm_init_ich9(struct acpi_pm *pm, const struct vm_control *ctl);
void acpi_pm_destroy(struct acpi_pm *pm);
/* cvmm's machine: the three blocks at their fixed ports. */
int acpi_pm_register(struct acpi_pm *pm, struct io_bus *pio);
int acpi_pm_evt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);
int acpi_pm_cnt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);
int acpi_pm_tmr_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);
/*
 * An access at @offset of the ICH9 block (< ACPI_PM_BLOCK_SIZE): 0, or
 * -ENOENT for offsets the block does not decode (reads all ones).  Bytes
 * of an access that run past its register read as 0xff.
 */
int acpi_pm_block_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write);

#endif
