// SPDX-License-Identifier: GPL-2.0-only
/* Reference values: import and expansion into policies (see refval.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "broker/refval.h"
#include "util/err.h"

static const struct {
	const char *kind;
	size_t len;
} kinds[] = {
	{ "snp.measurement", 48 }, { "snp.host_data", 32 }, { "snp.family_id", 16 },
	{ "snp.image_id", 16 }, { "snp.id_key_digest", 48 },
	{ "snp.author_key_digest", 48 }, { "snp.chip_id", 64 },
	{ "tdx.mrtd", 48 }, { "tdx.rtmr0", 48 }, { "tdx.rtmr1", 48 },
	{ "tdx.rtmr2", 48 }, { "tdx.rtmr3", 48 }, { "tdx.mrconfigid", 48 },
	{ "tdx.mrowner", 48 }, { "tdx.mrownerconfig", 48 }, { "tdx.mrseam", 48 },
};

size_t refval_kind_len(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, kind))
			return kinds[i].len;
	return 0;
}

static int hex_ok(const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != 2 * len)
		return 0;
	for (i = 0; i < 2 * len; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Add @v (string or list) under @kind in @out, lowercased and checked. */
static int add(json_t *out, const char *kind, const json_t *v, struct err_msg *why)
{
	size_t len = refval_kind_len(kind), i, k;
	json_t *list = json_object_get(out, kind), *one;
	char buf[129];

	if (!list) {
		list = json_array();
		if (!list || json_object_set_new(out, kind, list))
			return -ENOMEM;
	}
	for (i = 0; i < (json_is_array(v) ? json_array_size(v) : 1); i++) {
		one = json_is_array(v) ? json_array_get(v, i) : (json_t *)v;
		if (!json_is_string(one) || !hex_ok(json_string_value(one), len)) {
			err_set(why, "%s: expected %zu bytes of hex", kind, len);
			return -EINVAL;
		}
		for (k = 0; k <= 2 * len; k++)
			buf[k] = (char)tolower((unsigned char)json_string_value(one)[k]);
		if (json_array_append_new(list, json_string(buf)))
			return -ENOMEM;
	}
	return 0;
}

static const char *platform_of(const json_t *doc)
{
	static const char *const keys[] = { "coco", "type", "platform" };
	const char *s;
	size_t i;

	for (i = 0; i < 3; i++) {
		s = json_string_value(json_object_get(doc, keys[i]));
		if (s && strstr(s, "snp"))
			return "snp";
		if (s && strstr(s, "tdx"))
			return "tdx";
		if (s && strstr(s, "sev"))	/* `cvmm measure --json` of SEV, SEV-ES */
			return "sev";
	}
	return NULL;
}

static int scan(json_t *out, const json_t *o, const char *plat, int depth,
		struct err_msg *why)
{
	static const char *const snp_keys[] = { "measurement", "host_data", "family_id",
		"image_id", "id_key_digest", "author_key_digest", NULL };
	static const char *const tdx_keys[] = { "mrtd", "rtmr0", "rtmr1", "rtmr2",
		"rtmr3", "mrconfigid", NULL };
	const char *const *k = !strcmp(plat, "snp") ? snp_keys : tdx_keys;
	static const char *const nested[] = { "snp", "tdx", "id_block", "measurements" };
	const json_t *v;
	char kind[64];
	size_t i;
	int ret;

	for (; *k; k++) {
		v = json_object_get(o, *k);
		if (!v || json_is_null(v))
			continue;
		snprintf(kind, sizeof(kind), "%s.%s", plat, *k);
		ret = add(out, kind, v, why);
		if (ret)
			return ret;
	}
	/* `cvmm measure --json`: a TD's "measurement" is its MRTD */
	v = json_object_get(o, "measurement");
	if (!strcmp(plat, "tdx") && v && !json_is_null(v) && (ret = add(out, "tdx.mrtd", v, why)))
		return ret;
	v = json_object_get(o, "rtmr");
	if (!strcmp(plat, "tdx") && json_is_array(v) && json_array_size(v) == 4)
		for (i = 0; i < 4; i++) {
			snprintf(kind, sizeof(kind), "tdx.rtmr%zu", i);
			ret = add(out, kind, json_array_get(v, i), why);
			if (ret)
				return ret;
		}
	for (i = 0; depth < 1 && i < 4; i++) {
		v = json_object_get(o, nested[i]);
		if (json_is_object(v) && (ret = scan(out, v, plat, depth + 1, why)))
			return ret;
	}
	return 0;
}

