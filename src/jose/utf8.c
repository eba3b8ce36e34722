// SPDX-License-Identifier: GPL-2.0-only
/* Strict UTF-8 decoding and UTF-16 ordering (see utf8.h). */
#include "jose/utf8.h"

int32_t utf8_next(const char *s, size_t len, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s + *i;
	size_t avail = len - *i, n, k;
	uint32_t cp, min;

	if (p[0] < 0x80) {
		*i += 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	} else {
		return -1;
	}
	if (avail < n)
		return -1;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*i += n;
	return (int32_t)cp;
}

bool utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (utf8_next(s, len, &i) < 0)
			return false;
	return true;
}

/* Next UTF-16 code unit of a valid string; *pend holds a low surrogate. */
static int32_t unit_next(const char *s, size_t len, size_t *i, int32_t *pend)
{
	int32_t cp;

	if (*pend >= 0) {
		cp = *pend;
		*pend = -1;
		return cp;
	}
	if (*i >= len)
		return -1;
	cp = utf8_next(s, len, i);
	if (cp >= 0x10000) {
		cp -= 0x10000;
		*pend = 0xdc00 + (cp & 0x3ff);
		return 0xd800 + (cp >> 10);
	}
	return cp;
}

int utf8_cmp_utf16(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t ia = 0, ib = 0;
	int32_t pa = -1, pb = -1;

	for (;;) {
		int32_t ua = unit_next(a, alen, &ia, &pa);
		int32_t ub = unit_next(b, blen, &ib, &pb);

		if (ua != ub)
			return ua < ub ? -1 : 1;	/* -1 (end) sorts first */
		if (ua < 0)
			return 0;
	}
}
