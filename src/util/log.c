// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"

int log_level = LOG_NORMAL;

static struct {
	char cmd[64];		/* "" outside argument parsing */
	const char *canonical, *typed;
} usage;

static __thread char *capture_buf;
static __thread size_t capture_len;
static __thread bool capture_quiet;

void log_capture_begin(char *buf, size_t len, bool quiet)
{
	capture_buf = len ? buf : NULL;
	capture_len = len;
	capture_quiet = quiet;
	if (len)
		buf[0] = '\0';
}

void log_capture_end(void)
{
	capture_buf = NULL;
	capture_len = 0;
	capture_quiet = false;
}

static void __attribute__((format(printf, 3, 0)))
log_vline(const char *prefix, const char *what, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	if (what && usage.cmd[0] && usage.canonical && !strcmp(what, usage.canonical))
		what = usage.typed;
	/* Build the whole line first: concurrent threads must not interleave. */
	n = snprintf(buf, sizeof(buf), "cvmm%s%s: %s%s%s", usage.cmd[0] ? " " : "",
		     usage.cmd, prefix, what ? what : "", what ? ": " : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	fprintf(stderr, "%s\n", buf);
}

void log_err(const char *what, const char *fmt, ...)
{
	va_list ap;

	if (capture_buf && !capture_buf[0]) {
		char line[1024];
		int n = snprintf(line, sizeof(line), "%s%s", what ? what : "", what ? ": " : "");

		va_start(ap, fmt);
		if (n >= 0 && (size_t)n < sizeof(line))
			vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
		va_end(ap);
		snprintf(capture_buf, capture_len, "%s", line);
	}
	if (capture_quiet)
		return;
	va_start(ap, fmt);
	log_vline("", what, fmt, ap);
	va_end(ap);
}

void log_warn(const char *what, const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	log_vline("warning: ", what, fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_INFO)
		return;
	va_start(ap, fmt);
	log_vline("", NULL, fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_DEBUG)
		return;
	va_start(ap, fmt);
	log_vline("debug: ", NULL, fmt, ap);
	va_end(ap);
}

int log_errno(const char *what, int err)
{
	log_err(what, "%s", strerror(err < 0 ? -err : err));
	return err;
}

void log_usage_begin(const char *cmd)
{
	snprintf(usage.cmd, sizeof(usage.cmd), "%s", cmd ? cmd : "");
	usage.canonical = usage.typed = NULL;
}

void log_usage_typed(const char *canonical, const char *typed)
{
	usage.canonical = canonical;
	usage.typed = typed;
}

void log_usage_end(void)
{
	usage.cmd[0] = 0;
	usage.canonical = usage.typed = NULL;
}
