// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "attest/claims.h"
#include "attest/sig.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/policy.h"
#include "attest/tdx/roots.h"
#include "attest/tdx/tcb.h"
#include "attest/tdx/verify.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

int tdx_trust_init(struct tdx_trust *t, STACK_OF(X509) *ca)
{
	memset(t, 0, sizeof(*t));
	if (!ca) {
		t->builtin = true;
		return intel_root_load(&t->anchors);
	}
	return certs_split_roots(ca, &t->anchors, NULL);
}

void tdx_trust_free(struct tdx_trust *t)
{
	sk_X509_pop_free(t->anchors, X509_free);
	t->anchors = NULL;
}

/* One verification: its inputs, what it established so far, its outputs. */
struct tdx_ctx {
	const struct tdx_quote *q;
	const struct tdx_trust *t;
	const struct tdx_verify_opts *o;
	json_t *claims;
	struct verdict *v;
	STACK_OF(X509) *pck_certs;	/* as the quote carries them */
	STACK_OF(X509) *pck_chain;	/* verified, leaf first; NULL after a failure */
	X509 *pck;			/* borrowed from pck_certs */
	struct tdx_pck_info pck_info;
	bool pck_ok;			/* the SGX extension decoded */
	size_t crls_applied;		/* to the TCB Signing chain */
	bool qe_evaluated;		/* against a PCS QE identity */
	struct tdx_appraisal a;
};

/* Every check of the quote itself, in order (the policy's are apart). */
static const char *const tdx_checks[] = {
	"tdx.quote", "tdx.qe_vendor_id", "tdx.pck_chain", "tdx.pck_extension",
	"tdx.crl", "tdx.quote_signature", "tdx.qe_report_signature",
	"tdx.qe_binding", "tdx.qe_identity", "tdx.collateral", "tdx.tcb_chain",
	"tdx.tcb_info", "tdx.fmspc", "tdx.pceid", "tdx.tdx_module",
	"tdx.tcb_level", "tdx.tcb_status",
};

/* The checks of the collateral, within tdx_checks. */
static const char *const collateral_checks[] = {
	"tdx.collateral", "tdx.tcb_chain", "tdx.tcb_info", "tdx.fmspc", "tdx.pceid",
	"tdx.tdx_module", "tdx.tcb_level", "tdx.tcb_status",
};

/* Mark every check of @list not yet recorded as skipped, saying why. */
static void skip_unrecorded(struct verdict *v, const char *const *list, size_t n,
			    const char *why)
{
	enum verdict_status st;
	size_t i;

	for (i = 0; i < n; i++)
		if (!verdict_status(v, list[i], &st))
			verdict_skip(v, list[i], "%s", why);
}

#define skip_rest(v, why) \
	skip_unrecorded(v, tdx_checks, sizeof(tdx_checks) / sizeof(tdx_checks[0]), why)
#define skip_collateral(v, why) \
	skip_unrecorded(v, collateral_checks, \
			sizeof(collateral_checks) / sizeof(collateral_checks[0]), why)

static X509 *find_cn_part(STACK_OF(X509) *certs, const char *part)
{
	char cn[128];
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		cert_cn(sk_X509_value(certs, i), cn, sizeof(cn));
		if (strstr(cn, part))
			return sk_X509_value(certs, i);
	}
	return NULL;
}

/* PCK → Platform/Processor CA → Intel SGX Root CA, by name. */
static void check_pck_names(STACK_OF(X509) *chain, struct verdict *v)
{
	char cn[128];

	if (sk_X509_num(chain) != 3) {
		verdict_fail(v, "tdx.pck_chain", "the PCK chain has %d certificates, not 3",
			     sk_X509_num(chain));
		return;
	}
	cert_cn(sk_X509_value(chain, 1), cn, sizeof(cn));
	if (strcmp(cn, "Intel SGX PCK Platform CA") &&
	    strcmp(cn, "Intel SGX PCK Processor CA"))
		verdict_fail(v, "tdx.pck_chain",
			     "the PCK issuer \"%s\" is not an Intel SGX PCK CA", cn);
	cert_cn(sk_X509_value(chain, 2), cn, sizeof(cn));
	if (strcmp(cn, "Intel SGX Root CA"))
		verdict_fail(v, "tdx.pck_chain", "the root \"%s\" is not Intel SGX Root CA", cn);
}

/*
 * Every certificate the quote carries must be one of the verified chain:
 * a root copy that differs from the trusted root is tampering, even
 * though the chain itself was built from the trusted copy.
 */
static void check_quote_certs(STACK_OF(X509) *certs, STACK_OF(X509) *chain,
			      struct verdict *v)
{
	int i, j;

