// SPDX-License-Identifier: GPL-2.0-only
/* TDX quote verification of the real quotes, tampering, the PCK memo, policies. */
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
#include "tdx_common.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

static void test_verify_quotes(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		struct tdx_run r = { .quote = quotes[i].file, .at = quotes[i].at,
				     .no_collateral = true };
		struct verdict v;
		json_t *c;

		v = tdx_run(&r, &c);
		if (!strcmp(quotes[i].file, Q4))
			EXPECT_ONLY(v, "policy.debug");
		else
			expect_ok(&v);
		assert_string_equal(json_string_value(jget(c, "type")), "tdx");
		assert_int_equal(json_integer_value(jget(c, "quote.header.version")),
				 quotes[i].version);
		assert_int_equal(json_array_size(jget(c, "pck.chain")), 3);
		assert_true(json_is_string(jget(c, "pck.sgx_extension.fmspc")));
		assert_true(json_is_null(jget(c, "tcb_status")) || !jget(c, "tcb_status"));
		json_decref(c);
	}
	{
		struct tdx_run r = { .quote = SPR, .at = "2023-07-01T00:00:00Z",
				     .no_collateral = true };
		json_t *c;
		struct verdict v = tdx_run(&r, &c);
		enum verdict_status st;

		/* accepted without collateral, with a warning and the checks it skipped */
		assert_int_equal(json_array_size(v.warnings), 1);
		assert_non_null(strstr(json_string_value(json_array_get(v.warnings, 0)),
				       "TCB status"));
		assert_true(verdict_status(&v, "tdx.tcb_status", &st));
		assert_int_equal(st, VERDICT_SKIPPED);
		assert_true(verdict_status(&v, "tdx.crl", &st));
		assert_int_equal(st, VERDICT_SKIPPED);
		assert_true(verdict_status(&v, "policy.collateral", &st));
		assert_int_equal(st, VERDICT_SKIPPED);
		assert_true(verdict_status(&v, "tdx.qe_identity", &st));
		assert_int_equal(st, VERDICT_PASSED);	/* the built-in TD QE identity */
		expect_ok(&v);
		assert_string_equal(json_string_value(jget(c, "quote.header.reserved")), "00000000");
		assert_null(jget(c, "quote.header.pce_svn"));
		assert_string_equal(json_string_value(jget(c, "quote.td.mrtd")),
				    "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb");
		assert_string_equal(json_string_value(jget(c, "pck.sgx_extension.fmspc")),
				    "50806f000000");
		assert_int_equal(json_integer_value(jget(c, "quote.trailing_bytes")), 39);
		assert_false(json_is_true(jget(c, "quote.td.td_attributes.debug")));
		json_decref(c);
	}
	/* collateral is required unless opted out */
	{
		struct tdx_run r = { .quote = SPR, .at = "2023-07-01T00:00:00Z" };

		EXPECT_ONLY(tdx_run(&r, NULL), "policy.collateral");
	}
	/* go-tdx-guest: at 2053 the chain has expired */
	{
		struct tdx_run r = { .quote = SPR, .at = "2053-07-01T00:00:00Z",
				     .no_collateral = true };

		EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain");
		r.at = "2030-01-01T00:00:00Z";	/* the PCK expired 2029-09-20 */
		EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain");
		r.at = "2022-09-01T00:00:00Z";	/* not yet valid */
		EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain");
	}
	/* debug allowed by policy */
	{
		struct policy p;
		struct tdx_run r = { .quote = Q4, .at = "2025-01-01T00:00:00Z", .policy = &p,
				     .no_collateral = true };
		struct verdict v;

		policy_default(&p);
		p.allow_debug = true;
		v = tdx_run(&r, NULL);
		expect_ok(&v);
	}
}

/* go-tdx-guest TestNegativeVerification. */
static void test_negative_mutations(void **state)
{
	size_t len;
	uint8_t *orig = td_read(SPR, &len), *b = malloc(len);
	struct tdx_run r = { .buf = b, .len = len, .at = "2023-07-01T00:00:00Z",
			     .no_collateral = true };

#define MUTATE(off, val, ...) do {					\
	memcpy(b, orig, len);						\
	b[off] = (uint8_t)(val);					\
	EXPECT_ONLY(tdx_run(&r, NULL), __VA_ARGS__);			\
} while (0)
	/* version 3: "quote format not supported" */
	MUTATE(0x00, 3, "tdx.quote");
	/* signed data length: "size of certificate data is 0xf8a..." */
	MUTATE(0x278, 0x10, "tdx.quote");
	/* broken PEM END line: incomplete PCK chain */
	MUTATE(0x1343, 0x32, "tdx.pck_chain");
	/* base64 of the root, intermediate and PCK signatures/bodies */
	MUTATE(0x1329, orig[0x1329] == 'A' ? 'B' : 'A', "tdx.pck_chain");
	MUTATE(0xF5F, orig[0xF5F] == 'A' ? 'B' : 'A', "tdx.pck_chain");
	MUTATE(0xB77, orig[0xB77] == 'A' ? 'B' : 'A', "tdx.pck_chain");
	/* header and body: the quote signature */
	MUTATE(0x1E, orig[0x1E] ^ 1, "tdx.quote_signature");
	MUTATE(0x3C, orig[0x3C] ^ 1, "tdx.quote_signature");
	/* QE vendor ID (header bytes 12..27): not Intel's QE, and signed */
	MUTATE(0x0C, orig[0x0C] ^ 1, "tdx.qe_vendor_id", "tdx.quote_signature");
