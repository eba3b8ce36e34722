// SPDX-License-Identifier: GPL-2.0-only
/* Init-data TOML: a strict subset parser and the digest (see initdata.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "broker/initdata.h"
#include "util/err.h"

#define KEY_MAX		256
#define TOP_KEYS	16

struct tp {
	const char *s, *end;
	int line;
	struct err_msg *why;
	bool in_data;
	bool seen_data;
	/* keys seen in the current table (names hashed to detect duplicates) */
	char keys[INITDATA_MAX_ENTRIES + TOP_KEYS][KEY_MAX];
	size_t nkeys, ntop;
	char version[16], algorithm[16];
	size_t ndata;
};

static int perr(struct tp *t, const char *msg)
{
	err_set(t->why, "init-data line %d: %s", t->line, msg);
	return -EINVAL;
}

static bool in_set(char c, const char *set)
{
	return c && strchr(set, c);
}

static bool at_end(struct tp *t)
{
	return t->s >= t->end;
}

static void skip_ws(struct tp *t)
{
	while (!at_end(t) && (*t->s == ' ' || *t->s == '\t'))
		t->s++;
}

/* Rest of the line: whitespace, an optional comment, a newline or EOF. */
static int end_of_line(struct tp *t)
{
	skip_ws(t);
	if (!at_end(t) && *t->s == '#')
		while (!at_end(t) && *t->s != '\n')
			t->s++;
	if (at_end(t))
		return 0;
	if (*t->s == '\r' && t->s + 1 < t->end && t->s[1] == '\n')
		t->s++;
	if (*t->s != '\n')
		return perr(t, "unexpected text after a value");
	t->s++;
	t->line++;
	return 0;
}

static bool starts(struct tp *t, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(t->end - t->s) >= n && !memcmp(t->s, lit, n);
}

/* Append one byte to @out (of @cap) if there is room; count it anyway. */
static void put(char *out, size_t cap, size_t *n, char c)
{
	if (out && *n + 1 < cap)
		out[*n] = c;
	(*n)++;
}

static int put_utf8(struct tp *t, char *out, size_t cap, size_t *n, unsigned long cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return perr(t, "\\u escape is not a Unicode scalar value");
	if (cp < 0x80) {
		put(out, cap, n, (char)cp);
	} else if (cp < 0x800) {
		put(out, cap, n, (char)(0xc0 | (cp >> 6)));
		put(out, cap, n, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(out, cap, n, (char)(0xe0 | (cp >> 12)));
		put(out, cap, n, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, cap, n, (char)(0x80 | (cp & 0x3f)));
	} else {
		put(out, cap, n, (char)(0xf0 | (cp >> 18)));
		put(out, cap, n, (char)(0x80 | ((cp >> 12) & 0x3f)));
		put(out, cap, n, (char)(0x80 | ((cp >> 6) & 0x3f)));
		put(out, cap, n, (char)(0x80 | (cp & 0x3f)));
	}
	return 0;
}

static int escape(struct tp *t, char *out, size_t cap, size_t *n)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *p;
	unsigned long cp = 0;
	int i, digits;

	if (at_end(t))
		return perr(t, "unterminated escape");
	p = strchr(from, *t->s);
	if (p && *t->s) {
		put(out, cap, n, to[p - from]);
		t->s++;
		return 0;
	}
	if (*t->s != 'u' && *t->s != 'U')
		return perr(t, "unknown escape");
	digits = *t->s == 'u' ? 4 : 8;
	t->s++;
	for (i = 0; i < digits; i++, t->s++) {
		char c = at_end(t) ? 0 : *t->s;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return perr(t, "bad \\u escape");
		cp = cp * 16 + (unsigned long)d;
	}
	return put_utf8(t, out, cap, n, cp);
}

/* Control characters other than tab are not allowed in TOML strings. */
static bool bad_ctl(char c, bool multiline)
{
	unsigned char u = (unsigned char)c;

	if (u == '\t' || (multiline && (u == '\n' || u == '\r')))
		return false;
	return u < 0x20 || u == 0x7f;
}

/* A string value of any of the four forms; @out may be NULL. */
static int string(struct tp *t, char *out, size_t cap)
{
	bool literal = *t->s == '\'', multi;
	const char *delim = literal ? "'''" : "\"\"\"";
	char q = literal ? '\'' : '"';
	size_t n = 0;

	multi = starts(t, delim);
	t->s += multi ? 3 : 1;
	if (multi && !at_end(t) && *t->s == '\n') {	/* first newline trimmed */
		t->s++;
		t->line++;
	}
	for (;;) {
		if (at_end(t))
			return perr(t, "unterminated string");
		if (multi ? starts(t, delim) : *t->s == q)
			break;
		if (bad_ctl(*t->s, multi))
			return perr(t, "control character in a string");
		if (*t->s == '\n')
			t->line++;
		if (!literal && *t->s == '\\') {
			t->s++;
			if (multi && !at_end(t) && (*t->s == '\n' || *t->s == ' ' ||
						    *t->s == '\t' || *t->s == '\r')) {
				/* line-ending backslash: skip whitespace and newlines */
				while (!at_end(t) && in_set(*t->s, " \t\r\n")) {
					if (*t->s == '\n')
						t->line++;
					t->s++;
				}
				continue;
			}
			if (escape(t, out, cap, &n))
				return -EINVAL;
			continue;
		}
		put(out, cap, &n, *t->s++);
	}
	t->s += multi ? 3 : 1;
	/* up to two more quotes may close a multi-line string ("""a"""" ) */
	while (multi && !at_end(t) && *t->s == q && n < (size_t)-1) {
		put(out, cap, &n, q);
		t->s++;
	}
	if (out && n >= cap)
		return perr(t, "string too long");
	if (out)
		out[n] = 0;
	return 0;
}

