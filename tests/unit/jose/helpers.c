// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "jose/b64url.h"
#include "jose/jwk.h"
#include "util/err.h"
#include "util/file.h"

uint8_t *vec_read(const char *name, size_t *len)
{
	char path[4096];
	uint8_t *d = NULL;

	snprintf(path, sizeof(path), "%s/%s", JOSE_VECTORS, name);
	assert_int_equal(file_read(path, 1 << 20, &d, len), 0);
	return d;
}

json_t *vec_json(const char *name)
{
	size_t len;
	uint8_t *d = vec_read(name, &len);
	json_t *j = json_loadb((const char *)d, len, JSON_REJECT_DUPLICATES, NULL);

	free(d);
	assert_non_null(j);
	return j;
}

EVP_PKEY *vec_key(const char *name)
{
	json_t *j = vec_json(name);
	EVP_PKEY *k = NULL;
	struct err_msg why = { "" };

	assert_int_equal(jwk_private_to_pkey(j, &k, &why), 0);
	json_decref(j);
	return k;
}

size_t hex2bin(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	while (hex[0] && hex[1]) {
		unsigned int b;

		if (hex[0] == ' ') {
			hex++;
			continue;
		}
		assert_int_equal(sscanf(hex, "%2x", &b), 1);
		assert_true(n < max);
		out[n++] = (uint8_t)b;
		hex += 2;
	}
	return n;
}

uint8_t *b64u(const char *s, size_t *len)
{
	uint8_t *d = NULL;

	assert_int_equal(b64url_decode(s, strlen(s), &d, len), 0);
	return d;
}

const char *jstr(const json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	assert_non_null(s);
	return s;
}
