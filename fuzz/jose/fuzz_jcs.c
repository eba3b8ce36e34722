// SPDX-License-Identifier: GPL-2.0-only
/*
 * JCS on whatever jansson parses: the canonical form must parse back to
 * the same values (numbers compared as doubles) and be a fixed point.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jose/jcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const json_t *a, const json_t *b)
{
	const char *key;
	size_t i, klen;
	json_t *v;

	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	if (json_typeof(a) != json_typeof(b))
		return 0;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	}
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_keylen_foreach((json_t *)a, key, klen, v)
			if (!json_object_getn(b, key, klen) ||
			    !same(v, json_object_getn(b, key, klen)))
				return 0;
		return 1;
	}
	return json_equal(a, b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = json_loadb((const char *)data, size,
			       JSON_DECODE_ANY | JSON_REJECT_DUPLICATES |
			       JSON_ALLOW_NUL, NULL);
	json_t *back;
	char *s = NULL, *s2 = NULL;
	size_t n, n2;
	int ret;

	if (!v)
		return 0;
	ret = jcs_serialize(v, &s, &n);
	if (ret) {
		/* only too-large integers and too-deep nesting are refused */
		if (s || (ret != -ERANGE && ret != -ELOOP))
			__builtin_trap();
		json_decref(v);
		return 0;
	}
	/* integers as reals: 1e20 prints as 100000000000000000000 */
	back = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL |
			  JSON_DECODE_INT_AS_REAL, NULL);
	if (!back || !same(v, back) || jcs_serialize(back, &s2, &n2) ||
	    n2 != n || memcmp(s, s2, n))
		__builtin_trap();
	free(s);
	free(s2);
	json_decref(back);
	json_decref(v);
	return 0;
}
