// SPDX-License-Identifier: GPL-2.0-only
/* Storage backends by URI scheme (see store.h). */
#include <errno.h>
#include <stdio.h>
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

#define PW_SPANS	4

/* The passwords of a postgresql:// @uri: "user:PW@" and "password=PW" values. */
static size_t pw_spans(const char *uri, const char *at[PW_SPANS], size_t len[PW_SPANS])
{
	const char *auth = strstr(uri, "://"), *end, *p, *colon;
	size_t n = 0;

	if (!auth || !is_pg(uri))
		return 0;
	auth += 3;
	end = auth + strcspn(auth, "/?");
	p = memchr(auth, '@', (size_t)(end - auth));
	colon = p ? memchr(auth, ':', (size_t)(p - auth)) : NULL;
	if (colon && p > colon + 1) {
		at[n] = colon + 1;
		len[n++] = (size_t)(p - colon - 1);
	}
	for (p = strchr(end, '?'); p && n < PW_SPANS; p = strchr(p, '&')) {
		p++;
		if (strncmp(p, "password=", 9) || !p[9] || p[9] == '&')
			continue;
		at[n] = p + 9;
		len[n++] = strcspn(p + 9, "&");
	}
	return n;
}

void store_uri_redact(const char *uri, char *out, size_t len)
{
	const char *at[PW_SPANS], *p = uri;
	size_t span[PW_SPANS], n = pw_spans(uri, at, span), i, o = 0;

	if (!len)
		return;
	for (i = 0; i <= n; i++) {
		size_t keep = i < n ? (size_t)(at[i] - p) : strlen(p);

		o += (size_t)snprintf(out + o, len - o, "%.*s%s", (int)keep, p, i < n ? "***" : "");
		if (o >= len)
			return;
		if (i < n)
			p = at[i] + span[i];
	}
}

void store_msg_redact(const char *uri, char *msg, size_t size)
{
	const char *at[PW_SPANS];
	size_t span[PW_SPANS], n = pw_spans(uri, at, span), i, off;
	char *hit, tmp[1024];

	/* libpq quotes a malformed URI (or the bad part of it) in its messages */
	for (i = 0; i < n; i++) {
		off = 0;
		while (off < strlen(msg) &&
		       (hit = memmem(msg + off, strlen(msg + off), at[i], span[i]))) {
			off = (size_t)(hit - msg) + 3;
			snprintf(tmp, sizeof(tmp), "%.*s***%s", (int)(hit - msg), msg,
				 hit + span[i]);
			snprintf(msg, size, "%s", tmp);
		}
	}
}
