// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP verification of tampered evidence and chains, --ca, policies, CRLs, the chain memo. */
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
#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "attest/snp/roots.h"
#include "attest/snp/verify.h"
#include "helpers.h"
#include "snp_common.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

/* Flipping any byte of the signed region or of R/S must reject the report. */
static void test_flip_signed_region(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	size_t len, i;
	uint8_t *r = milan_report(&len);

	for (i = 0; i < SNP_REPORT_SIGNED_LEN + 2 * SNP_SIG_COMPONENT_LEN; i++) {
		struct verdict v;

		r[i] ^= 0x01;
		v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
		if (verdict_ok(&v))
			fprintf(stderr, "byte 0x%zx flipped still verifies\n", i);
		assert_false(verdict_ok(&v));
		verdict_free(&v);
		r[i] ^= 0x01;
	}
	/* the reserved tail of the signature field is not signed */
	r[SNP_REPORT_SIZE - 1] ^= 0x01;
	{
		struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
				       NULL, NULL);

		expect_ok(&v);
	}
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

/* A VEK from another report: HWID and signature fail. */
static void test_swap_certificates(void **state)
{
	struct verdict v;

	EXPECT_ONLY(snp_verify_file("trustee/snp/test-report.bin", "sev/vcek_milan.der",
			     "2025-01-01T00:00:00Z", NULL, NULL), "snp.hwid", "snp.signature");
	{
		STACK_OF(X509) *certs = td_certs("trustee/snp/test-vcek.der");
		size_t len;
		uint8_t *r = milan_report(&len);

		EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
			    "snp.hwid", "snp.signature");
		sk_X509_pop_free(certs, X509_free);
		free(r);
	}
	/* a Genoa VCEK for a Milan report: TCB, HWID, signature */
	v = snp_verify_file("go-sev-guest/attestation.bin", "veraison/extracted/vcek.pem",
		     "2025-06-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.tcb"));
	assert_true(verdict_has(&v, "snp.hwid"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	/* a Milan VCEK for the Genoa v3 report: the products disagree too */
	v = snp_verify_file("veraison/extracted/outblob-report.bin", "sev/vcek_milan.der",
		     "2025-06-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.product"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	/* no certificates at all */
	{
		size_t len;
		uint8_t *r = milan_report(&len);

		json_t *c;

		EXPECT_ONLY(snp_verify_run(r, len, NULL, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c),
			    "snp.vek");
		/* the report is still decoded (in the CPUID's layout: v2 = Milan) */
		assert_string_equal(jstr(c, "report.measurement"), MILAN_MEASUREMENT);
		assert_int_equal(jint(c, "report.reported_tcb.microcode"), 0x73);
		json_decref(c);
		free(r);
	}
}

static void test_ca_override(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der"), *ca;
	size_t len;
	uint8_t *r = milan_report(&len);
	struct verdict v;

	ca = td_certs("sev/cert_chain_milan");
	v = snp_verify_run(r, len, certs, ca, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
	expect_ok(&v);
	sk_X509_pop_free(ca, X509_free);
	/* the Genoa roots cannot anchor a Milan VCEK */
	ca = td_certs("go-sev-guest/ask_ark_genoa.pem");
	EXPECT_ONLY(snp_verify_run(r, len, certs, ca, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.chain");
	sk_X509_pop_free(ca, X509_free);
	/* an ASK alone is no anchor */
	{
		struct snp_trust t;

		ca = td_certs("sev/builtin-snp/milan/ask.pem");
		assert_int_equal(snp_trust_init(&t, ca), -EINVAL);
		sk_X509_pop_free(ca, X509_free);
	}
	/* the Turin VCEK with the KDS Turin chain */
	{
		STACK_OF(X509) *out = NULL;
		struct snp_trust t;
		X509 *vcek = one_cert("sev/vcek_turin.der");
		struct err_msg why;

		ca = td_certs("sev/cert_chain_turin");
		assert_int_equal(snp_trust_init(&t, ca), 0);
		/* the ARK anchors, the ASK is an intermediate */
		assert_int_equal(sk_X509_num(t.anchors), 1);
		assert_int_equal(sk_X509_num(t.intermediates), 1);
		assert_true(cert_self_signed(sk_X509_value(t.anchors, 0)));
		assert_int_equal(certs_verify_chain(vcek, t.intermediates, t.anchors,
						    t_at("2025-01-01T00:00:00Z"), &out,
						    &why), 0);
		sk_X509_pop_free(out, X509_free);
		snp_trust_free(&t);
		sk_X509_pop_free(ca, X509_free);
		X509_free(vcek);
	}
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

/*
 * No Turin report is public here: build one around the real Turin VCEK so
 * the Turin TCB layout and the 8-byte HWID are exercised; only the
 * signature can fail.
 */
static void test_turin_binding(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_turin.der");
	struct snp_vek_info e;
	uint8_t r[SNP_REPORT_SIZE] = { 0 };
	uint64_t tcb;
	json_t *c;

	assert_int_equal(snp_vek_parse(sk_X509_value(certs, 0), &e), 0);
	r[0] = 3;
	r[0x34] = 1;				/* ECDSA P-384 */
	r[0x08 + 2] = 0x03;			/* policy 0x30000 */
	r[0x188] = 0x1A;			/* family: Turin */
	r[0x189] = 0x02;
	tcb = (uint64_t)e.fmc | (uint64_t)e.bl << 8 | (uint64_t)e.tee << 16 |
	      (uint64_t)e.snp << 24 | (uint64_t)e.ucode << 56;
	memcpy(r + 0x180, &tcb, 8);
	memcpy(r + 0x38, &tcb, 8);		/* CURRENT_TCB = REPORTED_TCB */
	memcpy(r + 0x1A0, e.hwid, 8);
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c),
		    "snp.signature");
	assert_string_equal(jstr(c, "product"), "Turin");
	assert_int_equal(jint(c, "report.reported_tcb.fmc"), e.fmc);
	assert_int_equal(jint(c, "report.reported_tcb.microcode"), e.ucode);
	json_decref(c);
	/* the FMC SPL is bound too */
	r[0x180] ^= 1;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.tcb", "snp.signature");
	r[0x180] ^= 1;
	/* and the 8 HWID bytes (CHIP_ID[8..] is not) */
	r[0x1A0 + 8] = 0x55;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[0x1A0 + 7] ^= 1;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.hwid", "snp.signature");
	r[0x1A0 + 7] ^= 1;
	/* a Milan CPUID with a Turin VCEK */
	r[0x188] = 0x19;
	r[0x189] = 0x01;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.product", "snp.signature");
	/* unsigned reports and unknown algorithms */
	r[0x188] = 0x1A;
	r[0x48] = 7 << 2;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signing_key");
	r[0x48] = 0;
	r[0x34] = 2;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature_algo", "snp.signature");
	sk_X509_pop_free(certs, X509_free);
}

/*
 * A forged "SEV-Milan" (RSA, like the real one) among the user's
 * certificates, as a hostile certificate table could carry, must neither
 * shadow the real ASK nor anchor a VCEK it signed.
 */
static void test_shadow_ask(void **state)
{
	X509 *real = one_cert("sev/builtin-snp/milan/ask.pem"), *fake = X509_new();
	EVP_PKEY *k = EVP_RSA_gen(2048);	/* RSA: OpenSSL matches key type to the VCEK signature */
	STACK_OF(X509) *certs = sk_X509_new_null();
	size_t len;
	uint8_t *r = milan_report(&len);

	assert_non_null(k);
	X509_set_version(fake, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(fake), 1);
	X509_set_subject_name(fake, X509_get_subject_name(real));
	X509_set_issuer_name(fake, X509_get_issuer_name(real));
	X509_set1_notBefore(fake, X509_get0_notBefore(real));
	X509_set1_notAfter(fake, X509_get0_notAfter(real));
	X509_set_pubkey(fake, k);
	assert_true(X509_sign(fake, k, EVP_sha384()) > 0);
	sk_X509_push(certs, one_cert("sev/vcek_milan.der"));
	{
		struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
				       NULL, NULL);

		expect_ok(&v);
	}
	sk_X509_unshift(certs, fake);
	{
		struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
				       NULL, NULL);

		expect_ok(&v);
	}
	/* a VCEK signed by the forged ASK does not verify either */
	{
		X509 *v2 = one_cert("sev/vcek_milan.der");

		X509_set_issuer_name(v2, X509_get_subject_name(fake));
		assert_true(X509_sign(v2, k, EVP_sha384()) > 0);
		X509_free(sk_X509_value(certs, 1));
		sk_X509_set(certs, 1, v2);
		{
			struct verdict v = snp_verify_run(r, len, certs, NULL, NULL,
					       "2025-01-01T00:00:00Z", NULL, NULL);

			assert_true(verdict_has(&v, "snp.chain"));
			verdict_free(&v);
		}
	}
	sk_X509_pop_free(certs, X509_free);
	X509_free(real);
	EVP_PKEY_free(k);
	free(r);
}

static void test_policy_checks(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	size_t len;
	uint8_t *r = milan_report(&len);
	struct policy p;

#define RUN() snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", &p, NULL)
	policy_default(&p);
	p.snp.measurement.n = 1;
	p.snp.measurement.v = calloc(1, 64);
	assert_int_equal(hex_decode(MILAN_MEASUREMENT, p.snp.measurement.v[0], 48), 0);
	p.snp.min_bootloader = 3;
	p.snp.min_microcode = 0x73;
	p.snp.vmpl_mask = 1;
	p.snp.signing_key = 0;
	p.snp.allow_migration_agent = 0;
	{
		struct verdict v = RUN();

		expect_ok(&v);
	}
	p.snp.measurement.v[0][47] ^= 1;
	EXPECT_ONLY(RUN(), "policy.measurement");
	p.snp.measurement.v[0][47] ^= 1;
	p.snp.min_microcode = 0x74;
	EXPECT_ONLY(RUN(), "policy.min_tcb");
	p.snp.min_microcode = -1;
	p.snp.min_fmc = 0;
	EXPECT_ONLY(RUN(), "policy.min_tcb");	/* Milan has no FMC */
	p.snp.min_fmc = -1;
	p.snp.vmpl_mask = 2;
	EXPECT_ONLY(RUN(), "policy.vmpl");
	p.snp.vmpl_mask = 1;
	p.snp.allow_smt = 0;			/* policy 0x30000 allows SMT */
	EXPECT_ONLY(RUN(), "policy.smt");
	p.snp.allow_smt = -1;
	p.snp.signing_key = 1;
	EXPECT_ONLY(RUN(), "policy.signing_key");
	p.snp.signing_key = -1;
	p.snp.min_guest_svn = 1;
	EXPECT_ONLY(RUN(), "policy.guest_svn");
	p.snp.min_guest_svn = -1;
	p.has_report_data = true;
	EXPECT_ONLY(RUN(), "policy.report_data");
	p.has_report_data = false;
	p.snp.host_data.n = 1;
	p.snp.host_data.v = calloc(1, 64);
	p.snp.host_data.v[0][0] = 1;
	EXPECT_ONLY(RUN(), "policy.host_data");
	policy_free(&p);
#undef RUN
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

/* A CRL that does not belong to the chain is an error, not ignored. */
static void test_foreign_crl(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	STACK_OF(X509_CRL) *crls = td_crls("go-tdx-guest/pckcrl");
	size_t len;
	uint8_t *r = milan_report(&len);

	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, crls, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.crl");
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

static void test_chain_cache(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	struct chain_cache cache = { 0 };
	struct snp_verify_opts o = { 0 };
	struct snp_trust t;
	size_t len;
	uint8_t *r = milan_report(&len);
	int i;

	assert_int_equal(snp_trust_init(&t, NULL), 0);
	o.certs = certs;
	o.at = t_at("2025-01-01T00:00:00Z");
	o.cache = &cache;
	for (i = 0; i < 3; i++) {
		struct verdict v;
		json_t *c = json_object();

		verdict_init(&v);
		if (i == 2)
			o.at = t_at("2031-01-01T00:00:00Z");	/* a new time: re-verified */
		assert_int_equal(snp_report_verify(r, len, &t, &o, c, &v), 0);
		assert_int_equal(verdict_ok(&v), i < 2);
		if (i < 2)
			assert_non_null(cache.leaf);
		assert_int_equal(json_array_size(json_object_get(
			json_object_get(c, "certificates"), "chain")), i < 2 ? 3 : 0);
		verdict_free(&v);
		json_decref(c);
	}
	chain_cache_free(&cache);
	snp_trust_free(&t);
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flip_signed_region),
		cmocka_unit_test(test_swap_certificates),
		cmocka_unit_test(test_ca_override),
		cmocka_unit_test(test_turin_binding),
		cmocka_unit_test(test_shadow_ask),
		cmocka_unit_test(test_policy_checks),
		cmocka_unit_test(test_foreign_crl),
		cmocka_unit_test(test_chain_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
