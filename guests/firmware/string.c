// SPDX-License-Identifier: GPL-2.0-only
/*
 * Plain loops: every instruction of the firmware may run through KVM's
 * instruction emulator, so no rep-string tricks (the build also passes
 * -mstringop-strategy=loop and -fno-tree-loop-distribute-patterns).
 */
#include "fw.h"

void *memset(void *s, int c, size_t n)
{
	uint8_t *p = s;

	if (!c && !((uintptr_t)p & 7)) {
		uint64_t *q = (uint64_t *)p;

		for (; n >= 8; n -= 8)
			*q++ = 0;
		p = (uint8_t *)q;
	}
	while (n--)
		*p++ = (uint8_t)c;
	return s;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	uint8_t *dp = d;
	const uint8_t *sp = s;

	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* [a, a + alen) and [b, b + blen) share a byte (lengths > 0, no wrap). */
bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}
