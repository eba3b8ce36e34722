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

static void put_num(unsigned long long v, unsigned int base, int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width--)
		console_putc(pad);
	while (n)
		console_putc(buf[--n]);
}

int vprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			console_putc(*fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0';
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l') {
			lng++;
			fmt++;
		}
		switch (*fmt) {
		case 'd': {
			long long v = lng ? va_arg(ap, long long) : va_arg(ap, int);

			if (v < 0) {
				console_putc('-');
				v = -v;
			}
			put_num((unsigned long long)v, 10, width, pad);
			break;
		}
		case 'u':
			put_num(lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int),
				10, width, pad);
			break;
		case 'x':
			put_num(lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned int),
				16, width, pad);
			break;
		case 'p':
			console_puts("0x");
			put_num((uintptr_t)va_arg(ap, void *), 16, 0, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			console_puts(s ? s : "(null)");
			break;
		}
		case 'c':
			console_putc((char)va_arg(ap, int));
			break;
		case '%':
			console_putc('%');
			break;
		default:
			console_putc('?');
			break;
		}
	}
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
