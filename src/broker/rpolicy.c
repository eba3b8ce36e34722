// SPDX-License-Identifier: GPL-2.0-only
/* Resource policies (see rpolicy.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/snp/policy.h"
#include "attest/snp/report.h"
#include "attest/tdx/policy.h"
#include "attest/tdx/quote.h"
#include "broker/refval.h"
#include "broker/rpolicy.h"
#include "util/err.h"

#define SEGMENT_MAX	64

static bool segment_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > SEGMENT_MAX || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/* Count valid segments of @s; -1 if any is invalid.  "*" last is allowed
 * when @star; *has_star says whether it was there. */
static int segments(const char *s, bool star, bool *has_star)
{
	const char *slash;
	int n = 0;

	*has_star = false;
	if (strlen(s) > STORE_PATH_MAX)
		return -1;
	for (;;) {
		slash = strchr(s, '/');
		if (!slash) {
			if (star && !strcmp(s, "*")) {
				*has_star = true;
				return n;
			}
			return segment_ok(s, strlen(s)) ? n + 1 : -1;
		}
		if (!segment_ok(s, (size_t)(slash - s)))
			return -1;
		n++;
		s = slash + 1;
	}
}

bool rpolicy_path_valid(const char *path)
{
	bool star;

	return segments(path, false, &star) == 3;
}

bool rpolicy_pattern_valid(const char *pattern)
{
	bool star;
	int n = segments(pattern, true, &star);

	return star ? n >= 0 && n <= 2 : n == 3;
}

int rpolicy_lookup(struct store *st, const char *path, char **json,
		   char pattern[STORE_PATH_MAX + 1])
{
	char cand[STORE_PATH_MAX + 3];
	const char *p;
	int ret, i;

	*json = NULL;
	snprintf(pattern, STORE_PATH_MAX + 1, "%s", path);
	ret = STORE_CALL(st, policy_get, path, json);
	if (ret != -ENOENT)
		return ret;
	/* then the wildcards: two segments, one, none */
	for (i = 2; i >= 0; i--) {
		int k;

		for (p = path, k = 0; k < i; k++)
			p = strchr(p, '/') + 1;
		snprintf(cand, sizeof(cand), "%.*s*", (int)(p - path), path);
		ret = STORE_CALL(st, policy_get, cand, json);
		if (ret != -ENOENT) {
			snprintf(pattern, STORE_PATH_MAX + 1, "%.256s", cand);
			return ret;
		}
	}
	return -ENOENT;
}

static int set_default(json_t *root, const char *section, const char *key, json_t *v)
{
	json_t *sec = json_object_get(root, section);

	if (!sec) {
		sec = json_object();
		if (!sec || json_object_set_new(root, section, sec)) {
			json_decref(v);
			return -ENOMEM;
		}
	}
	if (!json_is_object(sec) || json_object_get(sec, key)) {
		json_decref(v);
		return 0;	/* policy_parse() reports a non-object section */
	}
	return json_object_set_new(sec, key, v) ? -ENOMEM : 0;
}

static int defaults(json_t *root)
{
	if (set_default(root, "snp", "vmpl", json_integer(0)) ||
	    set_default(root, "snp", "allow_migration_agent", json_false()) ||
	    set_default(root, "tdx", "require_collateral", json_true()))
		return -ENOMEM;
	return 0;
}

int rpolicy_compile(struct store *st, const char *json, struct policy *p,
		    struct err_msg *why)
{
	json_error_t jerr;
	json_t *root, *refs;
	char *text = NULL;
	int ret;

	policy_default(p);
	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_object(root)) {
		err_set(why, "policy: line %d: %s", jerr.line,
			root ? "expected a JSON object" : jerr.text);
		json_decref(root);
		return -EINVAL;
	}
	refs = json_incref(json_object_get(root, "reference_values"));
	json_object_del(root, "reference_values");
	ret = defaults(root);
	if (!ret && refs)
		ret = refval_expand(st, refs, root, why);
	if (!ret) {
		text = json_dumps(root, JSON_COMPACT);
		ret = text ? 0 : -ENOMEM;
	}
	if (!ret) {
		struct err_msg pwhy;

		ret = policy_parse(text, strlen(text), p, &pwhy);
		if (ret)
			err_set(why, "policy: %s", pwhy.msg);
	}
	free(text);
	json_decref(refs);
	json_decref(root);
	return ret;
}

static int appraise_snp(const struct policy *p, const struct attestation *a,
			struct verdict *v)
{
	struct snp_report *r = malloc(sizeof(*r));
	const char *prod;

	if (!r)
		return -ENOMEM;
	if (snp_report_parse(a->evidence, a->evidence_len, r)) {
		verdict_fail(v, "snp.report", "the stored report does not decode");
	} else {
		prod = json_string_value(json_object_get(a->claims, "product"));
		snp_policy_check(p, r, prod ? snp_product_from_name(prod) :
				 snp_report_product(r), v);
	}
	free(r);
	return 0;
}

static int appraise_tdx(const struct policy *p, const struct attestation *a,
			struct verdict *v)
{
	const json_t *col = json_object_get(a->claims, "collateral");
	const char *st = json_string_value(json_object_get(a->claims, "tcb_status"));
	const json_t *pcesvn = json_object_get(json_object_get(json_object_get(
		a->claims, "pck"), "sgx_extension"), "pcesvn");
	struct tdx_appraisal ap = { .status = TCB_STATUS_UNKNOWN };
	struct tdx_quote q;
	struct err_msg why;

	if (st && tcb_status_parse(st, &ap.status))
		ap.status = TCB_STATUS_UNKNOWN;
	ap.collateral = json_object_get(col, "tcb_info") && json_object_get(col, "qe_identity");
	if (json_is_integer(pcesvn) && json_integer_value(pcesvn) >= 0 &&
	    json_integer_value(pcesvn) <= UINT16_MAX) {
		ap.has_pcesvn = true;
		ap.pcesvn = (uint16_t)json_integer_value(pcesvn);
	}
	if (tdx_quote_parse(a->evidence, a->evidence_len, &q, &why)) {
		verdict_fail(v, "tdx.quote", "the stored quote does not decode: %s", why.msg);
		return 0;
	}
	tdx_policy_check(p, &q, &ap, v);
	return 0;
}

int rpolicy_appraise(const struct policy *p, const struct attestation *a,
		     struct verdict *v)
{
	return a->tee == TEE_SNP ? appraise_snp(p, a, v) : appraise_tdx(p, a, v);
}
