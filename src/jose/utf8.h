/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_UTF8_H
#define CVMM_JOSE_UTF8_H

/*
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF), for the JCS serializer.  Internal to src/jose.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode one code point at @s[*i] (< @len), advance *i.  Returns the code
 * point, or -1 for an invalid sequence.
 */
int32_t utf8_next(const char *s, size_t len, size_t *i);

bool utf8_valid(const char *s, size_t len);

/*
 * Compare two valid UTF-8 strings by their UTF-16 code units (RFC 8785
 * §3.2.3): <0, 0, >0.
 */
int utf8_cmp_utf16(const char *a, size_t alen, const char *b, size_t blen);

#endif
