/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_IGVM_INTERNAL_H
#define CVMM_IGVM_INTERNAL_H

#include <stdint.h>

#include "igvm/igvm.h"
#include "util/bytes.h"

enum igvm_section {
	IGVM_SEC_PLATFORM,
	IGVM_SEC_INIT,
	IGVM_SEC_DIRECTIVE,
	IGVM_SEC_NONE,
};

/* A parameter area while the file is read. */
struct igvm_area_state {
	uint32_t index;
	uint64_t size;
	bool inserted;
};

/* State of one igvm_parse() run. */
struct igvm_parser {
	struct igvm_file *f;
	struct err_msg *err;
	uint32_t declared;		/* OR of the platforms' masks */
	unsigned int cap_inits, cap_dirs;
	struct igvm_area_state *areas;
	unsigned int nr_areas, cap_areas;
	uint64_t area_bytes;		/* sum of the areas' sizes */
};

/* records.c: decode one record's content (@rec, @len bytes) at file offset @off. */
int igvm_record_decode(struct igvm_parser *ps, uint32_t type, const uint8_t *rec,
		       uint32_t len, uint32_t off);
/* The section a type belongs to (by range), and whether it is known. */
enum igvm_section igvm_type_section(uint32_t type);
bool igvm_type_known(uint32_t type);

/* check.c: the per-platform rules, once every record is read. */
int igvm_check_platforms(struct igvm_parser *ps);

/* The platform whose mask is exactly @mask, or NULL. */
const struct igvm_platform *igvm_platform_by_mask(const struct igvm_file *f,
						  uint32_t mask);

#endif
