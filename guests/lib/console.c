// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"

#define COM1		0x3f8
#define LSR_THRE	0x20

static volatile int console_lock;

void console_putc(char c)
{
	int spins = 100000;

	if (c == '\n')
		console_putc('\r');
	while (!(inb(COM1 + 5) & LSR_THRE) && --spins)
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

int vprintf(const char *fmt, va_list ap)
{
	format_vprintf(console_putc, fmt, ap);
	return 0;
}

int printf(const char *fmt, ...)
{
	va_list ap;

	/* vCPUs print concurrently in the SMP test: one line at a time */
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
	return 0;
}
