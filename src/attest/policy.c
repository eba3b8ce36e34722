// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "attest/policy.h"
#include "util/err.h"
#include "util/num.h"

void policy_default(struct policy *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->allow_debug = false;
	p->snp.measurement.len = 48;
	p->snp.host_data.len = 32;
	p->snp.family_id.len = 16;
	p->snp.image_id.len = 16;
	p->snp.id_key_digest.len = 48;
	p->snp.author_key_digest.len = 48;
	p->snp.chip_id.len = 64;
	p->snp.min_bootloader = p->snp.min_tee = p->snp.min_snp = -1;
	p->snp.min_microcode = p->snp.min_fmc = -1;
	p->snp.min_guest_svn = -1;
	p->snp.vmpl_mask = 1;		/* VMPL 0 */
	p->snp.allow_smt = -1;
	p->snp.allow_migration_agent = 0;
	p->snp.signing_key = -1;
	p->tdx.mrtd.len = 48;
	for (i = 0; i < 4; i++)
		p->tdx.rtmr[i].len = 48;
	p->tdx.mrconfigid.len = 48;
	p->tdx.mrowner.len = 48;
	p->tdx.mrownerconfig.len = 48;
	p->tdx.mrseam.len = 48;
	p->tdx.xfam.len = 8;
	p->tdx.td_attributes.len = 8;
	p->tdx.min_tcb_status = TCB_UP_TO_DATE;
	p->tdx.require_collateral = -1;
	p->tdx.min_qe_isvsvn = -1;
	p->tdx.min_pce_svn = -1;
}

