// SPDX-License-Identifier: GPL-2.0-only
/* Shared by the SEV-SNP test programs (snp_common.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "attest/snp/report.h"
#include "attest/snp/verify.h"
#include "helpers.h"
#include "snp_common.h"

uint8_t *milan_report(size_t *len)
{
	uint8_t *r = td_read_hex("sev/report_milan.hex", len);

	assert_int_equal(*len, SNP_REPORT_SIZE);
	return r;
}

X509 *one_cert(const char *rel)
{
	STACK_OF(X509) *sk = td_certs(rel);
	X509 *c = sk_X509_value(sk, 0);

	X509_up_ref(c);
	sk_X509_pop_free(sk, X509_free);
	return c;
}

struct verdict snp_verify_run(const uint8_t *rep, size_t len, STACK_OF(X509) *certs,
			      STACK_OF(X509) *ca, STACK_OF(X509_CRL) *crls,
			      const char *at, const struct policy *pol, json_t **claims)
{
	struct snp_verify_opts o = { 0 };
	struct snp_trust t;
	struct verdict v;
	json_t *c = json_object();

	assert_int_equal(snp_trust_init(&t, ca), 0);
	verdict_init(&v);
	o.certs = certs;
	o.crls = crls;
	o.at = t_at(at);
	o.policy = pol;
	assert_int_equal(snp_report_verify(rep, len, &t, &o, c, &v), 0);
	snp_trust_free(&t);
	if (claims)
		*claims = c;
	else
		json_decref(c);
	return v;
}

struct verdict snp_verify_file(const char *report, const char *vek, const char *at,
			       const struct policy *pol, json_t **claims)
{
	STACK_OF(X509) *certs = td_certs(vek);
	size_t len;
	uint8_t *r = td_read(report, &len);
	struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, at, pol, claims);

	sk_X509_pop_free(certs, X509_free);
	free(r);
	return v;
}

const char *jstr(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	assert_non_null(o);
	return json_string_value(o);
}

json_int_t jint(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	assert_true(json_is_integer(o));
	return json_integer_value(o);
}
