// SPDX-License-Identifier: GPL-2.0-only
/*
 * Strict readers for the members of a VmConfig object (see
 * api/vmconfig_internal.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/vmconfig_internal.h"

int jfail(struct jctx *j, const char *key, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	j->why[0] = '\0';
	if (key && *j->path)
		n = snprintf(j->why, j->len, "%s.%s: ", j->path, key);
	else if (key || *j->path)
		n = snprintf(j->why, j->len, "%s: ", key ? key : j->path);
	if (n < 0 || (size_t)n >= j->len)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(j->why + n, j->len - (size_t)n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

const json_t *jget(const json_t *o, const char *key)
{
	const json_t *v = o ? json_object_get(o, key) : NULL;

	return v && !json_is_null(v) ? v : NULL;
}

int jkeys(struct jctx *j, const json_t *o, const char *const *known)
{
	const char *key;
	const json_t *v;
	unsigned int i;

	if (!o)
		return 0;
	if (!json_is_object(o))
		return jfail(j, NULL, "expected an object");
	json_object_foreach((json_t *)o, key, v) {
		for (i = 0; known[i] && strcmp(known[i], key); i++)
			;
		if (!known[i])
			return jfail(j, key, "unknown field");
	}
	return 0;
}

int jbool(struct jctx *j, const json_t *o, const char *key, bool *out)
{
	const json_t *v = jget(o, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return jfail(j, key, "expected true or false");
	*out = json_is_true(v);
	return 0;
}

int jint(struct jctx *j, const json_t *o, const char *key, int64_t min, int64_t max,
	 int64_t *out, bool *present)
{
	const json_t *v = jget(o, key);
	json_int_t x;

	if (present)
		*present = v != NULL;
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return jfail(j, key, "expected an integer");
	x = json_integer_value(v);
	if (x < min || x > max)
		return jfail(j, key, "%lld is out of range (%lld to %lld)", (long long)x,
			     (long long)min, (long long)max);
	*out = x;
	return 0;
}

int jstr(struct jctx *j, const json_t *o, const char *key, const char **out)
{
	const json_t *v = jget(o, key);

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_string(v))
		return jfail(j, key, "expected a string");
	if (!json_string_length(v) || strlen(json_string_value(v)) != json_string_length(v))
		return jfail(j, key, "expected a non-empty string without NUL");
	*out = json_string_value(v);
	return 0;
}

int jstrdup(struct jctx *j, const json_t *o, const char *key, char **out)
{
	const char *s;
	int ret = jstr(j, o, key, &s);

	if (ret || !s)
		return ret;
	free(*out);
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

int jonly_bool(struct jctx *j, const json_t *o, const char *key, bool want, const char *why_not)
{
	bool v = want;
	int ret = jbool(j, o, key, &v);

	if (ret)
		return ret;
	return v == want ? 0 : jfail(j, key, "%s", why_not);
}

int jonly_int(struct jctx *j, const json_t *o, const char *key, int64_t want,
	      const char *why_not)
{
	int64_t v = want;
	int ret = jint(j, o, key, INT64_MIN, INT64_MAX, &v, NULL);

	if (ret)
		return ret;
	return v == want ? 0 : jfail(j, key, "%s", why_not);
}

int jonly_str(struct jctx *j, const json_t *o, const char *key, const char *const *allowed,
	      const char *why_not)
{
	const char *s;
	unsigned int i;
	int ret = jstr(j, o, key, &s);

	if (ret || !s)
		return ret;
	for (i = 0; allowed[i]; i++)
		if (!strcmp(allowed[i], s))
			return 0;
	return jfail(j, key, "\"%s\": %s", s, why_not);
}

int jabsent(struct jctx *j, const json_t *o, const char *key, const char *why_not)
{
	const json_t *v = jget(o, key);

	if (!v || (json_is_array(v) && !json_array_size(v)) ||
	    (json_is_object(v) && !json_object_size(v)))
		return 0;
	return jfail(j, key, "%s", why_not);
}

int jhint_int(struct jctx *j, const json_t *o, const char *key, int64_t min, int64_t max)
{
	int64_t v;

	return jint(j, o, key, min, max, &v, NULL);
}

int jhint_bool(struct jctx *j, const json_t *o, const char *key)
{
	bool v;

	return jbool(j, o, key, &v);
}

int jpci_fields(struct jctx *j, const json_t *o)
{
	int ret = jonly_int(j, o, "pci_segment", 0, "cvmm has one PCI segment (0)");

	if (!ret)
		ret = jabsent(j, o, "pci_device_id", "cvmm chooses the PCI slot (the next free one)");
	if (!ret)
		ret = jonly_bool(j, o, "iommu", false, "cvmm has no virtual IOMMU");
	return ret;
}
