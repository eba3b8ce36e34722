// SPDX-License-Identifier: GPL-2.0-only
/*
 * A target for testing the replayer (fuzz/standalone.c) itself: an input
 * starting with "return" makes it return 1 (a violated invariant), one
 * starting with "abort" makes it abort(); anything else is fine.  The
 * fuzz-standalone-* tests replay each and expect the replayer to fail on
 * the first two.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 6 && !memcmp(data, "return", 6))
		return 1;
	if (size >= 5 && !memcmp(data, "abort", 5))
		abort();
	return size >= 6 && !memcmp(data, "reject", 6) ? -1 : 0;
}
