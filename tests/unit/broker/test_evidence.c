// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP evidence forms: Trustee's real e2e-evidence.json re-encodes to a
 * 1184-byte report whose signature verifies under its VCEK (chained to
 * the built-in Genoa roots); the serde encoder is the decoder's inverse;
 * the raw base64 form; malformed members are refused with their name.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attest/snp/verify.h"
#include "broker/evidence_snp.h"
#include "jose/b64url.h"
#include "util/err.h"
#include "util/file.h"

#define AT_2026	1767225600	/* 2026-01-01 */

static json_t *load_evidence(void)
{
	char path[4096];
	json_t *j;

	snprintf(path, sizeof(path), "%s/attest/trustee/snp/e2e-evidence.json",
		 getenv("CVMM_TEST_DATA"));
	j = json_load_file(path, 0, NULL);
	assert_non_null(j);
	return j;
}

static void test_trustee_roundtrip_verifies(void **state)
{
	struct snp_verify_opts o = { 0 };
	struct snp_evidence ev;
	struct snp_trust t;
	struct verdict v;
	json_t *j = load_evidence(), *claims = json_object(), *serde;
	struct err_msg why;

	assert_int_equal(snp_evidence_parse(j, &ev, &why), 0);
	assert_int_equal(sk_X509_num(ev.certs), 1);
	assert_int_equal(ev.report[0], 3);			/* version 3 */
	assert_int_equal(ev.report[0x188], 25);			/* CPUID family */
	assert_int_equal(ev.report[0x189], 160);		/* Genoa model */
	assert_int_equal(snp_trust_init(&t, NULL), 0);
	o.certs = ev.certs;
	o.at = AT_2026;
	verdict_init(&v);
	assert_int_equal(snp_report_verify(ev.report, SNP_REPORT_SIZE, &t, &o, claims, &v), 0);
	if (!verdict_ok(&v))
		fail_msg("%s", json_dumps(v.failed, 0));
	/* one byte of a reserved area set: the signature no longer verifies */
	verdict_free(&v);
	verdict_init(&v);
	ev.report[0x1A0 - 1] ^= 1;
	json_decref(claims);
	claims = json_object();
	assert_int_equal(snp_report_verify(ev.report, SNP_REPORT_SIZE, &t, &o, claims, &v), 0);
	assert_true(verdict_has(&v, "snp.signature"));
	ev.report[0x1A0 - 1] ^= 1;
	/* the encoder is the inverse of the decoder */
	serde = snp_report_to_serde(ev.report);
	assert_non_null(serde);
	assert_true(json_equal(serde, json_object_get(j, "attestation_report")));
	verdict_free(&v);
	snp_trust_free(&t);
	snp_evidence_free(&ev);
	json_decref(serde);
	json_decref(claims);
	json_decref(j);
}

static void test_raw_form(void **state)
{
	json_t *j = load_evidence(), *raw;
	struct snp_evidence ev, ev2;
	struct err_msg why;
	char *b64;

	assert_int_equal(snp_evidence_parse(j, &ev, &why), 0);
	b64 = b64_encode(ev.report, SNP_REPORT_SIZE);
	raw = json_pack("{s:s}", "report", b64);
	assert_int_equal(snp_evidence_parse(raw, &ev2, &why), 0);
	assert_memory_equal(ev.report, ev2.report, SNP_REPORT_SIZE);
	assert_int_equal(sk_X509_num(ev2.certs), 0);
	snp_evidence_free(&ev2);
	json_object_set_new(raw, "report", json_string("AAAA"));
	assert_int_equal(snp_evidence_parse(raw, &ev2, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "1184"));
	json_object_set_new(raw, "report", json_string(b64));
	json_object_set_new(raw, "cert_table", json_string("AAAA"));
	assert_int_equal(snp_evidence_parse(raw, &ev2, &why), -EINVAL);
	free(b64);
	snp_evidence_free(&ev);
	json_decref(raw);
	json_decref(j);
}

/* Change one member of the report and expect a refusal naming it. */
static void expect_refused(const char *key, json_t *val, const char *needle)
{
	json_t *j = load_evidence();
	json_t *ar = json_object_get(j, "attestation_report");
	struct snp_evidence ev;
	struct err_msg why = { "" };

	if (val)
		json_object_set_new(ar, key, val);
	else
		json_object_del(ar, key);
	assert_int_equal(snp_evidence_parse(j, &ev, &why), -EINVAL);
	if (!strstr(why.msg, needle))
		fail_msg("'%s' does not mention '%s'", why.msg, needle);
	json_decref(j);
}

static void test_malformed(void **state)
{
	expect_refused("measurement", NULL, "measurement");
	expect_refused("measurement", json_pack("[i,i]", 1, 2), "measurement");
	expect_refused("vmpl", json_integer(-1), "vmpl");
	expect_refused("vmpl", json_string("0"), "vmpl");
	expect_refused("guest_svn", json_integer(1LL << 32), "guest_svn");
	expect_refused("reported_tcb", json_pack("{s:i}", "bootloader", 1), "reported_tcb");
	expect_refused("current", json_pack("{s:i}", "major", 1), "current");
	expect_refused("signature", json_pack("{s:[]}", "r"), "signature");
	expect_refused("cpuid_fam_id", json_null(), "cpuid_fam_id");	/* v3 needs it */
	expect_refused("chip_id", json_pack("[i]", 256), "chip_id");
}

static void test_cert_chain(void **state)
{
	json_t *j = load_evidence();
	struct snp_evidence ev;
	struct err_msg why;
	json_t *chain = json_object_get(j, "cert_chain");

	/* null chain: no certificates, still a report */
	json_object_set_new(j, "cert_chain", json_null());
	assert_int_equal(snp_evidence_parse(j, &ev, &why), 0);
	assert_int_equal(sk_X509_num(ev.certs), 0);
	snp_evidence_free(&ev);
	json_decref(j);
	/* a certificate that does not decode */
	j = load_evidence();
	chain = json_object_get(j, "cert_chain");
	json_object_set_new(json_array_get(chain, 0), "data", json_pack("[i,i,i]", 48, 1, 2));
	assert_int_equal(snp_evidence_parse(j, &ev, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "VCEK"));
	json_decref(j);
	/* not an object at all */
	j = json_string("x");
	assert_int_equal(snp_evidence_parse(j, &ev, &why), -EINVAL);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trustee_roundtrip_verifies),
		cmocka_unit_test(test_raw_form),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cert_chain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
