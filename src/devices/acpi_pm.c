// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <time.h>

#include "arch/x86/layout.h"
#include "devices/acpi_pm.h"

#define PM1_CNT_SCI_EN		0x0001
#define PM1_CNT_SLP_TYP_SHIFT	10
#define PM1_CNT_SLP_TYP_MASK	(7 << PM1_CNT_SLP_TYP_SHIFT)
#define PM1_CNT_SLP_EN		0x2000
#define PM_TIMER_HZ		3579545ULL

void acpi_pm_init(struct acpi_pm *pm, const struct vm_control *ctl)
{
	memset(pm, 0, sizeof(*pm));
	pthread_mutex_init(&pm->lock, NULL);
	pm->ctl = *ctl;
	pm->pm1_cnt = PM1_CNT_SCI_EN;
}

void acpi_pm_destroy(struct acpi_pm *pm)
{
	pthread_mutex_destroy(&pm->lock);
}

static void get_bytes(uint8_t *data, uint32_t len, uint64_t offset, uint64_t v)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		data[i] = (uint8_t)(v >> (8 * (offset + i)));
}

static uint64_t put_bytes(uint64_t old, const uint8_t *data, uint32_t len,
			  uint64_t offset)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		unsigned int sh = (unsigned int)(8 * (offset + i));

		old = (old & ~(0xffULL << sh)) | (uint64_t)data[i] << sh;
	}
	return old;
}

int acpi_pm_evt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint32_t i;

	pthread_mutex_lock(&pm->lock);
	if (!is_write) {
		get_bytes(data, len, offset, pm->pm1_sts | (uint64_t)pm->pm1_en << 16);
	} else {
		for (i = 0; i < len && offset + i < 4; i++) {
			unsigned int off = (unsigned int)(offset + i);

			if (off < 2)	/* status: write one to clear */
				pm->pm1_sts &= (uint16_t)~(data[i] << (8 * off));
			else		/* enable: plain register */
				pm->pm1_en = (uint16_t)((pm->pm1_en & ~(0xff << (8 * (off - 2)))) |
							data[i] << (8 * (off - 2)));
		}
	}
	pthread_mutex_unlock(&pm->lock);
	return 0;
}

int acpi_pm_cnt_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint16_t v;

	pthread_mutex_lock(&pm->lock);
	if (!is_write) {
		get_bytes(data, len, offset, pm->pm1_cnt);
		pthread_mutex_unlock(&pm->lock);
		return 0;
	}
	v = (uint16_t)put_bytes(pm->pm1_cnt, data, len, offset);
	pm->pm1_cnt = (v & (uint16_t)~PM1_CNT_SLP_EN) | PM1_CNT_SCI_EN;
	pthread_mutex_unlock(&pm->lock);
	if ((v & PM1_CNT_SLP_EN) &&
	    ((v & PM1_CNT_SLP_TYP_MASK) >> PM1_CNT_SLP_TYP_SHIFT) == ACPI_SLP_TYP_S5)
		vm_control_request(&pm->ctl, VM_REQ_POWEROFF, 0);
	return 0;
}

int acpi_pm_tmr_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	struct timespec ts;
	uint64_t ticks;

	if (is_write)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ticks = ((uint64_t)ts.tv_sec * PM_TIMER_HZ) +
		((uint64_t)ts.tv_nsec * PM_TIMER_HZ) / 1000000000ULL;
	get_bytes(data, len, offset, ticks & 0xffffff);
	return 0;
}

int acpi_pm_register(struct acpi_pm *pm, struct io_bus *pio)
{
	int ret;

	ret = io_bus_register(pio, PORT_ACPI_PM1_EVT, 4, acpi_pm_evt_io, pm,
			      "acpi-pm1-evt");
	if (!ret)
		ret = io_bus_register(pio, PORT_ACPI_PM1_CNT, 2, acpi_pm_cnt_io, pm,
				      "acpi-pm1-cnt");
	if (!ret)
		ret = io_bus_register(pio, PORT_ACPI_PM_TMR, 4, acpi_pm_tmr_io, pm,
				      "acpi-pm-tmr");
	return ret;
}