#undef MUTATE
	free(b);
	free(orig);
}

/* Flip each byte of header, body, signature, key, QE report, its signature and auth data. */
static void test_flip_signed_region(void **state)
{
	size_t len, i, end;
	uint8_t *b = td_read(SPR, &len);
	struct tdx_quote q;
	struct tdx_run r = { .buf = b, .len = len, .at = "2023-07-01T00:00:00Z",
			     .no_collateral = true };

	tdx_parse_ok(b, len, &q);
	end = (size_t)(q.qe_auth - b) + q.qe_auth_len;
	for (i = 0; i < end; i++) {
		struct verdict v;

		b[i] ^= 0x01;
		v = tdx_run(&r, NULL);
		if (verdict_ok(&v))
			fprintf(stderr, "byte 0x%zx flipped still verifies\n", i);
		assert_false(verdict_ok(&v));
		/* the failure names the part that was hit */
		if (i >= 8 && i < q.signed_len)
			assert_true(verdict_has(&v, "tdx.quote_signature"));
		else if (q.qe_report_raw && i >= (size_t)(q.qe_report_raw - b) &&
			 i < (size_t)(q.qe_report_raw - b) + TDX_QE_REPORT_SIZE)
			assert_true(verdict_has(&v, "tdx.qe_report_signature"));
		verdict_free(&v);
		b[i] ^= 0x01;
	}
	/* trailing bytes are not signed */
	b[len - 1] ^= 0xff;
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	free(b);
}

/*
 * Graft the PCK chain of one quote onto another: the chain verifies, but
 * not the QE report signature.
 */
static void test_swap_pck_chain(void **state)
{
	size_t alen, blen, head, n;
	uint8_t *a = td_read(SPR, &alen), *b = td_read(COS, &blen), *m;
	struct tdx_quote qa, qb;
	struct tdx_run r = { .at = "2025-01-01T00:00:00Z", .no_collateral = true };

	tdx_parse_ok(a, alen, &qa);
	tdx_parse_ok(b, blen, &qb);
	head = (size_t)(qa.pck_data - a);
	n = head + qb.pck_len;
	m = malloc(n);
	memcpy(m, a, head);
	memcpy(m + head, qb.pck_data, qb.pck_len);
	/* fix the three sizes: PCK data, certification data, signed data */
	{
		uint32_t pck = qb.pck_len;
		uint32_t cd = (uint32_t)(n - ((size_t)(qa.qe_report_raw - a)));
		uint32_t sd = (uint32_t)(n - (qa.signed_len + 4));

		memcpy(m + head - 4, &pck, 4);
		memcpy(m + (qa.qe_report_raw - a) - 4, &cd, 4);
		memcpy(m + qa.signed_len, &sd, 4);
	}
	r.buf = m;
	r.len = n;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.qe_report_signature");
	/* and with the other quote's attestation key: the binding breaks too */
	memcpy(m + qa.signed_len + 4 + 64, qb.att_key, 64);
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.qe_report_signature", "tdx.qe_binding",
		    "tdx.quote_signature");
	free(m);
	free(a);
	free(b);
}

/* The synthetic QVL quote: valid under its own test root, not under Intel's. */
static void test_qvl_synthetic(void **state)
{
	struct tdx_run r = { .quote = "intel-qvl/quote.dat", .at = "2025-01-01T00:00:00Z",
			     .no_collateral = true,
			     .ca = "intel-qvl/trustedRootCaCert.pem" };
	struct verdict v;
	json_t *c;

	/*
	 * Signatures, chain and binding verify; its QE is not Intel's (PROVENANCE:
	 * "QE identity would FAIL"), which the built-in TD QE identity sees.
	 */
	v = tdx_run(&r, &c);
	EXPECT_ONLY(v, "tdx.qe_identity");
	/* the type-5 data holds DER root ‖ CA ‖ PCK, not PEM */
	assert_int_equal(json_array_size(jget(c, "pck.chain")), 3);
	json_decref(c);
	r.ca = NULL;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain", "tdx.qe_identity");
	/* the PCK expired on 2028-08-06 */
	r.ca = "intel-qvl/trustedRootCaCert.pem";
	r.at = "2029-01-01T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain", "tdx.qe_identity");
	/* --ca keeps only self-signed certificates, and needs one */
	{
		STACK_OF(X509) *ca = td_certs("intel-qvl/tcbSignChain.pem");
		struct tdx_trust t;

		assert_int_equal(sk_X509_num(ca), 2);
		assert_int_equal(tdx_trust_init(&t, ca), 0);
		assert_int_equal(sk_X509_num(t.anchors), 1);
		assert_true(cert_self_signed(sk_X509_value(t.anchors, 0)));
		tdx_trust_free(&t);
		sk_X509_pop_free(ca, X509_free);
		ca = td_certs("intel-qvl/pckCert.pem");
		assert_int_equal(tdx_trust_init(&t, ca), -EINVAL);
		assert_null(t.anchors);
		sk_X509_pop_free(ca, X509_free);
	}
	/* the real root in --ca anchors nothing here either */
	r.ca = "go-tdx-guest/trusted_root.pem";
	r.at = "2025-01-01T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.pck_chain", "tdx.qe_identity");
}

