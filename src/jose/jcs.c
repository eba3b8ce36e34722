// SPDX-License-Identifier: GPL-2.0-only
/* RFC 8785 JSON canonicalization (see jcs.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "jose/jcs.h"
#include "jose/sbuf.h"
#include "jose/utf8.h"

#define JCS_INT_MAX	9007199254740992LL	/* 2^53 */

static int put_string(struct sbuf *b, const char *s, size_t len)
{
	size_t i, run = 0;

	if (!utf8_valid(s, len))
		return -EINVAL;
	sbuf_addc(b, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char hex[8];

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\t': esc = "\\t"; break;
		case '\n': esc = "\\n"; break;
		case '\f': esc = "\\f"; break;
		case '\r': esc = "\\r"; break;
		default:
			if (c < 0x20) {
				snprintf(hex, sizeof(hex), "\\u%04x", c);
				esc = hex;
			}
		}
		if (!esc)
			continue;
		sbuf_add(b, s + run, i - run);
		sbuf_adds(b, esc);
		run = i + 1;
	}
	sbuf_add(b, s + run, len - run);
	sbuf_addc(b, '"');
	return 0;
}

static int put_number(struct sbuf *b, const json_t *v)
{
	char buf[JCS_NUM_MAX];
	int n;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		if (i > JCS_INT_MAX || i < -JCS_INT_MAX)
			return -ERANGE;
		n = snprintf(buf, sizeof(buf), "%lld", (long long)i);
	} else {
		n = jcs_format_double(json_real_value(v), buf, sizeof(buf));
		if (n < 0)
			return n;
	}
	sbuf_add(b, buf, (size_t)n);
	return 0;
}

struct member {
	const char *key;
	size_t klen;
	json_t *val;
};

static int member_cmp(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return utf8_cmp_utf16(x->key, x->klen, y->key, y->klen);
}

static int put_value(struct sbuf *b, const json_t *v, int depth);

static int put_object(struct sbuf *b, const json_t *v, int depth)
{
	size_t n = json_object_size(v), i = 0, klen;
	struct member *m;
	const char *key;
	json_t *val;
	int ret = 0;

	m = calloc(n ? n : 1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	json_object_keylen_foreach((json_t *)v, key, klen, val) {
		if (i == n || !utf8_valid(key, klen)) {
			ret = -EINVAL;
			goto out;
		}
		m[i++] = (struct member){ key, klen, val };
	}
	qsort(m, i, sizeof(*m), member_cmp);
	sbuf_addc(b, '{');
	for (n = i, i = 0; i < n && !ret; i++) {
		if (i)
			sbuf_addc(b, ',');
		ret = put_string(b, m[i].key, m[i].klen);
		sbuf_addc(b, ':');
		if (!ret)
			ret = put_value(b, m[i].val, depth + 1);
	}
	sbuf_addc(b, '}');
out:
	free(m);
	return ret;
}

static int put_value(struct sbuf *b, const json_t *v, int depth)
{
	size_t i;
	int ret = 0;

	if (!v)
		return -EINVAL;
	if (depth > JCS_MAX_DEPTH)
		return -ELOOP;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return put_object(b, v, depth);
	case JSON_ARRAY:
		sbuf_addc(b, '[');
		for (i = 0; i < json_array_size(v) && !ret; i++) {
			if (i)
				sbuf_addc(b, ',');
			ret = put_value(b, json_array_get(v, i), depth + 1);
		}
		sbuf_addc(b, ']');
		return ret;
	case JSON_STRING:
		return put_string(b, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
	case JSON_REAL:
		return put_number(b, v);
	case JSON_TRUE:
		sbuf_adds(b, "true");
		return 0;
	case JSON_FALSE:
		sbuf_adds(b, "false");
		return 0;
	case JSON_NULL:
		sbuf_adds(b, "null");
		return 0;
	}
	return -EINVAL;
}

int jcs_serialize(const json_t *v, char **out, size_t *len)
{
	struct sbuf b = { 0 };
	int ret = put_value(&b, v, 0);

	if (ret) {
		free(b.p);
		return ret;
	}
	return sbuf_finish(&b, out, len);
}

int jcs_sha384(const json_t *v, uint8_t out[48])
{
	unsigned int mdlen = 0;
	size_t len;
	char *s;
	int ret = jcs_serialize(v, &s, &len);

	if (ret)
		return ret;
	if (!EVP_Digest(s, len, out, &mdlen, EVP_sha384(), NULL) || mdlen != 48)
		ret = -EIO;
	free(s);
	return ret;
}
