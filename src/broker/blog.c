// SPDX-License-Identifier: GPL-2.0-only
/* Structured JSON-lines logging (see blog.h). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "broker/blog.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

void blog(const char *level, const char *event, json_t *fields)
{
	struct timespec ts;
	struct tm tm;
	char when[96];
	json_t *o = json_is_object(fields) ? fields : json_object();
	char *line;

	if (o != fields)
		json_decref(fields);
	if (!o)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (int)(ts.tv_nsec / 1000000));
	json_object_set_new(o, "ts", json_string(when));
	json_object_set_new(o, "level", json_string(level));
	json_object_set_new(o, "event", json_string(event));
	line = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (!line)
		return;
	pthread_mutex_lock(&lock);
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
	free(line);
}

static void __attribute__((format(printf, 3, 0)))
bline(const char *prefix, const char *what, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "cvmm-broker: %s%s: ", prefix, what);

	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	pthread_mutex_lock(&lock);
	fprintf(stderr, "%s\n", buf);
	pthread_mutex_unlock(&lock);
}

void berr(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bline("", what, fmt, ap);
	va_end(ap);
}

void bwarn(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bline("warning: ", what, fmt, ap);
	va_end(ap);
}
