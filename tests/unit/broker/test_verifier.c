// SPDX-License-Identifier: GPL-2.0-only
/*
 * The attest-time verifier on real evidence: Trustee's SEV-SNP
 * e2e-evidence.json and its TDX quote 4 verify through the broker's path
 * (vendor roots, no test roots) and fail only the session binding (their
 * REPORT_DATA was made for another nonce); the resource policy is then
 * applied to the verified evidence (the TDX quote is a debug TD and has no
 * collateral: the broker's defaults deny it twice).  Malformed messages are
 * -EINVAL, a foreign nonce -EPERM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "broker/rpolicy.h"
#include "broker/verifier.h"
#include "jose/b64url.h"
#include "jose/jwk.h"
#include "util/err.h"
#include "util/file.h"

#define NOW	1767225600	/* 2026-01-01 */

static struct verifier vf;

static json_t *tee_jwk(void)
{
	EVP_PKEY *k = jwk_generate("P-256");
	json_t *j = jwk_from_pkey(k, "ECDH-ES+A256KW");

	EVP_PKEY_free(k);
	return j;
}

static json_t *message(json_t *primary)
{
	return json_pack("{s:{s:s,s:o},s:{s:o,s:s}}", "runtime-data", "nonce", "bm9uY2U=",
			 "tee-pubkey", tee_jwk(), "tee-evidence", "primary_evidence", primary,
			 "additional_evidence", "");
}

static char *data_path(const char *rel)
{
	static char p[4096];

	snprintf(p, sizeof(p), "%s/attest/%s", getenv("CVMM_TEST_DATA"), rel);
	return p;
}

/* Run the verifier; expect -EACCES with exactly the checks in @want. */
static struct attestation *attest(enum tee_type tee, json_t *msg, const char *const *want)
{
	struct attestation *a = NULL;
	struct verdict v;
	json_t *rd = NULL;
	struct err_msg why = { "" };
	size_t i;

	verdict_init(&v);
	assert_int_equal(verifier_attest(&vf, tee, "bm9uY2U=", msg, NOW, &a, &rd, &v, &why), -EACCES);
	for (i = 0; want[i]; i++)
		assert_true(verdict_has(&v, want[i]));
	if (v.nfailed != i)
		fail_msg("failed: %s", json_dumps(v.failed, 0));
	assert_non_null(a);
	assert_int_equal(strlen(a->evidence_digest), 96);
	assert_false(a->test_evidence);
	verdict_free(&v);
	json_decref(rd);
	return a;
}

static void test_snp_real(void **state)
{
	static const char *const want[] = { "broker.report_data", NULL };
	json_t *ev = json_load_file(data_path("trustee/snp/e2e-evidence.json"), 0, NULL);
	json_t *msg = message(ev);
	struct attestation *a = attest(TEE_SNP, msg, want);
	struct policy p;
	struct verdict v;
	struct err_msg why;
	struct store *st;

	assert_string_equal(json_string_value(json_object_get(a->claims, "product")), "Genoa");
	/* the resource policy on the verified report: defaults hold, a measurement does not */
	assert_int_equal(store_open("sqlite::memory:", &st, &why), 0);
	assert_int_equal(rpolicy_compile(st, "{}", &p, &why), 0);
	verdict_init(&v);
	assert_int_equal(rpolicy_appraise(&p, a, &v), 0);
	assert_true(verdict_ok(&v));
	policy_free(&p);
	assert_int_equal(rpolicy_compile(st, "{\"snp\":{\"measurement\":\""
		"000000000000000000000000000000000000000000000000"
		"000000000000000000000000000000000000000000000000\"}}", &p, &why), 0);
	assert_int_equal(rpolicy_appraise(&p, a, &v), 0);
	assert_true(verdict_has(&v, "policy.measurement"));
	verdict_free(&v);
	policy_free(&p);
	store_close(st);
	attestation_put(a);
	json_decref(msg);
}

static void test_tdx_real(void **state)
{
	static const char *const want[] = { "broker.report_data", NULL };
	struct attestation *a;
	struct policy p;
	struct verdict v;
	struct store *st;
	uint8_t *q;
	size_t len;
	struct err_msg why;
	char *b64;
	json_t *msg;

	assert_int_equal(file_read(data_path("trustee/tdx_quote_4.dat"), 1 << 20, &q, &len), 0);
	b64 = b64_encode(q, len);
	msg = message(json_pack("{s:s,s:n}", "quote", b64, "cc_eventlog"));
	a = attest(TEE_TDX, msg, want);
	assert_int_equal(strlen(a->measurement), 96);
	assert_int_equal(store_open("sqlite::memory:", &st, &why), 0);
	assert_int_equal(rpolicy_compile(st, "{}", &p, &why), 0);
	verdict_init(&v);
	assert_int_equal(rpolicy_appraise(&p, a, &v), 0);
	assert_true(verdict_has(&v, "policy.debug"));
	assert_true(verdict_has(&v, "policy.collateral"));
	verdict_free(&v);
	policy_free(&p);
	store_close(st);
	attestation_put(a);
	json_decref(msg);
	free(b64);
	free(q);
}

static void test_message_errors(void **state)
{
	struct attestation *a;
	struct verdict v;
	json_t *rd, *msg;
	struct err_msg why;

	verdict_init(&v);
	msg = json_pack("{s:{}}", "runtime-data");
	assert_int_equal(verifier_attest(&vf, TEE_SNP, "n", msg, NOW, &a, &rd, &v, &why), -EINVAL);
	json_decref(msg);
	msg = message(json_object());
	assert_int_equal(verifier_attest(&vf, TEE_SNP, "other", msg, NOW, &a, &rd, &v, &why), -EPERM);
	json_object_set_new(json_object_get(msg, "tee-evidence"), "additional_evidence",
			    json_string("{\"tdx\":{}}"));
	assert_int_equal(verifier_attest(&vf, TEE_SNP, "bm9uY2U=", msg, NOW, &a, &rd, &v, &why), -EINVAL);
	json_object_set_new(json_object_get(msg, "tee-evidence"), "additional_evidence",
			    json_string(""));
	json_object_set_new(msg, "init-data", json_pack("{s:s,s:s}", "format", "json",
							"body", "{}"));
	assert_int_equal(verifier_attest(&vf, TEE_SNP, "bm9uY2U=", msg, NOW, &a, &rd, &v, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "toml"));
	json_decref(msg);
	verdict_free(&v);
}

static int setup(void **state)
{
	struct err_msg why;

	return verifier_init(&vf, NULL, NULL, NULL, false, &why);
}

static int teardown(void **state)
{
	verifier_free(&vf);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_real),
		cmocka_unit_test(test_tdx_real),
		cmocka_unit_test(test_message_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
