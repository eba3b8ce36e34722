/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_BUS_H
#define CVMM_DEVICES_BUS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Port I/O and MMIO dispatch.  Devices register address ranges before the
 * vCPUs start; after that the bus is read-only, so lookups need no lock.
 * Each device protects its own state (vCPU threads call in concurrently).
 *
 * A handler gets the offset inside its range, a buffer of @len bytes
 * (1, 2, 4 or 8; little-endian as the guest wrote it) and the direction.
 * For reads it fills @data.  It returns 0, or a negative errno that the
 * caller logs (the guest never sees an error: reads then return all ones).
 */
typedef int (*io_handler_t)(void *opaque, uint64_t offset, uint8_t *data,
			    uint32_t len, bool is_write);

struct io_range {
	uint64_t base;
	uint64_t len;
	io_handler_t fn;
	void *opaque;
	const char *name;
};

struct io_bus {
	struct io_range *ranges;	/* sorted by base, non-overlapping */
	unsigned int nr;
	const char *name;		/* "pio" or "mmio", for messages */
	/* subtractive decode: what no range claims (see io_bus_set_fallback) */
	io_handler_t fallback;
	void *fallback_opaque;
};

int io_bus_register(struct io_bus *bus, uint64_t base, uint64_t len,
		    io_handler_t fn, void *opaque, const char *name);
/*
 * The decoder of last resort, set before the vCPUs start: it gets the
 * absolute address of every access no range claims (the way an ICH9 LPC
 * bridge decodes subtractively) and returns -ENOENT for what it does not
 * decode either.  Devices whose address the guest programs (a PM block at
 * PMBASE, an ECAM at PCIEXBAR) live behind it, so the ranges stay
 * immutable.  -EBUSY if one is set already.
 */
int io_bus_set_fallback(struct io_bus *bus, io_handler_t fn, void *opaque);
/*
 * -ENOENT when nothing claims @addr, the fallback included (reads are
 * then filled with 0xff).
 */
int io_bus_dispatch(const struct io_bus *bus, uint64_t addr, uint8_t *data,
		    uint32_t len, bool is_write);
const struct io_range *io_bus_find(const struct io_bus *bus, uint64_t addr);
/*
 * Remove the range that contains @addr, copying it to *@old (if not
 * NULL), so a device can take over and forward to the previous owner
 * (e.g. the PCI host owning 0xcf8-0xcff and passing byte accesses to
 * 0xcf9 on to the reset control register).  -ENOENT if none.
 */
int io_bus_remove(struct io_bus *bus, uint64_t addr, struct io_range *old);
void io_bus_free(struct io_bus *bus);

/*
 * How devices raise interrupts without seeing KVM: the machine gives each
 * device an irq_line bound to a GSI.
 */
struct irq_line {
	void (*set_level)(void *opaque, uint32_t gsi, int level);
	void *opaque;
	uint32_t gsi;
};

static inline void irq_line_set(const struct irq_line *irq, int level)
{
	if (irq && irq->set_level)
		irq->set_level(irq->opaque, irq->gsi, level);
}

#endif
