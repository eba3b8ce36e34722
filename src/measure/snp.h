/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_SNP_H
#define CVMM_MEASURE_SNP_H

#include <stddef.h>
#include <stdint.h>

#include "measure/digest.h"
#include "util/compiler.h"

/*
 * SEV-SNP launch digest: the PSP folds every SNP_LAUNCH_UPDATE page into
 * the guest context's launch digest (SNP firmware ABI, PAGE_INFO):
 *
 *   PAGE_INFO = LD[48] | CONTENTS[48] | u16 length=0x70 | u8 page_type |
 *               u8 imi_page=0 | u8 vmpl3/2/1 perms=0 | u8 0 | u64 gpa
 *   LD' = SHA-384(PAGE_INFO)
 *
 * CONTENTS is SHA-384 of the page for NORMAL and VMSA pages and 48 zero
 * bytes for the other types.  VMSA pages are recorded at GPA
 * 0xFFFFFFFFF000 ((u64)-1, page aligned, bits above 51 cleared).
 */
#define SNP_LD_LEN		SHA384_LEN
#define SNP_PAGE_SIZE		PAGE_SIZE	/* the old name, still used by coco/ */
#define SNP_VMSA_GPA		0xFFFFFFFFF000ULL
#define SNP_PAGE_INFO_LEN	0x70

enum snp_page_type {
	SNP_PAGE_NORMAL = 1,
	SNP_PAGE_VMSA = 2,
	SNP_PAGE_ZERO = 3,
	SNP_PAGE_UNMEASURED = 4,
	SNP_PAGE_SECRETS = 5,
	SNP_PAGE_CPUID = 6,
};

struct snp_gctx {
	uint8_t ld[SNP_LD_LEN];
	struct md_stream md;
};

/* Start from 48 zero bytes, or from @seed (a precomputed digest) if given. */
int snp_gctx_init(struct snp_gctx *g, const uint8_t seed[SNP_LD_LEN]);
void snp_gctx_free(struct snp_gctx *g);

/* Fold one page with already-computed CONTENTS (NULL: 48 zero bytes). */
int snp_gctx_update(struct snp_gctx *g, enum snp_page_type type, uint64_t gpa,
		    const uint8_t contents[SNP_LD_LEN]);

/*
 * Fold @len bytes at @gpa as pages of @type.  @len must be a multiple of
 * 4 KiB.  For NORMAL pages @data supplies the bytes (NULL: zero pages with
 * measured contents); for the other types @data is ignored.  A page equal
 * to the one before it in the same call reuses that page's CONTENTS instead
 * of hashing it again (same bytes, same SHA-384: the digest is unchanged).
 */
int snp_gctx_update_pages(struct snp_gctx *g, enum snp_page_type type,
			  uint64_t gpa, const uint8_t *data, uint64_t len);

/* Fold one 4 KiB VMSA page. */
int snp_gctx_update_vmsa(struct snp_gctx *g, const uint8_t page[PAGE_SIZE]);

const char *snp_page_type_name(enum snp_page_type type);

#endif
