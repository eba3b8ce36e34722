/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_ACPI_PM_H
#define CVMM_DEVICES_ACPI_PM_H

#include <pthread.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/vm_control.h"

/*
 * The ACPI fixed-hardware power-management registers the FADT points at:
 * PM1a event block (status/enable), PM1a control block (SCI_EN always
 * set; SLP_EN with SLP_TYP = S5 powers the machine off) and the 24-bit
 * 3.579545 MHz PM timer.
 */
struct acpi_pm {
	pthread_mutex_t lock;
	struct vm_control ctl;
	uint16_t pm1_sts, pm1_en, pm1_cnt;
};

void acpi_pm_init(struct acpi_pm *pm, const struct vm_control *ctl);
void acpi_pm_destroy(struct acpi_pm *pm);
int acpi_pm_register(struct acpi_pm *pm, struct io_bus *pio);
int acpi_pm_evt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);
int acpi_pm_cnt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);
int acpi_pm_tmr_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write);

#endif