	for (i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);
		bool found = false;
		char cn[128];

		for (j = 0; j < sk_X509_num(chain) && !found; j++)
			found = !X509_cmp(c, sk_X509_value(chain, j));
		if (!found) {
			cert_cn(c, cn, sizeof(cn));
			verdict_fail(v, "tdx.pck_chain",
				     "certificate \"%s\" in the quote is not part of the verified chain%s",
				     cn, X509_check_issued(c, c) == X509_V_OK &&
				     !cert_self_signed(c) ? " (its self-signature does not verify)" : "");
		}
	}
}

/* The PCK chain and extension: sets c->pck (or NULL), c->pck_chain, c->pck_info. */
static void verify_pck(struct tdx_ctx *c)
{
	json_t *pj = json_object();
	struct err_msg why;
	X509 *leaf;
	int ret;

	json_object_set_new(c->claims, "pck", pj);
	if (certs_parse_cached(c->o->cache, c->q->pck_data, c->q->pck_len, &c->pck_certs)) {
		verdict_fail(c->v, "tdx.pck_chain",
			     "the certification data holds no PEM or DER certificates");
		return;
	}
	leaf = find_cn_part(c->pck_certs, "SGX PCK Certificate");
	if (!leaf) {
		verdict_fail(c->v, "tdx.pck_chain", "no \"SGX PCK Certificate\" in the chain");
		return;
	}
	json_object_set_new(pj, "certificate", cert_claims(leaf));
	ret = certs_verify_chain_cached(c->o->cache, leaf, c->pck_certs, c->t->anchors,
					c->o->at, &c->pck_chain, &why);
	if (ret) {
		verdict_fail(c->v, "tdx.pck_chain", "%s", why.msg);
	} else {
		json_object_set_new(pj, "chain", certs_claims(c->pck_chain));
		if (c->t->builtin)
			check_pck_names(c->pck_chain, c->v);
		check_quote_certs(c->pck_certs, c->pck_chain, c->v);
		verdict_pass(c->v, "tdx.pck_chain");	/* listed in order */
	}
	ret = tdx_pck_parse(leaf, &c->pck_info);
	if (ret) {
		verdict_fail(c->v, "tdx.pck_extension",
			     "the PCK certificate's SGX extension is %s",
			     ret == -ENOENT ? "missing" : "malformed");
	} else {
		json_object_set_new(pj, "sgx_extension", tdx_pck_claims(&c->pck_info));
		verdict_pass(c->v, "tdx.pck_extension");
		c->pck_ok = true;
		c->a.has_pcesvn = true;
		c->a.pcesvn = c->pck_info.pcesvn;
	}
	if (!sig_key_is_curve(X509_get0_pubkey(leaf), NID_X9_62_prime256v1)) {
		verdict_fail(c->v, "tdx.pck_chain", "the PCK key is not ECDSA P-256");
		return;
	}
	verdict_pass(c->v, "tdx.pck_chain");
	c->pck = leaf;
}

static int verify_signatures(const struct tdx_quote *q, X509 *pck_leaf,
			     struct verdict *v)
{
	uint8_t hash[SHA256_DIGEST_LENGTH];
	EVP_MD_CTX *md = NULL;
	EVP_PKEY *ak = NULL;
	int ret;

	if (sig_p256_key(q->att_key, &ak)) {
		verdict_fail(v, "tdx.quote_signature",
			     "the attestation key is not a P-256 point");
	} else {
		ret = sig_ecdsa_verify(ak, EVP_sha256(), q->signed_part, q->signed_len,
				       q->signature, q->signature + 32, 32, false);
		if (ret == -ENOMEM)
			goto nomem;
		if (ret)
			verdict_fail(v, "tdx.quote_signature",
				     "the quote signature does not verify with the attestation key");
		verdict_pass(v, "tdx.quote_signature");
	}
	if (pck_leaf) {
		ret = sig_ecdsa_verify(X509_get0_pubkey(pck_leaf), EVP_sha256(),
				       q->qe_report_raw, TDX_QE_REPORT_SIZE,
				       q->qe_report_sig, q->qe_report_sig + 32, 32,
				       false);
		if (ret == -ENOMEM)
			goto nomem;
		if (ret)
			verdict_fail(v, "tdx.qe_report_signature",
				     "the QE report signature does not verify with the PCK key");
		verdict_pass(v, "tdx.qe_report_signature");
	} else {
		verdict_skip(v, "tdx.qe_report_signature", "no usable PCK certificate");
	}
	/* REPORTDATA = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero bytes */
	md = EVP_MD_CTX_new();
	if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(md, q->att_key, 64) != 1 ||
	    EVP_DigestUpdate(md, q->qe_auth, q->qe_auth_len) != 1 ||
	    EVP_DigestFinal_ex(md, hash, NULL) != 1)
		goto nomem;
	if (memcmp(hash, q->qe_report.report_data, 32) ||
	    !bytes_all_zero(q->qe_report.report_data + 32, 32))
		verdict_fail(v, "tdx.qe_binding",
			     "QE REPORTDATA is not SHA-256(attestation key ‖ QE auth data)");
	verdict_pass(v, "tdx.qe_binding");
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(ak);
	return 0;
