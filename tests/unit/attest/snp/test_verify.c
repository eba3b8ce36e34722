// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP verification of the real reports (virtee, go-sev-guest, Trustee, Veraison). */
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
#include "util/num.h"

static void test_verify_milan(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	size_t len;
	uint8_t *r = milan_report(&len);
	json_t *c;
	struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c);

	expect_ok(&v);
	assert_string_equal(jstr(c, "product"), "Milan");
	assert_string_equal(jstr(c, "type"), "sev-snp");
	assert_string_equal(jstr(c, "report.measurement"), MILAN_MEASUREMENT);
	assert_int_equal(jint(c, "report.reported_tcb.microcode"), 0x73);
	assert_string_equal(jstr(c, "report.key_info.signing_key"), "vcek");
	assert_string_equal(jstr(c, "certificates.vek.amd.product_name"), "Milan-B0");
	assert_int_equal(json_array_size(json_object_get(json_object_get(c, "certificates"),
							  "chain")), 3);
	json_decref(c);
	/* virtee/sev milan_report_invalid: bit 7 of byte 21 */
	r[21] ^= 0x80;
	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[21] ^= 0x80;
	/* expired / not yet valid unless --at is inside the VCEK validity */
	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2031-01-01T00:00:00Z", NULL, NULL),
		    "snp.chain");
	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2023-01-01T00:00:00Z", NULL, NULL),
		    "snp.chain");
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

static void test_verify_debug_report(void **state)
{
	struct policy p;
	json_t *c;

	/* go-sev-guest: a real report from a debug guest */
	EXPECT_ONLY(snp_verify_file("go-sev-guest/attestation.bin", "go-sev-guest/vcek.testcer",
			     "2025-01-01T00:00:00Z", NULL, &c), "policy.debug");
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(c, "report"),
								 "policy"), "debug")));
	json_decref(c);
	policy_default(&p);
	p.allow_debug = true;
	{
		struct verdict v = snp_verify_file("go-sev-guest/attestation.bin",
					    "go-sev-guest/vcek.testcer",
					    "2022-09-24T12:00:00Z", &p, NULL);

		expect_ok(&v);
	}
}