static void values_free(struct policy_values *v)
{
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

void policy_free(struct policy *p)
{
	int i;

	values_free(&p->snp.measurement);
	values_free(&p->snp.host_data);
	values_free(&p->snp.family_id);
	values_free(&p->snp.image_id);
	values_free(&p->snp.id_key_digest);
	values_free(&p->snp.author_key_digest);
	values_free(&p->snp.chip_id);
	values_free(&p->tdx.mrtd);
	for (i = 0; i < 4; i++)
		values_free(&p->tdx.rtmr[i]);
	values_free(&p->tdx.mrconfigid);
	values_free(&p->tdx.mrowner);
	values_free(&p->tdx.mrownerconfig);
	values_free(&p->tdx.mrseam);
	values_free(&p->tdx.xfam);
	values_free(&p->tdx.td_attributes);
}

bool policy_values_allow(const struct policy_values *pv, const uint8_t *v)
{
	size_t i;

	if (!pv->n)
		return true;
	for (i = 0; i < pv->n; i++)
		if (!memcmp(pv->v[i], v, pv->len))
			return true;
	return false;
}

#define LISTED_MAX	3	/* allowed values named in a failure */

void policy_values_check(const struct policy_values *pv, const uint8_t *val,
			 const char *check, const char *what, struct verdict *v)
{
	char hex[2 * sizeof(pv->v[0]) + 1], list[LISTED_MAX * (sizeof(hex) + 2) + 32];
	size_t i, n = 0;

	if (!pv->n) {
		verdict_skip(v, check, "the policy does not restrict %s", what);
		return;
	}
	if (policy_values_allow(pv, val)) {
		verdict_pass(v, check);
		return;
	}
	for (i = 0; i < pv->n && i < LISTED_MAX; i++) {
		hex_encode(pv->v[i], pv->len, hex);
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", hex);
	}
	if (pv->n > LISTED_MAX)
		snprintf(list + n, sizeof(list) - n, " and %zu more", pv->n - LISTED_MAX);
	hex_encode(val, pv->len, hex);
	verdict_fail(v, check, "%s is %s, the policy expects %s%s", what, hex,
		     pv->n > 1 ? "one of " : "", list);
}

void policy_report_data_check(const struct policy *p, const uint8_t rd[64],
			      const char *what, struct verdict *v)
{
	char want[129], got[129];

	if (!p->has_report_data) {
		verdict_skip(v, "policy.report_data", "the policy sets no report_data");
		return;
	}
	if (!memcmp(p->report_data, rd, 64)) {
		verdict_pass(v, "policy.report_data");
		return;
	}
	hex_encode(rd, 64, got);
	hex_encode(p->report_data, 64, want);
	verdict_fail(v, "policy.report_data", "%s is %s, the policy expects %s", what, got,
		     want);
}

static int hex_value(struct err_msg *why, const char *where, json_t *j,
		     uint8_t *out, size_t len)
{
	const char *s = json_string_value(j);

	if (!s)
		return err_fail(why, -EINVAL, "%s: expected a hex string", where);
	if (hex_decode(s, out, len))
		return err_fail(why, -EINVAL, "%s: expected %zu bytes of hex", where,
				len);
	return 0;
}

/* "hex" or ["hex", ...] */
static int values(struct err_msg *why, const char *where, json_t *j,
		  struct policy_values *pv)
{
	size_t i, n = json_is_array(j) ? json_array_size(j) : 1;
	int ret;

	if (!json_is_array(j) && !json_is_string(j))
		return err_fail(why, -EINVAL,
				"%s: expected a hex string or a list of them", where);
	if (!n)
		return err_fail(why, -EINVAL, "%s: an empty list would reject everything",
				where);
	if (n > POLICY_MAX_VALUES)
		return err_fail(why, -EINVAL, "%s: more than %d values", where,
				POLICY_MAX_VALUES);
	values_free(pv);
	pv->v = calloc(n, sizeof(*pv->v));
	if (!pv->v)
		return err_fail(why, -EINVAL, "%s: out of memory", where);
	for (i = 0; i < n; i++) {
		ret = hex_value(why, where, json_is_array(j) ? json_array_get(j, i) : j,
				pv->v[i], pv->len);
		if (ret)
			return ret;
	}
	pv->n = n;
	return 0;
}

static int boolean(struct err_msg *why, const char *where, json_t *j, bool *out)
{
	if (!json_is_boolean(j))
		return err_fail(why, -EINVAL, "%s: expected true or false", where);
	*out = json_is_true(j);
	return 0;
}

static int tristate(struct err_msg *why, const char *where, json_t *j, int *out)
{
	bool b = false;
	int ret = boolean(why, where, j, &b);

	if (!ret)
		*out = b;
	return ret;
}

static int integer(struct err_msg *why, const char *where, json_t *j,
		   int64_t min, int64_t max, int64_t *out)
{
	json_int_t v;

	if (!json_is_integer(j))
		return err_fail(why, -EINVAL, "%s: expected an integer", where);
	v = json_integer_value(j);
	if (v < min || v > max)
		return err_fail(why, -EINVAL, "%s: %lld is out of range %lld..%lld",
				where, (long long)v, (long long)min, (long long)max);
	*out = v;
	return 0;
}

static int small(struct err_msg *why, const char *where, json_t *j, int *out)
{
	int64_t v = 0;
	int ret = integer(why, where, j, 0, 255, &v);

	if (!ret)
		*out = (int)v;
	return ret;
}

static int parse_min_tcb(struct err_msg *why, json_t *o, struct policy_snp *s)
{
	const char *key;
	json_t *v;
	int ret;

	if (!json_is_object(o))
		return err_fail(why, -EINVAL, "snp.min_tcb: expected an object");
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "bootloader"))
			ret = small(why, "snp.min_tcb.bootloader", v, &s->min_bootloader);
		else if (!strcmp(key, "tee"))
			ret = small(why, "snp.min_tcb.tee", v, &s->min_tee);
		else if (!strcmp(key, "snp"))
			ret = small(why, "snp.min_tcb.snp", v, &s->min_snp);
		else if (!strcmp(key, "microcode"))
			ret = small(why, "snp.min_tcb.microcode", v, &s->min_microcode);
		else if (!strcmp(key, "fmc"))
			ret = small(why, "snp.min_tcb.fmc", v, &s->min_fmc);
		else
			ret = err_fail(why, -EINVAL, "snp.min_tcb: unknown key \"%s\"",
				       key);
		if (ret)
			return ret;
	}
	return 0;
}

