// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attest/certs.h"
#include "helpers.h"
#include "tdx_common.h"

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

void expect_ok(struct verdict *v)
{
	if (!verdict_ok(v)) {
		char *s = json_dumps(v->failed, 0);

		fprintf(stderr, "unexpected failures: %s\n", s);
		free(s);
	}
	assert_true(verdict_ok(v));
	verdict_free(v);
}

void expect_only(struct verdict *v, const char *const *list)
{
	size_t i, n;

	for (i = 0; list[i]; i++) {
		if (!verdict_has(v, list[i])) {
			char *s = json_dumps(v->failed, 0);

			fprintf(stderr, "expected %s to fail; failures: %s\n", list[i], s);
			free(s);
		}
		assert_true(verdict_has(v, list[i]));
	}
	for (i = 0; i < json_array_size(v->failed); i++) {
		json_t *f = json_array_get(v->failed, i);
		const char *c = json_string_value(json_object_get(f, "check"));
		bool listed = false;

		for (n = 0; list[n]; n++)
			listed |= !strcmp(list[n], c);
		if (!listed)
			fprintf(stderr, "unexpected failure %s: %s\n", c,
				json_string_value(json_object_get(f, "detail")));
		assert_true(listed);
	}
	verdict_free(v);
}

json_t *jget(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(tok))
				     : json_object_get(o, tok);
	return o;
}