static void test_verify_trustee(void **state)
{
	STACK_OF(X509) *certs = td_certs("trustee/snp/test-vcek.der");
	size_t len;
	uint8_t *r = td_read("trustee/snp/test-report.bin", &len);
	struct verdict v = snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);

	expect_ok(&v);
	/* trustee: corrupting byte 42 breaks the signature */
	r[42] ^= 0x01;
	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[42] ^= 0x01;
	/* byte 384 is REPORTED_TCB: TCB binding and signature fail */
	r[384] ^= 0x01;
	EXPECT_ONLY(snp_verify_run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.tcb", "snp.signature");
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

static void test_verify_vlek(void **state)
{
	struct policy p;
	json_t *c;

	/* the report comes from VMPL 1: the default policy wants VMPL 0 */
	EXPECT_ONLY(snp_verify_file("trustee/snp/test-vlek-report.bin", "trustee/snp/test-vlek.der",
			     "2025-06-01T00:00:00Z", NULL, NULL), "policy.vmpl");
	policy_default(&p);
	p.snp.vmpl_mask = 1u << 1;
	{
		struct verdict v = snp_verify_file("trustee/snp/test-vlek-report.bin",
					    "trustee/snp/test-vlek.der",
					    "2025-06-01T00:00:00Z", &p, &c);

		expect_ok(&v);
	}
	assert_string_equal(jstr(c, "report.key_info.signing_key"), "vlek");
	assert_string_equal(jstr(c, "certificates.vek.amd.type"), "vlek");
	assert_string_equal(jstr(c, "certificates.vek.amd.csp_id"),
			    "CN=cc-us-east-2.amazonaws.com");
	json_decref(c);
	/* the VLEK expired on 2025-12-10 */
	EXPECT_ONLY(snp_verify_file("trustee/snp/test-vlek-report.bin", "trustee/snp/test-vlek.der",
			     "2026-01-01T00:00:00Z", &p, NULL), "snp.chain");
	/* a VLEK-signed report with only a VCEK */
	EXPECT_ONLY(snp_verify_file("trustee/snp/test-vlek-report.bin", "sev/vcek_milan.der",
			     "2025-06-01T00:00:00Z", &p, NULL), "snp.vek");
	/* a VCEK-signed report with only a VLEK */
	EXPECT_ONLY(snp_verify_file("trustee/snp/test-report.bin", "trustee/snp/test-vlek.der",
			     "2025-06-01T00:00:00Z", NULL, NULL), "snp.vek");
}

static void test_verify_genoa_auxblob(void **state)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	size_t len, rlen, blen;
	uint8_t *j = td_read("veraison/sevsnp-tsm-report.json", &len), *rep, *blob;
	json_t *doc = json_loadb((const char *)j, len, 0, NULL), *c;
	struct policy p;
	struct verdict v;

	rep = b64url_decode(json_string_value(json_object_get(doc, "outblob")), &rlen);
	blob = b64url_decode(json_string_value(json_object_get(doc, "auxblob")), &blen);
	assert_int_equal(rlen, SNP_REPORT_SIZE);
	{
		size_t elen;
		uint8_t *ext = td_read("veraison/extracted/outblob-report.bin", &elen);

		assert_int_equal(elen, rlen);
		assert_memory_equal(ext, rep, rlen);
		free(ext);
	}
	assert_int_equal(snp_cert_table_load(blob, blen, certs, crls), 0);
	v = snp_verify_run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", NULL, &c);
	expect_ok(&v);
	assert_string_equal(jstr(c, "product"), "Genoa");
	json_decref(c);
	/* the nonce the Veraison test passes, and one with the first byte ^0xff */
	policy_default(&p);
	p.has_report_data = true;
	memcpy(p.report_data, "MIDBNH28iioisjPyxxxxxxxxxxxxxxxxMIDBNH28iioisjPyxxxxxxxxxxxxxxxx", 64);
	v = snp_verify_run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", &p, NULL);
	expect_ok(&v);
	p.report_data[0] ^= 0xff;
	EXPECT_ONLY(snp_verify_run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", &p, NULL),
		    "policy.report_data");
	free(rep);
	free(blob);
	json_decref(doc);
	free(j);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
}

static void test_verify_invalid_vceks(void **state)
{
	struct verdict v;

	v = snp_verify_file("trustee/snp/test-report.bin", "trustee/snp/test-vcek-invalid-legacy.der",
		     "2025-01-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.chain"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	v = snp_verify_file("trustee/snp/test-report.bin", "trustee/snp/test-vcek-invalid-new.der",
		     "2025-01-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.chain"));
	assert_true(verdict_has(&v, "snp.hwid"));
	verdict_free(&v);
}

static void put_bytes(uint8_t *dst, json_t *a, size_t n)
{
	size_t i;

	assert_int_equal(json_array_size(a), n);
	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)json_integer_value(json_array_get(a, i));
}

static void put_tcb(uint8_t *dst, json_t *t)
{
	/* Milan/Genoa layout: BL, TEE, 4 reserved, SNP, UCODE */
	memset(dst, 0, 8);
	dst[0] = (uint8_t)json_integer_value(json_object_get(t, "bootloader"));
	dst[1] = (uint8_t)json_integer_value(json_object_get(t, "tee"));
	dst[6] = (uint8_t)json_integer_value(json_object_get(t, "snp"));
	dst[7] = (uint8_t)json_integer_value(json_object_get(t, "microcode"));
}

static void put_json_le(uint8_t *dst, json_t *v, unsigned int n)
{
	put_le(dst, (uint64_t)json_integer_value(v), n);
}

static void put_version(uint8_t *dst, json_t *v)
{
	dst[0] = (uint8_t)json_integer_value(json_object_get(v, "build"));
	dst[1] = (uint8_t)json_integer_value(json_object_get(v, "minor"));
	dst[2] = (uint8_t)json_integer_value(json_object_get(v, "major"));
}

