// SPDX-License-Identifier: GPL-2.0-only
/*
 * Userspace I/O APIC for a split irqchip (see devices/ioapic.h).
 */
#include <errno.h>
#include <string.h>

#include "devices/ioapic.h"

#define MSI_ADDR_BASE		0xfee00000ULL
#define MSI_ADDR_DEST_IDX_SHIFT	4	/* RTE bits 63:48 -> address bits 19:4 */
#define MSI_ADDR_DEST_MODE_SHIFT 2
#define MSI_DATA_DELMODE_SHIFT	8
#define MSI_DATA_TRIGGER_SHIFT	15

void ioapic_rte_to_msi(uint64_t rte, uint64_t *address, uint32_t *data)
{
	uint64_t dest_idx = (rte >> 48) & 0xffff;
	uint32_t delmode = (uint32_t)(rte >> IOAPIC_RTE_DELMODE_SHIFT) & 7;

	*address = MSI_ADDR_BASE | dest_idx << MSI_ADDR_DEST_IDX_SHIFT |
		   (uint64_t)!!(rte & IOAPIC_RTE_DESTMODE) << MSI_ADDR_DEST_MODE_SHIFT;
	*data = (uint32_t)(rte & IOAPIC_RTE_VECTOR) | delmode << MSI_DATA_DELMODE_SHIFT |
		(uint32_t)!!(rte & IOAPIC_RTE_LEVEL) << MSI_DATA_TRIGGER_SHIFT;
}

