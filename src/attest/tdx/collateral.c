// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/claims.h"
#include "attest/json_span.h"
#include "attest/rfc3339.h"
#include "attest/sig.h"
#include "attest/tdx/collateral.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

int collateral_split(const char *text, size_t len, const char *key,
		     const char **body, size_t *body_len, uint8_t sig[64],
		     struct err_msg *why)
{
	json_error_t jerr;
	json_t *root;
	size_t off, vlen;
	const char *s;
	int ret;

	/* jansson skips NUL bytes between tokens; PCS documents have none */
	if (memchr(text, 0, len))
		return err_fail(why, -EINVAL, "the document contains NUL bytes");
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_fail(why, -EINVAL, "not JSON: line %d: %s", jerr.line,
				jerr.text);
	if (!json_is_object(root)) {
		ret = err_fail(why, -EINVAL, "not a JSON object");
		goto out;
	}
	if (!json_is_object(json_object_get(root, key))) {
		ret = err_fail(why, -EINVAL, "no \"%s\" object", key);
		goto out;
	}
	s = json_string_value(json_object_get(root, "signature"));
	if (!s || hex_decode(s, sig, 64)) {
		ret = err_fail(why, -EINVAL, "\"signature\" is not 64 bytes of hex");
		goto out;
	}
	ret = json_span_find(text, len, key, &off, &vlen);
	if (ret) {
		ret = err_fail(why, -EINVAL, "cannot locate the raw \"%s\" value", key);
		goto out;
	}
	*body = text + off;
	*body_len = vlen;
out:
	json_decref(root);
	return ret;
}

int collateral_verify(const char *body, size_t len, const uint8_t sig[64],
		      EVP_PKEY *key)
{
	return sig_ecdsa_verify(key, EVP_sha256(), (const uint8_t *)body, len,
				sig, sig + 32, 32, false);
}

/* ---- typed field access ---- */

/* Parse @len bytes of @text as one JSON object (no duplicate keys). */
static int load_object(struct err_msg *why, const char *text, size_t len, json_t **out)
{
	json_error_t jerr;

	*out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!*out)
		return err_fail(why, -EINVAL, "not JSON: %s", jerr.text);
	if (!json_is_object(*out))
		return err_fail(why, -EINVAL, "not an object");
	return 0;
}

static int get_str(struct err_msg *why, json_t *o, const char *key, const char **out)
{
	*out = json_string_value(json_object_get(o, key));
	if (!*out)
		return err_fail(why, -EINVAL, "\"%s\" is missing or not a string", key);
	return 0;
}

static int get_int(struct err_msg *why, json_t *o, const char *key, int64_t min,
		   int64_t max, int64_t *out)
{
	json_t *j = json_object_get(o, key);

	if (!json_is_integer(j))
		return err_fail(why, -EINVAL, "\"%s\" is missing or not an integer", key);
	*out = json_integer_value(j);
	if (*out < min || *out > max)
		return err_fail(why, -EINVAL, "\"%s\" %lld is out of range", key,
				(long long)*out);
	return 0;
}

