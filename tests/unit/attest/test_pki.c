// SPDX-License-Identifier: GPL-2.0-only
/*
 * The verdicts a careful verifier gives (go-sev-guest, Intel's QVL,
 * Trustee) on evidence signed by a private test PKI built here, one case
 * for each wrong verdict of issue 9, plus the CRL-mismatch case.  Nothing
 * is read from disk: the AMD- and Intel-style hierarchies, the reports,
 * the quotes and the PCS documents are all made at test time.
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

#include "attest/bytes.h"
#include "attest/certs.h"
#include "attest/intel_root.h"
#include "attest/snp_report.h"
#include "attest/snp_verify.h"
#include "attest/tdx_verify.h"
#include "helpers.h"
#include "pki.h"
#include "tdx_common.h"
#include "util/num.h"

#define AT	"2025-01-01T00:00:00Z"

/* ---- SEV-SNP ---- */

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

static void expect_status(const struct verdict *v, const char *check,
			  enum verdict_status want)
{
	enum verdict_status st = VERDICT_FAILED;

	if (!verdict_status(v, check, &st))
		fprintf(stderr, "%s was not recorded\n", check);
	else if (st != want)
		fprintf(stderr, "%s: status %d, expected %d\n", check, st, want);
	assert_true(verdict_status(v, check, &st));
	assert_int_equal(st, want);
}

/* The detail of @check's first failure contains @part. */
static void expect_detail(const struct verdict *v, const char *check, const char *part)
{
	json_t *f;
	size_t i;

	json_array_foreach(v->failed, i, f) {
		const char *d = json_string_value(json_object_get(f, "detail"));

		if (strcmp(json_string_value(json_object_get(f, "check")), check))
			continue;
		if (!strstr(d, part))
			fprintf(stderr, "'%s' not in '%s'\n", part, d);
		assert_non_null(strstr(d, part));
		return;
	}
	fail_msg("%s did not fail", check);
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

/* ---- TDX ---- */

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
		cmocka_unit_test(test_snp_baseline),
		cmocka_unit_test(test_snp_vmpl),
		cmocka_unit_test(test_snp_migration_agent),
		cmocka_unit_test(test_snp_masked_chip_id),
		cmocka_unit_test(test_snp_intermediate_role),
		cmocka_unit_test(test_snp_current_tcb),
		cmocka_unit_test(test_snp_versions),
		cmocka_unit_test(test_snp_crls),
		cmocka_unit_test(test_tdx_baseline),
		cmocka_unit_test(test_tdx_qe_without_collateral),
		cmocka_unit_test(test_tdx_partial_collateral),
		cmocka_unit_test(test_tdx_pce_svn),
		cmocka_unit_test(test_tdx_crls),
		cmocka_unit_test(test_hex_text_hint),
		cmocka_unit_test(test_builtin_td_qe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
