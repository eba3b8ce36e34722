// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "attest/claims.h"
#include "attest/rfc3339.h"
#include "util/num.h"

json_t *claims_hex(const uint8_t *p, size_t n)
{
	char *s;
	json_t *j;

	s = malloc(2 * n + 1);
	if (!s)
		return NULL;
	hex_encode(p, n, s);
	j = json_string(s);
	free(s);
	return j;
}

void claims_set_hex(json_t *o, const char *key, const uint8_t *p, size_t n)
{
	json_object_set_new(o, key, claims_hex(p, n));
}

void claims_set_u64hex(json_t *o, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, v);
	json_object_set_new(o, key, json_string(buf));
}

void claims_set_int(json_t *o, const char *key, int64_t v)
{
	json_object_set_new(o, key, json_integer((json_int_t)v));
}

void claims_set_bool(json_t *o, const char *key, bool v)
{
	json_object_set_new(o, key, json_boolean(v));
}

void claims_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, s ? json_string(s) : json_null());
}

void claims_set_time(json_t *o, const char *key, int64_t t)
{
	char buf[RFC3339_LEN];

	rfc3339_format(t, buf);
	json_object_set_new(o, key, json_string(buf));
}
