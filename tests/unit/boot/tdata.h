/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers shared by the boot unit tests: test data, little-endian fields. */
#ifndef CVMM_TESTS_UNIT_BOOT_TDATA_H
#define CVMM_TESTS_UNIT_BOOT_TDATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/file.h"

/* Read tests/unit/boot/data/@name (found through $CVMM_SRC). */
static inline uint8_t *boot_tdata(const char *name, size_t *len)
{
	const char *src = getenv("CVMM_SRC");
	char path[4096];
	uint8_t *buf = NULL;

	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/tests/unit/boot/data/%s", src, name);
	assert_int_equal(file_read(path, 64 << 20, &buf, len), 0);
	return buf;
}

static inline void le16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static inline void le32(uint8_t *p, size_t off, uint32_t v)
{
	le16(p, off, (uint16_t)v);
	le16(p, off + 2, (uint16_t)(v >> 16));
}

static inline void le64(uint8_t *p, size_t off, uint64_t v)
{
	le32(p, off, (uint32_t)v);
	le32(p, off + 4, (uint32_t)(v >> 32));
}

static inline uint32_t rd32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
	       (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

static inline uint16_t rd16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static inline uint64_t rd64(const uint8_t *p, size_t off)
{
	return (uint64_t)rd32(p, off) | (uint64_t)rd32(p, off + 4) << 32;
}

#endif
