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

void err_prefix(struct err_msg *e, const char *fmt, ...)
{
	char old[ERR_MSG_LEN];
	va_list ap;
	int n;

	if (!e)
		return;
	memcpy(old, e->msg, sizeof(old));
	old[sizeof(old) - 1] = 0;
	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", old);
}