static void test_trustee_e2e_evidence(void **state)
{
	uint8_t r[SNP_REPORT_SIZE] = { 0 }, der[2048];
	STACK_OF(X509) *certs = NULL;
	size_t len;
	uint8_t *j = td_read("trustee/snp/e2e-evidence.json", &len);
	json_t *doc = json_loadb((const char *)j, len, 0, NULL), *a, *cert;
	json_t *c;

	assert_non_null(doc);
	a = json_object_get(doc, "attestation_report");
	put_json_le(r + 0x00, json_object_get(a, "version"), 4);
	put_json_le(r + 0x04, json_object_get(a, "guest_svn"), 4);
	put_json_le(r + 0x08, json_object_get(a, "policy"), 8);
	put_bytes(r + 0x10, json_object_get(a, "family_id"), 16);
	put_bytes(r + 0x20, json_object_get(a, "image_id"), 16);
	put_json_le(r + 0x30, json_object_get(a, "vmpl"), 4);
	put_json_le(r + 0x34, json_object_get(a, "sig_algo"), 4);
	put_tcb(r + 0x38, json_object_get(a, "current_tcb"));
	put_json_le(r + 0x40, json_object_get(a, "plat_info"), 8);
	put_json_le(r + 0x48, json_object_get(a, "key_info"), 4);
	put_bytes(r + 0x50, json_object_get(a, "report_data"), 64);
	put_bytes(r + 0x90, json_object_get(a, "measurement"), 48);
	put_bytes(r + 0xC0, json_object_get(a, "host_data"), 32);
	put_bytes(r + 0xE0, json_object_get(a, "id_key_digest"), 48);
	put_bytes(r + 0x110, json_object_get(a, "author_key_digest"), 48);
	put_bytes(r + 0x140, json_object_get(a, "report_id"), 32);
	put_bytes(r + 0x160, json_object_get(a, "report_id_ma"), 32);
	put_tcb(r + 0x180, json_object_get(a, "reported_tcb"));
	put_json_le(r + 0x188, json_object_get(a, "cpuid_fam_id"), 1);
	put_json_le(r + 0x189, json_object_get(a, "cpuid_mod_id"), 1);
	put_json_le(r + 0x18A, json_object_get(a, "cpuid_step"), 1);
	put_bytes(r + 0x1A0, json_object_get(a, "chip_id"), 64);
	put_tcb(r + 0x1E0, json_object_get(a, "committed_tcb"));
	put_version(r + 0x1E8, json_object_get(a, "current"));
	put_version(r + 0x1EC, json_object_get(a, "committed"));
	put_tcb(r + 0x1F0, json_object_get(a, "launch_tcb"));
	put_bytes(r + 0x2A0, json_object_get(json_object_get(a, "signature"), "r"), 72);
	put_bytes(r + 0x2E8, json_object_get(json_object_get(a, "signature"), "s"), 72);
	cert = json_array_get(json_object_get(doc, "cert_chain"), 0);
	assert_string_equal(json_string_value(json_object_get(cert, "cert_type")), "VCEK");
	len = json_array_size(json_object_get(cert, "data"));
	assert_true(len <= sizeof(der));
	put_bytes(der, json_object_get(cert, "data"), len);
	assert_int_equal(certs_parse(der, len, &certs), 0);
	{
		struct verdict v = snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-06-01T00:00:00Z",
				       NULL, &c);

		expect_ok(&v);
	}
	assert_string_equal(jstr(c, "product"), "Genoa");
	assert_string_equal(jstr(c, "report.current_version"), "1.55.40");
	json_decref(c);
	/* one changed field breaks the signature */
	r[0x90] ^= 1;
	EXPECT_ONLY(snp_verify_run(r, sizeof(r), certs, NULL, NULL, "2025-06-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	sk_X509_pop_free(certs, X509_free);
	json_decref(doc);
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verify_milan),
		cmocka_unit_test(test_verify_debug_report),
		cmocka_unit_test(test_verify_trustee),
		cmocka_unit_test(test_verify_vlek),
		cmocka_unit_test(test_verify_genoa_auxblob),
		cmocka_unit_test(test_verify_invalid_vceks),
		cmocka_unit_test(test_trustee_e2e_evidence),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
