// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "attest/bytes.h"
#include "attest/claims.h"
#include "attest/intel_root.h"
#include "attest/sig.h"
#include "attest/tdx_collateral.h"
#include "attest/tdx_pck.h"
#include "attest/tdx_policy.h"
#include "attest/tdx_tcb.h"
#include "attest/tdx_verify.h"

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

/*
 * PCK chain and extension.  Returns the verified PCK leaf (borrowed from
 * @pck_certs) or NULL.
 */
static X509 *verify_pck(const struct tdx_quote *q, const struct tdx_trust *t,
			const struct tdx_verify_opts *o, STACK_OF(X509) **pck_certs,
			struct tdx_pck_info *pck, bool *pck_ok, json_t *claims,
			struct verdict *v)
{
	STACK_OF(X509) *chain = NULL;
	json_t *pj = json_object();
	X509 *leaf;
	char why[256];
	int ret;

	*pck_ok = false;
	json_object_set_new(claims, "pck", pj);
	if (certs_parse_cached(o->cache, q->pck_data, q->pck_len, pck_certs)) {
		verdict_fail(v, "tdx.pck_chain",
			     "the certification data holds no PEM or DER certificates");
		return NULL;
	}
	leaf = find_cn_part(*pck_certs, "SGX PCK Certificate");
	if (!leaf) {
		verdict_fail(v, "tdx.pck_chain", "no \"SGX PCK Certificate\" in the chain");
		return NULL;
	}
	json_object_set_new(pj, "certificate", cert_claims(leaf));
	ret = certs_verify_chain_cached(o->cache, leaf, *pck_certs, t->anchors, o->at,
					&chain, why, sizeof(why));
	if (ret) {
		verdict_fail(v, "tdx.pck_chain", "%s", why);
	} else {
		json_object_set_new(pj, "chain", certs_claims(chain));
		if (t->builtin)
			check_pck_names(chain, v);
		check_quote_certs(*pck_certs, chain, v);
		if (o->crls && certs_check_crls(chain, o->crls, o->at, true, why,
						sizeof(why)))
			verdict_fail(v, "tdx.crl", "%s", why);
	}
	sk_X509_pop_free(chain, X509_free);
	ret = tdx_pck_parse(leaf, pck);
	if (ret) {
		verdict_fail(v, "tdx.pck_extension",
			     "the PCK certificate's SGX extension is %s",
			     ret == -ENOENT ? "missing" : "malformed");
	} else {
		json_object_set_new(pj, "sgx_extension", tdx_pck_claims(pck));
		*pck_ok = true;
	}
	if (!sig_key_is_curve(X509_get0_pubkey(leaf), NID_X9_62_prime256v1)) {
		verdict_fail(v, "tdx.pck_chain", "the PCK key is not ECDSA P-256");
		return NULL;
	}
	return leaf;
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
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(ak);
	return 0;
nomem:
	EVP_MD_CTX_free(md);
	EVP_PKEY_free(ak);
	ERR_clear_error();
	return -ENOMEM;
}

/* The TCB Signing key, verified to the anchors; NULL after a failure. */
static EVP_PKEY *tcb_signing_key(const struct tdx_trust *t,
				 const struct tdx_verify_opts *o, json_t *cj,
				 struct verdict *v)
{
	STACK_OF(X509) *chain = NULL;
	char why[256];
	X509 *leaf;
	int ret;

	leaf = o->tcb_chain ? find_cn_part(o->tcb_chain, "TCB Signing") : NULL;
	if (!leaf) {
		verdict_fail(v, "tdx.tcb_chain",
			     "no Intel SGX TCB Signing certificate was given (--tcb-chain)");
		return NULL;
	}
	json_object_set_new(cj, "tcb_signing_certificate", cert_claims(leaf));
	ret = certs_verify_chain(leaf, o->tcb_chain, t->anchors, o->at, &chain,
				 why, sizeof(why));
	if (ret) {
		verdict_fail(v, "tdx.tcb_chain", "%s", why);
		return NULL;
	}
	if (o->crls && certs_check_crls(chain, o->crls, o->at, false, why, sizeof(why))) {
		verdict_fail(v, "tdx.crl", "%s", why);
		sk_X509_pop_free(chain, X509_free);
		return NULL;
	}
	sk_X509_pop_free(chain, X509_free);
	if (!sig_key_is_curve(X509_get0_pubkey(leaf), NID_X9_62_prime256v1)) {
		verdict_fail(v, "tdx.tcb_chain", "the TCB Signing key is not ECDSA P-256");
		return NULL;
	}
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
	char why[256];

	if (collateral_split(text, len, key, body, body_len, sig, why, sizeof(why))) {
		verdict_fail(v, check, "%s", why);
		return false;
	}
	if (signer && collateral_verify(*body, *body_len, sig, signer)) {
		verdict_fail(v, check, "the signature over \"%s\" does not verify", key);
		return false;
	}
	return signer != NULL;
}

