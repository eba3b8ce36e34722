// SPDX-License-Identifier: GPL-2.0-only
/* TDX: quote decoding, PCK certificates, quote verification and tampering. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attest/bytes.h"
#include "attest/certs.h"
#include "attest/intel_root.h"
#include "attest/tdx_pck.h"
#include "attest/tdx_quote.h"
#include "helpers.h"
#include "tdx_common.h"
#include "util/num.h"

#define SPR	"go-tdx-guest/tdx_prod_quote_SPR_E4.dat"
#define V5	"go-tdx-guest/quote_v5_sample.dat"
#define Q4	"trustee/tdx_quote_4.dat"
#define Q5	"trustee/tdx_quote_5.dat"
#define Q6	"trustee/tdx_quote_6.dat"
#define COS	"go-tdx-guest/ccel/cos-113-tdx-quote.dat"

static const struct {
	const char *file;
	unsigned version, body_type;
	size_t trailing;
	const char *at;
} quotes[] = {
	{ SPR, 4, 2, 39, "2023-07-01T00:00:00Z" },
	{ V5, 5, 3, 0, "2026-02-03T00:00:00Z" },
	{ Q4, 4, 2, 0, "2025-01-01T00:00:00Z" },
	{ Q5, 5, 3, 0, "2025-01-01T00:00:00Z" },
	{ Q6, 4, 2, 70, "2025-11-01T00:00:00Z" },
	{ COS, 4, 2, 3065, "2025-01-01T00:00:00Z" },
};

static void parse_ok(const uint8_t *b, size_t len, struct tdx_quote *q)
{
	char why[256];
	int ret = tdx_quote_parse(b, len, q, why, sizeof(why));

	if (ret)
		fprintf(stderr, "parse: %s\n", why);
	assert_int_equal(ret, 0);
}

static void test_quote_fields(void **state)
{
	struct tdx_quote q;
	uint8_t m[48];
	size_t len, i;
	uint8_t *b;

	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		b = td_read(quotes[i].file, &len);
		parse_ok(b, len, &q);
		assert_int_equal(q.version, quotes[i].version);
		assert_int_equal(q.body_type, quotes[i].body_type);
		assert_int_equal(q.body.is_15, quotes[i].body_type == 3);
		assert_int_equal(q.trailing, quotes[i].trailing);
		assert_int_equal(q.tee_type, 0x81);
		assert_int_equal(q.att_key_type, 2);
		assert_memory_equal(q.qe_vendor_id, tdx_intel_qe_vendor_id, 16);
		assert_int_equal(q.cert_data_type, 6);
		assert_int_equal(q.pck_cert_type, 5);
		free(b);
	}
	b = td_read(SPR, &len);
	parse_ok(b, len, &q);
	assert_int_equal(hex_decode("6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb",
				    m, 48), 0);
	assert_memory_equal(q.body.mrtd, m, 48);
	assert_memory_equal(q.body.tee_tcb_svn, "\x03\x00\x04\x00", 4);
	assert_memory_equal(q.body.td_attributes, "\x00\x00\x00\x40\x00\x00\x00\x00", 8);
	assert_memory_equal(q.body.xfam, "\xe7\x1a\x06\x00\x00\x00\x00\x00", 8);
	assert_int_equal(q.qe_report.isvsvn, 4);
	assert_int_equal(q.qe_report.isvprodid, 2);
	free(b);
	/* trustee quote 4 is a debug TD */
	b = td_read(Q4, &len);
	parse_ok(b, len, &q);
	assert_true(get_le64(q.body.td_attributes) & TDX_ATTR_DEBUG);
	assert_true(get_le64(q.body.td_attributes) & TDX_ATTR_SEPT_VE_DISABLE);
	free(b);
	/* the v5 body carries TEE_TCB_SVN2 and MRSERVICETD */
	b = td_read(V5, &len);
	parse_ok(b, len, &q);
	assert_int_equal(hex_decode("7348651a", m, 4), 0);
	assert_memory_equal(q.body.mrtd, m, 4);
	assert_int_equal(q.body_size, 648);
	free(b);
}

