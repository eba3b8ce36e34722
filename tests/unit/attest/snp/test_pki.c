// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdicts a careful verifier gives (go-sev-guest, Trustee) on SEV-SNP
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
#include "attest/snp/report.h"
#include "attest/snp/verify.h"
#include "helpers.h"
#include "pki.h"
#include "util/bytes.h"
#include "util/num.h"

#define AT	"2025-01-01T00:00:00Z"

struct snp_fix {
	enum snp_product product;
	struct amd_pki pki;
	EVP_PKEY *key;			/* the VEK's */
	struct vek_spec spec;
	X509 *vcek, *vlek;		/* issued by the ASK resp. the ASVK */
	STACK_OF(X509) *ca;
	uint8_t r[SNP_REPORT_SIZE];
};

static void snp_fix_init(struct snp_fix *f, enum snp_product product)
{
	struct snp_tcb tcb = { .bootloader = 3, .tee = 0, .snp = 8, .microcode = 0x73 };
	int i;

	memset(f, 0, sizeof(*f));
	f->product = product;
	amd_pki_init(&f->pki, snp_product_name(product));
	f->key = pki_p384();
	f->spec.product_name = product == SNP_PRODUCT_MILAN ? "Milan-B0" :
			       snp_product_name(product);
	f->spec.bl = 3;
	f->spec.snp = 8;
	f->spec.ucode = 0x73;
	if (product == SNP_PRODUCT_TURIN) {
		f->spec.has_fmc = true;
		f->spec.fmc = 1;
		tcb.fmc = 1;
		tcb.has_fmc = true;
	}
	f->spec.hwid_len = product == SNP_PRODUCT_TURIN ? 8 : 64;
	for (i = 0; i < 64; i++)
		f->spec.hwid[i] = (uint8_t)(0xc0 + i);
	f->vcek = amd_vek(f->pki.ask, f->pki.ask_key, f->key, &f->spec);
	f->spec.vlek = true;
	f->vlek = amd_vek(f->pki.asvk, f->pki.asvk_key, f->key, &f->spec);
	f->spec.vlek = false;
	f->ca = amd_pki_ca(&f->pki);
	/* a v3 report of a VCEK, VMPL 0, policy 0x30000, CURRENT = REPORTED */
	f->r[0] = 3;
	f->r[0x08 + 2] = 0x03;
	f->r[0x34] = 1;
	snp_put_tcb(f->r + 0x38, product, &tcb);
	memset(f->r + 0x90, 0x4d, 48);
	snp_put_tcb(f->r + 0x180, product, &tcb);
	f->r[0x188] = product == SNP_PRODUCT_TURIN ? 0x1A : 0x19;
	f->r[0x189] = product == SNP_PRODUCT_TURIN ? 0x02 :
		      product == SNP_PRODUCT_GENOA ? 0x11 : 0x01;
	memcpy(f->r + 0x1A0, f->spec.hwid, f->spec.hwid_len);
	snp_put_tcb(f->r + 0x1E0, product, &tcb);
	snp_put_tcb(f->r + 0x1F0, product, &tcb);
	snp_report_sign(f->r, f->key);
}

static void snp_fix_free(struct snp_fix *f)
{
	X509_free(f->vcek);
	X509_free(f->vlek);
	EVP_PKEY_free(f->key);
	sk_X509_pop_free(f->ca, X509_free);
	amd_pki_free(&f->pki);
}

static struct verdict snp_run(struct snp_fix *f, X509 *vek, STACK_OF(X509_CRL) *crls,
			      const struct policy *pol, json_t **claims)
{
	struct snp_verify_opts o = { 0 };
	STACK_OF(X509) *certs = sk_X509_new_null();
	struct snp_trust t;
	struct verdict v;
	json_t *c = json_object();

	X509_up_ref(vek);
	sk_X509_push(certs, vek);
	assert_int_equal(snp_trust_init(&t, f->ca), 0);
	verdict_init(&v);
	o.certs = certs;
	o.crls = crls;
	o.at = t_at(AT);
	o.policy = pol;
	assert_int_equal(snp_report_verify(f->r, sizeof(f->r), &t, &o, c, &v), 0);
	snp_trust_free(&t);
	sk_X509_pop_free(certs, X509_free);
	if (claims)
		*claims = c;
	else
		json_decref(c);
	return v;
}