nomem:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(ak);
	ERR_clear_error();
	return -ENOMEM;
}

/*
 * Without a PCS QE identity, the QE report is compared with what cvmm
 * knows of Intel's TD quoting enclave; a debug QE is refused either way.
 * Only the QE identity tells Intel's QE from any enclave the PCK
 * certified, which could otherwise sign any TD body.
 */
static void check_qe(const struct tdx_ctx *c)
{
	const struct tdx_qe_report *r = &c->q->qe_report;
	char have[65], want[65];

	if (r->attributes[0] & SGX_ATTR_DEBUG)
		verdict_fail(c->v, "tdx.qe_identity",
			     "the quoting enclave is a debug enclave (ATTRIBUTES.DEBUG): its reports prove nothing");
	if (c->qe_evaluated)
		return;
	if (memcmp(r->mrsigner, intel_td_qe_mrsigner, 32)) {
		hex_encode(r->mrsigner, 32, have);
		hex_encode(intel_td_qe_mrsigner, 32, want);
		verdict_fail(c->v, "tdx.qe_identity",
			     "QE MRSIGNER is %s, Intel's TD quoting enclave's is %s (built-in identity, no QE identity given)",
			     have, want);
	}
	if (r->isvprodid != INTEL_TD_QE_ISVPRODID)
		verdict_fail(c->v, "tdx.qe_identity",
			     "QE ISVPRODID is %u, Intel's TD quoting enclave's is %u (built-in identity, no QE identity given)",
			     r->isvprodid, INTEL_TD_QE_ISVPRODID);
	verdict_passf(c->v, "tdx.qe_identity",
		      "Intel's TD quoting enclave by its built-in identity (MRSIGNER, ISVPRODID %u, not debug); its TCB level is unknown without collateral",
		      INTEL_TD_QE_ISVPRODID);
}

/*
 * Revocation of the PCK chain (and, counted in c->crls_applied, the TCB
 * Signing chain).  CRLs of other issuers are ignored; none applying at
 * all means revocation was not checked, which is a failure.
 */
static void check_crls(struct tdx_ctx *c)
{
	int n = c->o->crls ? sk_X509_CRL_num(c->o->crls) : 0;
	size_t applied = 0;
	struct err_msg why;

	if (!n) {
		verdict_skip(c->v, "tdx.crl", "no CRL given: revocation not checked");
		return;
	}
	if (!c->pck_chain) {
		verdict_skip(c->v, "tdx.crl", "the PCK chain did not verify");
		return;
	}
	if (certs_check_crls(c->pck_chain, c->o->crls, c->o->at, &applied, &why)) {
		verdict_fail(c->v, "tdx.crl", "%s", why.msg);
		return;
	}
	if (!applied && !c->crls_applied)
		verdict_fail(c->v, "tdx.crl",
			     "none of the %d CRLs given applies to the PCK or TCB Signing chain (%s): revocation not checked",
			     n, why.msg);
	else
		verdict_passf(c->v, "tdx.crl",
			      "%zu of %d CRLs apply to the PCK chain, %zu to the TCB Signing chain; nothing is revoked",
			      applied, n, c->crls_applied);
}

/* The TCB Signing key, verified to the anchors; NULL after a failure. */
static EVP_PKEY *tcb_signing_key(struct tdx_ctx *c, json_t *cj)
{
	const struct tdx_verify_opts *o = c->o;
	STACK_OF(X509) *chain = NULL;
	struct err_msg why;
	X509 *leaf;
	int ret;

	leaf = o->tcb_chain ? find_cn_part(o->tcb_chain, "TCB Signing") : NULL;
	if (!leaf) {
		verdict_fail(c->v, "tdx.tcb_chain",
			     "no Intel SGX TCB Signing certificate was given (--tcb-chain)");
		return NULL;
	}
	json_object_set_new(cj, "tcb_signing_certificate", cert_claims(leaf));
	ret = certs_verify_chain(leaf, o->tcb_chain, c->t->anchors, o->at, &chain,
				 &why);
	if (ret) {
		verdict_fail(c->v, "tdx.tcb_chain", "%s", why.msg);
		return NULL;
	}
	ret = o->crls ? certs_check_crls(chain, o->crls, o->at, &c->crls_applied, &why) : 0;
	sk_X509_pop_free(chain, X509_free);
	if (ret) {
		verdict_fail(c->v, "tdx.crl", "%s", why.msg);
		return NULL;
	}
	if (!sig_key_is_curve(X509_get0_pubkey(leaf), NID_X9_62_prime256v1)) {
		verdict_fail(c->v, "tdx.tcb_chain", "the TCB Signing key is not ECDSA P-256");
		return NULL;
	}
	verdict_pass(c->v, "tdx.tcb_chain");
	return X509_get0_pubkey(leaf);
}

