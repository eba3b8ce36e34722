// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "measure/tdx.h"
#include "util/bytes.h"

int tdx_mrtd_init(struct tdx_mrtd *m)
{
	return md_stream_init(&m->md, MD_SHA384);
}

void tdx_mrtd_free(struct tdx_mrtd *m)
{
	md_stream_free(&m->md);
}

static int record(struct tdx_mrtd *m, const char *tag, uint64_t gpa)
{
	uint8_t buf[128];

	memset(buf, 0, sizeof(buf));
	memcpy(buf, tag, strlen(tag));
	put_le64(buf + 16, gpa);
	return md_stream_update(&m->md, buf, sizeof(buf));
}

int tdx_mrtd_page_add(struct tdx_mrtd *m, uint64_t gpa)
{
	return record(m, "MEM.PAGE.ADD", gpa);
}

int tdx_mrtd_extend(struct tdx_mrtd *m, uint64_t gpa, const uint8_t chunk[TDX_EXTEND_CHUNK])
{
	int ret = record(m, "MR.EXTEND", gpa);

	return ret ? ret : md_stream_update(&m->md, chunk, TDX_EXTEND_CHUNK);
}

/* The 256-byte chunk at @off of a region whose first @data_len bytes are @data. */
static const uint8_t *chunk_at(const uint8_t *data, uint64_t data_len, uint64_t off,
			       uint8_t tmp[TDX_EXTEND_CHUNK])
{
	if (data && off + TDX_EXTEND_CHUNK <= data_len)
		return data + off;
	memset(tmp, 0, TDX_EXTEND_CHUNK);
	if (data && off < data_len)
		memcpy(tmp, data + off, (size_t)(data_len - off));
	return tmp;
}

static int extend_page(struct tdx_mrtd *m, uint64_t gpa, const uint8_t *data,
		       uint64_t data_len, uint64_t off)
{
	uint8_t tmp[TDX_EXTEND_CHUNK];
	uint64_t c;
	int ret;

	for (c = 0; c < PAGE_SIZE; c += TDX_EXTEND_CHUNK) {
		ret = tdx_mrtd_extend(m, gpa + off + c,
				      chunk_at(data, data_len, off + c, tmp));
		if (ret)
			return ret;
	}
	return 0;
}

int tdx_mrtd_add_region(struct tdx_mrtd *m, uint64_t gpa, uint64_t len,
			const uint8_t *data, uint64_t data_len, bool measure,
			enum tdx_page_order order)
{
	uint64_t off;
	int ret;

	if (len % PAGE_SIZE || gpa % PAGE_SIZE || gpa + len < gpa)
		return -EINVAL;
	for (off = 0; off < len; off += PAGE_SIZE) {
		ret = tdx_mrtd_page_add(m, gpa + off);
		if (!ret && measure && order == TDX_ORDER_PER_PAGE)
			ret = extend_page(m, gpa, data, data_len, off);
		if (ret)
			return ret;
	}
	if (!measure || order == TDX_ORDER_PER_PAGE)
		return 0;
	for (off = 0; off < len; off += PAGE_SIZE) {
		ret = extend_page(m, gpa, data, data_len, off);
		if (ret)
			return ret;
	}
	return 0;
}

int tdx_mrtd_final(struct tdx_mrtd *m, uint8_t out[TDX_MR_LEN])
{
	return md_stream_final(&m->md, out);
}

int tdx_rtmr_extend(uint8_t rtmr[TDX_MR_LEN], const uint8_t digest[TDX_MR_LEN])
{
	uint8_t buf[2 * TDX_MR_LEN];

	memcpy(buf, rtmr, TDX_MR_LEN);
	memcpy(buf + TDX_MR_LEN, digest, TDX_MR_LEN);
	return md_sha384(buf, sizeof(buf), rtmr);
}
