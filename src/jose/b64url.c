// SPDX-License-Identifier: GPL-2.0-only
/*
 * Strict base64 / base64url (RFC 4648 §4, §5): one accepted encoding per
 * value (see b64url.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "jose/b64url.h"

static const char std_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char url_alpha[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static char *encode(const char *alpha, bool pad, const uint8_t *d, size_t n)
{
	size_t full = n / 3, rest = n % 3, olen, i;
	char *out, *p;

	if (n > (SIZE_MAX - 8) / 4 * 3)
		return NULL;
	olen = full * 4 + (rest ? (pad ? 4 : rest + 1) : 0);
	out = malloc(olen + 1);
	if (!out)
		return NULL;
	p = out;
	for (i = 0; i < full * 3; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];

		*p++ = alpha[v >> 18 & 63];
		*p++ = alpha[v >> 12 & 63];
		*p++ = alpha[v >> 6 & 63];
		*p++ = alpha[v & 63];
	}
	if (rest) {
		uint32_t v = (uint32_t)d[i] << 16 | (rest == 2 ? (uint32_t)d[i + 1] << 8 : 0);

		*p++ = alpha[v >> 18 & 63];
		*p++ = alpha[v >> 12 & 63];
		if (rest == 2)
			*p++ = alpha[v >> 6 & 63];
		else if (pad)
			*p++ = '=';
		if (pad)
			*p++ = '=';
	}
	*p = '\0';
	return out;
}

char *b64url_encode(const uint8_t *d, size_t n)
{
	return encode(url_alpha, false, d, n);
}

char *b64_encode(const uint8_t *d, size_t n)
{
	return encode(std_alpha, true, d, n);
}

static int sym(bool url, unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == (url ? '-' : '+'))
		return 62;
	if (c == (url ? '_' : '/'))
		return 63;
	return -1;
}

/* Decode @slen symbols (no padding), @slen % 4 != 1. */
static int decode(bool url, const char *s, size_t slen, uint8_t **out,
		  size_t *outlen)
{
	size_t n = slen / 4 * 3 + (slen % 4 ? slen % 4 - 1 : 0), i, o = 0;
	uint32_t acc = 0;
	uint8_t *buf;

	if (slen % 4 == 1)
		return -EINVAL;
	buf = malloc(n + 1);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < slen; i++) {
		int v = sym(url, (unsigned char)s[i]);

		if (v < 0)
			goto bad;
		acc = acc << 6 | (uint32_t)v;
		if (i % 4 == 3) {
			buf[o++] = acc >> 16 & 0xff;
			buf[o++] = acc >> 8 & 0xff;
			buf[o++] = acc & 0xff;
			acc = 0;
		}
	}
	if (slen % 4 == 2) {
		if (acc & 0xf)		/* unused bits must be zero */
			goto bad;
		buf[o++] = acc >> 4 & 0xff;
	} else if (slen % 4 == 3) {
		if (acc & 0x3)
			goto bad;
		buf[o++] = acc >> 10 & 0xff;
		buf[o++] = acc >> 2 & 0xff;
	}
	buf[o] = 0;
	*out = buf;
	*outlen = o;
	return 0;
bad:
	free(buf);
	return -EINVAL;
}

int b64url_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen)
{
	if (!s && slen)
		return -EINVAL;
	return decode(true, s, slen, out, outlen);
}

int b64_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen)
{
	size_t pad = 0;

	if ((!s && slen) || slen % 4)
		return -EINVAL;
	if (slen && s[slen - 1] == '=')
		pad = s[slen - 2] == '=' ? 2 : 1;
	return decode(false, s, slen - pad, out, outlen);
}
