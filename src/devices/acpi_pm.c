// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
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
	pm->sci_en_fixed = true;
	pm->soft_off = 1u << ACPI_SLP_TYP_S5;
}

void acpi_pm_init_ich9(struct acpi_pm *pm, const struct vm_control *ctl)
{
	acpi_pm_init(pm, ctl);
	pm->sci_en_fixed = false;
	pm->soft_off = 1u << 0;
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
	pm->pm1_cnt = v & (uint16_t)~PM1_CNT_SLP_EN;
	if (pm->sci_en_fixed)
		pm->pm1_cnt |= PM1_CNT_SCI_EN;
	pthread_mutex_unlock(&pm->lock);
	if ((v & PM1_CNT_SLP_EN) &&
	    (pm->soft_off & (1u << ((v & PM1_CNT_SLP_TYP_MASK) >> PM1_CNT_SLP_TYP_SHIFT))))
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

/* ICH9 GPE0: status bytes (write one to clear), then enable bytes. */
static void gpe0_io(struct acpi_pm *pm, unsigned int off, uint8_t *data, uint32_t len,
		    bool is_write)
{
	uint32_t i;

	pthread_mutex_lock(&pm->lock);
	for (i = 0; i < len; i++, off++) {
		if (off >= ACPI_PM_GPE0_LEN) {
			if (!is_write)
				data[i] = 0xff;
		} else if (!is_write) {
			data[i] = pm->gpe0[off];
		} else if (off < ACPI_PM_GPE0_LEN / 2) {
			pm->gpe0[off] &= (uint8_t)~data[i];
		} else {
			pm->gpe0[off] = data[i];
		}
	}
	pthread_mutex_unlock(&pm->lock);
}

static void smi_io(struct acpi_pm *pm, unsigned int off, uint8_t *data, uint32_t len,
		   bool is_write)
{
	pthread_mutex_lock(&pm->lock);
	if (off < 4 && !is_write)
		get_bytes(data, len, off, pm->smi_en);
	else if (off < 4)
		pm->smi_en = (uint32_t)put_bytes(pm->smi_en, data, len, off);
	else if (!is_write)
		memset(data, 0, len);	/* SMI_STS: no SMI ever happened */
	pthread_mutex_unlock(&pm->lock);
}

int acpi_pm_block_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct acpi_pm *pm = opaque;
	uint32_t reg, size, n = len;
	int ret = 0;

	if (offset >= ACPI_PM_OFF_SMI_EN && offset < ACPI_PM_OFF_SMI_EN + 8)
		reg = ACPI_PM_OFF_SMI_EN, size = 8;
	else if (offset >= ACPI_PM_OFF_GPE0 && offset < ACPI_PM_OFF_GPE0 + ACPI_PM_GPE0_LEN)
		reg = ACPI_PM_OFF_GPE0, size = ACPI_PM_GPE0_LEN;
	else if (offset >= ACPI_PM_OFF_TMR && offset < ACPI_PM_OFF_TMR + 4)
		reg = ACPI_PM_OFF_TMR, size = 4;
	else if (offset >= ACPI_PM_OFF_CNT && offset < ACPI_PM_OFF_CNT + 2)
		reg = ACPI_PM_OFF_CNT, size = 2;
	else if (offset < ACPI_PM_OFF_EVT + 4)
		reg = ACPI_PM_OFF_EVT, size = 4;
	else
		return -ENOENT;
	offset -= reg;
	if (offset + n > size) {
		n = (uint32_t)(size - offset);	/* the rest is not this register's */
		if (!is_write)
			memset(data + n, 0xff, len - n);
	}
	switch (reg) {
	case ACPI_PM_OFF_EVT:
		ret = acpi_pm_evt_io(pm, offset, data, n, is_write);
		break;
	case ACPI_PM_OFF_CNT:
		ret = acpi_pm_cnt_io(pm, offset, data, n, is_write);
		break;
	case ACPI_PM_OFF_TMR:
		ret = acpi_pm_tmr_io(pm, offset, data, n, is_write);
		break;
	case ACPI_PM_OFF_GPE0:
		gpe0_io(pm, (unsigned int)offset, data, n, is_write);
		break;
	default:
		smi_io(pm, (unsigned int)offset, data, n, is_write);
		break;
	}
	return ret;
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
