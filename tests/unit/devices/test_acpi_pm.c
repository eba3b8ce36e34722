// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI fixed hardware: PM1a event block (write-one-to-clear status,
 * enable), PM1a control (SCI_EN sticky, S5 power-off) and the 24-bit
 * 3.579545 MHz PM timer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "devices/acpi_pm.h"
#include "fakes.h"

#define SCI_EN		0x0001
#define SLP_EN		0x2000
#define SLP_TYP(n)	((n) << 10)

struct fixture {
	struct acpi_pm pm;
	struct fake_ctl ctl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vm_control ctl;

	assert_non_null(f);
	ctl = fake_control(&f->ctl);
	acpi_pm_init(&f->pm, &ctl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	acpi_pm_destroy(&f->pm);
	free(f);
	return 0;
}

static void cnt_write16(struct fixture *f, uint16_t v)
{
	uint8_t d[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	assert_int_equal(acpi_pm_cnt_io(&f->pm, 0, d, 2, true), 0);
}

static uint16_t cnt_read16(struct fixture *f)
{
	uint8_t d[2] = { 0 };

	assert_int_equal(acpi_pm_cnt_io(&f->pm, 0, d, 2, false), 0);
	return (uint16_t)(d[0] | d[1] << 8);
}

static uint32_t evt_read32(struct fixture *f)
{
	uint8_t d[4] = { 0 };

	assert_int_equal(acpi_pm_evt_io(&f->pm, 0, d, 4, false), 0);
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 |
	       (uint32_t)d[3] << 24;
}

static void test_control_initial(void **state)
{
	struct fixture *f = *state;

	/* ACPI mode from the start: SCI_EN set */
	assert_int_equal(cnt_read16(f), SCI_EN);
	assert_int_equal(pio_in(acpi_pm_cnt_io, &f->pm, 0), 0x01);
	assert_int_equal(pio_in(acpi_pm_cnt_io, &f->pm, 1), 0x00);
	/* SCI_EN cannot be cleared */
	cnt_write16(f, 0);
	assert_int_equal(cnt_read16(f), SCI_EN);
	assert_int_equal(f->ctl.count, 0);
}

static void test_poweroff(void **state)
{
	struct fixture *f = *state;

	cnt_write16(f, SLP_TYP(5) | SLP_EN);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_POWEROFF);
	assert_int_equal(f->ctl.status, 0);
	/* SLP_EN is write-only; SLP_TYP is kept */
	assert_int_equal(cnt_read16(f), SLP_TYP(5) | SCI_EN);
}

static void test_poweroff_byte_write(void **state)
{
	struct fixture *f = *state;

	/* Linux writes SLP_TYP first, then SLP_EN, possibly as bytes */
	pio_out(acpi_pm_cnt_io, &f->pm, 1, SLP_TYP(5) >> 8);
	assert_int_equal(f->ctl.count, 0);
	pio_out(acpi_pm_cnt_io, &f->pm, 1, (SLP_TYP(5) | SLP_EN) >> 8);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_POWEROFF);
	/* a low-byte write keeps SLP_TYP */
	pio_out(acpi_pm_cnt_io, &f->pm, 0, 0x00);
	assert_int_equal(cnt_read16(f), SLP_TYP(5) | SCI_EN);
	assert_int_equal(f->ctl.count, 1);
}

static void test_other_sleep_states(void **state)
{
	struct fixture *f = *state;
	unsigned int t;

	for (t = 0; t < 8; t++) {
		if (t == 5)
			continue;
		cnt_write16(f, (uint16_t)(SLP_TYP(t) | SLP_EN));
		assert_int_equal(cnt_read16(f), SLP_TYP(t) | SCI_EN);
	}
	/* S5 without SLP_EN only selects the state */
	cnt_write16(f, SLP_TYP(5));
	assert_int_equal(f->ctl.count, 0);
}

