// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/verdict.h"

void verdict_init(struct verdict *v)
{
	v->nfailed = 0;
	v->failed = json_array();
}

void verdict_free(struct verdict *v)
{
	json_decref(v->failed);
	v->failed = NULL;
}

void verdict_fail(struct verdict *v, const char *check, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	v->nfailed++;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (v->failed)
		json_array_append_new(v->failed,
			json_pack("{s:s, s:s}", "check", check,
				  "detail", detail));
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

json_t *verdict_json(const struct verdict *v)
{
	json_t *o = json_object();

	json_object_set_new(o, "ok", json_boolean(verdict_ok(v)));
	json_object_set_new(o, "failed",
			    v->failed ? json_deep_copy(v->failed) : json_array());
	return o;
}
