// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "measure/snp.h"
#include "util/bytes.h"

int snp_gctx_init(struct snp_gctx *g, const uint8_t seed[SNP_LD_LEN])
{
	if (seed)
		memcpy(g->ld, seed, SNP_LD_LEN);
	else
		memset(g->ld, 0, SNP_LD_LEN);
	return md_stream_init(&g->md, MD_SHA384);
}

void snp_gctx_free(struct snp_gctx *g)
{
	md_stream_free(&g->md);
}

int snp_gctx_update(struct snp_gctx *g, enum snp_page_type type, uint64_t gpa,
		    const uint8_t contents[SNP_LD_LEN])
{
	uint8_t info[SNP_PAGE_INFO_LEN];
	int ret;

	memset(info, 0, sizeof(info));
	memcpy(info, g->ld, SNP_LD_LEN);
	if (contents)
		memcpy(info + 48, contents, SNP_LD_LEN);
	put_le16(info + 96, SNP_PAGE_INFO_LEN);
	info[98] = (uint8_t)type;
	/* imi_page, vmpl3/2/1 permissions and the reserved byte stay 0 */
	put_le64(info + 104, gpa);
	ret = md_stream_update(&g->md, info, sizeof(info));
	if (!ret)
		ret = md_stream_final(&g->md, g->ld);
	return ret;
}

static int page_digest(struct snp_gctx *g, const uint8_t *page, uint8_t out[SNP_LD_LEN])
{
	int ret = md_stream_update(&g->md, page, PAGE_SIZE);

	return ret ? ret : md_stream_final(&g->md, out);
}

/*
 * CONTENTS of the page at @page, reusing *@prev's when the bytes are the
 * same: SHA-384 of equal bytes is equal, and firmware volumes repeat pages
 * (OVMF's variable store is 0xFF pages, a zero range the same zero page).
 * A memcmp() is ~1/40 of hashing a page and stops at the first difference.
 */
static int page_contents(struct snp_gctx *g, const uint8_t *page, const uint8_t **prev,
			 uint8_t contents[SNP_LD_LEN])
{
	int ret;

	if (*prev && (page == *prev || !memcmp(page, *prev, PAGE_SIZE)))
		return 0;
	ret = page_digest(g, page, contents);
	*prev = ret ? NULL : page;
	return ret;
}

int snp_gctx_update_pages(struct snp_gctx *g, enum snp_page_type type,
			  uint64_t gpa, const uint8_t *data, uint64_t len)
{
	static const uint8_t zero_page[PAGE_SIZE];
	const uint8_t *prev = NULL;	/* the page whose digest @contents holds */
	uint8_t contents[SNP_LD_LEN];
	uint64_t off;
	int ret;

	if (len % PAGE_SIZE || gpa % PAGE_SIZE || gpa + len < gpa)
		return -EINVAL;
	for (off = 0; off < len; off += PAGE_SIZE) {
		if (type == SNP_PAGE_NORMAL || type == SNP_PAGE_VMSA) {
			ret = page_contents(g, data ? data + off : zero_page, &prev, contents);
			if (ret)
				return ret;
			ret = snp_gctx_update(g, type,
					      type == SNP_PAGE_VMSA ? SNP_VMSA_GPA : gpa + off,
					      contents);
		} else {
			ret = snp_gctx_update(g, type, gpa + off, NULL);
		}
		if (ret)
			return ret;
	}
	return 0;
}

int snp_gctx_update_vmsa(struct snp_gctx *g, const uint8_t page[PAGE_SIZE])
{
	uint8_t contents[SNP_LD_LEN];
	int ret = page_digest(g, page, contents);

	return ret ? ret : snp_gctx_update(g, SNP_PAGE_VMSA, SNP_VMSA_GPA, contents);
}

const char *snp_page_type_name(enum snp_page_type type)
{
	switch (type) {
	case SNP_PAGE_NORMAL:
		return "NORMAL";
	case SNP_PAGE_VMSA:
		return "VMSA";
	case SNP_PAGE_ZERO:
		return "ZERO";
	case SNP_PAGE_UNMEASURED:
		return "UNMEASURED";
	case SNP_PAGE_SECRETS:
		return "SECRETS";
	case SNP_PAGE_CPUID:
		return "CPUID";
	}
	return "?";
}
