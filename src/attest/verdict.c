// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/verdict.h"

#define DETAIL_MAX	1024

void verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->failed = json_array();
	v->warnings = json_array();
}

void verdict_free(struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->nchecks && i < VERDICT_MAX_CHECKS; i++)
		free(v->checks[i].detail);
	json_decref(v->failed);
	json_decref(v->warnings);
	v->failed = v->warnings = NULL;
	v->nchecks = 0;
}

int verdict_copy(struct verdict *to, const struct verdict *from)
{
	size_t i;

	memcpy(to, from, sizeof(*to));
	for (i = 0; i < to->nchecks; i++)
		to->checks[i].detail = NULL;
	to->failed = from->failed ? json_deep_copy(from->failed) : json_array();
	to->warnings = from->warnings ? json_deep_copy(from->warnings) : json_array();
	for (i = 0; i < to->nchecks; i++)
		if (from->checks[i].detail &&
		    !(to->checks[i].detail = strdup(from->checks[i].detail)))
			goto nomem;
	if (!to->failed || !to->warnings)
		goto nomem;
	return 0;
nomem:
	verdict_free(to);
	to->nfailed = from->nfailed;	/* what failed stays failed */
	return -ENOMEM;
}

/* FNV-1a over the first VERDICT_NAME_LEN - 1 bytes (what a name keeps). */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; s[i] && i < VERDICT_NAME_LEN - 1; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

static struct verdict_check *find(const struct verdict *v, const char *check,
				  uint32_t hash)
{
	size_t i;

	for (i = 0; i < v->nchecks; i++)
		if (v->checks[i].hash == hash &&
		    !strncmp(v->checks[i].name, check, VERDICT_NAME_LEN - 1))
			return (struct verdict_check *)&v->checks[i];
	return NULL;
}

/* Record @status for @check; the worse status wins. */
static void record(struct verdict *v, const char *check, enum verdict_status status,
		   const char *detail)
{
	uint32_t hash = name_hash(check);
	struct verdict_check *c = find(v, check, hash);

	if (!c) {
		if (v->nchecks >= VERDICT_MAX_CHECKS)
			return;
		c = &v->checks[v->nchecks++];
		c->hash = hash;
		snprintf(c->name, sizeof(c->name), "%s", check);
		c->status = status;
		c->detail = detail ? strdup(detail) : NULL;
		return;
	}
	if (status <= c->status)
		return;
	c->status = status;
	free(c->detail);
	c->detail = detail ? strdup(detail) : NULL;
}

void verdict_fail(struct verdict *v, const char *check, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	v->nfailed++;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	record(v, check, VERDICT_FAILED, detail);
	if (v->failed)
		json_array_append_new(v->failed,
			json_pack("{s:s, s:s}", "check", check,
				  "detail", detail));
}

void verdict_pass(struct verdict *v, const char *check)
{
	record(v, check, VERDICT_PASSED, NULL);
}

void verdict_passf(struct verdict *v, const char *check, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	record(v, check, VERDICT_PASSED, detail);
}

void verdict_skip(struct verdict *v, const char *check, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	record(v, check, VERDICT_SKIPPED, detail);
}

void verdict_warn(struct verdict *v, const char *fmt, ...)
{
	char detail[DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (v->warnings)
		json_array_append_new(v->warnings, json_string(detail));
}

bool verdict_has(const struct verdict *v, const char *check)
{
	size_t i;
	json_t *e;

	json_array_foreach(v->failed, i, e) {
		const char *c = json_string_value(json_object_get(e, "check"));

		if (c && !strcmp(c, check))
			return true;
	}
	return false;
}

bool verdict_status(const struct verdict *v, const char *check,
		    enum verdict_status *status)
{
	const struct verdict_check *c = find(v, check, name_hash(check));

	if (c)
		*status = c->status;
	return c != NULL;
}

static const char *const status_names[] = {
	[VERDICT_SKIPPED] = "skipped",
	[VERDICT_PASSED] = "passed",
	[VERDICT_FAILED] = "failed",
};

static json_t *checks_json(const struct verdict *v)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < v->nchecks; i++) {
		const struct verdict_check *c = &v->checks[i];
		json_t *o = json_pack("{s:s, s:s}", "check", c->name,
				      "status", status_names[c->status]);

		if (o && c->detail)
			json_object_set_new(o, "detail", json_string(c->detail));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *verdict_json(const struct verdict *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "ok", json_boolean(verdict_ok(v)));
	json_object_set_new(o, "failed",
			    v->failed ? json_deep_copy(v->failed) : json_array());
	json_object_set_new(o, "checks", checks_json(v));
	json_object_set_new(o, "warnings",
			    v->warnings ? json_deep_copy(v->warnings) : json_array());
	return o;
}
