// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "attest/json_span.h"
#include "util/num.h"

#define KEY_MAX 64
#define DEPTH_MAX 512

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static size_t skip_ws(const char *t, size_t len, size_t i)
{
	while (i < len && is_ws(t[i]))
		i++;
	return i;
}

/*
 * Scan a string starting at the opening quote t[i].  Returns the index
 * after the closing quote, or 0 on error.  When @key is non-NULL the
 * decoded contents are stored there (NUL-terminated, truncated at
 * KEY_MAX - 1 with *klen set to the full decoded length); a non-ASCII
 * code point is stored as 0xFF so it can never equal an ASCII key.
 */
static size_t scan_string(const char *t, size_t len, size_t i, char *key,
			  size_t *klen)
{
	size_t n = 0;

	if (i >= len || t[i] != '"')
		return 0;
	for (i++; i < len; i++) {
		unsigned char c = (unsigned char)t[i];
		unsigned char out = c;

		if (c == '"') {
			if (key) {
				key[n < KEY_MAX - 1 ? n : KEY_MAX - 1] = 0;
				*klen = n;
			}
			return i + 1;
		}
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (++i >= len)
				return 0;
			switch (t[i]) {
			case '"': out = '"'; break;
			case '\\': out = '\\'; break;
			case '/': out = '/'; break;
			case 'b': out = '\b'; break;
			case 'f': out = '\f'; break;
			case 'n': out = '\n'; break;
			case 'r': out = '\r'; break;
			case 't': out = '\t'; break;
			case 'u': {
				char hex[5];
				uint8_t b[2];
				unsigned cp;

				if (i + 4 >= len)
					return 0;
				memcpy(hex, t + i + 1, 4);
				hex[4] = 0;
				if (hex_decode(hex, b, 2))
					return 0;
				cp = (unsigned)b[0] << 8 | b[1];
				i += 4;
				out = cp && cp < 0x80 ? (unsigned char)cp : 0xFF;
				break;
			}
			default:
				return 0;
			}
		} else if (c >= 0x80) {
			out = 0xFF;
		}
		if (key && n < KEY_MAX - 1)
			key[n] = (char)out;
		n++;
	}
	return 0;
}

/*
 * Scan one value starting at t[i] (not whitespace).  Returns the index
 * after it, or 0 on error.  Nesting is tracked with a counter, not
 * recursion; strings are scanned so brackets inside them do not count.
 */
static size_t scan_value(const char *t, size_t len, size_t i)
{
	size_t depth = 0;

	if (i >= len)
		return 0;
	for (;;) {
		char c;

		if (i >= len)
			return 0;
		c = t[i];
		if (c == '"') {
			i = scan_string(t, len, i, NULL, NULL);
			if (!i)
				return 0;
		} else if (c == '{' || c == '[') {
			if (++depth > DEPTH_MAX)
				return 0;
			i++;
		} else if (c == '}' || c == ']') {
			if (!depth)
				return 0;
			depth--;
			i++;
		} else if (depth && (c == ',' || c == ':' || is_ws(c))) {
			i++;
		} else {
			/* a scalar: number, true, false, null */
			size_t start = i;

			while (i < len && (t[i] == '-' || t[i] == '+' || t[i] == '.' ||
					   (t[i] >= '0' && t[i] <= '9') ||
					   (t[i] >= 'a' && t[i] <= 'z') ||
					   (t[i] >= 'A' && t[i] <= 'Z')))
				i++;
			if (i == start)
				return 0;
		}
		if (!depth)
			return i;
	}
}

int json_span_find(const char *text, size_t len, const char *key,
		   size_t *off, size_t *vlen)
{
	size_t i, klen, vstart, vend;
	char k[KEY_MAX];
	bool found = false;

	if (!text || !key)
		return -EINVAL;
	i = skip_ws(text, len, 0);
	if (i >= len || text[i] != '{')
		return -EINVAL;
	i = skip_ws(text, len, i + 1);
	if (i < len && text[i] == '}') {
		i++;
		goto done;
	}
	for (;;) {
		i = scan_string(text, len, i, k, &klen);
		if (!i)
			return -EINVAL;
		i = skip_ws(text, len, i);
		if (i >= len || text[i] != ':')
			return -EINVAL;
		vstart = skip_ws(text, len, i + 1);
		vend = scan_value(text, len, vstart);
		if (!vend)
			return -EINVAL;
		if (klen == strlen(key) && klen < KEY_MAX && !strcmp(k, key)) {
			if (found)
				return -EINVAL;
			found = true;
			*off = vstart;
			*vlen = vend - vstart;
		}
		i = skip_ws(text, len, vend);
		if (i >= len)
			return -EINVAL;
		if (text[i] == '}') {
			i++;
			break;
		}
		if (text[i] != ',')
			return -EINVAL;
		i = skip_ws(text, len, i + 1);
	}
done:
	i = skip_ws(text, len, i);
	if (i != len)
		return -EINVAL;
	return found ? 0 : -ENOENT;
}
