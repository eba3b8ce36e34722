// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: the legacy port devices (16550 COM1, CMOS/RTC, i8042, ACPI
 * PM1/PM timer, 0xcf9 reset, debug exit, debug console, POST port) driven
 * through the port bus by a byte stream, as a hostile guest would:
 *
 *   op & 0xc0 != 0xc0: an access; size 1 << (op & 3), write if op & 4,
 *                      the next byte picks the port, writes take `size`
 *                      data bytes;
 *   op & 0xc0 == 0xc0: console input: (op & 0x3f) bytes for the UART.
 *
 * After every step the devices' invariants are checked.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/acpi_pm.h"
#include "devices/bus.h"
#include "devices/cmos.h"
#include "devices/i8042.h"
#include "devices/misc_ports.h"
#include "devices/serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every register, and the ports just around each device. */
static const uint16_t ports[] = {
	0x3f7, 0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff, 0x400,
	0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65,
	0x6f, 0x70, 0x71, 0x72,
	0x5ff, 0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x606, 0x607,
	0x608, 0x609, 0x60a, 0x60b, 0x60c,
	0xcf8, 0xcf9, 0xcfa,
	0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
	0x7f, 0x80, 0x81,
	0x401, 0x402, 0x403,
};

struct irq_check {
	int level;
	int bad;
};

static void irq_set(void *opaque, uint32_t gsi, int level)
{
	struct irq_check *c = opaque;

	/* the UART only reports real changes, on its own GSI */
	if (gsi != IRQ_COM1 || level == c->level || (level != 0 && level != 1))
		c->bad = 1;
	c->level = level;
}

static struct {
	enum vm_request last;
	unsigned int count;
} requests;

static void request(void *opaque, enum vm_request req, int status)
{
	if (req != VM_REQ_POWEROFF && req != VM_REQ_RESET && req != VM_REQ_EXIT)
		__builtin_trap();
	if (req == VM_REQ_EXIT && (status & 1) == 0)
		__builtin_trap();	/* (V << 1) | 1 is always odd */
	requests.last = req;
	requests.count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct irq_check irqc = { 0 };
	const struct irq_line irq = { .set_level = irq_set, .opaque = &irqc,
				      .gsi = IRQ_COM1 };
	const struct vm_control ctl = { .request = request };
	struct io_bus bus = { .name = "pio" };
	struct serial uart;
	struct cmos rtc;
	struct i8042 kbd;
	struct acpi_pm pm;
	struct reset_ctl rst;
	struct debug_exit dx;
	struct debugcon dcon = { .fd = -1 };
	size_t pos = 0;

	memset(&requests, 0, sizeof(requests));
	serial_init(&uart, -1, &irq);
	cmos_init(&rtc, 512ULL << 20, 1ULL << 30, 2);
	i8042_init(&kbd, &ctl);
	acpi_pm_init(&pm, &ctl);
	reset_ctl_init(&rst, &ctl);
	debug_exit_init(&dx, &ctl);
	if (serial_register(&uart, &bus, PORT_COM1) ||
	    cmos_register(&rtc, &bus) || i8042_register(&kbd, &bus) ||
	    acpi_pm_register(&pm, &bus) || reset_ctl_register(&rst, &bus) ||
	    debug_exit_register(&dx, &bus, 0xf4) ||
	    debugcon_register(&dcon, &bus) || post_port_register(&bus))
		__builtin_trap();

	while (pos < size) {
		uint8_t op = data[pos++];

		if ((op & 0xc0) == 0xc0) {
			size_t n = op & 0x3f, took;

			if (n > size - pos)
				n = size - pos;
			took = serial_receive(&uart, data + pos, n);
			if (took > n)
				__builtin_trap();
			pos += n;
		} else {
			uint32_t len = 1U << (op & 3);
			bool is_write = op & 4;
			uint8_t buf[8];
			uint16_t port;

			if (pos >= size)
				break;
			port = ports[data[pos++] % (sizeof(ports) / sizeof(ports[0]))];
			memset(buf, 0, sizeof(buf));
			if (is_write) {
				size_t n = len <= size - pos ? len : size - pos;

				memcpy(buf, data + pos, n);
				pos += n;
			}
			io_bus_dispatch(&bus, port, buf, len, is_write);
		}

		/* invariants */
		if (uart.rx_len > SERIAL_RX_FIFO || uart.rx_head >= SERIAL_RX_FIFO ||
		    !!(uart.lsr & 0x01) != !!uart.rx_len || !(uart.lsr & 0x60) ||
		    uart.ier & 0xf0 || uart.mcr & 0xe0 ||
		    uart.irq_level != irqc.level || irqc.bad)
			__builtin_trap();
		if (rtc.index >= CMOS_SIZE)
			__builtin_trap();
		if (!(pm.pm1_cnt & 0x0001) || pm.pm1_cnt & 0x2000)
			__builtin_trap();
		if (rst.value & ~0x0e)
			__builtin_trap();
	}

	io_bus_free(&bus);
	serial_destroy(&uart);
	cmos_destroy(&rtc);
	i8042_destroy(&kbd);
	acpi_pm_destroy(&pm);
	return 0;
}