/* The private hierarchy works: a valid report verifies, every check listed. */
static void test_snp_baseline(void **state)
{
	static const char *const passed[] = {
		"snp.report", "snp.signature_algo", "snp.signing_key", "snp.vek",
		"snp.chain", "snp.product", "snp.tcb", "snp.current_tcb", "snp.hwid",
		"snp.signature", "policy.debug", "policy.vmpl", "policy.migration_agent",
	};
	struct snp_fix f;
	struct verdict v;
	json_t *c;
	size_t i;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	v = snp_run(&f, f.vcek, NULL, NULL, &c);
	for (i = 0; i < sizeof(passed) / sizeof(passed[0]); i++)
		expect_status(&v, passed[i], VERDICT_PASSED);
	expect_status(&v, "snp.crl", VERDICT_SKIPPED);
	expect_status(&v, "policy.measurement", VERDICT_SKIPPED);
	expect_ok(&v);
	assert_string_equal(json_string_value(jget(c, "product")), "Milan");
	assert_int_equal(json_array_size(jget(c, "certificates.chain")), 3);
	json_decref(c);
	/* the report signature binds it */
	f.r[0x90] ^= 1;
	EXPECT_ONLY(snp_run(&f, f.vcek, NULL, NULL, NULL), "snp.signature");
	snp_fix_free(&f);
}

/* Issue 9 case 4: VMPL 1-3 are rejected unless the policy allows them. */
static void test_snp_vmpl(void **state)
{
	struct snp_fix f;
	struct policy p;
	struct verdict v;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	f.r[0x30] = 1;
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, NULL);
	expect_detail(&v, "policy.vmpl", "VMPL is 1, the policy expects 0");
	EXPECT_ONLY(v, "policy.vmpl");
	f.r[0x30] = 3;
	snp_report_sign(f.r, f.key);
	EXPECT_ONLY(snp_run(&f, f.vcek, NULL, NULL, NULL), "policy.vmpl");
	policy_default(&p);
	p.snp.vmpl_mask = 1u << 0 | 1u << 3;	/* "vmpl": [0, 3] */
	v = snp_run(&f, f.vcek, NULL, &p, NULL);
	expect_ok(&v);
	p.snp.vmpl_mask = 1u << 1 | 1u << 2;
	v = snp_run(&f, f.vcek, NULL, &p, NULL);
	expect_detail(&v, "policy.vmpl", "expects 1/2");
	EXPECT_ONLY(v, "policy.vmpl");
	snp_fix_free(&f);
}

/* Issue 9 case 5: POLICY bit 18 (MIGRATE_MA) is rejected unless allowed. */
static void test_snp_migration_agent(void **state)
{
	struct snp_fix f;
	struct policy p;
	struct verdict v;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	f.r[0x08 + 2] |= 0x04;			/* 0x70000 */
	snp_report_sign(f.r, f.key);
	EXPECT_ONLY(snp_run(&f, f.vcek, NULL, NULL, NULL), "policy.migration_agent");
	policy_default(&p);
	p.snp.allow_migration_agent = 1;
	v = snp_run(&f, f.vcek, NULL, &p, NULL);
	expect_status(&v, "policy.migration_agent", VERDICT_SKIPPED);
	expect_ok(&v);
	snp_fix_free(&f);
}

/*
 * Issue 9 case 6: a host with MASK_CHIP_ID reports an all-zero CHIP_ID;
 * the VCEK still signed the report, so it verifies and the HWID
 * comparison is skipped, saying so.  A wrong non-zero CHIP_ID fails,
 * naming both values and not blaming KEY_INFO's MASK_CHIP_KEY.
 */
static void test_snp_masked_chip_id(void **state)
{
	struct snp_fix f;
	struct verdict v;
	json_t *c;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	memset(f.r + 0x1A0, 0, 64);
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, &c);
	expect_status(&v, "snp.hwid", VERDICT_SKIPPED);
	expect_ok(&v);
	assert_true(json_is_true(jget(c, "report.chip_id_masked")));
	json_decref(c);
	/* another chip's ID, with MASK_CHIP_KEY set in KEY_INFO */
	f.r[0x1A0] = 0x01;
	f.r[0x48] = 0x02;
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, &c);
	expect_detail(&v, "snp.hwid", "c0c1c2");	/* the VCEK's HWID */
	expect_detail(&v, "snp.hwid", "CHIP_ID is 01");
	assert_null(strstr(json_string_value(json_object_get(json_array_get(v.failed, 0),
							     "detail")), "MASK"));
	EXPECT_ONLY(v, "snp.hwid");
	assert_false(json_is_true(jget(c, "report.chip_id_masked")));
	assert_true(json_is_true(jget(c, "report.key_info.mask_chip_key")));
	json_decref(c);
	snp_fix_free(&f);
}

