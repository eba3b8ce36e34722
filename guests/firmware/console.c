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

static void vprint(const char *fmt, va_list ap)
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
		case 's': {
			const char *s = va_arg(ap, const char *);

			put_str(s ? s : "(null)");
			break;
		}
		case 'c':
			console_putc((char)va_arg(ap, int));
			break;
		case '%':
			console_putc('%');
			break;
		case '\0':
			return;
		default:
			console_putc('?');
			break;
		}
	}
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
