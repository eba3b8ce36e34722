// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fixed header, the CRC and the walk over the variable-header area;
 * records.c decodes each record, check.c applies the per-platform rules.
 *
 * The CRC is IGVM's CRC32 (the crc32fast crate igvm uses: the IEEE 802.3
 * polynomial, reflected, initial and final XOR 0xffffffff), which is
 * zlib's crc32(): no code of our own for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "igvm/igvm_internal.h"

#define FIXED_V1_LEN	24
#define FIXED_V2_LEN	32
#define CHECKSUM_OFF	20

static uint32_t igvm_crc(const uint8_t *buf, uint32_t hdr_len, uint32_t var_off,
			 uint32_t var_len)
{
	uint8_t hdr[FIXED_V2_LEN];
	uLong crc = crc32(0L, Z_NULL, 0);

	memcpy(hdr, buf, hdr_len);
	memset(hdr + CHECKSUM_OFF, 0, 4);
	crc = crc32(crc, hdr, hdr_len);
	crc = crc32(crc, buf + var_off, var_len);
	return (uint32_t)crc;
}

/* Fixed header: sets f->version, *var_off, *var_len; f->data_off. */
static int parse_fixed(struct igvm_file *f, uint32_t *var_off, uint32_t *var_len,
		       struct err_msg *err)
{
	const uint8_t *b = f->buf;
	uint32_t hdr_len = FIXED_V1_LEN, total, crc;

	if (f->len < FIXED_V1_LEN) {
		err_set(err, "the file is truncated: %zu bytes, the fixed header "
			     "alone has %u", f->len, FIXED_V1_LEN);
		return -EINVAL;
	}
	if (get_le32(b) != IGVM_MAGIC) {
		err_set(err, "not an IGVM file (magic 0x%08x)", get_le32(b));
		return -EINVAL;
	}
	f->version = get_le32(b + 4);
	if (f->version != 1 && f->version != 2) {
		err_set(err, "format version %u is not supported (1 and 2 are)",
			     f->version);
		return -EINVAL;
	}
	if (f->version == 2) {
		hdr_len = FIXED_V2_LEN;
		if (f->len < FIXED_V2_LEN) {
			err_set(err, "the file is truncated: %zu bytes, a version 2 "
				     "header has %u", f->len, FIXED_V2_LEN);
			return -EINVAL;
		}
		if (get_le32(b + 24) != 0) {
			err_set(err, "architecture %u is not x86-64 (0)",
				     get_le32(b + 24));
			return -EINVAL;
		}
		if (get_le32(b + 28) != IGVM_PAGE_SIZE) {
			err_set(err, "page size %u is not 4096", get_le32(b + 28));
			return -EINVAL;
		}
	}
	total = get_le32(b + 16);
	if (f->len > UINT32_MAX || total != f->len) {
		err_set(err, "the header says the file has %u bytes but it has %zu%s",
			     total, f->len, total > f->len ? " (truncated)" : "");
		return -EINVAL;
	}
	*var_off = get_le32(b + 8);
	*var_len = get_le32(b + 12);
	if (*var_off < hdr_len || *var_off % 8 ||
	    (uint64_t)*var_off + *var_len > f->len) {
		err_set(err, "the variable-header area (offset 0x%x, 0x%x bytes) is "
			     "misplaced in a file of 0x%zx bytes", *var_off, *var_len, f->len);
		return -EINVAL;
	}
	f->data_off = *var_off + *var_len;
	crc = igvm_crc(b, hdr_len, *var_off, *var_len);
	if (crc != get_le32(b + CHECKSUM_OFF)) {
		err_set(err, "CRC32 of the headers is 0x%08x, the file says 0x%08x",
			     crc, get_le32(b + CHECKSUM_OFF));
		return -EINVAL;
	}
	return 0;
}

static bool zero_bytes(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* One record at @pos; advances *@pos and *@section. */
static int walk_one(struct igvm_parser *ps, uint32_t *pos, uint32_t end,
		    enum igvm_section *section)
{
	static const char *const sec_names[] = { "platform", "initialization", "directive" };
	const uint8_t *b = ps->f->buf;
	uint32_t raw, type, len, off = *pos;
	uint64_t padded;
	enum igvm_section s;

	if (end - off < 8) {
		err_set(ps->err, "%u stray bytes at 0x%x end the variable-header area",
			     end - off, off);
		return -EINVAL;
	}
	raw = get_le32(b + off);
	len = get_le32(b + off + 4);
	type = raw & ~IGVM_VHT_OPTIONAL;
	padded = ALIGN_UP((uint64_t)len, 8);
	if (padded > end - off - 8) {
		err_set(ps->err, "header at 0x%x (%s, %u bytes) runs past the end of "
			     "the variable-header area at 0x%x", off, igvm_vht_name(type),
			     len, end);
		return -EINVAL;
	}
	if (!zero_bytes(b + off + 8 + len, padded - len)) {
		err_set(ps->err, "header at 0x%x (%s): its alignment padding is not zero",
			     off, igvm_vht_name(type));
		return -EINVAL;
	}
	*pos = off + 8 + (uint32_t)padded;
	if (!igvm_type_known(type)) {
		if (raw & IGVM_VHT_OPTIONAL) {
			ps->f->nr_skipped++;
			return 0;
		}
		err_set(ps->err, "header at 0x%x: type 0x%x is unknown and not marked "
			     "optional", off, raw);
		return -EINVAL;
	}
	s = igvm_type_section(type);
	if (s < *section) {
		err_set(ps->err, "header at 0x%x (%s): a %s header after the %s section",
			     off, igvm_vht_name(type), sec_names[s], sec_names[*section]);
		return -EINVAL;
	}
	*section = s;
	return igvm_record_decode(ps, type, b + off + 8, len, off);
}

static int walk(struct igvm_parser *ps, uint32_t var_off, uint32_t var_len)
{
	enum igvm_section section = IGVM_SEC_PLATFORM;
	uint32_t pos = var_off, end = var_off + var_len;
	int ret;

	while (pos < end) {
		ret = walk_one(ps, &pos, end, &section);
		if (ret)
			return ret;
	}
	return 0;
}

int igvm_parse(const uint8_t *buf, size_t len, struct igvm_file **out,
	       struct err_msg *err)
{
	struct igvm_parser ps = { .err = err };
	uint32_t var_off, var_len;
	struct igvm_file *f;
	int ret;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->buf = buf;
	f->len = len;
	ps.f = f;
	ret = parse_fixed(f, &var_off, &var_len, err);
	if (!ret)
		ret = walk(&ps, var_off, var_len);
	if (!ret)
		ret = igvm_check_platforms(&ps);
	free(ps.areas);
	if (ret) {
		if (ret == -ENOMEM)
			err_set(err, "out of memory");
		igvm_free(f);
		return ret;
	}
	*out = f;
	return 0;
}

void igvm_free(struct igvm_file *f)
{
	if (!f)
		return;
	free(f->inits);
	free(f->dirs);
	free(f);
}
