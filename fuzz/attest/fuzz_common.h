/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_FUZZ_ATTEST_COMMON_H
#define CVMM_FUZZ_ATTEST_COMMON_H

/*
 * Shared set-up for the attest fuzz targets: a few real inputs from
 * tests/data/attest (path compiled in) loaded once.  A missing file
 * aborts at start-up (a broken harness), never on fuzz input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/file.h"

#ifndef ATTEST_TEST_DATA
#error "ATTEST_TEST_DATA must name tests/data/attest"
#endif

static inline uint8_t *fuzz_data(const char *rel, size_t *len)
{
	char path[4096];
	uint8_t *d;

	snprintf(path, sizeof(path), "%s/%s", ATTEST_TEST_DATA, rel);
	if (file_read(path, 16 << 20, &d, len)) {
		fprintf(stderr, "fuzz set-up: cannot read %s\n", path);
		abort();
	}
	return d;
}

#endif
