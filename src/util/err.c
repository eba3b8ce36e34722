// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "util/err.h"

void err_vset(struct err_msg *e, const char *fmt, va_list ap)
{
	if (e)
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

void err_set(struct err_msg *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, fmt, ap);
	va_end(ap);
}

int err_fail(struct err_msg *e, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, fmt, ap);
	va_end(ap);
	return ret;
}

/* Append @s to the string in @buf of @size bytes, cut to fit. */
static void append(char *buf, size_t size, const char *s)
{
	size_t at = strnlen(buf, size - 1), n = strlen(s);

	if (n > size - 1 - at)
		n = size - 1 - at;
	memcpy(buf + at, s, n);
	buf[at + n] = 0;
}

void err_prefix(struct err_msg *e, const char *fmt, ...)
{
	char old[ERR_MSG_LEN];
	va_list ap;

	if (!e)
		return;
	memcpy(old, e->msg, sizeof(old));
	old[sizeof(old) - 1] = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	append(e->msg, sizeof(e->msg), ": ");
	append(e->msg, sizeof(e->msg), old);
}
