// SPDX-License-Identifier: GPL-2.0-only
#include "libc.h"

static void put_num(void (*putc)(char), unsigned long long v, unsigned int base,
		    int width, char pad)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n < width--)
		putc(pad);
	while (n)
		putc(buf[--n]);
}

static void put_str(void (*putc)(char), const char *s)
{
	while (*s)
		putc(*s++);
}

void format_vprintf(void (*putc)(char), const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int lng = 0, width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			putc(*fmt);
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
				putc('-');
				v = -v;
			}
			put_num(putc, (unsigned long long)v, 10, width, pad);
			break;
		}
		case 'u':
			put_num(putc, lng ? va_arg(ap, unsigned long long) :
				va_arg(ap, unsigned int), 10, width, pad);
			break;
		case 'x':
			put_num(putc, lng ? va_arg(ap, unsigned long long) :
				va_arg(ap, unsigned int), 16, width, pad);
			break;
		case 'p':
			put_str(putc, "0x");
			put_num(putc, (uintptr_t)va_arg(ap, void *), 16, 0, ' ');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			put_str(putc, s ? s : "(null)");
			break;
		}
		case 'c':
			putc((char)va_arg(ap, int));
			break;
		case '%':
			putc('%');
			break;
		case '\0':
			return;
		default:
			putc('?');
			break;
		}
	}
}
