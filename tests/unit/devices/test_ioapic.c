// SPDX-License-Identifier: GPL-2.0-only
/*
 * The userspace IOAPIC of the split irqchip: register window, redirection
 * entries, edge and level delivery, Remote IRR and EOI, MSI encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "devices/ioapic.h"

struct msi_log {
	unsigned int n;
	uint64_t addr[64];
	uint32_t data[64];
	unsigned int routes;
	uint64_t route_addr[IOAPIC_NR_PINS];
	uint32_t route_data[IOAPIC_NR_PINS];
	bool route_masked[IOAPIC_NR_PINS];
};

static void log_msi(void *opaque, uint64_t address, uint32_t data)
{
	struct msi_log *l = opaque;

	if (l->n < 64) {
		l->addr[l->n] = address;
		l->data[l->n] = data;
	}
	l->n++;
}

static void log_route(void *opaque, unsigned int pin, uint64_t address,
		      uint32_t data, bool masked)
{
	struct msi_log *l = opaque;

	l->routes++;
	l->route_addr[pin] = address;
	l->route_data[pin] = data;
	l->route_masked[pin] = masked;
}

static void wr32(struct ioapic *io, uint64_t off, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	assert_int_equal(ioapic_mmio(io, off, b, 4, true), 0);
}

static uint32_t rd32(struct ioapic *io, uint64_t off)
{
	uint8_t b[4];

	assert_int_equal(ioapic_mmio(io, off, b, 4, false), 0);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static void reg_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	wr32(io, IOAPIC_REG_SELECT, reg);
	wr32(io, IOAPIC_REG_WINDOW, v);
}

static uint32_t reg_read(struct ioapic *io, uint32_t reg)
{
	wr32(io, IOAPIC_REG_SELECT, reg);
	return rd32(io, IOAPIC_REG_WINDOW);
}

static void set_rte(struct ioapic *io, unsigned int pin, uint64_t rte)
{
	reg_write(io, IOAPIC_REDTBL + 2 * pin + 1, (uint32_t)(rte >> 32));
	reg_write(io, IOAPIC_REDTBL + 2 * pin, (uint32_t)rte);
}

static void test_identity_registers(void **state)
{
	struct ioapic io;
	struct msi_log l = { 0 };
	unsigned int pin;

	ioapic_init(&io, 4, log_msi, &l);
	assert_int_equal(reg_read(&io, IOAPIC_ID), 4u << 24);
	/* version 0x20, 24 pins: max redirection entry 23 */
	assert_int_equal(reg_read(&io, IOAPIC_VER), 0x00170020);
	reg_write(&io, IOAPIC_ID, 0x0a000000);
	assert_int_equal(reg_read(&io, IOAPIC_ID), 0x0a000000);
	/* VER is read-only */
	reg_write(&io, IOAPIC_VER, 0);
	assert_int_equal(reg_read(&io, IOAPIC_VER), 0x00170020);
	/* every entry starts masked */
	for (pin = 0; pin < IOAPIC_NR_PINS; pin++)
		assert_int_equal(reg_read(&io, IOAPIC_REDTBL + 2 * pin), IOAPIC_RTE_MASKED);
	/* IOREGSEL reads back; unknown registers read 0 */
	wr32(&io, IOAPIC_REG_SELECT, 0x7f);
	assert_int_equal(rd32(&io, IOAPIC_REG_SELECT), 0x7f);
	assert_int_equal(rd32(&io, IOAPIC_REG_WINDOW), 0);
	assert_int_equal(l.n, 0);
	ioapic_destroy(&io);
}

static void test_rte_readonly_bits(void **state)
{
	struct ioapic io;
	struct msi_log l = { 0 };

	ioapic_init(&io, 0, log_msi, &l);
	/* guest tries to set Delivery Status and Remote IRR: ignored */
	reg_write(&io, IOAPIC_REDTBL + 2 * 3, 0x31 | (uint32_t)IOAPIC_RTE_RO | IOAPIC_RTE_LEVEL);
	assert_int_equal(reg_read(&io, IOAPIC_REDTBL + 2 * 3), 0x31 | IOAPIC_RTE_LEVEL);
	reg_write(&io, IOAPIC_REDTBL + 2 * 3 + 1, 0x5a000000);
	assert_int_equal(reg_read(&io, IOAPIC_REDTBL + 2 * 3 + 1), 0x5a000000);
	ioapic_destroy(&io);
}

static void test_msi_encoding(void **state)
{
	uint64_t addr;
	uint32_t data;

	/* physical destination 3, fixed, edge, vector 0x31 */
	ioapic_rte_to_msi(0x0300000000000031ULL, &addr, &data);
	assert_int_equal(addr, 0xfee03000ULL);
	assert_int_equal(data, 0x31);
	/* logical destination 0x0f, lowest priority, level */
	ioapic_rte_to_msi(0x0f00000000000000ULL | IOAPIC_RTE_DESTMODE | 1u << 8 |
			  IOAPIC_RTE_LEVEL | 0x40, &addr, &data);
	assert_int_equal(addr, 0xfee0f004ULL);
	assert_int_equal(data, 0x40 | 1u << 8 | 1u << 15);
	/* extended destination ID (bits 55:49) lands in address bits 11:5 */
	ioapic_rte_to_msi(0x00fe000000000020ULL, &addr, &data);
	assert_int_equal(addr, 0xfee00fe0ULL);
}

