// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test of the JSON span finder against jansson: whenever
 * jansson accepts the input as an object without duplicate keys, the span
 * found for a member must parse to the same value jansson sees.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/json_span.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *t, size_t size, json_t *root, const char *key)
{
	size_t off = 0, len = 0;
	int ret = json_span_find(t, size, key, &off, &len);
	json_t *want = root ? json_object_get(root, key) : NULL;
	json_t *got;

	if (ret)
		return;
	if (off > size || len > size - off)
		__builtin_trap();
	if (!root)
		return;		/* the scanner is laxer than jansson: fine */
	if (!want)
		__builtin_trap();	/* found a member jansson does not have */
	got = json_loadb(t + off, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (!got || !json_equal(got, want))
		__builtin_trap();
	json_decref(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *t = (const char *)data;
	json_t *root = json_loadb(t, size, JSON_REJECT_DUPLICATES, NULL);
	const char *key;
	json_t *v;

	if (root && !json_is_object(root)) {
		json_decref(root);
		root = NULL;
	}
	check(t, size, root, "tcbInfo");
	check(t, size, root, "enclaveIdentity");
	check(t, size, root, "k");
	/* jansson skips NUL bytes between tokens, the scanner refuses them */
	if (root && !memchr(data, 0, size)) {
		/* every member jansson sees must be found, exactly */
		json_object_foreach(root, key, v) {
			size_t off, len;

			const unsigned char *k = (const unsigned char *)key;
			bool ascii = strlen(key) < 63;

			for (; *k && ascii; k++)
				ascii = *k < 0x80;
			if (!ascii)
				continue;
			if (json_span_find(t, size, key, &off, &len))
				__builtin_trap();
			check(t, size, root, key);
		}
	}
	json_decref(root);
	return 0;
}