/* The parse memo only serves byte-identical buffers. */
static void test_parse_cache(void **state)
{
	struct chain_cache cache = { 0 };
	STACK_OF(X509) *a = NULL, *b = NULL;
	struct tdx_quote q;
	size_t len;
	struct err_msg why;
	uint8_t *buf = td_read(SPR, &len), *copy;

	assert_int_equal(tdx_quote_parse(buf, len, &q, &why), 0);
	copy = malloc(q.pck_len);
	memcpy(copy, q.pck_data, q.pck_len);
	assert_int_equal(certs_parse_cached(&cache, q.pck_data, q.pck_len, &a), 0);
	assert_int_equal(certs_parse_cached(&cache, copy, q.pck_len, &b), 0);
	assert_int_equal(sk_X509_num(b), 3);
	assert_ptr_equal(sk_X509_value(a, 0), sk_X509_value(b, 0));	/* served from the memo */
	sk_X509_pop_free(b, X509_free);
	/* the same length, one byte changed in the leaf's base64: parsed afresh */
	copy[0xB77 - (q.pck_data - buf)] ^= 0x20;
	b = NULL;
	if (!certs_parse_cached(&cache, copy, q.pck_len, &b)) {
		assert_int_not_equal(X509_cmp(sk_X509_value(a, 0), sk_X509_value(b, 0)), 0);
		sk_X509_pop_free(b, X509_free);
	}
	assert_int_equal(certs_parse_cached(&cache, copy, 10, &b), -EINVAL);
	sk_X509_pop_free(a, X509_free);
	chain_cache_free(&cache);
	free(copy);
	free(buf);
}

static void test_policy_checks(void **state)
{
	struct policy p;
	struct tdx_run r = { .quote = SPR, .at = "2023-07-01T00:00:00Z", .policy = &p,
			     .no_collateral = true };
	struct tdx_quote q;
	size_t len;
	uint8_t *b = td_read(SPR, &len);
	int i;

	tdx_parse_ok(b, len, &q);
	policy_default(&p);
	p.tdx.mrtd.n = 1;
	p.tdx.mrtd.v = calloc(1, 64);
	memcpy(p.tdx.mrtd.v[0], q.body.mrtd, 48);
	for (i = 0; i < 4; i++) {
		p.tdx.rtmr[i].n = 1;
		p.tdx.rtmr[i].v = calloc(1, 64);
		memcpy(p.tdx.rtmr[i].v[0], q.body.rtmr[i], 48);
	}
	p.tdx.xfam.n = 1;
	p.tdx.xfam.v = calloc(1, 64);
	memcpy(p.tdx.xfam.v[0], q.body.xfam, 8);
	p.has_report_data = true;
	memcpy(p.report_data, q.body.report_data, 64);
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	p.tdx.rtmr[2].v[0][0] ^= 1;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.rtmr2");
	p.tdx.rtmr[2].v[0][0] ^= 1;
	p.tdx.mrtd.v[0][0] ^= 1;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.mrtd");
	p.tdx.mrtd.v[0][0] ^= 1;
	p.report_data[63] ^= 1;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.report_data");
	p.report_data[63] ^= 1;
	p.tdx.mrconfigid.n = 1;
	p.tdx.mrconfigid.v = calloc(1, 64);
	p.tdx.mrconfigid.v[0][0] = 1;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.mrconfigid");
	p.tdx.mrconfigid.v[0][0] = 0;
	p.tdx.min_qe_isvsvn = 5;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.qe_isvsvn");
	p.tdx.min_qe_isvsvn = -1;
	p.tdx.has_min_tee_tcb_svn = true;
	p.tdx.min_tee_tcb_svn[2] = 5;			/* TEE_TCB_SVN 03 00 04 */
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.tee_tcb_svn");
	p.tdx.has_min_tee_tcb_svn = false;
	/* the PCESVN is the PCK certificate's (11), not the reserved header bytes (0) */
	assert_memory_equal(q.reserved, "\0\0\0\0", 4);
	p.tdx.min_pce_svn = 1;
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	p.tdx.min_pce_svn = 11;
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	p.tdx.min_pce_svn = 12;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.pce_svn");
	p.tdx.min_pce_svn = -1;
	/* a policy that requires collateral wins over --no-collateral */
	p.tdx.require_collateral = 1;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.collateral");
	policy_free(&p);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_quotes),
		cmocka_unit_test(test_negative_mutations),
		cmocka_unit_test(test_flip_signed_region),
		cmocka_unit_test(test_swap_pck_chain),
		cmocka_unit_test(test_qvl_synthetic),
		cmocka_unit_test(test_parse_cache),
		cmocka_unit_test(test_policy_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
