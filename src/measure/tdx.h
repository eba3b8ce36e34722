/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_TDX_H
#define CVMM_MEASURE_TDX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure/digest.h"
#include "util/compiler.h"

/*
 * TDX MRTD: one running SHA-384 over 128-byte records, in the order the
 * TDX module executes TDH.MEM.PAGE.ADD and TDH.MR.EXTEND (Intel TDX module
 * ABI, 5.3.20 / 5.3.44):
 *
 *   PAGE.ADD : "MEM.PAGE.ADD" | pad to 16 | u64 GPA | zeros to 128
 *   MR.EXTEND: "MR.EXTEND"    | pad to 16 | u64 GPA | zeros to 128,
 *              then the 256-byte chunk at GPA as two 128-byte records
 *
 * RTMRs are extended as RTMR' = SHA-384(RTMR | digest), from zero.
 */
#define TDX_MR_LEN		SHA384_LEN
#define TDX_PAGE_SIZE		PAGE_SIZE	/* the old name, still used by coco/ */
#define TDX_EXTEND_CHUNK	256

/*
 * Order of the module calls for one region (one KVM_TDX_INIT_MEM_REGION).
 * Per page: ADD then its 16 EXTENDs (what KVM does today).  Two pass: every
 * ADD of the region, then every EXTEND (older VMMs, Oak's model).
 */
enum tdx_page_order {
	TDX_ORDER_PER_PAGE,
	TDX_ORDER_TWO_PASS,
};

struct tdx_mrtd {
	struct md_stream md;
};

int tdx_mrtd_init(struct tdx_mrtd *m);
void tdx_mrtd_free(struct tdx_mrtd *m);
int tdx_mrtd_page_add(struct tdx_mrtd *m, uint64_t gpa);
int tdx_mrtd_extend(struct tdx_mrtd *m, uint64_t gpa, const uint8_t chunk[TDX_EXTEND_CHUNK]);

/*
 * Add (and if @measure, extend) the pages of one region.  @data holds
 * @data_len bytes of the region's contents; the rest of the region reads
 * as zero (NULL data: all zero).  @len must be a multiple of 4 KiB.
 */
int tdx_mrtd_add_region(struct tdx_mrtd *m, uint64_t gpa, uint64_t len,
			const uint8_t *data, uint64_t data_len, bool measure,
			enum tdx_page_order order);
int tdx_mrtd_final(struct tdx_mrtd *m, uint8_t out[TDX_MR_LEN]);

/* RTMR[i] = SHA-384(RTMR[i] | digest) */
int tdx_rtmr_extend(uint8_t rtmr[TDX_MR_LEN], const uint8_t digest[TDX_MR_LEN]);

#endif
