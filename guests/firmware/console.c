// SPDX-License-Identifier: GPL-2.0-only
/* Progress and errors on COM1 and on the 0x402 debug console. */
#include "fw.h"

#define COM1		0x3f8
#define LSR_THRE	0x20
#define DEBUGCON	0x402

void console_putc(char c)
{
	int spins = 100000;

	if (c == '\n')
		console_putc('\r');
	while (!(inb(COM1 + 5) & LSR_THRE) && --spins)
		cpu_relax();
	outb(COM1, (uint8_t)c);
	if (c != '\r')
		outb(DEBUGCON, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		console_putc(*s++);
}

static void vprint(const char *fmt, va_list ap)
{
	format_vprintf(console_putc, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	return 0;
}

void fatal(enum fw_fail code, const char *fmt, ...)
{
	va_list ap;

	put_str("cvmm-testfw: FATAL: ");
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	printf("\ncvmm-testfw: exit 0x%x through port 0x%x\n", code, DEBUG_EXIT_PORT);
	outb(DEBUG_EXIT_PORT, (uint8_t)code);
	for (;;)
		__asm__ volatile("cli; hlt");
}
