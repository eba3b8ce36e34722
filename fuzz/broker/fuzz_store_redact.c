// SPDX-License-Identifier: GPL-2.0-only
/*
 * The store URI's password redaction (store_uri_redact, store_msg_redact):
 * the first byte of the input is the message buffer's size, the rest is
 * "URI\nmessage".  Neither writes past its buffer or leaves it without a
 * NUL, and, libpq's own reading of the URI being the oracle, no password or
 * sslpassword libpq takes from it survives in a message that quotes it,
 * whole or cut at the end of a full buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "broker/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A message quoting @pw: "<pw>" whole, then "<" and @pw cut in a full buffer. */
static void check_secret(const char *uri, const char *pw)
{
	size_t len = strlen(pw), k, n;
	char *buf;

	if (!len || strchr(pw, '*'))	/* "***" itself could spell it */
		return;
	buf = malloc(len + 8);
	if (!buf)
		return;
	snprintf(buf, len + 8, "<%s>", pw);
	store_msg_redact(uri, buf, len + 8);
	if (strstr(buf, pw))
		abort();
	snprintf(buf, len + 1, "<%s", pw);	/* fills the buffer */
	store_msg_redact(uri, buf, len + 1);
	n = strnlen(buf, len + 1);
	if (n > len)
		abort();
	for (k = 1; k <= n && k < len; k++)
		if (!memcmp(buf + n - k, pw, k))
			abort();
	free(buf);
}

static void check_libpq(const char *uri)
{
	PQconninfoOption *opts, *o;
	char *err = NULL;

	if (strncmp(uri, "postgresql://", 13) && strncmp(uri, "postgres://", 11))
		return;
	opts = PQconninfoParse(uri, &err);
	if (!opts) {
		PQfreemem(err);
		return;
	}
	for (o = opts; o->keyword; o++)
		if (o->val && (!strcmp(o->keyword, "password") ||
			       !strcmp(o->keyword, "sslpassword")))
			check_secret(uri, o->val);
	PQconninfoFree(opts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl;
	char *uri, *msg, shown[512];
	size_t bufsize, ulen;

	if (!size)
		return 0;
	bufsize = data[0];
	nl = memchr(data + 1, '\n', size - 1);
	ulen = nl ? (size_t)(nl - (const char *)data - 1) : size - 1;
	uri = strndup((const char *)data + 1, ulen);
	msg = malloc(bufsize ? bufsize : 1);
	if (!uri || !msg)
		goto out;
	store_uri_redact(uri, shown, sizeof(shown));
	if (strnlen(shown, sizeof(shown)) == sizeof(shown))
		abort();
	/* exactly @bufsize bytes: ASan sees a write past them */
	if (bufsize) {
		snprintf(msg, bufsize, "%.*s", nl ? (int)(size - ulen - 2) : 0, nl ? nl + 1 : "");
		store_msg_redact(uri, msg, bufsize);
		if (strnlen(msg, bufsize) == bufsize)
			abort();
	}
	check_libpq(uri);
out:
	free(uri);
	free(msg);
	return 0;
}
