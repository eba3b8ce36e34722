/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_BYTES_H
#define CVMM_UTIL_BYTES_H

/*
 * Fixed-width fields of binary formats (SNP reports and ID blocks, TDX
 * quotes, VMSAs, certificate tables, event logs, JOSE's Concat KDF), read
 * and written byte by byte so that alignment and host byte order never
 * matter.  Callers check bounds before calling these.  (PAGE_SIZE is in
 * util/compiler.h.)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | ((uint64_t)get_le32(p + 4) << 32);
}

/* An @n-byte little-endian field (1 <= @n <= 8). */
static inline uint64_t get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

/* The low @n bytes of @v as a little-endian field (1 <= @n <= 8). */
static inline void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	put_le(p, v, 2);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le(p, v, 4);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le(p, v, 8);
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline bool bytes_all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Does @p look like a binary blob written out as hex text ("xxd -p",
 * report_milan.hex)?  At least 32 hex digits, an even number, and nothing
 * but hex digits and white space.
 */
static inline bool bytes_look_like_hex_text(const uint8_t *p, size_t n)
{
	size_t i, digits = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))
			digits++;
		else if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			return false;
	}
	return digits >= 32 && digits % 2 == 0;
}

#endif
