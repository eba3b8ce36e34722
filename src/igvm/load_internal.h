/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_IGVM_LOAD_INTERNAL_H
#define CVMM_IGVM_LOAD_INTERNAL_H

#include "igvm/load.h"

struct igvm_area_buf {
	uint32_t index;
	uint64_t size;
	uint8_t *buf;			/* owned by the load (bufs) */
};

/* State of one igvm_load_build() run. */
struct igvm_builder {
	const struct igvm_file *f;
	const struct igvm_host *host;
	struct err_msg *err;
	struct igvm_load *l;
	unsigned int cap_ops;
	unsigned int *first_dir;	/* per op: index of its first directive */
	unsigned int last_page_dir;	/* index of the last PAGE_DATA taken */
	struct igvm_area_buf *areas;
	unsigned int nr_areas;
};

/* Hand @buf to the load (freed with it); frees @buf on failure. */
int igvm_load_keep(struct igvm_load *l, void *buf);

/* params.c */
int igvm_area_new(struct igvm_builder *b, const struct igvm_dir *d);
uint8_t *igvm_area_get(struct igvm_builder *b, uint32_t index);
int igvm_param_fill(struct igvm_builder *b, const struct igvm_dir *d);
/* vCPU contexts of the platform (SNP VMSAs, the native context). */
int igvm_load_vcpus(struct igvm_builder *b, bool any_vmsa);

#endif
