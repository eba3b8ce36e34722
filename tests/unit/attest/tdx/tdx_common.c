// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attest/certs.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "helpers.h"
#include "tdx_common.h"
#include "util/err.h"

struct verdict tdx_run(const struct tdx_run *r, json_t **claims)
{
	struct tdx_verify_opts o = { 0 };
	STACK_OF(X509) *ca = NULL;
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct tdx_trust t;
	struct verdict v;
	uint8_t *q = NULL, *ti = NULL, *qi = NULL;
	size_t len, n;
	json_t *c = json_object();
	int i;

	if (r->ca)
		ca = td_certs(r->ca);
	assert_int_equal(tdx_trust_init(&t, r->ca_sk ? r->ca_sk : ca), 0);
	if (r->quote) {
		q = td_read(r->quote, &len);
	} else {
		len = r->len;
	}
	if (r->tcb_info) {
		ti = td_read(r->tcb_info, &n);
		o.tcb_info = (const char *)ti;
		o.tcb_info_len = n;
	}
	if (r->qe_identity) {
		qi = td_read(r->qe_identity, &n);
		o.qe_identity = (const char *)qi;
		o.qe_identity_len = n;
	}
	if (r->tcb_info_text) {
		o.tcb_info = r->tcb_info_text;
		o.tcb_info_len = strlen(r->tcb_info_text);
	}
	if (r->qe_identity_text) {
		o.qe_identity = r->qe_identity_text;
		o.qe_identity_len = strlen(r->qe_identity_text);
	}
	if (r->tcb_chain)
		o.tcb_chain = td_certs(r->tcb_chain);
	else if (r->tcb_chain_sk)
		o.tcb_chain = X509_chain_up_ref(r->tcb_chain_sk);
	if (r->crl_sk)
		crls_append(crls, r->crl_sk);
	o.no_collateral = r->no_collateral;
	for (i = 0; i < 4 && r->crl[i]; i++) {
		STACK_OF(X509_CRL) *sk = td_crls(r->crl[i]);

		crls_append(crls, sk);
		sk_X509_CRL_pop_free(sk, X509_CRL_free);
	}
	o.crls = crls;
	o.at = t_at(r->at);
	o.policy = r->policy;
	verdict_init(&v);
	assert_int_equal(tdx_quote_verify(q ? q : r->buf, len, &t, &o, c, &v, NULL), 0);
	tdx_trust_free(&t);
	sk_X509_pop_free(ca, X509_free);
	sk_X509_pop_free(o.tcb_chain, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	free(q);
	free(ti);
	free(qi);
	if (claims)
		*claims = c;
	else
		json_decref(c);
	return v;
}

const struct quote_file quotes[6] = {
	{ SPR, 4, 2, 39, "2023-07-01T00:00:00Z" },
	{ V5, 5, 3, 0, "2026-02-03T00:00:00Z" },
	{ Q4, 4, 2, 0, "2025-01-01T00:00:00Z" },
	{ Q5, 5, 3, 0, "2025-01-01T00:00:00Z" },
	{ Q6, 4, 2, 70, "2025-11-01T00:00:00Z" },
	{ COS, 4, 2, 3065, "2025-01-01T00:00:00Z" },
};

void tdx_parse_ok(const uint8_t *b, size_t len, struct tdx_quote *q)
{
	struct err_msg why;
	int ret = tdx_quote_parse(b, len, q, &why);

	if (ret)
		fprintf(stderr, "parse: %s\n", why.msg);
	assert_int_equal(ret, 0);
}

void load_quote(const char *file, struct parsed *p)
{
	STACK_OF(X509) *sk = NULL;
	size_t len;
	struct err_msg why;

	p->buf = td_read(file, &len);
	assert_int_equal(tdx_quote_parse(p->buf, len, &p->q, &why), 0);
	assert_int_equal(certs_parse(p->q.pck_data, p->q.pck_len, &sk), 0);
	assert_int_equal(tdx_pck_parse(sk_X509_value(sk, 0), &p->pck), 0);
	sk_X509_pop_free(sk, X509_free);
}

EVP_PKEY *signer_of(const char *chain)
{
	STACK_OF(X509) *sk = td_certs(chain);
	EVP_PKEY *k = NULL;
	char cn[128];
	int i;

	for (i = 0; i < sk_X509_num(sk); i++) {
		cert_cn(sk_X509_value(sk, i), cn, sizeof(cn));
		if (strstr(cn, "TCB Signing"))
			k = X509_get_pubkey(sk_X509_value(sk, i));
	}
	assert_non_null(k);

	sk_X509_pop_free(sk, X509_free);
	return k;
}

/* Split + verify a PCS document's signature (time is not involved). */
int doc_verify(const char *file, const char *key, const char *chain,
		      char **text, const char **body, size_t *blen)
{
	EVP_PKEY *k = signer_of(chain);
	uint8_t sig[64];
	struct err_msg why;
	size_t len;
	int ret;

	*text = (char *)td_read(file, &len);
	ret = collateral_split(*text, len, key, body, blen, sig, &why);
	if (!ret)
		ret = collateral_verify(*body, *blen, sig, k);
	EVP_PKEY_free(k);
	return ret;
}

void parse_ti(const char *file, struct tcb_info *ti)
{
	const char *body;
	size_t blen;
	struct err_msg why;
	char *t;
	int ret;

	assert_int_equal(doc_verify(file, "tcbInfo",
				    strstr(file, "qvl") ? "intel-qvl/tcbSignChain.pem" : GCHAIN,
				    &t, &body, &blen), 0);
	ret = tcb_info_parse(body, blen, ti, &why);
	if (ret)
		fprintf(stderr, "%s: %s\n", file, why.msg);
	assert_int_equal(ret, 0);
	free(t);
}

void parse_qi(const char *file, struct qe_identity *qi)
{
	const char *body;
	size_t blen;
	struct err_msg why;
	char *t;

	assert_int_equal(doc_verify(file, "enclaveIdentity",
				    strstr(file, "qvl") ? "intel-qvl/tcbSignChain.pem" : GCHAIN,
				    &t, &body, &blen), 0);
	assert_int_equal(qe_identity_parse(body, blen, qi, &why), 0);
	free(t);
}