static void check_window(const char *check, const char *what, int64_t issue,
			 int64_t next, int64_t at, struct verdict *v)
{
	if (at < issue)
		verdict_fail(v, check, "%s is not yet valid (issued after the verification time)",
			     what);
	else if (at > next)
		verdict_fail(v, check, "%s has expired (nextUpdate before the verification time)",
			     what);
}

/* Split, verify and parse one PCS document; false after a failure. */
static bool load_doc(const char *text, size_t len, const char *key,
		     const char *check, EVP_PKEY *signer, const char **body,
		     size_t *body_len, struct verdict *v)
{
	uint8_t sig[64];
	struct err_msg why;

	if (collateral_split(text, len, key, body, body_len, sig, &why)) {
		verdict_fail(v, check, "%s", why.msg);
		return false;
	}
	if (!signer) {
		verdict_skip(v, check, "no verified TCB Signing key");
		return false;
	}
	if (collateral_verify(*body, *body_len, sig, signer)) {
		verdict_fail(v, check, "the signature over \"%s\" does not verify", key);
		return false;
	}
	return true;
}

/* The platform's TCB status from the TCB info, or UNKNOWN. */
static enum tcb_status eval_tcb_info(struct tdx_ctx *c, EVP_PKEY *signer, json_t *cj)
{
	enum tcb_status status = TCB_STATUS_UNKNOWN;
	struct tdx_tcb_eval e;
	struct tcb_info ti;
	const char *body;
	size_t body_len;
	struct err_msg why;
	json_t *tj;

	if (!load_doc(c->o->tcb_info, c->o->tcb_info_len, "tcbInfo", "tdx.tcb_info",
		      signer, &body, &body_len, c->v))
		return status;
	if (tcb_info_parse(body, body_len, &ti, &why)) {
		verdict_fail(c->v, "tdx.tcb_info", "%s", why.msg);
		return status;
	}
	tj = tcb_info_claims(&ti);
	check_window("tdx.tcb_info", "the TCB info", ti.issue_date, ti.next_update,
		     c->o->at, c->v);
	if (c->pck_ok) {
		tdx_tcb_evaluate(&ti, &c->pck_info, &c->q->body, &e, c->v);
		json_object_set_new(tj, "evaluation", tdx_tcb_eval_claims(&ti, &e));
		status = e.status;
	}
	verdict_pass(c->v, "tdx.tcb_info");
	json_object_set_new(cj, "tcb_info", tj);
	tcb_info_free(&ti);
	return status;
}

/* The QE's TCB status from the QE identity, or UNKNOWN. */
static enum tcb_status eval_qe_identity(struct tdx_ctx *c, EVP_PKEY *signer, json_t *cj)
{
	enum tcb_status qs;
	struct qe_identity qi;
	const char *body;
	size_t body_len, level = 0;
	struct err_msg why;
	json_t *qj;

	if (!load_doc(c->o->qe_identity, c->o->qe_identity_len, "enclaveIdentity",
		      "tdx.qe_identity", signer, &body, &body_len, c->v))
		return TCB_STATUS_UNKNOWN;
	if (qe_identity_parse(body, body_len, &qi, &why)) {
		verdict_fail(c->v, "tdx.qe_identity", "%s", why.msg);
		return TCB_STATUS_UNKNOWN;
	}
	c->qe_evaluated = true;
	qj = qe_identity_claims(&qi);
	check_window("tdx.qe_identity", "the QE identity", qi.issue_date, qi.next_update,
		     c->o->at, c->v);
	qs = tdx_qe_identity_evaluate(&qi, &c->q->qe_report, &level, c->v);
	claims_set_str(qj, "status", tcb_status_name(qs));
	if (qs != TCB_STATUS_UNKNOWN) {
		claims_set_int(qj, "level", (int64_t)level);
		claims_set_time(qj, "tcb_date", qi.levels[level].date);
		if (qi.levels[level].advisories)
			json_object_set(qj, "advisory_ids", qi.levels[level].advisories);
	}
	json_object_set_new(cj, "qe_identity", qj);
	qe_identity_free(&qi);
	return qs;
}