static int explicit_form(json_t *out, const json_t *doc, struct err_msg *why)
{
	const char *key;
	json_t *v;
	int ret;

	json_object_foreach((json_t *)doc, key, v) {
		if (!refval_kind_len(key)) {
			err_set(why, "unknown reference value kind \"%s\"", key);
			return -EINVAL;
		}
		ret = add(out, key, v, why);
		if (ret)
			return ret;
	}
	return 0;
}

int refval_import(const char *text, size_t len, json_t **values,
		  struct err_msg *why)
{
	json_error_t jerr;
	json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *out = json_object();
	const char *plat;
	int ret;

	*values = NULL;
	if (!doc || !json_is_object(doc)) {
		err_set(why, "line %d: %s", jerr.line,
			doc ? "expected a JSON object" : jerr.text);
		ret = -EINVAL;
		goto out;
	}
	ret = -ENOMEM;
	if (!out)
		goto out;
	plat = platform_of(doc);
	if (plat && !strcmp(plat, "sev")) {
		err_set(why, "an SEV or SEV-ES launch digest is no reference value: the broker "
			"verifies SEV-SNP and TDX evidence");
		ret = -EINVAL;
	} else if (plat) {
		ret = scan(out, doc, plat, 0, why);
	} else {
		ret = explicit_form(out, doc, why);
	}
	if (!ret && !json_object_size(out)) {
		err_set(why, "no reference values found (expected %s)",
			plat ? "measurement/mrtd/rtmr members" : "\"<kind>\": \"<hex>\" members");
		ret = -EINVAL;
	}
out:
	json_decref(doc);
	if (ret)
		json_decref(out);
	else
		*values = out;
	return ret;
}

struct expand_ctx {
	json_t *policy;
	size_t n;
	int err;
};

static int expand_one(void *ctx, const char *kind, const char *value)
{
	struct expand_ctx *e = ctx;
	char section[8], key[48];
	const char *dot = strchr(kind, '.');
	json_t *sec, *list;

	if (!dot || (size_t)(dot - kind) >= sizeof(section) || !refval_kind_len(kind))
		return 0;
	snprintf(section, sizeof(section), "%.*s", (int)(dot - kind), kind);
	snprintf(key, sizeof(key), "%s", dot + 1);
	sec = json_object_get(e->policy, section);
	if (!sec) {
		sec = json_object();
		json_object_set_new(e->policy, section, sec);
	}
	if (!json_is_object(sec))
		return -EINVAL;
	list = json_object_get(sec, key);
	if (json_is_string(list)) {
		list = json_pack("[O]", list);
		json_object_set_new(sec, key, list);
	} else if (!list) {
		list = json_array();
		json_object_set_new(sec, key, list);
	}
	if (!json_is_array(list) || json_array_append_new(list, json_string(value)))
		return -EINVAL;
	e->n++;
	return 0;
}

int refval_expand(struct store *st, const json_t *refs, json_t *policy,
		  struct err_msg *why)
{
	struct expand_ctx e = { policy, 0, 0 };
	size_t i, n = json_is_array(refs) ? json_array_size(refs) : 1;
	const char *name;
	int ret;

	if (!json_is_array(refs) && !json_is_string(refs)) {
		err_set(why, "reference_values: expected a name or a list of names");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		name = json_string_value(json_is_array(refs) ? json_array_get(refs, i) : refs);
		if (!name) {
			err_set(why, "reference_values: expected names");
			return -EINVAL;
		}
		e.n = 0;
		ret = STORE_CALL(st, refval_list, name, expand_one, &e);
		if (ret == -EINVAL)
			err_set(why,
				"reference_values: a policy allow-list is malformed");
		if (ret)
			return ret;
		if (!e.n) {
			err_set(why, "reference value set \"%s\" is empty or missing",
				name);
			return -EINVAL;
		}
	}
	return 0;
}