void ioapic_init(struct ioapic *io, uint8_t id,
		 void (*send_msi)(void *opaque, uint64_t address, uint32_t data),
		 void *opaque)
{
	unsigned int i;

	memset(io, 0, sizeof(*io));
	pthread_mutex_init(&io->lock, NULL);
	io->id = id & 0xf;
	io->send_msi = send_msi;
	io->opaque = opaque;
	for (i = 0; i < IOAPIC_NR_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
}

void ioapic_destroy(struct ioapic *io)
{
	pthread_mutex_destroy(&io->lock);
}

/* Pending pins: edge pins latched on a rising edge, level pins while asserted. */
static uint32_t pending(const struct ioapic *io, unsigned int pin, uint32_t edge_latch)
{
	uint32_t bit = 1u << pin;

	if (io->rte[pin] & IOAPIC_RTE_LEVEL)
		return io->level & bit;
	return edge_latch & bit;
}

static void deliver(struct ioapic *io, unsigned int pin)
{
	uint64_t address;
	uint32_t data;

	ioapic_rte_to_msi(io->rte[pin], &address, &data);
	io->delivered++;
	if (io->send_msi)
		io->send_msi(io->opaque, address, data);
}

/*
 * Deliver what can be delivered.  @edge_latch holds the edge pins that
 * saw a rising edge (they are remembered while masked).  Called locked.
 */
static uint32_t service(struct ioapic *io, uint32_t edge_latch)
{
	unsigned int pin;

	for (pin = 0; pin < IOAPIC_NR_PINS; pin++) {
		uint64_t *rte = &io->rte[pin];

		if (!pending(io, pin, edge_latch) || (*rte & IOAPIC_RTE_MASKED))
			continue;
		if (*rte & IOAPIC_RTE_LEVEL) {
			if (*rte & IOAPIC_RTE_REMOTE_IRR)
				continue;
			*rte |= IOAPIC_RTE_REMOTE_IRR;
		} else {
			edge_latch &= ~(1u << pin);
		}
		deliver(io, pin);
	}
	return edge_latch;
}

static void update_route(struct ioapic *io, unsigned int pin)
{
	uint64_t address;
	uint32_t data;

	if (!io->update_route)
		return;
	ioapic_rte_to_msi(io->rte[pin], &address, &data);
	io->update_route(io->opaque, pin, address, data,
			 io->rte[pin] & IOAPIC_RTE_MASKED);
}

static uint32_t window_read(struct ioapic *io)
{
	uint32_t sel = io->select;
	unsigned int pin;

	switch (sel) {
	case IOAPIC_ID:
	case IOAPIC_ARB:
		return (uint32_t)io->id << 24;
	case IOAPIC_VER:
		return IOAPIC_VERSION | (IOAPIC_NR_PINS - 1) << 16;
	}
	if (sel >= IOAPIC_REDTBL && sel < IOAPIC_REDTBL + 2 * IOAPIC_NR_PINS) {
		pin = (sel - IOAPIC_REDTBL) / 2;
		return (sel & 1) ? (uint32_t)(io->rte[pin] >> 32) : (uint32_t)io->rte[pin];
	}
	return 0;
}

static void window_write(struct ioapic *io, uint32_t val)
{
	uint32_t sel = io->select;
	unsigned int pin;
	uint64_t rte;

	if (sel == IOAPIC_ID) {
		io->id = (val >> 24) & 0xf;
		return;
	}
	if (sel < IOAPIC_REDTBL || sel >= IOAPIC_REDTBL + 2 * IOAPIC_NR_PINS)
		return;		/* VER, ARB and unknown registers are read-only */
	pin = (sel - IOAPIC_REDTBL) / 2;
	rte = io->rte[pin];
	if (sel & 1) {
		rte = (rte & 0xffffffffULL) | (uint64_t)val << 32;
	} else {
		rte = (rte & ~0xffffffffULL) | (rte & IOAPIC_RTE_RO) |
		      ((uint64_t)val & ~IOAPIC_RTE_RO & 0xffffffffULL);
		/* an edge-triggered entry has no Remote IRR */
		if (!(rte & IOAPIC_RTE_LEVEL))
			rte &= ~IOAPIC_RTE_REMOTE_IRR;
	}
	io->rte[pin] = rte;
	update_route(io, pin);
}

int ioapic_mmio(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		bool is_write)
{
	struct ioapic *io = opaque;
	uint32_t val = 0;
	uint32_t i;

	if (len > 4) {
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	if (is_write)
		for (i = 0; i < len; i++)
			val |= (uint32_t)data[i] << (8 * i);

	pthread_mutex_lock(&io->lock);
	switch (offset) {
	case IOAPIC_REG_SELECT:
		if (is_write)
			io->select = val & 0xff;
		else
			val = io->select;
		break;
	case IOAPIC_REG_WINDOW:
		if (is_write) {
			if (len == 4) {
				window_write(io, val);
				io->edge = service(io, io->edge);
			}
		} else {
			val = window_read(io);
		}
		break;
	case IOAPIC_REG_EOI:
		if (is_write) {
			pthread_mutex_unlock(&io->lock);
			ioapic_eoi(io, (uint8_t)val);
			return 0;
		}
		val = 0;
		break;
	default:
		val = 0;
		break;
	}
	pthread_mutex_unlock(&io->lock);
	if (!is_write)
		for (i = 0; i < len; i++)
			data[i] = (uint8_t)(val >> (8 * i));
	return 0;
}

int ioapic_register(struct ioapic *io, struct io_bus *mmio, uint64_t base)
{
	return io_bus_register(mmio, base, IOAPIC_MMIO_SIZE, ioapic_mmio, io, "ioapic");
}

void ioapic_set_irq(struct ioapic *io, uint32_t pin, int level)
{
	uint32_t bit;

	if (pin >= IOAPIC_NR_PINS)
		return;
	bit = 1u << pin;
	pthread_mutex_lock(&io->lock);
	if (level) {
		if (!(io->level & bit) && !(io->rte[pin] & IOAPIC_RTE_LEVEL))
			io->edge |= bit;	/* rising edge */
		io->level |= bit;
	} else {
		io->level &= ~bit;
	}
	io->edge = service(io, io->edge);
	pthread_mutex_unlock(&io->lock);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	unsigned int pin;

	pthread_mutex_lock(&io->lock);
	for (pin = 0; pin < IOAPIC_NR_PINS; pin++) {
		uint64_t *rte = &io->rte[pin];

		if ((*rte & IOAPIC_RTE_VECTOR) != vector || !(*rte & IOAPIC_RTE_LEVEL))
			continue;
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
	}
	io->edge = service(io, io->edge);
	pthread_mutex_unlock(&io->lock);
}