/* TCB info and QE identity: both, or neither. */
static void verify_collateral(struct tdx_ctx *c, const struct policy *pol)
{
	bool ti = c->o->tcb_info != NULL, qi = c->o->qe_identity != NULL;
	enum tcb_status platform, qe;
	EVP_PKEY *signer;
	json_t *cj;

	if (ti != qi) {
		verdict_fail(c->v, "tdx.collateral",
			     "only the %s was given: the TCB status needs both the TCB info (platform and TDX module) and the QE identity (quoting enclave)",
			     ti ? "TCB info" : "QE identity");
		skip_collateral(c->v, "partial collateral is not evaluated");
		return;
	}
	if (!ti) {
		skip_collateral(c->v, "no collateral given");
		if (!tdx_collateral_required(pol, c->o->no_collateral))
			verdict_warn(c->v,
				     "no collateral: the TCB status of the platform, the TDX module and the quoting enclave is unknown, and the quoting enclave was only compared with Intel's built-in TD QE identity");
		return;
	}
	verdict_pass(c->v, "tdx.collateral");
	c->a.collateral = true;
	cj = json_object();
	json_object_set_new(c->claims, "collateral", cj);
	signer = tcb_signing_key(c, cj);
	platform = eval_tcb_info(c, signer, cj);
	qe = eval_qe_identity(c, signer, cj);
	c->a.status = tcb_status_converge(platform, qe);
	if (c->a.status == TCB_REVOKED)
		verdict_fail(c->v, "tdx.tcb_status", "the TCB is revoked");
	else if (c->a.status == TCB_STATUS_UNKNOWN)
		verdict_skip(c->v, "tdx.tcb_status", "the collateral did not evaluate");
	else
		verdict_passf(c->v, "tdx.tcb_status", "%s", tcb_status_name(c->a.status));
	claims_set_str(c->claims, "tcb_status", tcb_status_name(c->a.status));
}

/* tdx.quote failed to decode. */
static void quote_parse_failed(const uint8_t *quote, size_t len, const char *why,
			       struct verdict *v)
{
	verdict_fail(v, "tdx.quote", "%s%s", why,
		     quote && bytes_look_like_hex_text(quote, len) ?
		     "; this looks like hex text: convert it with xxd -r -p" : "");
	skip_rest(v, "the quote did not decode");
}

int tdx_quote_verify(const uint8_t *quote, size_t len, const struct tdx_trust *t,
	       const struct tdx_verify_opts *o, json_t *claims,
	       struct verdict *v, struct tdx_quote *parsed)
{
	struct tdx_ctx c = { .t = t, .o = o, .claims = claims, .v = v };
	struct policy defpol;
	const struct policy *pol = o->policy;
	struct tdx_quote q;
	struct err_msg why;
	int ret;

	if (!pol) {
		policy_default(&defpol);
		pol = &defpol;
	}
	claims_set_str(claims, "type", "tdx");
	claims_set_time(claims, "verification_time", o->at);
	if (tdx_quote_parse(quote, len, &q, &why)) {
		quote_parse_failed(quote, len, why.msg, v);
		return 0;
	}
	verdict_passf(v, "tdx.quote", "version %u, body type %u", q.version, q.body_type);
	c.q = &q;
	c.a.status = TCB_STATUS_UNKNOWN;
	c.a.no_collateral = o->no_collateral;
	if (parsed)
		*parsed = q;
	json_object_set_new(claims, "quote", tdx_quote_claims(&q));
	if (memcmp(q.qe_vendor_id, tdx_intel_qe_vendor_id, 16)) {
		char have[33], want[33];

		hex_encode(q.qe_vendor_id, 16, have);
		hex_encode(tdx_intel_qe_vendor_id, 16, want);
		verdict_fail(v, "tdx.qe_vendor_id", "the QE vendor is %s, Intel's is %s", have,
			     want);
	}
	verdict_pass(v, "tdx.qe_vendor_id");
	verify_pck(&c);
	ret = verify_signatures(&q, c.pck, v);
	if (ret)
		goto out;
	verify_collateral(&c, pol);
	check_qe(&c);
	check_crls(&c);
	skip_rest(v, "not reached after an earlier failure");
	tdx_policy_check(pol, &q, &c.a, v);
out:
	sk_X509_pop_free(c.pck_chain, X509_free);
	sk_X509_pop_free(c.pck_certs, X509_free);
	ERR_clear_error();
	return ret;
}
