// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdicts a careful verifier gives (Intel's QVL, Trustee) on TDX
 * evidence signed by a private test PKI built here (tests/unit/attest/pki.c):
 * one case for each wrong verdict of issue 9, plus the CRL-mismatch case.
 * Nothing is read from disk.
 */
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

#include "attest/certs.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/policy.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/roots.h"
#include "attest/tdx/tcb.h"
#include "attest/tdx/verify.h"
#include "helpers.h"
#include "pki.h"
#include "tdx_common.h"
#include "util/bytes.h"
#include "util/num.h"

#define AT	"2025-01-01T00:00:00Z"

struct tdx_fix {
	struct intel_pki pki;
	STACK_OF(X509) *ca, *tcb_chain;
	struct td_quote_spec spec;
	uint8_t *quote;
	size_t len;
	char *tcb_info, *qe_identity;
};

static const uint8_t comp_svn[16] = { 3, 3, 2, 2, 2, 1, 0, 2 };
static const uint8_t fmspc[6] = { 0x50, 0x80, 0x6f, 0, 0, 0 };

static void tdx_fix_build(struct tdx_fix *f)
{
	free(f->quote);
	f->quote = td_quote_build(&f->pki, &f->spec, &f->len);
}

static void tdx_fix_init(struct tdx_fix *f)
{
	memset(f, 0, sizeof(*f));
	intel_pki_init(&f->pki, comp_svn, 11, fmspc);
	f->ca = intel_pki_ca(&f->pki);
	f->tcb_chain = intel_pki_tcb_chain(&f->pki);
	td_quote_spec_init(&f->spec);
	tdx_fix_build(f);
	f->tcb_info = pcs_tcb_info(&f->pki, 0, "UpToDate");
	f->qe_identity = pcs_qe_identity(&f->pki, "UpToDate");
}

static void tdx_fix_free(struct tdx_fix *f)
{
	free(f->quote);
	free(f->tcb_info);
	free(f->qe_identity);
	sk_X509_pop_free(f->ca, X509_free);
	sk_X509_pop_free(f->tcb_chain, X509_free);
	intel_pki_free(&f->pki);
}

/* A run with the fixture's quote, root, and (@collateral) both documents. */
static struct tdx_run tdx_fix_run(struct tdx_fix *f, bool collateral)
{
	struct tdx_run r = {
		.buf = f->quote, .len = f->len, .at = AT, .ca_sk = f->ca,
		.tcb_chain_sk = f->tcb_chain,
	};

	if (collateral) {
		r.tcb_info_text = f->tcb_info;
		r.qe_identity_text = f->qe_identity;
	}
	return r;
}

static void test_tdx_baseline(void **state)
{
	struct tdx_fix f;
	struct tdx_run r;
	struct verdict v;
	json_t *c;

	tdx_fix_init(&f);
	r = tdx_fix_run(&f, true);
	v = tdx_run(&r, &c);
	expect_status(&v, "tdx.tcb_level", VERDICT_PASSED);
	expect_status(&v, "tdx.qe_identity", VERDICT_PASSED);
	expect_status(&v, "tdx.tcb_status", VERDICT_PASSED);
	expect_status(&v, "policy.tcb_status", VERDICT_PASSED);
	expect_status(&v, "tdx.crl", VERDICT_SKIPPED);
	assert_int_equal(json_array_size(v.warnings), 0);
	expect_ok(&v);
	assert_string_equal(json_string_value(jget(c, "tcb_status")), "UpToDate");
	/* certificate serials are lowercase hex, as the docs promise */
	assert_string_equal(json_string_value(jget(c, "pck.certificate.serial")), "1234abcd");
	json_decref(c);
	/* a v5 quote (body type 2) as well */
	f.spec.version = 5;
	tdx_fix_build(&f);
	r = tdx_fix_run(&f, true);
	v = tdx_run(&r, NULL);
	expect_ok(&v);
	tdx_fix_free(&f);
}

/*
 * Issue 9 case 1: without collateral the quote is refused by default;
 * with --no-collateral it verifies with a warning, but only if its QE is
 * Intel's TD QE (built-in MRSIGNER, ISVPRODID 2) and not a debug enclave.
 */
