// SPDX-License-Identifier: GPL-2.0-only
/* TDX quotes: decoding, versions, PCK certificates, the Intel root. */
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

static void test_quote_fields(void **state)
{
	struct tdx_quote q;
	uint8_t m[48];
	size_t len, i;
	uint8_t *b;

	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		b = td_read(quotes[i].file, &len);
		tdx_parse_ok(b, len, &q);
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
	tdx_parse_ok(b, len, &q);
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
	tdx_parse_ok(b, len, &q);
	assert_true(get_le64(q.body.td_attributes) & TDX_ATTR_DEBUG);
	assert_true(get_le64(q.body.td_attributes) & TDX_ATTR_SEPT_VE_DISABLE);
	free(b);
	/* the v5 body carries TEE_TCB_SVN2 and MRSERVICETD */
	b = td_read(V5, &len);
	tdx_parse_ok(b, len, &q);
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
	struct err_msg why;

	for (i = 0; i < sizeof(quotes) / sizeof(quotes[0]); i++) {
		uint8_t *b = td_read(quotes[i].file, &len);

		end = len - quotes[i].trailing;
		for (n = 0; n < end; n++)
			assert_int_not_equal(tdx_quote_parse(b, n, &q, &why), 0);
		for (n = end; n <= len; n++)
			assert_int_equal(tdx_quote_parse(b, n, &q, &why), 0);
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
	struct err_msg why;
	uint8_t *b = td_read(SPR, &len), *c;
	size_t clen;

	c = td_read(V5, &clen);
	assert_int_equal(len, 4974);
	b[0] = 3;
	assert_int_equal(tdx_quote_parse(b, 4974, &q, &why), -EPROTONOSUPPORT);
	assert_non_null(strstr(why.msg, "version 3"));
	b[0] = 6;
	assert_int_equal(tdx_quote_parse(b, 4974, &q, &why), -EPROTONOSUPPORT);
	b[0] = 4;
	b[4] = 0;					/* SGX */
	assert_int_equal(tdx_quote_parse(b, 4974, &q, &why), -EPROTONOSUPPORT);
	b[4] = 0x81;
	b[2] = 3;					/* ECDSA P-384 key */
	assert_int_equal(tdx_quote_parse(b, 4974, &q, &why), -EPROTONOSUPPORT);
	b[2] = 2;
	tdx_parse_ok(b, 4974, &q);
	/* v5: body type 1 (SGX) and 4, wrong body size */
	c[48] = 1;
	assert_int_equal(tdx_quote_parse(c, clen, &q, &why), -EPROTONOSUPPORT);
	c[48] = 4;
	assert_int_equal(tdx_quote_parse(c, clen, &q, &why), -EPROTONOSUPPORT);
	c[48] = 3;
	c[50] = 0x48;					/* 584 instead of 648 */
	c[51] = 0x02;
	assert_int_equal(tdx_quote_parse(c, clen, &q, &why), -EINVAL);
	c[48] = 2;					/* type 2 with a 584-byte size: the rest shifts */
	assert_int_not_equal(tdx_quote_parse(c, clen, &q, &why), 0);
	c[50] = 0x88;					/* type 2 claiming 648 bytes */
	assert_int_equal(tdx_quote_parse(c, clen, &q, &why), -EINVAL);
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

	tdx_parse_ok(b, len, &q);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote_fields),
		cmocka_unit_test(test_quote_truncated),
		cmocka_unit_test(test_quote_versions),
		cmocka_unit_test(test_pck_extension),
		cmocka_unit_test(test_intel_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
