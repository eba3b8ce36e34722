// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX evidence at /attest: {"quote":"<base64>","cc_eventlog":"<base64>"|null}.
 * The quote is verified with tdx_quote_verify() (collateral for its FMSPC
 * from the offline directory when present); the event log, when sent, must
 * replay to the quote's RTMRs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "attest/tdx/ccel.h"
#include "attest/tdx/quote.h"
#include "broker/blog.h"
#include "broker/certs_offline.h"
#include "broker/verifier.h"
#include "jose/b64url.h"
#include "util/err.h"
#include "util/num.h"

#define TDX_QUOTE_MAX	(64u << 10)
#define TDX_LOG_MAX	(4u << 20)

static int b64_field(const json_t *o, const char *key, size_t max, uint8_t **out,
		     size_t *len, struct err_msg *why)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	*len = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) > max / 3 * 4 + 4 ||
	    b64_decode(json_string_value(v), json_string_length(v), out, len)) {
		err_set(why, "malformed Attestation: %s must be base64", key);
		return -EINVAL;
	}
	return 0;
}

/* The "fmspc" found anywhere under the "pck" claims. */
static const char *find_fmspc(const json_t *o, int depth)
{
	const char *key, *s;
	json_t *v;

	if (!json_is_object(o) || depth > 4)
		return NULL;
	s = json_string_value(json_object_get(o, "fmspc"));
	if (s)
		return s;
	json_object_foreach((json_t *)o, key, v)
		if ((s = find_fmspc(v, depth + 1)))
			return s;
	return NULL;
}

static int run(const struct tdx_trust *t, const struct verifier *vf,
	       const uint8_t *quote, size_t len, int64_t now, json_t **claims,
	       struct verdict *v, struct tdx_quote *parsed)
{
	struct tdx_collateral_files cf = { 0 };
	struct tdx_verify_opts o = { 0 };
	struct verdict first;
	const char *fmspc;
	struct policy p;
	int ret;

	verifier_policy(&p);
	o.at = now;
	o.policy = &p;
	o.cache = verifier_cache();
	*claims = json_object();
	if (!*claims)
		return -ENOMEM;
	verdict_init(&first);
	ret = tdx_quote_verify(quote, len, t, &o, *claims, &first, parsed);
	fmspc = find_fmspc(json_object_get(*claims, "pck"), 0);
	if (!ret && vf->certs_dir && fmspc &&
	    !certs_offline_tdx(vf->certs_dir, fmspc, &cf)) {
		o.tcb_info = cf.tcb_info;
		o.tcb_info_len = cf.tcb_info_len;
		o.qe_identity = cf.qe_identity;
		o.qe_identity_len = cf.qe_identity_len;
		o.tcb_chain = cf.tcb_chain;
		json_decref(*claims);
		*claims = json_object();
		ret = *claims ? tdx_quote_verify(quote, len, t, &o, *claims, v, parsed) : -ENOMEM;
		verdict_free(&first);
	} else {
		verdict_free(v);
		*v = first;
	}
	tdx_collateral_files_free(&cf);
	policy_free(&p);
	return ret;
}

static void check_log(const uint8_t *log, size_t len, const struct tdx_quote *q,
		      json_t *claims, struct verdict *v)
{
	struct ccel_log cl;
	struct err_msg why;
	int i;

	if (ccel_log_replay(log, len, &cl, &why)) {
		verdict_fail(v, "broker.ccel", "the event log does not parse: %s", why.msg);
		return;
	}
	for (i = 0; i < 4; i++)
		if (CRYPTO_memcmp(cl.rtmr[i], q->body.rtmr[i], 48))
			verdict_fail(v, "broker.ccel", "the event log does not replay to RTMR%d", i);
	json_object_set_new(claims, "ccel", ccel_log_claims(&cl));
	ccel_log_free(&cl);
}

static int verify_quote(const struct verifier *vf, const uint8_t *quote, size_t len,
			int64_t now, struct attestation *a, struct tdx_quote *q,
			json_t **claims, struct verdict *v)
{
	struct verdict tv;
	json_t *tclaims = NULL;
	int ret = run(&vf->tdx, vf, quote, len, now, claims, v, q);

	if (ret || verdict_ok(v) || !vf->have_test || !verdict_has(v, "tdx.pck_chain"))
		return ret;
	verdict_init(&tv);
	ret = run(&vf->tdx_test, vf, quote, len, now, &tclaims, &tv, q);
	if (!ret && !verdict_has(&tv, "tdx.pck_chain")) {
		verdict_free(v);
		*v = tv;
		json_decref(*claims);
		*claims = tclaims;
		a->test_evidence = true;
		bwarn("test evidence", "TDX quote verified against --test-roots,"
			 " not the Intel root");
		return 0;
	}
	verdict_free(&tv);
	json_decref(tclaims);
	return ret;
}

int verify_tdx(const struct verifier *vf, const json_t *primary, int64_t now,
	       struct attestation *a, struct verdict *v, struct err_msg *why)
{
	uint8_t *quote = NULL, *log = NULL;
	size_t qlen, llen;
	struct tdx_quote q;
	json_t *claims = NULL;
	int ret;

	if (!json_is_object(primary)) {
		err_set(why, "malformed Attestation: primary_evidence");
		return -EINVAL;
	}
	ret = b64_field(primary, "quote", TDX_QUOTE_MAX, &quote, &qlen, why);
	if (!ret)
		ret = b64_field(primary, "cc_eventlog", TDX_LOG_MAX, &log, &llen, why);
	if (!ret && !quote) {
		err_set(why, "malformed Attestation: no quote");
		ret = -EINVAL;
	}
	if (ret)
		goto out;
	memset(&q, 0, sizeof(q));
	ret = verify_quote(vf, quote, qlen, now, a, &q, &claims, v);
	if (ret)
		goto out;
	if (verdict_has(v, "tdx.quote")) {
		a->claims = claims;
		claims = NULL;
		goto out;
	}
	if (log)
		check_log(log, llen, &q, claims, v);
	a->claims = claims;
	claims = NULL;
	memcpy(a->report_data, q.body.report_data, 64);
	memcpy(a->init_field, q.body.mrconfigid, 48);
	a->init_len = 48;
	hex_encode(q.body.mrtd, 48, a->measurement);
	digest_hex(quote, qlen, a->evidence_digest);
	a->evidence = quote;
	a->evidence_len = qlen;
	quote = NULL;
out:
	json_decref(claims);
	free(quote);
	free(log);
	return ret;
}