/* Issue 9 case 7: a VCEK chains through an ASK, a VLEK through an ASVK. */
static void test_snp_intermediate_role(void **state)
{
	struct snp_fix f;
	struct policy p;
	struct verdict v;
	X509 *wrong;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	/* a VCEK issued by the ASVK */
	wrong = amd_vek(f.pki.asvk, f.pki.asvk_key, f.key, &f.spec);
	v = snp_run(&f, wrong, NULL, NULL, NULL);
	expect_detail(&v, "snp.chain", "SEV-VLEK-Milan");
	EXPECT_ONLY(v, "snp.chain");
	X509_free(wrong);
	/* a VLEK issued by the ASK */
	f.spec.vlek = true;
	wrong = amd_vek(f.pki.ask, f.pki.ask_key, f.key, &f.spec);
	f.r[0x48] = 1 << 2;			/* SIGNING_KEY = VLEK */
	snp_report_sign(f.r, f.key);
	policy_default(&p);
	p.snp.signing_key = 1;
	v = snp_run(&f, wrong, NULL, &p, NULL);
	expect_detail(&v, "snp.chain", "an ASK");
	EXPECT_ONLY(v, "snp.chain");
	X509_free(wrong);
	/* the VLEK its ASVK issued verifies (no HWID for a VLEK) */
	v = snp_run(&f, f.vlek, NULL, &p, NULL);
	expect_status(&v, "snp.hwid", VERDICT_SKIPPED);
	expect_status(&v, "policy.signing_key", VERDICT_PASSED);
	expect_ok(&v);
	snp_fix_free(&f);
}

/*
 * Issue 9 case 8: the VEK's TCB must not exceed CURRENT_TCB, compared
 * component by component in the product's layout.
 */
static void test_snp_current_tcb(void **state)
{
	struct snp_tcb cur = { .bootloader = 3, .tee = 0, .snp = 7, .microcode = 0x73 };
	struct snp_fix f;
	struct verdict v;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	snp_put_tcb(f.r + 0x38, SNP_PRODUCT_MILAN, &cur);	/* SNP 7 < the VCEK's 8 */
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, NULL);
	expect_detail(&v, "snp.current_tcb", "in its SNP SPL");
	EXPECT_ONLY(v, "snp.current_tcb");
	/* a higher CURRENT_TCB (an update since the VCEK was fetched) is fine */
	cur.snp = 9;
	cur.microcode = 0xd0;
	snp_put_tcb(f.r + 0x38, SNP_PRODUCT_MILAN, &cur);
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, NULL);
	expect_ok(&v);
	snp_fix_free(&f);

	/*
	 * Turin: FMC, BL, TEE, SNP, -, -, -, UCODE.  Read in the Milan layout,
	 * this CURRENT_TCB would have BL 1 (the FMC byte) < the VCEK's 3.
	 */
	snp_fix_init(&f, SNP_PRODUCT_TURIN);
	cur = (struct snp_tcb){ .fmc = 1, .bootloader = 3, .tee = 0, .snp = 8,
				.microcode = 0x73, .has_fmc = true };
	snp_put_tcb(f.r + 0x38, SNP_PRODUCT_TURIN, &cur);
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, NULL);
	expect_status(&v, "snp.current_tcb", VERDICT_PASSED);
	expect_ok(&v);
	cur.fmc = 0;				/* below the VCEK's FMC 1 */
	snp_put_tcb(f.r + 0x38, SNP_PRODUCT_TURIN, &cur);
	snp_report_sign(f.r, f.key);
	v = snp_run(&f, f.vcek, NULL, NULL, NULL);
	expect_detail(&v, "snp.current_tcb", "FMC");
	EXPECT_ONLY(v, "snp.current_tcb");
	snp_fix_free(&f);
}

/*
 * REPORTED_TCB must be the TCB the VCEK certifies, every component of it
 * (issue 21: the SNP SPL alone was never changed): one component off by
 * one fails snp.tcb and nothing else, on Milan and (FMC too) on Turin.
 */
