/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test helper: synthesise firmware images shaped like Oak stage0 (SEV: a
 * 512 KiB ROM with SEV metadata; TDX: a 2 MiB ROM with TDVF sections) and
 * like OVMF (AmdSev-style SEV metadata and TDVF sections), with the footer
 * GUID table at the end.  There is no real stage0 binary in the tree.
 */
#ifndef CVMM_TESTS_FWGEN_H
#define CVMM_TESTS_FWGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FWGEN_MAX	16

struct fwgen_sev {
	uint32_t gpa, size, type;
};

struct fwgen_tdvf {
	uint32_t data_offset, raw_size;
	uint64_t addr, size;
	uint32_t type, attr;
};

struct fwgen {
	size_t size;
	uint32_t seed;			/* fill pattern */
	bool no_footer;
	bool have_reset;
	uint32_t reset_eip;
	bool have_hashes;
	uint32_t hashes_gpa, hashes_size;
	unsigned int nr_sev;		/* 0: no SEV metadata entry */
	struct fwgen_sev sev[FWGEN_MAX];
	unsigned int nr_tdvf;		/* 0: no TDVF entry */
	struct fwgen_tdvf tdvf[FWGEN_MAX];
};

/* A malloc'ed image of g->size bytes. */
uint8_t *fwgen_build(const struct fwgen *g);

/* Offsets from the end at which the metadata blobs are written. */
#define FWGEN_ASEV_OFF	0x800
#define FWGEN_TDVF_OFF	0x600

void fwgen_stage0_sev(struct fwgen *g);
void fwgen_stage0_tdx(struct fwgen *g);
void fwgen_ovmf(struct fwgen *g);

#endif
