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

void store_uri_redact(const char *uri, char *out, size_t len)
{
	const char *auth = strstr(uri, "://"), *end, *at, *colon, *pw;
	size_t n;

	snprintf(out, len, "%s", uri);
	if (!auth || !is_pg(uri))
		return;
	auth += 3;
	end = auth + strcspn(auth, "/?");
	at = memchr(auth, '@', (size_t)(end - auth));
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon)
		snprintf(out, len, "%.*s:***%s", (int)(colon - uri), uri, at);
	/* and a password=... query parameter */
	pw = strstr(out, "password=");
	if (pw && pw > out && (pw[-1] == '?' || pw[-1] == '&')) {
		char tmp[1024];

		pw += 9;
		n = strcspn(pw, "&");
		snprintf(tmp, sizeof(tmp), "%.*s***%s", (int)(pw - out), out, pw + n);
		snprintf(out, len, "%s", tmp);
	}
}
