// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ibuild.h"

static void put(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

void ib_init(struct ib *b)
{
	memset(b, 0, sizeof(*b));
}

size_t ib_rec(struct ib *b, uint32_t type, const void *body, uint32_t len)
{
	size_t at = b->var_len + 8, padded = (len + 7u) & ~7u;

	if (at + padded > IB_MAX_VAR)
		abort();
	put(b->var + b->var_len, type, 4);
	put(b->var + b->var_len + 4, len, 4);
	memset(b->var + at, 0, padded);
	memcpy(b->var + at, body, len);
	b->var_len = at + padded;
	return at;
}

uint32_t ib_data(struct ib *b, const void *p, size_t len)
{
	uint32_t rel = (uint32_t)b->data_len;

	if (b->data_len + len > IB_MAX_DATA)
		abort();
	memcpy(b->data + b->data_len, p, len);
	b->data_len += len;
	return rel;
}

void ib_patch(struct ib *b, size_t at, uint32_t rel)
{
	if (b->nr_patch == IB_MAX_PATCH)
		abort();
	b->patch[b->nr_patch].at = at;
	b->patch[b->nr_patch++].rel = rel;
}

void ib_fix_crc(uint8_t *buf, size_t len)
{
	uint32_t var_off = buf[8] | buf[9] << 8 | buf[10] << 16 | (uint32_t)buf[11] << 24;
	uint32_t var_len = buf[12] | buf[13] << 8 | buf[14] << 16 | (uint32_t)buf[15] << 24;
	uLong crc;

	(void)len;
	put(buf + 20, 0, 4);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, buf, 24);
	crc = crc32(crc, buf + var_off, var_len);
	put(buf + 20, crc, 4);
}

uint8_t *ib_finish(struct ib *b, size_t *len)
{
	size_t base = 24 + b->var_len;
	uint8_t *buf;
	unsigned int i;

	*len = base + b->data_len;
	buf = calloc(1, *len);
	if (!buf)
		abort();
	for (i = 0; i < b->nr_patch; i++)
		put(b->var + b->patch[i].at, base + b->patch[i].rel, 4);
	put(buf, 0x4d564749, 4);
	put(buf + 4, 1, 4);
	put(buf + 8, 24, 4);
	put(buf + 12, b->var_len, 4);
	put(buf + 16, *len, 4);
	memcpy(buf + 24, b->var, b->var_len);
	memcpy(buf + base, b->data, b->data_len);
	ib_fix_crc(buf, *len);
	return buf;
}

void ib_platform(struct ib *b, uint32_t mask, uint8_t type)
{
	uint8_t r[16] = { 0 };

	put(r, mask, 4);
	r[5] = type;
	put(r + 6, 1, 2);
	ib_rec(b, 0x1, r, sizeof(r));
}

void ib_policy(struct ib *b, uint32_t mask, uint64_t policy)
{
	uint8_t r[16] = { 0 };

	put(r, policy, 8);
	put(r + 8, mask, 4);
	ib_rec(b, 0x101, r, sizeof(r));
}

void ib_page(struct ib *b, uint32_t mask, uint64_t gpa, const uint8_t *data,
	     uint32_t flags, uint16_t type)
{
	uint8_t r[24] = { 0 };
	size_t at;

	put(r, gpa, 8);
	put(r + 8, mask, 4);
	put(r + 16, flags, 4);
	put(r + 20, type, 2);
	at = ib_rec(b, 0x302, r, sizeof(r));
	if (data)
		ib_patch(b, at + 12, ib_data(b, data, 4096));
}

void ib_area(struct ib *b, uint32_t index, uint64_t size, const uint8_t *data)
{
	uint8_t r[16] = { 0 };
	size_t at;

	put(r, size, 8);
	put(r + 8, index, 4);
	at = ib_rec(b, 0x301, r, sizeof(r));
	if (data)
		ib_patch(b, at + 12, ib_data(b, data, size));
}

void ib_param(struct ib *b, uint32_t type, uint32_t index, uint32_t offset)
{
	uint8_t r[8];

	put(r, index, 4);
	put(r + 4, offset, 4);
	ib_rec(b, type, r, sizeof(r));
}

void ib_insert(struct ib *b, uint32_t mask, uint64_t gpa, uint32_t index)
{
	uint8_t r[16] = { 0 };

	put(r, gpa, 8);
	put(r + 8, mask, 4);
	put(r + 12, index, 4);
	ib_rec(b, 0x303, r, sizeof(r));
}

void ib_vp(struct ib *b, uint32_t mask, uint64_t gpa, uint16_t vp, const uint8_t *page)
{
	uint8_t r[20] = { 0 };
	size_t at;

	put(r, gpa, 8);
	put(r + 8, mask, 4);
	put(r + 16, vp, 2);
	at = ib_rec(b, 0x304, r, sizeof(r));
	if (page)
		ib_patch(b, at + 12, ib_data(b, page, 4096));
}

void ib_required(struct ib *b, uint32_t mask, uint64_t gpa, uint32_t size, uint32_t flags)
{
	uint8_t r[24] = { 0 };

	put(r, gpa, 8);
	put(r + 8, mask, 4);
	put(r + 12, size, 4);
	put(r + 16, flags, 4);
	ib_rec(b, 0x305, r, sizeof(r));
}

void ib_vmsa(uint8_t v[4096], uint32_t eip, uint64_t features)
{
	static const uint16_t attr[10] = { 0x93, 0x9b, 0x93, 0x93, 0x93, 0x93, 0, 0x82, 0,
					   0x8b };
	unsigned int i;

	memset(v, 0, 4096);
	for (i = 0; i < 10; i++) {
		put(v + 16 * i + 2, attr[i], 2);
		put(v + 16 * i + 4, 0xffff, 4);
	}
	put(v + 16, 0xf000, 2);				/* CS selector */
	put(v + 16 + 8, eip & 0xffff0000u, 8);		/* CS base */
	put(v + 0xd0, 0x1000, 8);			/* EFER.SVME */
	put(v + 0x148, 0x40, 8);			/* CR4.MCE */
	put(v + 0x158, 0x10, 8);			/* CR0.ET */
	put(v + 0x160, 0x400, 8);
	put(v + 0x168, 0xffff0ff0, 8);
	put(v + 0x170, 2, 8);
	put(v + 0x178, eip & 0xffff, 8);
	put(v + 0x268, 0x0007040600070406ULL, 8);
	put(v + 0x310, 0xa00f11, 8);
	put(v + 0x3b0, features, 8);
	put(v + 0x3e8, 1, 8);
	put(v + 0x408, 0x1f80, 4);
	put(v + 0x410, 0x37f, 2);
}
