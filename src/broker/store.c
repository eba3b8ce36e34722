// SPDX-License-Identifier: GPL-2.0-only
/* Storage backends by URI scheme (see store.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/store.h"
#include "util/err.h"

static bool is_pg(const char *uri)
{
	return !strncmp(uri, "postgresql://", 13) || !strncmp(uri, "postgres://", 11);
}

int store_open(const char *uri, struct store **out, struct err_msg *why)
{
	const struct store_ops *ops = store_sqlite_ops();
	const char *loc = uri;
	int ret;

	*out = NULL;
	if (!strncmp(uri, "sqlite:", 7)) {
		loc = uri + 7;
	} else if (is_pg(uri)) {
		ops = store_pg_ops();	/* libpq takes the whole URI */
	} else if (strstr(uri, "://")) {
		err_set(why, "unknown store scheme (expected sqlite:PATH or postgresql://…)");
		return -EINVAL;
	}
	if (!*loc) {
		err_set(why, "empty store location");
		return -EINVAL;
	}
	ret = ops->open(loc, out, why);
	if (!ret)
		(*out)->ops = ops;
	return ret;
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

/*
 * The passwords of a postgresql:// URI, read the way libpq reads it
 * (fe-connect.c, conninfo_uri_parse_options), and the pieces of one libpq
 * would misread.  Each is a span of the URI as written; the message
 * redaction also matches it percent-decoded (libpq's form).  fn() returns
 * non-zero to stop.
 */
#define PW_SHOW		1	/* hidden in the URI as shown, not only in messages */
#define URI_DELIMS	":@/?,&=[]"	/* where libpq cuts a URI into parts */

typedef int (*pw_fn)(void *ctx, const char *at, size_t len, unsigned int flags);

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Percent-decode @len bytes of @s into @out (room for @len + 1 bytes),
 * NUL-terminated; returns the decoded length.  A '%' without two hex digits
 * after it within @len, or "%00" (libpq refuses both), is copied as it is.
 */
static size_t pct_decode(const char *s, size_t len, char *out)
{
	size_t i = 0, o = 0;
	int hi, lo;

	while (i < len) {
		if (s[i] == '%' && len - i >= 3 && (hi = hex_val(s[i + 1])) >= 0 &&
		    (lo = hex_val(s[i + 2])) >= 0 && (hi | lo)) {
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[o++] = s[i++];
		}
	}
	out[o] = 0;
	return o;
}

/*
 * The user-info password: libpq takes it from the first ':' to the first
 * '@' before any '/'.  A raw '@' or '/' in the user or password (they must
 * be percent-encoded) makes libpq read the rest as host, port or database,
 * which its messages quote: what the user meant, from the first ':' to the
 * last '@' (before the query when libpq saw no '@'), is hidden too, and in
 * messages each piece of it between delimiters.  *@rest: where libpq's host
 * list starts.
 */
static int pw_userinfo(const char *auth, pw_fn fn, void *ctx, const char **rest)
{
	size_t alen = strcspn(auth, "/"), n;
	const char *first = memchr(auth, '@', alen), *last, *colon, *pw, *p;
	int ret;

	*rest = first ? first + 1 : auth;
	last = memrchr(auth, '@', first ? alen : strcspn(auth, "?"));
	if (!last)
		return 0;
	colon = memchr(auth, ':', (size_t)((first ? last : auth + alen) - auth));
	if (!colon)
		return 0;
	pw = colon + 1;
	if (first == last)	/* libpq reads it as meant */
		return fn(ctx, pw, (size_t)(last - pw), PW_SHOW);
	if (first && colon < first && (ret = fn(ctx, pw, (size_t)(first - pw), 0)))
		return ret;
	ret = fn(ctx, pw, (size_t)(last - pw), PW_SHOW);
	for (p = pw; !ret && p < last; p += n + 1) {
		for (n = 0; p + n < last && !strchr(URI_DELIMS, p[n]); n++)
			;
		if (n)
			ret = fn(ctx, p, n, 0);
	}
	return ret;
}

/* Does the raw query key @k (@len bytes) decode to a password's key? */
static bool is_pw_key(const char *k, size_t len)
{
	char key[36];	/* "sslpassword" is at most 33 bytes encoded */

	if (len >= sizeof(key))
		return false;
	pct_decode(k, len, key);
	return !strcmp(key, "password") || !strcmp(key, "sslpassword");
}

/*
 * The values of password and sslpassword parameters.  libpq's query starts
 * at the first '?' after the user info (or later, past an IPv6 "[…]") and is
 * split at '&', keys and values percent-decoded: here any '?' or '&' from
 * there starts a parameter, which runs to the next '&'.
 */
static int pw_params(const char *q, pw_fn fn, void *ctx)
{
	const char *p, *eq;
	size_t n;
	int ret;

	for (p = q; p; p = strpbrk(p + 1, "?&")) {
		n = strcspn(p + 1, "&");
		eq = memchr(p + 1, '=', n);
		if (!eq || !is_pw_key(p + 1, (size_t)(eq - p - 1)))
			continue;
		ret = fn(ctx, eq + 1, (size_t)(p + 1 + n - (eq + 1)), PW_SHOW);
		if (ret)
			return ret;
	}
	return 0;
}