static int key(struct tp *t, char *out)
{
	size_t n = 0;

	if (at_end(t))
		return perr(t, "expected a key");
	if (*t->s == '"' || *t->s == '\'') {
		if (starts(t, "\"\"\"") || starts(t, "'''"))
			return perr(t, "multi-line strings are not keys");
		return string(t, out, KEY_MAX);
	}
	while (!at_end(t) && (in_set(*t->s, "_-") || (*t->s >= 'a' && *t->s <= 'z') ||
			      (*t->s >= 'A' && *t->s <= 'Z') ||
			      (*t->s >= '0' && *t->s <= '9'))) {
		if (n + 1 >= KEY_MAX)
			return perr(t, "key too long");
		out[n++] = *t->s++;
	}
	if (!n)
		return perr(t, "expected a key");
	out[n] = 0;
	return 0;
}

static int remember_key(struct tp *t, const char *k)
{
	size_t i, first = t->in_data ? t->ntop : 0;

	for (i = first; i < t->nkeys; i++)
		if (!strcmp(t->keys[i], k))
			return perr(t, "duplicate key");
	if (t->nkeys >= sizeof(t->keys) / sizeof(t->keys[0]))
		return perr(t, "too many keys");
	snprintf(t->keys[t->nkeys++], KEY_MAX, "%s", k);
	if (!t->in_data)
		t->ntop = t->nkeys;
	return 0;
}

static int keyval(struct tp *t)
{
	char k[KEY_MAX];
	char *dst = NULL;
	size_t cap = 0;

	if (key(t, k))
		return -EINVAL;
	skip_ws(t);
	if (!at_end(t) && *t->s == '.')
		return perr(t, "dotted keys are not supported");
	if (at_end(t) || *t->s != '=')
		return perr(t, "expected '='");
	t->s++;
	skip_ws(t);
	if (at_end(t) || (*t->s != '"' && *t->s != '\''))
		return perr(t, "values must be strings");
	if (remember_key(t, k))
		return -EINVAL;
	if (t->in_data) {
		t->ndata++;
	} else if (!strcmp(k, "version")) {
		dst = t->version;
		cap = sizeof(t->version);
	} else if (!strcmp(k, "algorithm")) {
		dst = t->algorithm;
		cap = sizeof(t->algorithm);
	}
	if (string(t, dst, cap))
		return -EINVAL;
	return end_of_line(t);
}

static int table(struct tp *t)
{
	if (!starts(t, "[data]"))
		return perr(t, "the only table allowed is [data]");
	if (t->seen_data)
		return perr(t, "duplicate table [data]");
	t->s += 6;
	t->seen_data = t->in_data = true;
	return end_of_line(t);
}

static int parse(struct tp *t)
{
	while (!at_end(t)) {
		skip_ws(t);
		if (at_end(t))
			break;
		if (*t->s == '#' || *t->s == '\n' || *t->s == '\r') {
			if (end_of_line(t))
				return -EINVAL;
		} else if (*t->s == '[') {
			if (table(t))
				return -EINVAL;
		} else if (keyval(t)) {
			return -EINVAL;
		}
	}
	if (strcmp(t->version, "0.1.0"))
		return perr(t, "version must be \"0.1.0\"");
	if (!t->seen_data)
		return perr(t, "missing [data] table");
	return 0;
}

static int digest(const char *alg, const char *s, size_t len, uint8_t *out,
		  size_t *outlen)
{
	const EVP_MD *md = !strcmp(alg, "sha256") ? EVP_sha256() :
			   !strcmp(alg, "sha384") ? EVP_sha384() :
			   !strcmp(alg, "sha512") ? EVP_sha512() : NULL;
	unsigned int n = 0;

	if (!md)
		return -EINVAL;
	if (!EVP_Digest(s, len, out, &n, md, NULL))
		return -EIO;
	*outlen = n;
	return 0;
}

int initdata_parse(const char *toml, size_t len, struct initdata *out,
		   struct err_msg *why)
{
	struct tp *t;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len > INITDATA_MAX) {
		err_set(why, "init-data larger than %u bytes", INITDATA_MAX);
		return -EINVAL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->s = toml;
	t->end = toml + len;
	t->line = 1;
	t->why = why;
	ret = parse(t);
	if (!ret && t->ndata > INITDATA_MAX_ENTRIES)
		ret = perr(t, "too many [data] entries");
	if (!ret) {
		ret = digest(t->algorithm, toml, len, out->digest, &out->digest_len);
		if (ret == -EINVAL)
			perr(t, "algorithm must be sha256, sha384 or sha512");
	}
	if (!ret) {
		snprintf(out->algorithm, sizeof(out->algorithm), "%s", t->algorithm);
		out->ndata = t->ndata;
	}
	free(t);
	return ret;
}

void initdata_field(const struct initdata *d, uint8_t *field, size_t n)
{
	memset(field, 0, n);
	memcpy(field, d->digest, d->digest_len < n ? d->digest_len : n);
}