/* Every prefix shorter than the signed data fails; every longer one parses. */
static void test_quote_truncated(void **state)
{
	size_t i, n, len, end;
	struct tdx_quote q;
	char why[256];

	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		uint8_t *b = td_read(quotes[i].file, &len);

		end = len - quotes[i].trailing;
		for (n = 0; n < end; n++)
			assert_int_not_equal(tdx_quote_parse(b, n, &q, why, sizeof(why)), 0);
		for (n = end; n <= len; n++)
			assert_int_equal(tdx_quote_parse(b, n, &q, why, sizeof(why)), 0);
		free(b);
	}
	/* and the verifier reports the prefix classes as a bad quote */
	{
		uint8_t *b = td_read(SPR, &len);
		static const size_t cuts[] = { 0, 1, 47, 48, 100, 631, 632, 635, 636,
					       700, 1100, 1140, 1200, 4900, 4934 };

		for (n = 0; n < sizeof(cuts) / sizeof(cuts[0]); n++) {
			struct tdx_run r = { .buf = b, .len = cuts[n], .no_collateral = true,
					     .at = "2023-07-01T00:00:00Z" };

			EXPECT_ONLY(tdx_run(&r, NULL), "tdx.quote");
		}
		free(b);
	}
}

static void test_quote_versions(void **state)
{
	struct tdx_quote q;
	size_t len;
	char why[256];
	uint8_t *b = td_read(SPR, &len), *c;
	size_t clen;

	c = td_read(V5, &clen);
	assert_int_equal(len, 4974);
	b[0] = 3;
	assert_int_equal(tdx_quote_parse(b, 4974, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	assert_non_null(strstr(why, "version 3"));
	b[0] = 6;
	assert_int_equal(tdx_quote_parse(b, 4974, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	b[0] = 4;
	b[4] = 0;					/* SGX */
	assert_int_equal(tdx_quote_parse(b, 4974, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	b[4] = 0x81;
	b[2] = 3;					/* ECDSA P-384 key */
	assert_int_equal(tdx_quote_parse(b, 4974, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	b[2] = 2;
	parse_ok(b, 4974, &q);
	/* v5: body type 1 (SGX) and 4, wrong body size */
	c[48] = 1;
	assert_int_equal(tdx_quote_parse(c, clen, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	c[48] = 4;
	assert_int_equal(tdx_quote_parse(c, clen, &q, why, sizeof(why)), -EPROTONOSUPPORT);
	c[48] = 3;
	c[50] = 0x48;					/* 584 instead of 648 */
	c[51] = 0x02;
	assert_int_equal(tdx_quote_parse(c, clen, &q, why, sizeof(why)), -EINVAL);
	c[48] = 2;					/* type 2 with a 584-byte size: the rest shifts */
	assert_int_not_equal(tdx_quote_parse(c, clen, &q, why, sizeof(why)), 0);
	c[50] = 0x88;					/* type 2 claiming 648 bytes */
	assert_int_equal(tdx_quote_parse(c, clen, &q, why, sizeof(why)), -EINVAL);
	free(b);
	free(c);
}

static X509 *pck_of(const char *file)
{
	STACK_OF(X509) *sk = NULL;
	struct tdx_quote q;
	size_t len;
	uint8_t *b = td_read(file, &len);
	X509 *c;

	parse_ok(b, len, &q);
	assert_int_equal(certs_parse(q.pck_data, q.pck_len, &sk), 0);
	c = sk_X509_value(sk, 0);
	X509_up_ref(c);
	sk_X509_pop_free(sk, X509_free);
	free(b);
	return c;
}

static void test_pck_extension(void **state)
{
	static const uint8_t spr_svn[16] = { 3, 3, 2, 2, 2, 1, 0, 2 };
	struct tdx_pck_info p;
	X509 *c;

	c = pck_of(SPR);
	assert_int_equal(tdx_pck_parse(c, &p), 0);
	assert_memory_equal(p.comp_svn, spr_svn, 16);
	assert_int_equal(p.pcesvn, 11);
	assert_memory_equal(p.fmspc, "\x50\x80\x6f\x00\x00\x00", 6);
	assert_memory_equal(p.pceid, "\x00\x00", 2);
	X509_free(c);
	c = pck_of(V5);
	assert_int_equal(tdx_pck_parse(c, &p), 0);
	assert_memory_equal(p.fmspc, "\x90\xc0\x6f\x00\x00\x00", 6);
	X509_free(c);
	c = pck_of(Q6);
	assert_int_equal(tdx_pck_parse(c, &p), 0);
	assert_memory_equal(p.fmspc, "\x00\xa0\x6d\x08\x00\x00", 6);
	assert_int_equal(p.sgx_type, 2);
	assert_true(p.has_platform_instance_id);
	assert_int_equal(p.dynamic_platform, 1);
	assert_int_equal(p.cached_keys, 0);
	assert_int_equal(p.smt_enabled, 1);
	X509_free(c);
	/* the synthetic QVL PCK (2-byte INTEGER encodings) */
	{
		STACK_OF(X509) *sk = td_certs("intel-qvl/pckCert.pem");

		assert_int_equal(tdx_pck_parse(sk_X509_value(sk, 0), &p), 0);
		assert_int_equal(p.comp_svn[1], 0xc1);
		assert_int_equal(p.pcesvn, 10593);
		assert_memory_equal(p.fmspc, "\xed\x74\x2a\xf8\xad\xf5", 6);
		sk_X509_pop_free(sk, X509_free);
	}
	/* the extension twice: ambiguous, refused */
	{
		ASN1_OBJECT *o = OBJ_txt2obj("1.2.840.113741.1.13.1", 1);

		c = pck_of(SPR);
		assert_true(X509_add_ext(c, X509_get_ext(c, X509_get_ext_by_OBJ(c, o, -1)), -1));
		assert_int_equal(tdx_pck_parse(c, &p), -EINVAL);
		ASN1_OBJECT_free(o);
		X509_free(c);
	}
	/* a certificate without the extension */
	{
		STACK_OF(X509) *sk = td_certs("go-tdx-guest/trusted_root.pem");

		assert_int_equal(tdx_pck_parse(sk_X509_value(sk, 0), &p), -ENOENT);
		sk_X509_pop_free(sk, X509_free);
	}
	/* garbage and truncated extension contents */
	{
		static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x00 };

		assert_int_equal(tdx_pck_parse_ext(junk, sizeof(junk), &p), -EINVAL);
		assert_int_equal(tdx_pck_parse_ext(junk, 1, &p), -EINVAL);
		assert_int_equal(tdx_pck_parse_ext(NULL, 0, &p), -EINVAL);
	}
}

/* The built-in anchor is the Intel SGX Root CA that go-tdx-guest ships. */
static void test_intel_root(void **state)
{
	STACK_OF(X509) *builtin = NULL, *ref = td_certs("go-tdx-guest/trusted_root.pem");

	assert_int_equal(intel_root_load(&builtin), 0);
	assert_int_equal(sk_X509_num(builtin), 1);
	assert_int_equal(X509_cmp(sk_X509_value(builtin, 0), sk_X509_value(ref, 0)), 0);
	assert_true(cert_self_signed(sk_X509_value(builtin, 0)));
	sk_X509_pop_free(builtin, X509_free);
	sk_X509_pop_free(ref, X509_free);
}

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

	parse_ok(b, len, &q);
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

	parse_ok(a, alen, &qa);
	parse_ok(b, blen, &qb);
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
	char why[128];
	uint8_t *buf = td_read(SPR, &len), *copy;

	assert_int_equal(tdx_quote_parse(buf, len, &q, why, sizeof(why)), 0);
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

	parse_ok(b, len, &q);
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
		cmocka_unit_test(test_quote_fields),
		cmocka_unit_test(test_quote_truncated),
		cmocka_unit_test(test_quote_versions),
		cmocka_unit_test(test_pck_extension),
		cmocka_unit_test(test_intel_root),
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