static void test_event_block(void **state)
{
	struct fixture *f = *state;
	uint8_t d[2];

	assert_int_equal(evt_read32(f), 0);
	/* status bits are write-one-to-clear */
	f->pm.pm1_sts = 0x8121;
	d[0] = 0x01;
	d[1] = 0x80;
	assert_int_equal(acpi_pm_evt_io(&f->pm, 0, d, 2, true), 0);
	assert_int_equal(f->pm.pm1_sts, 0x0120);
	pio_out(acpi_pm_evt_io, &f->pm, 1, 0x01);
	assert_int_equal(f->pm.pm1_sts, 0x0020);
	pio_out(acpi_pm_evt_io, &f->pm, 0, 0x00);	/* zeroes change nothing */
	assert_int_equal(f->pm.pm1_sts, 0x0020);
	/* enable is a plain register */
	d[0] = 0x20;
	d[1] = 0x01;
	assert_int_equal(acpi_pm_evt_io(&f->pm, 2, d, 2, true), 0);
	assert_int_equal(f->pm.pm1_en, 0x0120);
	pio_out(acpi_pm_evt_io, &f->pm, 3, 0x03);
	assert_int_equal(f->pm.pm1_en, 0x0320);
	assert_int_equal(evt_read32(f), 0x03200020);
	assert_int_equal(pio_in(acpi_pm_evt_io, &f->pm, 2), 0x20);
	assert_int_equal(pio_in(acpi_pm_evt_io, &f->pm, 3), 0x03);
	/* a 4-byte write: status then enable */
	{
		uint8_t w[4] = { 0x20, 0x00, 0x00, 0x00 };

		assert_int_equal(acpi_pm_evt_io(&f->pm, 0, w, 4, true), 0);
		assert_int_equal(evt_read32(f), 0);
	}
	assert_int_equal(f->ctl.count, 0);
}

static uint32_t tmr(struct fixture *f)
{
	uint8_t d[4] = { 0xff, 0xff, 0xff, 0xff };

	assert_int_equal(acpi_pm_tmr_io(&f->pm, 0, d, 4, false), 0);
	/* 24 bits */
	assert_int_equal(d[3], 0);
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16;
}

static void test_timer(void **state)
{
	struct fixture *f = *state;
	struct timespec t0, t1, nap = { 0, 20 * 1000 * 1000 };
	uint32_t a, b, ticks;
	double ns;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = tmr(f);
	nanosleep(&nap, NULL);
	b = tmr(f);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ticks = (b - a) & 0xffffff;
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	/* 3.579545 MHz: at least the 20 ms slept, at most the time measured */
	assert_true(ticks >= 20 * 3579);
	assert_true(ticks <= ns * 3.579545e-3 + 2);
	/* writes are ignored; byte reads work */
	{
		uint8_t v = 0;

		assert_int_equal(acpi_pm_tmr_io(&f->pm, 0, &v, 1, true), 0);
		assert_int_equal(acpi_pm_tmr_io(&f->pm, 3, &v, 1, false), 0);
		assert_int_equal(v, 0);
	}
}

static void test_register(void **state)
{
	struct fixture *f = *state;
	struct io_bus bus = { .name = "pio" };
	uint8_t d[8] = { 0 };

	assert_int_equal(acpi_pm_register(&f->pm, &bus), 0);
	assert_int_equal(bus.nr, 3);
	assert_int_equal(io_bus_dispatch(&bus, 0x604, d, 2, false), 0);
	assert_int_equal(d[0], 0x01);
	assert_int_equal(io_bus_dispatch(&bus, 0x608, d, 4, false), 0);
	assert_int_equal(d[3], 0);
	/* 0x606..0x607 is a gap between the blocks */
	assert_int_equal(io_bus_dispatch(&bus, 0x606, d, 1, false), -ENOENT);
	/* an 8-byte access to the 4-byte timer is not claimed */
	assert_int_equal(io_bus_dispatch(&bus, 0x608, d, 8, false), -ENOENT);
	d[0] = 0x00;
	d[1] = 0x34;				/* SLP_EN | S5 */
	assert_int_equal(io_bus_dispatch(&bus, 0x604, d, 2, true), 0);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_POWEROFF);
	assert_int_equal(acpi_pm_register(&f->pm, &bus), -EBUSY);
	io_bus_free(&bus);
}

/* ---- the ICH9 flavour (Q35 persona) ---------------------------------- */

static int setup_ich9(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vm_control ctl;

	assert_non_null(f);
	ctl = fake_control(&f->ctl);
	acpi_pm_init_ich9(&f->pm, &ctl);
	*state = f;
	return 0;
}

static uint32_t blk_read(struct fixture *f, uint64_t off, uint32_t len)
{
	uint8_t d[4] = { 0 };
	uint32_t v = 0, i;

	assert_int_equal(acpi_pm_block_io(&f->pm, off, d, len, false), 0);
	for (i = 0; i < len; i++)
		v |= (uint32_t)d[i] << (8 * i);
	return v;
}

