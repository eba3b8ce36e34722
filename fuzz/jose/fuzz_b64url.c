// SPDX-License-Identifier: GPL-2.0-only
/*
 * base64url and base64 decoders: whatever decodes must re-encode to the
 * very same text (one accepted encoding per value).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jose/b64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int url, const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	uint8_t *out = NULL;
	size_t n = 0;
	char *back;
	int ret = url ? b64url_decode(s, size, &out, &n) :
		  b64_decode(s, size, &out, &n);

	if (ret) {
		if (out)
			__builtin_trap();
		return;
	}
	if (n > size || out[n] != 0)
		__builtin_trap();
	back = url ? b64url_encode(out, n) : b64_encode(out, n);
	if (!back || strlen(back) != size || memcmp(back, s, size))
		__builtin_trap();
	free(back);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check(1, data, size);
	check(0, data, size);
	return 0;
}