static void test_edge_delivery(void **state)
{
	struct ioapic io;
	struct msi_log l = { 0 };

	ioapic_init(&io, 0, log_msi, &l);
	/* masked: a rising edge is latched, not delivered */
	ioapic_set_irq(&io, 4, 1);
	ioapic_set_irq(&io, 4, 0);
	assert_int_equal(l.n, 0);
	/* unmasking delivers the latched edge exactly once */
	set_rte(&io, 4, 0x0100000000000024ULL);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.addr[0], 0xfee01000ULL);
	assert_int_equal(l.data[0], 0x24);
	/* each rising edge is one interrupt; holding the line high is not */
	ioapic_set_irq(&io, 4, 1);
	ioapic_set_irq(&io, 4, 1);
	assert_int_equal(l.n, 2);
	ioapic_set_irq(&io, 4, 0);
	ioapic_set_irq(&io, 4, 1);
	assert_int_equal(l.n, 3);
	/* out-of-range pins are ignored */
	ioapic_set_irq(&io, 24, 1);
	ioapic_set_irq(&io, 0xffffffffu, 1);
	assert_int_equal(l.n, 3);
	ioapic_destroy(&io);
}

static void test_level_remote_irr(void **state)
{
	struct ioapic io;
	struct msi_log l = { 0 };

	ioapic_init(&io, 0, log_msi, &l);
	set_rte(&io, 9, IOAPIC_RTE_LEVEL | 0x39);
	ioapic_set_irq(&io, 9, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.data[0], 0x39 | 1u << 15);
	assert_true(reg_read(&io, IOAPIC_REDTBL + 2 * 9) & IOAPIC_RTE_REMOTE_IRR);
	/* still asserted, Remote IRR set: nothing more */
	ioapic_set_irq(&io, 9, 1);
	assert_int_equal(l.n, 1);
	/* EOI for another vector changes nothing */
	ioapic_eoi(&io, 0x38);
	assert_int_equal(l.n, 1);
	/* EOI while the line is still high: delivered again */
	ioapic_eoi(&io, 0x39);
	assert_int_equal(l.n, 2);
	/* line drops, EOI through the EOI register: Remote IRR clears, no MSI */
	ioapic_set_irq(&io, 9, 0);
	wr32(&io, IOAPIC_REG_EOI, 0x39);
	assert_int_equal(l.n, 2);
	assert_false(reg_read(&io, IOAPIC_REDTBL + 2 * 9) & IOAPIC_RTE_REMOTE_IRR);
	/* a level pin asserted while masked fires on unmask */
	set_rte(&io, 10, IOAPIC_RTE_MASKED | IOAPIC_RTE_LEVEL | 0x3a);
	ioapic_set_irq(&io, 10, 1);
	assert_int_equal(l.n, 2);
	set_rte(&io, 10, IOAPIC_RTE_LEVEL | 0x3a);
	assert_int_equal(l.n, 3);
	/* switching a pin to edge drops its Remote IRR */
	set_rte(&io, 10, 0x3a);
	assert_false(reg_read(&io, IOAPIC_REDTBL + 2 * 10) & IOAPIC_RTE_REMOTE_IRR);
	ioapic_destroy(&io);
}

static void test_routes_and_bus(void **state)
{
	struct ioapic io;
	struct msi_log l = { 0 };
	struct io_bus bus = { .name = "mmio" };
	uint8_t b[8];

	ioapic_init(&io, 2, log_msi, &l);
	io.update_route = log_route;
	set_rte(&io, 1, 0x0200000000000041ULL);
	assert_true(l.routes >= 1);
	assert_int_equal(l.route_addr[1], 0xfee02000ULL);
	assert_int_equal(l.route_data[1], 0x41);
	assert_false(l.route_masked[1]);

	assert_int_equal(ioapic_register(&io, &bus, 0xfec00000ULL), 0);
	b[0] = IOAPIC_VER;
	b[1] = b[2] = b[3] = 0;
	assert_int_equal(io_bus_dispatch(&bus, 0xfec00000ULL, b, 4, true), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0xfec00010ULL, b, 4, false), 0);
	assert_int_equal(b[0], 0x20);
	assert_int_equal(b[2], 23);
	/* 8-byte accesses are not part of the register model: all ones */
	assert_int_equal(io_bus_dispatch(&bus, 0xfec00010ULL, b, 8, false), 0);
	assert_int_equal(b[7], 0xff);
	/* a 1-byte window write does not tear a redirection entry */
	b[0] = IOAPIC_REDTBL + 2;
	assert_int_equal(io_bus_dispatch(&bus, 0xfec00000ULL, b, 4, true), 0);
	b[0] = 0x99;
	assert_int_equal(io_bus_dispatch(&bus, 0xfec00010ULL, b, 1, true), 0);
	assert_int_equal(reg_read(&io, IOAPIC_REDTBL + 2), 0x41);
	io_bus_free(&bus);
	ioapic_destroy(&io);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_registers),
		cmocka_unit_test(test_rte_readonly_bits),
		cmocka_unit_test(test_msi_encoding),
		cmocka_unit_test(test_edge_delivery),
		cmocka_unit_test(test_level_remote_irr),
		cmocka_unit_test(test_routes_and_bus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
