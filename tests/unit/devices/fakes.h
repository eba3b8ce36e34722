/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test doubles for what devices talk to: an interrupt line that records
 * level changes and a vm_control that records power-off/reset/exit
 * requests.
 */
#ifndef CVMM_TESTS_UNIT_DEVICES_FAKES_H
#define CVMM_TESTS_UNIT_DEVICES_FAKES_H

#include <string.h>

#include "devices/bus.h"
#include "devices/vm_control.h"

struct fake_irq {
	int level;
	unsigned int changes;	/* set_level calls */
	uint32_t gsi;
};

static inline void fake_irq_set(void *opaque, uint32_t gsi, int level)
{
	struct fake_irq *f = opaque;

	f->level = level;
	f->gsi = gsi;
	f->changes++;
}

static inline struct irq_line fake_irq_line(struct fake_irq *f, uint32_t gsi)
{
	memset(f, 0, sizeof(*f));
	return (struct irq_line){ .set_level = fake_irq_set, .opaque = f, .gsi = gsi };
}

struct fake_ctl {
	unsigned int count;
	enum vm_request last;
	int status;
};

static inline void fake_ctl_request(void *opaque, enum vm_request req, int status)
{
	struct fake_ctl *f = opaque;

	f->count++;
	f->last = req;
	f->status = status;
}

static inline struct vm_control fake_control(struct fake_ctl *f)
{
	memset(f, 0, sizeof(*f));
	return (struct vm_control){ .request = fake_ctl_request, .opaque = f };
}

/* One-byte port accesses through a handler. */
static inline void pio_out(io_handler_t fn, void *dev, uint64_t off, uint8_t v)
{
	assert_int_equal(fn(dev, off, &v, 1, true), 0);
}

static inline uint8_t pio_in(io_handler_t fn, void *dev, uint64_t off)
{
	uint8_t v = 0xa5;

	assert_int_equal(fn(dev, off, &v, 1, false), 0);
	return v;
}

#endif
