/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_NUM_H
#define CVMM_UTIL_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parse an unsigned integer: decimal, or hexadecimal with a 0x prefix. */
int num_parse_u64(const char *s, uint64_t *out);

/*
 * Parse a size: a number with an optional binary suffix K, M, G or T
 * (case-insensitive, an optional trailing "B" or "iB" is accepted).
 * Returns -EINVAL on syntax errors and -ERANGE on overflow.
 */
int size_parse(const char *s, uint64_t *out);

/* Format a size in the largest exact binary unit ("512M", "1G", "4097"). */
void size_format(uint64_t size, char *buf, size_t len);

/* Parse on|off|true|false|yes|no|1|0. */
int bool_parse(const char *s, bool *out);

/*
 * Hex strings: hex_decode() needs exactly 2 * @len digits (an optional
 * 0x prefix is accepted); hex_encode() writes 2 * @len lowercase digits and
 * a NUL, so @out must have room for 2 * @len + 1 bytes.
 */
int hex_decode(const char *s, uint8_t *out, size_t len);
void hex_encode(const uint8_t *in, size_t len, char *out);

#endif