static int get_u32(struct err_msg *why, json_t *o, const char *key, uint32_t *out)
{
	int64_t v = 0;
	int ret = get_int(why, o, key, 0, UINT32_MAX, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

static int get_hex(struct err_msg *why, json_t *o, const char *key, uint8_t *out,
		   size_t len)
{
	const char *s;
	int ret = get_str(why, o, key, &s);

	if (ret)
		return ret;
	if (hex_decode(s, out, len))
		return err_fail(why, -EINVAL, "\"%s\" is not %zu bytes of hex", key, len);
	return 0;
}

static int get_time(struct err_msg *why, json_t *o, const char *key, int64_t *out)
{
	const char *s;
	int ret = get_str(why, o, key, &s);

	if (ret)
		return ret;
	if (rfc3339_parse(s, out))
		return err_fail(why, -EINVAL, "\"%s\" is not an RFC 3339 time", key);
	return 0;
}

static int get_status(struct err_msg *why, json_t *o, enum tcb_status *out)
{
	const char *s;
	int ret = get_str(why, o, "tcbStatus", &s);

	if (ret)
		return ret;
	if (tcb_status_parse(s, out))
		return err_fail(why, -EINVAL, "unrecognised tcbStatus \"%s\"", s);
	return 0;
}

static int get_id(struct err_msg *why, json_t *o, char *out, size_t size)
{
	const char *s;
	int ret = get_str(why, o, "id", &s);

	if (ret)
		return ret;
	if (strlen(s) >= size)
		return err_fail(why, -EINVAL, "\"id\" is too long");
	strcpy(out, s);
	return 0;
}

static json_t *get_advisories(json_t *lvl)
{
	json_t *a = json_object_get(lvl, "advisoryIDs");
	size_t i;
	json_t *e;

	if (!json_is_array(a))
		return NULL;
	json_array_foreach(a, i, e)
		if (!json_is_string(e))
			return NULL;
	return json_incref(a);
}

/* [{"svn": N, ...} x 16] */
static int get_components(struct err_msg *why, json_t *tcb, const char *key,
			  uint32_t out[16])
{
	json_t *a = json_object_get(tcb, key);
	size_t i;

	if (!json_is_array(a) || json_array_size(a) != 16)
		return err_fail(why, -EINVAL, "\"%s\" is not an array of 16 components",
				key);
	for (i = 0; i < 16; i++) {
		int ret = get_u32(why, json_array_get(a, i), "svn", &out[i]);

		if (ret)
			return ret;
	}
	return 0;
}

static int parse_level(struct err_msg *why, int version, json_t *lvl,
		       struct tcb_level *out)
{
	json_t *tcb = json_object_get(lvl, "tcb");
	int ret, i;

	if (!json_is_object(tcb))
		return err_fail(why, -EINVAL, "a TCB level has no \"tcb\" object");
	if (version >= 3) {
		ret = get_components(why, tcb, "sgxtcbcomponents", out->sgx_svn);
		if (ret)
			return ret;
		if (json_object_get(tcb, "tdxtcbcomponents")) {
			ret = get_components(why, tcb, "tdxtcbcomponents", out->tdx_svn);
			if (ret)
				return ret;
			out->has_tdx = true;
		}
	} else {
		for (i = 0; i < 16; i++) {
			char key[24];

			snprintf(key, sizeof(key), "sgxtcbcomp%02dsvn", i + 1);
			ret = get_u32(why, tcb, key, &out->sgx_svn[i]);
			if (ret)
				return ret;
		}
	}
	ret = get_u32(why, tcb, "pcesvn", &out->pcesvn);
	if (!ret)
		ret = get_time(why, lvl, "tcbDate", &out->date);
	if (!ret)
		ret = get_status(why, lvl, &out->status);
	if (!ret)
		out->advisories = get_advisories(lvl);
	return ret;
}

/* The size of a "tcbLevels" array: 1 to TCB_LEVELS_MAX entries. */
static int levels_count(struct err_msg *why, json_t *a, size_t *n)
{
	if (!json_is_array(a) || !json_array_size(a))
		return err_fail(why, -EINVAL, "\"tcbLevels\" is missing or empty");
	if (json_array_size(a) > TCB_LEVELS_MAX)
		return err_fail(why, -EINVAL, "too many TCB levels");
	*n = json_array_size(a);
	return 0;
}

/* [{"tcb": {"isvsvn": N}, "tcbDate": ..., "tcbStatus": ...}] */
static int parse_isv_levels(struct err_msg *why, json_t *a, struct module_level **out,
			    size_t *n)
{
	size_t i, count;
	int ret = levels_count(why, a, &count);

	if (ret)
		return ret;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return err_fail(why, -EINVAL, "out of memory");
	*n = count;
	for (i = 0; i < count; i++) {
		json_t *lvl = json_array_get(a, i);
		struct module_level *m = &(*out)[i];

		ret = get_u32(why, json_object_get(lvl, "tcb"), "isvsvn", &m->isvsvn);
		if (!ret)
			ret = get_time(why, lvl, "tcbDate", &m->date);
		if (!ret)
			ret = get_status(why, lvl, &m->status);
		if (ret)
			return ret;
		m->advisories = get_advisories(lvl);
	}
	return 0;
}

static int parse_module(struct err_msg *why, json_t *o, uint8_t mrsigner[48],
			uint8_t attr[8], uint8_t mask[8])
{
	int ret = get_hex(why, o, "mrsigner", mrsigner, 48);

	if (!ret)
		ret = get_hex(why, o, "attributes", attr, 8);
	if (!ret)
		ret = get_hex(why, o, "attributesMask", mask, 8);
	return ret;
}

static int parse_modules(struct err_msg *why, json_t *a, struct tcb_info *ti)
{
	size_t i, n = json_array_size(a);
	int ret;

	if (!json_is_array(a))
		return err_fail(why, -EINVAL, "\"tdxModuleIdentities\" is not an array");
	if (n > TDX_MODULE_IDS_MAX)
		return err_fail(why, -EINVAL, "too many TDX module identities");
	ti->modules = calloc(n ? n : 1, sizeof(*ti->modules));
	if (!ti->modules)
		return err_fail(why, -EINVAL, "out of memory");
	ti->nmodules = n;
	for (i = 0; i < n; i++) {
		struct tdx_module_identity *m = &ti->modules[i];
		json_t *o = json_array_get(a, i);

		ret = get_id(why, o, m->id, sizeof(m->id));
		if (!ret)
			ret = parse_module(why, o, m->mrsigner, m->attributes,
					   m->attributes_mask);
		if (!ret)
			ret = parse_isv_levels(why, json_object_get(o, "tcbLevels"),
					       &m->levels, &m->nlevels);
		if (ret)
			return ret;
	}
	return 0;
}

int tcb_info_parse(const char *body, size_t len, struct tcb_info *ti,
		   struct err_msg *why)
{
	json_t *o, *levels, *j;
	int64_t v = 0;
	size_t i, n;
	int ret;

	memset(ti, 0, sizeof(*ti));
	ret = load_object(why, body, len, &o);
	if (!ret)
		ret = get_int(why, o, "version", 2, 3, &v);
	if (ret)
		goto out;
	ti->version = (int)v;
	if (ti->version >= 3) {
		ret = get_id(why, o, ti->id, sizeof(ti->id));
		if (ret)
			goto out;
	}
	if ((ret = get_time(why, o, "issueDate", &ti->issue_date)) ||
	    (ret = get_time(why, o, "nextUpdate", &ti->next_update)) ||
	    (ret = get_hex(why, o, "fmspc", ti->fmspc, 6)) ||
	    (ret = get_hex(why, o, "pceId", ti->pceid, 2)) ||
	    (ret = get_int(why, o, "tcbType", 0, INT32_MAX, &ti->tcb_type)) ||
	    (ret = get_int(why, o, "tcbEvaluationDataNumber", 0, INT32_MAX,
			   &ti->tcb_eval_num)))
		goto out;
	j = json_object_get(o, "tdxModule");
	if (j) {
		ret = parse_module(why, j, ti->module_mrsigner, ti->module_attributes,
				   ti->module_attributes_mask);
		if (ret)
			goto out;
		ti->has_module = true;
	}
	j = json_object_get(o, "tdxModuleIdentities");
	if (j) {
		ret = parse_modules(why, j, ti);
		if (ret)
			goto out;
	}
	levels = json_object_get(o, "tcbLevels");
	ret = levels_count(why, levels, &n);
	if (ret)
		goto out;
	ti->levels = calloc(n, sizeof(*ti->levels));
	if (!ti->levels) {
		ret = err_fail(why, -EINVAL, "out of memory");
		goto out;
	}
	ti->nlevels = n;
	for (i = 0; i < n; i++) {
		ret = parse_level(why, ti->version, json_array_get(levels, i),
				  &ti->levels[i]);
		if (ret)
			goto out;
	}
out:
	json_decref(o);
	if (ret)
		tcb_info_free(ti);
	return ret;
}

static void levels_free(struct module_level *l, size_t n)
{
	size_t i;

	for (i = 0; l && i < n; i++)
		json_decref(l[i].advisories);
	free(l);
}

void tcb_info_free(struct tcb_info *ti)
{
	size_t i;

	for (i = 0; ti->levels && i < ti->nlevels; i++)
		json_decref(ti->levels[i].advisories);
	free(ti->levels);
	for (i = 0; ti->modules && i < ti->nmodules; i++)
		levels_free(ti->modules[i].levels, ti->modules[i].nlevels);
	free(ti->modules);
	memset(ti, 0, sizeof(*ti));
}

json_t *tcb_info_claims(const struct tcb_info *ti)
{
	json_t *o = json_object(), *m;
	size_t i;

	claims_set_str(o, "id", ti->id[0] ? ti->id : NULL);
	claims_set_int(o, "version", ti->version);
	claims_set_time(o, "issue_date", ti->issue_date);
	claims_set_time(o, "next_update", ti->next_update);
	claims_set_hex(o, "fmspc", ti->fmspc, 6);
	claims_set_hex(o, "pceid", ti->pceid, 2);
	claims_set_int(o, "tcb_type", ti->tcb_type);
	claims_set_int(o, "tcb_evaluation_data_number", ti->tcb_eval_num);
	claims_set_int(o, "tcb_levels", (int64_t)ti->nlevels);
	if (ti->nmodules) {
		m = json_array();
		for (i = 0; i < ti->nmodules; i++)
			json_array_append_new(m, json_string(ti->modules[i].id));
		json_object_set_new(o, "tdx_module_identities", m);
	}
	return o;
}

int qe_identity_parse(const char *body, size_t len, struct qe_identity *qi,
		      struct err_msg *why)
{
	uint8_t b4[4];
	json_t *o;
	int64_t v = 0;
	int ret;

	memset(qi, 0, sizeof(*qi));
	if ((ret = load_object(why, body, len, &o)) ||
	    (ret = get_id(why, o, qi->id, sizeof(qi->id))) ||
	    (ret = get_int(why, o, "version", 2, 2, &v)) ||
	    (ret = get_time(why, o, "issueDate", &qi->issue_date)) ||
	    (ret = get_time(why, o, "nextUpdate", &qi->next_update)) ||
	    (ret = get_int(why, o, "tcbEvaluationDataNumber", 0, INT32_MAX,
			   &qi->tcb_eval_num)))
		goto out;
	qi->version = (int)v;
	/*
	 * MISCSELECT is written as the bytes of the report field (Intel's
	 * synthetic QVL sample: "13373B09" for report bytes 13 37 3b 09).
	 */
	if ((ret = get_hex(why, o, "miscselect", b4, 4)))
		goto out;
	qi->miscselect = get_le32(b4);
	if ((ret = get_hex(why, o, "miscselectMask", b4, 4)))
		goto out;
	qi->miscselect_mask = get_le32(b4);
	if ((ret = get_hex(why, o, "attributes", qi->attributes, 16)) ||
	    (ret = get_hex(why, o, "attributesMask", qi->attributes_mask, 16)) ||
	    (ret = get_hex(why, o, "mrsigner", qi->mrsigner, 32)) ||
	    (ret = get_u32(why, o, "isvprodid", &qi->isvprodid)))
		goto out;
	ret = parse_isv_levels(why, json_object_get(o, "tcbLevels"), &qi->levels,
			       &qi->nlevels);
out:
	json_decref(o);
	if (ret)
		qe_identity_free(qi);
	return ret;
}

void qe_identity_free(struct qe_identity *qi)
{
	levels_free(qi->levels, qi->nlevels);
	memset(qi, 0, sizeof(*qi));
}

json_t *qe_identity_claims(const struct qe_identity *qi)
{
	json_t *o = json_object();

	claims_set_str(o, "id", qi->id);
	claims_set_int(o, "version", qi->version);
	claims_set_time(o, "issue_date", qi->issue_date);
	claims_set_time(o, "next_update", qi->next_update);
	claims_set_int(o, "tcb_evaluation_data_number", qi->tcb_eval_num);
	claims_set_hex(o, "mrsigner", qi->mrsigner, 32);
	claims_set_int(o, "isvprodid", qi->isvprodid);
	return o;
}