static void test_tdx_qe_without_collateral(void **state)
{
	struct tdx_fix f;
	struct policy p;
	struct tdx_run r;
	struct verdict v;

	tdx_fix_init(&f);
	r = tdx_fix_run(&f, false);
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.collateral");
	r.no_collateral = true;
	v = tdx_run(&r, NULL);
	assert_int_equal(json_array_size(v.warnings), 1);
	expect_status(&v, "tdx.qe_identity", VERDICT_PASSED);
	expect_status(&v, "policy.collateral", VERDICT_SKIPPED);
	expect_ok(&v);
	/* "require_collateral": false does the same */
	policy_default(&p);
	p.tdx.require_collateral = 0;
	r.no_collateral = false;
	r.policy = &p;
	v = tdx_run(&r, NULL);
	expect_ok(&v);
	r.policy = NULL;
	r.no_collateral = true;
	/* an enclave of another signer that the PCK certified */
	f.spec.qe_mrsigner[0] ^= 0xff;
	tdx_fix_build(&f);
	r = tdx_fix_run(&f, false);
	r.no_collateral = true;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "tdx.qe_identity", "dc9e2a7c");
	EXPECT_ONLY(v, "tdx.qe_identity");
	/* Intel's signer, another product */
	f.spec.qe_mrsigner[0] ^= 0xff;
	f.spec.qe_isvprodid = 7;
	tdx_fix_build(&f);
	r.buf = f.quote;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "tdx.qe_identity", "ISVPRODID is 7");
	EXPECT_ONLY(v, "tdx.qe_identity");
	/* a debug QE, with or without collateral */
	f.spec.qe_isvprodid = 2;
	f.spec.qe_attributes[0] |= SGX_ATTR_DEBUG;
	tdx_fix_build(&f);
	r.buf = f.quote;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "tdx.qe_identity", "debug enclave");
	EXPECT_ONLY(v, "tdx.qe_identity");
	r = tdx_fix_run(&f, true);
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.qe_identity", "policy.tcb_status");
	/* with collateral, the PCS QE identity judges a foreign QE the same way */
	f.spec.qe_attributes[0] &= (uint8_t)~SGX_ATTR_DEBUG;
	f.spec.qe_mrsigner[31] ^= 1;
	tdx_fix_build(&f);
	r = tdx_fix_run(&f, true);
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.qe_identity", "policy.tcb_status");
	tdx_fix_free(&f);
}

/*
 * Issue 9 case 2: half the collateral is refused (the TCB status needs
 * both), and a policy that names a TCB status fails when it is unknown.
 */
static void test_tdx_partial_collateral(void **state)
{
	struct tdx_fix f;
	struct policy p;
	struct tdx_run r;
	struct verdict v;

	tdx_fix_init(&f);
	free(f.qe_identity);
	f.qe_identity = pcs_qe_identity(&f.pki, "OutOfDate");
	/* the QE identity alone, QE OutOfDate */
	r = tdx_fix_run(&f, true);
	r.tcb_info_text = NULL;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "tdx.collateral", "only the QE identity");
	EXPECT_ONLY(v, "tdx.collateral", "policy.collateral");
	/* even when collateral is optional, half of it is an error */
	r.no_collateral = true;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.collateral");
	/* the TCB info alone */
	r = tdx_fix_run(&f, true);
	r.qe_identity_text = NULL;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.collateral", "policy.collateral");
	/* both: the OutOfDate QE makes the status OutOfDate (QVL's rule) */
	r = tdx_fix_run(&f, true);
	v = tdx_run(&r, NULL);
	expect_detail(&v, "policy.tcb_status", "OutOfDate is below the minimum UpToDate");
	EXPECT_ONLY(v, "policy.tcb_status");
	policy_default(&p);
	p.tdx.min_tcb_status = TCB_OUT_OF_DATE;
	p.tdx.has_min_tcb_status = true;
	r.policy = &p;
	v = tdx_run(&r, NULL);
	expect_ok(&v);
	/* an explicit minimum cannot be met without collateral */
	r = tdx_fix_run(&f, false);
	r.no_collateral = true;
	r.policy = &p;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "policy.tcb_status", "unknown");
	EXPECT_ONLY(v, "policy.tcb_status");
	tdx_fix_free(&f);
}

/*
 * Issue 9 case 3: min_pce_svn is checked against the PCESVN the PCK
 * certificate certifies (11 here), never the reserved header bytes.
 */
static void test_tdx_pce_svn(void **state)
{
	struct tdx_fix f;
	struct policy p;
	struct tdx_run r;
	struct verdict v;
	json_t *c;

	tdx_fix_init(&f);
	memset(f.spec.reserved, 0xff, 4);	/* would read as QE/PCE SVN 65535 */
	tdx_fix_build(&f);
	policy_default(&p);
	p.tdx.min_pce_svn = 11;
	r = tdx_fix_run(&f, true);
	r.policy = &p;
	v = tdx_run(&r, &c);
	expect_status(&v, "policy.pce_svn", VERDICT_PASSED);
	expect_ok(&v);
	assert_string_equal(json_string_value(jget(c, "quote.header.reserved")), "ffffffff");
	assert_null(jget(c, "quote.header.pce_svn"));
	assert_int_equal(json_integer_value(jget(c, "pck.sgx_extension.pcesvn")), 11);
	json_decref(c);
	p.tdx.min_pce_svn = 12;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "policy.pce_svn", "PCESVN 11 is below the minimum 12");
	EXPECT_ONLY(v, "policy.pce_svn");
	tdx_fix_free(&f);
}

/*
 * CRLs of another hierarchy next to the right ones are ignored, even one
 * that reuses the root's name; a revoked PCK fails.
 */
