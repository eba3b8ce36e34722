// SPDX-License-Identifier: GPL-2.0-only
#include "fw.h"

/* [a, a + alen) and [b, b + blen) share a byte (lengths > 0, no wrap). */
bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}