/* 0..3, or a list of them ("any of") */
static int parse_vmpl(struct err_msg *why, json_t *j, unsigned *mask)
{
	size_t i, n = json_is_array(j) ? json_array_size(j) : 1;
	int64_t x = 0;
	int ret;

	if (!n)
		return err_fail(why, -EINVAL,
				"snp.vmpl: an empty list would reject everything");
	*mask = 0;
	for (i = 0; i < n; i++) {
		ret = integer(why, "snp.vmpl", json_is_array(j) ? json_array_get(j, i) : j,
			      0, 3, &x);
		if (ret)
			return ret;
		*mask |= 1u << x;
	}
	return 0;
}

static int parse_snp(struct err_msg *why, json_t *o, struct policy_snp *s)
{
	const char *key;
	json_t *v;
	int ret;

	if (!json_is_object(o))
		return err_fail(why, -EINVAL, "snp: expected an object");
	json_object_foreach(o, key, v) {
		if (!strcmp(key, "measurement")) {
			ret = values(why, "snp.measurement", v, &s->measurement);
		} else if (!strcmp(key, "host_data")) {
			ret = values(why, "snp.host_data", v, &s->host_data);
		} else if (!strcmp(key, "family_id")) {
			ret = values(why, "snp.family_id", v, &s->family_id);
		} else if (!strcmp(key, "image_id")) {
			ret = values(why, "snp.image_id", v, &s->image_id);
		} else if (!strcmp(key, "id_key_digest")) {
			ret = values(why, "snp.id_key_digest", v, &s->id_key_digest);
		} else if (!strcmp(key, "author_key_digest")) {
			ret = values(why, "snp.author_key_digest", v, &s->author_key_digest);
		} else if (!strcmp(key, "chip_id")) {
			ret = values(why, "snp.chip_id", v, &s->chip_id);
		} else if (!strcmp(key, "min_tcb")) {
			ret = parse_min_tcb(why, v, s);
		} else if (!strcmp(key, "min_guest_svn")) {
			ret = integer(why, "snp.min_guest_svn", v, 0, UINT32_MAX, &s->min_guest_svn);
		} else if (!strcmp(key, "vmpl")) {
			ret = parse_vmpl(why, v, &s->vmpl_mask);
		} else if (!strcmp(key, "allow_smt")) {
			ret = tristate(why, "snp.allow_smt", v, &s->allow_smt);
		} else if (!strcmp(key, "allow_migration_agent")) {
			ret = tristate(why, "snp.allow_migration_agent", v,
				       &s->allow_migration_agent);
		} else if (!strcmp(key, "signing_key")) {
			const char *k = json_string_value(v);

			if (k && !strcmp(k, "vcek"))
				s->signing_key = 0;
			else if (k && !strcmp(k, "vlek"))
				s->signing_key = 1;
			else
				return err_fail(why, -EINVAL,
						"snp.signing_key: expected \"vcek\" or \"vlek\"");
			ret = 0;
		} else {
			ret = err_fail(why, -EINVAL, "snp: unknown key \"%s\"", key);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_tdx(struct err_msg *why, json_t *o, struct policy_tdx *t)
{
	static const char *const rtmr_keys[4] = {
		"rtmr0", "rtmr1", "rtmr2", "rtmr3"
	};
	const char *key;
	json_t *v;
	int ret, i;

	if (!json_is_object(o))
		return err_fail(why, -EINVAL, "tdx: expected an object");
	json_object_foreach(o, key, v) {
		char where[32];

		snprintf(where, sizeof(where), "tdx.%s", key);
		ret = 1;
		for (i = 0; i < 4; i++)
			if (!strcmp(key, rtmr_keys[i]))
				ret = values(why, where, v, &t->rtmr[i]);
		if (ret <= 0) {
			/* handled (0) or failed (<0) */
		} else if (!strcmp(key, "mrtd")) {
			ret = values(why, where, v, &t->mrtd);
		} else if (!strcmp(key, "mrconfigid")) {
			ret = values(why, where, v, &t->mrconfigid);
		} else if (!strcmp(key, "mrowner")) {
			ret = values(why, where, v, &t->mrowner);
		} else if (!strcmp(key, "mrownerconfig")) {
			ret = values(why, where, v, &t->mrownerconfig);
		} else if (!strcmp(key, "mrseam")) {
			ret = values(why, where, v, &t->mrseam);
		} else if (!strcmp(key, "xfam")) {
			ret = values(why, where, v, &t->xfam);
		} else if (!strcmp(key, "td_attributes")) {
			ret = values(why, where, v, &t->td_attributes);
		} else if (!strcmp(key, "min_tcb_status")) {
			if (tcb_status_parse(json_string_value(v), &t->min_tcb_status))
				return err_fail(why, -EINVAL,
						"%s: expected a TCB status such as \"UpToDate\" or \"SWHardeningNeeded\"",
						where);
			t->has_min_tcb_status = true;
			ret = 0;
		} else if (!strcmp(key, "require_collateral")) {
			ret = tristate(why, where, v, &t->require_collateral);
		} else if (!strcmp(key, "min_tee_tcb_svn")) {
			ret = hex_value(why, where, v, t->min_tee_tcb_svn, 16);
			t->has_min_tee_tcb_svn = !ret;
		} else if (!strcmp(key, "min_qe_isvsvn")) {
			ret = integer(why, where, v, 0, UINT16_MAX, &t->min_qe_isvsvn);
		} else if (!strcmp(key, "min_pce_svn")) {
			ret = integer(why, where, v, 0, UINT16_MAX, &t->min_pce_svn);
		} else {
			ret = err_fail(why, -EINVAL, "tdx: unknown key \"%s\"", key);
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int parse_report_data(struct err_msg *why, json_t *v, struct policy *p)
{
	const char *s = json_string_value(v);
	size_t n;

	if (!s)
		return err_fail(why, -EINVAL, "report_data: expected a hex string");
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (!n || n % 2 || n / 2 > 64)
		return err_fail(why, -EINVAL,
				"report_data: expected 1 to 64 bytes of hex");
	memset(p->report_data, 0, sizeof(p->report_data));
	if (hex_decode(s, p->report_data, n / 2))
		return err_fail(why, -EINVAL, "report_data: malformed hex");
	p->report_data_len = n / 2;
	p->has_report_data = true;
	return 0;
}

int policy_parse(const char *text, size_t len, struct policy *p,
		 struct err_msg *why)
{
	json_error_t jerr;
	const char *key;
	json_t *root, *v;
	int ret = 0;

	policy_default(p);
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_fail(why, -EINVAL, "line %d: %s", jerr.line, jerr.text);
	if (!json_is_object(root)) {
		ret = err_fail(why, -EINVAL, "expected a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v) {
		if (!strcmp(key, "allow_debug"))
			ret = boolean(why, "allow_debug", v, &p->allow_debug);
		else if (!strcmp(key, "report_data"))
			ret = parse_report_data(why, v, p);
		else if (!strcmp(key, "snp"))
			ret = parse_snp(why, v, &p->snp);
		else if (!strcmp(key, "tdx"))
			ret = parse_tdx(why, v, &p->tdx);
		else if (!strcmp(key, "comment"))
			ret = 0;
		else
			ret = err_fail(why, -EINVAL, "unknown key \"%s\"", key);
		if (ret)
			break;
	}
out:
	json_decref(root);
	if (ret)
		policy_free(p);
	return ret;
}