static void test_tdx_crls(void **state)
{
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct intel_pki other;
	struct tdx_fix f;
	struct tdx_run r;
	struct verdict v;
	X509_CRL *crl;

	tdx_fix_init(&f);
	intel_pki_init(&other, comp_svn, 11, fmspc);
	/* the platform CA's CRL (not listing the PCK) and a foreign "Intel SGX Root CA" one */
	crl = X509_CRL_new();
	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(f.pki.ca));
	{
		ASN1_TIME *t = ASN1_TIME_new();

		ASN1_TIME_set(t, (time_t)t_at("2024-12-01T00:00:00Z"));
		X509_CRL_set1_lastUpdate(crl, t);
		ASN1_TIME_set(t, (time_t)t_at("2025-02-01T00:00:00Z"));
		X509_CRL_set1_nextUpdate(crl, t);
		ASN1_TIME_free(t);
	}
	assert_true(X509_CRL_sign(crl, f.pki.ca_key, EVP_sha256()) > 0);
	sk_X509_CRL_push(crls, crl);
	crl = X509_CRL_dup(crl);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(other.root));
	assert_true(X509_CRL_sign(crl, other.root_key, EVP_sha256()) > 0);
	sk_X509_CRL_push(crls, crl);
	r = tdx_fix_run(&f, true);
	r.crl_sk = crls;
	v = tdx_run(&r, NULL);
	expect_status(&v, "tdx.crl", VERDICT_PASSED);
	expect_ok(&v);
	/* the foreign one alone: nothing applies */
	X509_CRL_free(sk_X509_CRL_shift(crls));
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.crl");
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	intel_pki_free(&other);
	tdx_fix_free(&f);
}

/*
 * The QE report binds the attestation key: REPORTDATA is SHA-256(key ‖
 * QE auth data) followed by 32 zero bytes (issue 21).  A QE report whose
 * upper half is not zero, signed by the genuine PCK, fails that check and
 * only that one, whichever byte is set.
 */
static void test_tdx_qe_report_data_upper_half(void **state)
{
	static const unsigned int bytes[] = { 0, 17, 31 };
	struct tdx_fix f;
	struct tdx_run r;
	unsigned int i;

	tdx_fix_init(&f);
	r = tdx_fix_run(&f, true);
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);		/* all zero: verifies */
	}
	for (i = 0; i < ARRAY_SIZE(bytes); i++) {
		memset(f.spec.qe_report_data_hi, 0, 32);
		f.spec.qe_report_data_hi[bytes[i]] = 0x01;
		tdx_fix_build(&f);
		r = tdx_fix_run(&f, true);
		EXPECT_ONLY(tdx_run(&r, NULL), "tdx.qe_binding");
	}
	tdx_fix_free(&f);
}

/* A quote or report given as hex text: the failure says how to convert it. */
static void test_hex_text_hint(void **state)
{
	struct tdx_fix f;
	struct tdx_run r;
	struct verdict v;
	char *hex;

	tdx_fix_init(&f);
	hex = malloc(2 * f.len + 1);
	hex_encode(f.quote, f.len, hex);
	r = tdx_fix_run(&f, true);
	r.buf = (const uint8_t *)hex;
	r.len = 2 * f.len;
	v = tdx_run(&r, NULL);
	expect_detail(&v, "tdx.quote", "xxd -r -p");
	expect_status(&v, "tdx.quote_signature", VERDICT_SKIPPED);
	EXPECT_ONLY(v, "tdx.quote");
	free(hex);
	tdx_fix_free(&f);
}

/* The library's built-in TD QE identity is the one Intel's PCS publishes. */
static void test_builtin_td_qe(void **state)
{
	static const char *const docs[] = {
		"go-tdx-guest/sample_qeIdentity_response", "trustee/enclaveIdentity.json",
	};
	uint8_t mrsigner[32];
	size_t i, len;

	assert_memory_equal(intel_td_qe_mrsigner, pki_td_qe_mrsigner, 32);
	for (i = 0; i < 2; i++) {
		char *t = (char *)td_read(docs[i], &len);
		json_t *j = json_loadb(t, len, 0, NULL), *e = json_object_get(j, "enclaveIdentity");

		assert_string_equal(json_string_value(json_object_get(e, "id")), "TD_QE");
		assert_int_equal(hex_decode(json_string_value(json_object_get(e, "mrsigner")),
					    mrsigner, 32), 0);
		assert_memory_equal(mrsigner, intel_td_qe_mrsigner, 32);
		assert_int_equal(json_integer_value(json_object_get(e, "isvprodid")),
				 INTEL_TD_QE_ISVPRODID);
		json_decref(j);
		free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdx_baseline),
		cmocka_unit_test(test_tdx_qe_without_collateral),
		cmocka_unit_test(test_tdx_partial_collateral),
		cmocka_unit_test(test_tdx_pce_svn),
		cmocka_unit_test(test_tdx_crls),
		cmocka_unit_test(test_tdx_qe_report_data_upper_half),
		cmocka_unit_test(test_hex_text_hint),
		cmocka_unit_test(test_builtin_td_qe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