static void blk_write(struct fixture *f, uint64_t off, uint32_t len, uint32_t v)
{
	uint8_t d[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	assert_int_equal(acpi_pm_block_io(&f->pm, off, d, len, true), 0);
}

static void test_ich9_sci_en(void **state)
{
	struct fixture *f = *state;

	/* no SMM: ACPI mode at reset, as QEMU's q35 with smm=off ... */
	assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 2), SCI_EN);
	/* ... but SCI_EN is a plain bit */
	blk_write(f, ACPI_PM_OFF_CNT, 2, 0);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 2), 0);
	blk_write(f, ACPI_PM_OFF_CNT, 2, SCI_EN);	/* OVMF's BDS */
	assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 2), SCI_EN);
	assert_int_equal(f->ctl.count, 0);
}

static void test_ich9_poweroff(void **state)
{
	struct fixture *f = *state;
	unsigned int t;

	/* every SLP_TYP but 0 only selects a state */
	for (t = 1; t < 8; t++) {
		blk_write(f, ACPI_PM_OFF_CNT, 2, SLP_TYP(t) | SLP_EN | SCI_EN);
		assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 2), SLP_TYP(t) | SCI_EN);
	}
	assert_int_equal(f->ctl.count, 0);
	/* OVMF's ResetShutdown: SLP_TYP <- 0, then SLP_EN */
	blk_write(f, ACPI_PM_OFF_CNT, 2, SCI_EN);
	assert_int_equal(f->ctl.count, 0);
	blk_write(f, ACPI_PM_OFF_CNT, 2, SCI_EN | SLP_EN);
	assert_int_equal(f->ctl.count, 1);
	assert_int_equal(f->ctl.last, VM_REQ_POWEROFF);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 2), SCI_EN);
	/* the high byte alone does it too */
	blk_write(f, ACPI_PM_OFF_CNT + 1, 1, SLP_EN >> 8);
	assert_int_equal(f->ctl.count, 2);
}

static void test_ich9_block(void **state)
{
	struct fixture *f = *state;
	uint8_t d[4];
	uint32_t t;

	/* PM1 event block at 0 */
	f->pm.pm1_sts = 0x0101;
	blk_write(f, ACPI_PM_OFF_EVT, 2, 0x0001);
	assert_int_equal(f->pm.pm1_sts, 0x0100);
	blk_write(f, ACPI_PM_OFF_EVT + 2, 2, 0x0120);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_EVT, 4), 0x01200100);
	/* the timer at 8: 24 bits */
	t = blk_read(f, ACPI_PM_OFF_TMR, 4);
	assert_int_equal(t >> 24, 0);
	/* GPE0: status write-one-to-clear, enable plain */
	f->pm.gpe0[0] = 0x0f;
	blk_write(f, ACPI_PM_OFF_GPE0, 1, 0x05);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_GPE0, 1), 0x0a);
	blk_write(f, ACPI_PM_OFF_GPE0 + 8, 2, 0x8002);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_GPE0 + 8, 2), 0x8002);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_GPE0 + 15, 1), 0x00);
	/* SMI_EN stored, SMI_STS reads 0 */
	blk_write(f, ACPI_PM_OFF_SMI_EN, 4, 0x00002021);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_SMI_EN, 4), 0x00002021);
	blk_write(f, ACPI_PM_OFF_SMI_STS, 4, 0xffffffff);
	assert_int_equal(blk_read(f, ACPI_PM_OFF_SMI_STS, 4), 0);
	/* a 4-byte read at PM1_CNT: the 2 bytes past it read all ones */
	assert_int_equal(blk_read(f, ACPI_PM_OFF_CNT, 4), 0xffff0000u | SCI_EN);
	/* holes and TCO are not decoded */
	assert_int_equal(acpi_pm_block_io(&f->pm, 0x06, d, 2, false), -ENOENT);
	assert_int_equal(acpi_pm_block_io(&f->pm, 0x0c, d, 4, false), -ENOENT);
	assert_int_equal(acpi_pm_block_io(&f->pm, 0x38, d, 1, false), -ENOENT);
	assert_int_equal(acpi_pm_block_io(&f->pm, 0x60, d, 4, true), -ENOENT);
	assert_int_equal(acpi_pm_block_io(&f->pm, 0x7f, d, 1, false), -ENOENT);
	assert_int_equal(f->ctl.count, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define T9(fn) cmocka_unit_test_setup_teardown(fn, setup_ich9, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_control_initial),
		T(test_poweroff),
		T(test_poweroff_byte_write),
		T(test_other_sleep_states),
		T(test_event_block),
		T(test_timer),
		T(test_register),
		T9(test_ich9_sci_en),
		T9(test_ich9_poweroff),
		T9(test_ich9_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