static void verify_collateral(const struct tdx_quote *q, const struct tdx_trust *t,
			      const struct tdx_verify_opts *o,
			      const struct tdx_pck_info *pck, bool pck_ok,
			      json_t *claims, struct verdict *v,
			      enum tcb_status *status, bool *have_tcb, bool *have_qe)
{
	json_t *cj = json_object();
	EVP_PKEY *signer;
	const char *body;
	size_t body_len;
	char why[256];

	*status = TCB_STATUS_UNKNOWN;
	json_object_set_new(claims, "collateral", cj);
	signer = tcb_signing_key(t, o, cj, v);
	if (o->tcb_info) {
		struct tcb_info ti;

		*have_tcb = true;
		if (load_doc(o->tcb_info, o->tcb_info_len, "tcbInfo", "tdx.tcb_info",
			     signer, &body, &body_len, v)) {
			if (tcb_info_parse(body, body_len, &ti, why, sizeof(why))) {
				verdict_fail(v, "tdx.tcb_info", "%s", why);
			} else {
				struct tdx_tcb_eval e;
				json_t *tj = tcb_info_claims(&ti);

				check_window("tdx.tcb_info", "the TCB info", ti.issue_date,
					     ti.next_update, o->at, v);
				if (pck_ok) {
					tdx_tcb_evaluate(&ti, pck, &q->body, &e, v);
					json_object_set_new(tj, "evaluation",
							    tdx_tcb_eval_claims(&ti, &e));
					*status = e.status;
				}
				json_object_set_new(cj, "tcb_info", tj);
				tcb_info_free(&ti);
			}
		}
	}
	if (o->qe_identity) {
		struct qe_identity qi;

		*have_qe = true;
		if (load_doc(o->qe_identity, o->qe_identity_len, "enclaveIdentity",
			     "tdx.qe_identity", signer, &body, &body_len, v)) {
			if (qe_identity_parse(body, body_len, &qi, why, sizeof(why))) {
				verdict_fail(v, "tdx.qe_identity", "%s", why);
				*status = TCB_STATUS_UNKNOWN;
			} else {
				json_t *qj = qe_identity_claims(&qi);
				enum tcb_status qs;
				size_t level = 0;

				check_window("tdx.qe_identity", "the QE identity",
					     qi.issue_date, qi.next_update, o->at, v);
				qs = tdx_qe_identity_evaluate(&qi, &q->qe_report, &level, v);
				claims_set_str(qj, "status", tcb_status_name(qs));
				if (qs != TCB_STATUS_UNKNOWN) {
					claims_set_int(qj, "level", (int64_t)level);
					claims_set_time(qj, "tcb_date", qi.levels[level].date);
					if (qi.levels[level].advisories)
						json_object_set(qj, "advisory_ids",
								qi.levels[level].advisories);
				}
				json_object_set_new(cj, "qe_identity", qj);
				*status = tcb_status_converge(*status, qs);
				qe_identity_free(&qi);
			}
		} else {
			*status = TCB_STATUS_UNKNOWN;
		}
	}
	if (*status == TCB_REVOKED)
		verdict_fail(v, "tdx.tcb_status", "the TCB is revoked");
	claims_set_str(claims, "tcb_status", tcb_status_name(*status));
}

int tdx_quote_verify(const uint8_t *quote, size_t len, const struct tdx_trust *t,
	       const struct tdx_verify_opts *o, json_t *claims,
	       struct verdict *v, struct tdx_quote *parsed)
{
	STACK_OF(X509) *pck_certs = NULL;
	struct tdx_pck_info pck;
	struct policy defpol;
	const struct policy *pol = o->policy;
	enum tcb_status status = TCB_STATUS_UNKNOWN;
	bool pck_ok = false, have_tcb = false, have_qe = false;
	struct tdx_quote q;
	X509 *leaf;
	char why[256];
	int ret;

	if (!pol) {
		policy_default(&defpol);
		pol = &defpol;
	}
	claims_set_str(claims, "type", "tdx");
	claims_set_time(claims, "verification_time", o->at);
	if (tdx_quote_parse(quote, len, &q, why, sizeof(why))) {
		verdict_fail(v, "tdx.quote", "%s", why);
		return 0;
	}
	if (parsed)
		*parsed = q;
	json_object_set_new(claims, "quote", tdx_quote_claims(&q));
	if (memcmp(q.qe_vendor_id, tdx_intel_qe_vendor_id, 16))
		verdict_fail(v, "tdx.qe_vendor_id", "the QE vendor is not Intel");
	leaf = verify_pck(&q, t, o, &pck_certs, &pck, &pck_ok, claims, v);
	ret = verify_signatures(&q, leaf, v);
	if (ret)
		goto out;
	if (o->tcb_info || o->qe_identity)
		verify_collateral(&q, t, o, &pck, pck_ok, claims, v, &status,
				  &have_tcb, &have_qe);
	tdx_policy_check(pol, &q, have_tcb, have_qe, status, v);
out:
	sk_X509_pop_free(pck_certs, X509_free);
	ERR_clear_error();
	return ret;
}