static int pw_each(const char *uri, pw_fn fn, void *ctx)
{
	const char *rest;
	int ret;

	/*
	 * Any scheme://, not only postgresql://: a misspelled scheme
	 * ("postgresq://u:pw@h/db") is refused with the URI in the message.
	 */
	if (!strstr(uri, "://"))
		return 0;
	ret = pw_userinfo(strstr(uri, "://") + 3, fn, ctx, &rest);
	return ret ? ret : pw_params(strchr(rest, '?'), fn, ctx);
}

/*
 * @n bytes of @s into @out (@size > 0), each run of bytes marked in @mask
 * as "***", cut to fit and NUL-terminated.  Returns the length written.
 */
static size_t mask_copy(const char *s, size_t n, const unsigned char *mask,
			char *out, size_t size)
{
	const char *star;
	size_t i, o = 0;

	for (i = 0; i < n && o + 1 < size; i++) {
		if (!mask[i])
			out[o++] = s[i];
		else if (!i || !mask[i - 1])
			for (star = "***"; *star && o + 1 < size; star++)
				out[o++] = *star;
	}
	out[o] = 0;
	return o;
}

struct uri_mask {
	const char *uri;
	unsigned char *mask;
};

static int mask_shown(void *ctx, const char *at, size_t len, unsigned int flags)
{
	struct uri_mask *m = ctx;

	if (flags & PW_SHOW)
		memset(m->mask + (at - m->uri), 1, len);
	return 0;
}

void store_uri_redact(const char *uri, char *out, size_t len)
{
	struct uri_mask m = { .uri = uri };
	size_t n = strlen(uri);

	if (!len)
		return;
	m.mask = calloc(n + 1, 1);
	if (!m.mask) {
		snprintf(out, len, "%s", strstr(uri, "://") ? "***" : uri);
		return;
	}
	pw_each(uri, mask_shown, &m);
	mask_copy(uri, n, m.mask, out, len);
	free(m.mask);
}

struct msg_mask {
	const char *msg;	/* a copy of the message */
	size_t n;		/* its length */
	bool full;		/* it fills its buffer: it may end in a cut password */
	unsigned char *mask;
};

/* Mark every copy of @pw (@len bytes), and a start of it the message ends in if full. */
static void mask_copies(struct msg_mask *m, const char *pw, size_t len)
{
	const char *hit;
	size_t off = 0, k;

	if (!len)
		return;
	while (off < m->n && (hit = memmem(m->msg + off, m->n - off, pw, len))) {
		off = (size_t)(hit - m->msg);
		memset(m->mask + off, 1, len);
		off++;		/* copies may overlap: "aa" in "aaa" */
	}
	if (!m->full)
		return;
	for (k = len - 1 < m->n ? len - 1 : m->n; k; k--) {
		if (!memcmp(m->msg + m->n - k, pw, k)) {
			memset(m->mask + m->n - k, 1, k);
			break;
		}
	}
}

static int mask_msg(void *ctx, const char *at, size_t len, unsigned int flags)
{
	struct msg_mask *m = ctx;
	size_t plen;
	char *plain;

	if (!len)
		return 0;
	mask_copies(m, at, len);
	plain = malloc(len + 1);	/* a secret: wiped below */
	if (!plain)
		return -ENOMEM;
	plen = pct_decode(at, len, plain);
	if (plen != len)
		mask_copies(m, plain, plen);
	explicit_bzero(plain, len + 1);
	free(plain);
	return 0;
}

void store_msg_redact(const char *uri, char *msg, size_t size)
{
	struct msg_mask m = { 0 };
	char *copy = NULL;
	size_t o;

	if (!size)
		return;
	m.n = strnlen(msg, size);
	if (m.n == size)	/* not a string in @size bytes: cut it */
		msg[--m.n] = 0;
	if (!uri || !strstr(uri, "://"))
		return;
	m.full = m.n == size - 1;
	copy = malloc(2 * m.n + 1);	/* the message, then its mask */
	if (!copy)
		goto withhold;
	memcpy(copy, msg, m.n + 1);
	m.msg = copy;
	m.mask = (unsigned char *)copy + m.n + 1;
	memset(m.mask, 0, m.n);
	if (pw_each(uri, mask_msg, &m))
		goto withhold;
	o = mask_copy(copy, m.n, m.mask, msg, size);
	if (o < m.n)	/* nothing of the old message past the new end */
		memset(msg + o, 0, m.n - o);
	goto out;
withhold:
	memset(msg, 0, m.n);
	snprintf(msg, size, "%s", "(message withheld: cannot redact it)");
out:
	if (copy) {
		explicit_bzero(copy, 2 * m.n + 1);
		free(copy);
	}
}