static void test_snp_reported_tcb(void **state)
{
	static const enum snp_product products[] = { SNP_PRODUCT_MILAN, SNP_PRODUCT_TURIN };
	unsigned int p, c;

	for (p = 0; p < 2; p++) {
		for (c = 0; c < (products[p] == SNP_PRODUCT_TURIN ? 5u : 4u); c++) {
			struct snp_tcb t = { .bootloader = 3, .tee = 0, .snp = 8,
					     .microcode = 0x73 };
			struct snp_fix f;
			struct verdict v;

			snp_fix_init(&f, products[p]);
			if (products[p] == SNP_PRODUCT_TURIN) {
				t.has_fmc = true;
				t.fmc = 1;
			}
			switch (c) {
			case 0: t.bootloader = 2; break;
			case 1: t.tee = 1; break;
			case 2: t.snp = 7; break;
			case 3: t.microcode = 0x72; break;
			default: t.fmc = 2; break;
			}
			snp_put_tcb(f.r + 0x180, products[p], &t);
			snp_report_sign(f.r, f.key);
			v = snp_run(&f, f.vcek, NULL, NULL, NULL);
			expect_detail(&v, "snp.tcb", c < 4 ? "does not match the VEK" :
				      "FMC 2 does not match the VEK FMC 1");
			EXPECT_ONLY(v, "snp.tcb");
			snp_fix_free(&f);
		}
	}
}

/* Issue 9 case 9: versions 2 to 5 verify, each decoded in its layout. */
static void test_snp_versions(void **state)
{
	struct snp_fix f;
	struct verdict v;
	json_t *c;
	uint32_t ver;

	snp_fix_init(&f, SNP_PRODUCT_GENOA);
	f.r[0x1F8] = 0x11;			/* LAUNCH_MIT_VECTOR (v5) */
	f.r[0x200] = 0x22;			/* CURRENT_MIT_VECTOR (v5) */
	for (ver = 2; ver <= 6; ver++) {
		f.r[0] = (uint8_t)ver;
		snp_report_sign(f.r, f.key);
		v = snp_run(&f, f.vcek, NULL, NULL, &c);
		if (ver == 6) {
			expect_detail(&v, "snp.report", "version 6 is not supported (2 to 5)");
			EXPECT_ONLY(v, "snp.report");
			json_decref(c);
			break;
		}
		expect_ok(&v);
		assert_int_equal(json_integer_value(jget(c, "report.version")), ver);
		/* CPUID from v3: a v2 report names no product, the chain does */
		assert_int_equal(json_integer_value(jget(c, "report.cpuid.model")),
				 ver >= 3 ? 0x11 : 0);
		assert_true(ver >= 3 || !jget(c, "report.cpuid"));
		assert_string_equal(json_string_value(jget(c, "product")), "Genoa");
		if (ver == 5)
			assert_string_equal(json_string_value(jget(c, "report.launch_mit_vector")),
					    "0x0000000000000011");
		else
			assert_null(jget(c, "report.current_mit_vector"));
		json_decref(c);
	}
	snp_fix_free(&f);
}

/*
 * CRLs: every product's CRL may be given at once; only the chain's ARK's
 * applies.  Revocation of the ASK fails; nothing applicable fails too.
 */
static void test_snp_crls(void **state)
{
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct snp_fix f;
	struct verdict v;
	json_t *c;

	snp_fix_init(&f, SNP_PRODUCT_MILAN);
	sk_X509_CRL_push(crls, amd_crl("ARK-Genoa", f.pki.ark_key, 2));
	sk_X509_CRL_push(crls, amd_crl("ARK-Milan", f.pki.ark_key, 99));
	sk_X509_CRL_push(crls, amd_crl("ARK-Turin", f.pki.ark_key, 2));
	v = snp_run(&f, f.vcek, crls, NULL, &c);
	expect_status(&v, "snp.crl", VERDICT_PASSED);
	expect_ok(&v);
	assert_true(json_is_true(jget(c, "certificates.crls.1.applies")));
	assert_false(json_is_true(jget(c, "certificates.crls.0.applies")));
	json_decref(c);
	/* the Milan ARK revoking the ASK (serial 2) */
	X509_CRL_free(sk_X509_CRL_delete(crls, 1));
	sk_X509_CRL_push(crls, amd_crl("ARK-Milan", f.pki.ark_key, 2));
	v = snp_run(&f, f.vcek, crls, NULL, NULL);
	expect_detail(&v, "snp.crl", "\"SEV-Milan\" is revoked");
	EXPECT_ONLY(v, "snp.crl");
	/* only other products' CRLs: revocation was not checked */
	X509_CRL_free(sk_X509_CRL_pop(crls));
	EXPECT_ONLY(snp_run(&f, f.vcek, crls, NULL, NULL), "snp.crl");
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	snp_fix_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_baseline),
		cmocka_unit_test(test_snp_vmpl),
		cmocka_unit_test(test_snp_migration_agent),
		cmocka_unit_test(test_snp_masked_chip_id),
		cmocka_unit_test(test_snp_intermediate_role),
		cmocka_unit_test(test_snp_current_tcb),
		cmocka_unit_test(test_snp_reported_tcb),
		cmocka_unit_test(test_snp_versions),
		cmocka_unit_test(test_snp_crls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
