/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_BYTES_H
#define CVMM_ATTEST_BYTES_H

/*
 * Little-endian field access for the binary formats in attest/ (SNP
 * reports, TDX quotes, certificate tables, CCEL logs).  Callers check
 * bounds before calling these.
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
