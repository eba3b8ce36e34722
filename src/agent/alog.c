// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent/alog.h"

int alog_level = 1;

static void __attribute__((format(printf, 2, 0)))
alog_vline(const char *what, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	/* One write per line: the console is shared with the kernel. */
	n = snprintf(buf, sizeof(buf), "cvmm-agent: %s%s", what ? what : "",
		     what ? ": " : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	fprintf(stderr, "%s\n", buf);
	fflush(stderr);
}

void alog_err(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	alog_vline(what, fmt, ap);
	va_end(ap);
}

void alog_info(const char *fmt, ...)
{
	va_list ap;

	if (alog_level < 1)
		return;
	va_start(ap, fmt);
	alog_vline(NULL, fmt, ap);
	va_end(ap);
}

void alog_debug(const char *fmt, ...)
{
	va_list ap;

	if (alog_level < 2)
		return;
	va_start(ap, fmt);
	alog_vline(NULL, fmt, ap);
	va_end(ap);
}

int alog_errno(const char *what, int err)
{
	alog_err(what, "%s", strerror(err < 0 ? -err : err));
	return err;
}

void alog_clean(const char *in, size_t n, char *out, size_t outlen)
{
	size_t i, o = 0;

	if (!outlen)
		return;
	for (i = 0; i < n && in[i] && o + 1 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];

		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	out[o] = 0;
	if (i < n && in[i] && outlen > 4) {
		if (o > outlen - 4)
			o = outlen - 4;
		memcpy(out + o, "...", 4);
	}
}
