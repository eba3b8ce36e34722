/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_IGVM_RECORDS_H
#define CVMM_IGVM_RECORDS_H

#include "igvm/igvm_internal.h"

/*
 * Helpers shared by the record decoders (records.c, directives.c).  Each
 * sets one clause in ps->err -- "header at 0x48 (PAGE_DATA): ..." -- and
 * returns -EINVAL on a violation.
 */
void igvm_rec_err(struct igvm_parser *ps, uint32_t off, uint32_t type,
		  const char *fmt, ...) __printf(4, 5);
/* @mask is non-zero and names only declared platforms. */
int igvm_rec_mask(struct igvm_parser *ps, uint32_t off, uint32_t type, uint32_t mask);
/* [file_off, file_off + len) lies in the file-data section. */
int igvm_rec_data(struct igvm_parser *ps, uint32_t off, uint32_t type,
		  uint32_t file_off, uint64_t len, const uint8_t **data);
/* @gpa aligned to @align, @len a non-zero multiple of 4 KiB, below 2^52. */
int igvm_rec_gpa(struct igvm_parser *ps, uint32_t off, uint32_t type, uint64_t gpa,
		 uint64_t len, uint64_t align);
/* Append a directive (NULL: out of memory). */
struct igvm_dir *igvm_rec_new_dir(struct igvm_parser *ps, uint32_t type,
				  uint32_t mask, uint32_t off);

/* directives.c */
int igvm_dec_area(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_page(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_insert(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_vp(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_range(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_param(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
int igvm_dec_id_block(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		      uint32_t off);
int igvm_dec_vbs(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);

#endif
