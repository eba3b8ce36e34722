/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The C library subset of cvmm's freestanding guests and test firmware
 * (guests/lib/string.c, guests/lib/format.c).  Plain loops only: every
 * instruction may run through a KVM instruction emulator, so no rep-string
 * tricks (the builds pass -fno-builtin; the firmware also
 * -mstringop-strategy=loop).
 */
#ifndef GUEST_LIBC_H
#define GUEST_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strncmp(const char *a, const char *b, size_t n);
const char *strstr(const char *h, const char *n);

/*
 * printf-style formatting onto @putc: %d %u %x (with 0-padding, width and
 * l/ll), %s, %c, %p, %%.
 */
void format_vprintf(void (*putc)(char), const char *fmt, va_list ap);

#endif
