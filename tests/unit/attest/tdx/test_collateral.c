// SPDX-License-Identifier: GPL-2.0-only
/* TDX collateral: PCS signatures, TCB info parsing, verification with collateral, CRLs. */
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

static void test_signatures(void **state)
{
	static const struct { const char *file, *key, *chain; } docs[] = {
		{ GTI, "tcbInfo", GCHAIN },
		{ GTI5, "tcbInfo", GCHAIN },
		{ GQE, "enclaveIdentity", GCHAIN },
		{ TTI, "tcbInfo", GCHAIN },
		{ TQE, "enclaveIdentity", GCHAIN },
		{ "intel-qvl/tcbInfo.json", "tcbInfo", "intel-qvl/tcbSignChain.pem" },
		{ "intel-qvl/qeIdentity.json", "enclaveIdentity", "intel-qvl/tcbSignChain.pem" },
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		const char *body;
		size_t blen;
		char *t;

		assert_int_equal(doc_verify(docs[i].file, docs[i].key, docs[i].chain,
					    &t, &body, &blen), 0);
		free(t);
		/* the other signer does not verify it */
		assert_int_equal(doc_verify(docs[i].file, docs[i].key,
					    strstr(docs[i].chain, "qvl") ? GCHAIN :
					    "intel-qvl/tcbSignChain.pem", &t, &body, &blen),
				 -EBADMSG);
		free(t);
	}
}

/* One changed byte inside the signed value breaks it; outside it does not. */
static void test_signature_span(void **state)
{
	EVP_PKEY *k = signer_of(GCHAIN);
	size_t len, blen;
	struct err_msg why;
	char *t = (char *)td_read(GTI, &len), *m;
	const char *body;
	uint8_t sig[64];
	char *p;

	/* "UpToDate" -> "UpToDatf" inside tcbInfo */
	p = strstr(t, "UpToDate");
	assert_non_null(p);
	p[7] = 'f';
	assert_int_equal(collateral_split(t, len, "tcbInfo", &body, &blen, sig, &why), 0);
	assert_int_equal(collateral_verify(body, blen, sig, k), -EBADMSG);
	p[7] = 'e';
	/* re-serialised outside the value (whitespace): still verifies */
	m = malloc(len + 8);
	p = strstr(t, ",\"signature\"");
	memcpy(m, "\n {", 3);
	memcpy(m + 3, t + 1, (size_t)(p - t) - 1);
	memcpy(m + 3 + (p - t) - 1, " ,\n ", 4);
	memcpy(m + 3 + (p - t) - 1 + 4, p + 1, len - (size_t)(p - t) - 1);
	assert_int_equal(collateral_split(m, len + 5, "tcbInfo", &body, &blen, sig, &why), 0);
	assert_int_equal(collateral_verify(body, blen, sig, k), 0);
	/* a second "tcbInfo" member is refused (ambiguous) */
	assert_int_equal(collateral_split("{\"tcbInfo\":{},\"tcbInfo\":{},\"signature\":\"00\"}",
					  45, "tcbInfo", &body, &blen, sig, &why),
			 -EINVAL);
	assert_int_equal(collateral_split("{\"tcbInfo\":{},\"signature\":\"0011\"}", 34,
					  "tcbInfo", &body, &blen, sig, &why),
			 -EINVAL);
	assert_int_equal(collateral_split("{\"signature\":\"00\"}", 18, "tcbInfo", &body,
					  &blen, sig, &why), -EINVAL);
	assert_int_equal(collateral_split("not json", 8, "tcbInfo", &body, &blen, sig, &why), -EINVAL);
	free(m);
	free(t);
	EVP_PKEY_free(k);
}

static void test_tcb_info_parse(void **state)
{
	struct tcb_info ti;
	struct err_msg why;

	parse_ti(GTI, &ti);
	assert_string_equal(ti.id, "TDX");
	assert_int_equal(ti.version, 3);
	assert_int_equal(ti.issue_date, t_at("2023-06-18T00:00:00Z") + (ti.issue_date % 86400));
	assert_memory_equal(ti.fmspc, "\x50\x80\x6f\x00\x00\x00", 6);
	assert_int_equal(ti.nlevels, 2);
	assert_int_equal(ti.levels[0].status, TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[1].status, TCB_OUT_OF_DATE);
	assert_int_equal(ti.levels[0].pcesvn, 11);
	assert_true(ti.levels[0].has_tdx);
	assert_int_equal(ti.levels[0].tdx_svn[2], 5);
	assert_true(ti.has_module);
	assert_int_equal(ti.nmodules, 0);
	tcb_info_free(&ti);

	parse_ti(GTI5, &ti);
	assert_memory_equal(ti.fmspc, "\x90\xc0\x6f\x00\x00\x00", 6);
	assert_true(ti.nmodules >= 2);
	assert_string_equal(ti.modules[0].id, "TDX_03");
	tcb_info_free(&ti);

	parse_ti(TTI, &ti);
	assert_memory_equal(ti.fmspc, "\x00\xa0\x6d\x08\x00\x00", 6);
	assert_true(ti.nmodules > 0);
	tcb_info_free(&ti);

	parse_ti("intel-qvl/tcbInfo.json", &ti);
	assert_int_equal(ti.levels[0].sgx_svn[1], 65473);
	tcb_info_free(&ti);

	/* version 2 (flat SGX components) */
	{
		static const char v2[] =
			"{\"version\":2,\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"fmspc\":\"00906ea10000\","
			"\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":12,"
			"\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomp01svn\":2,\"sgxtcbcomp02svn\":2,"
			"\"sgxtcbcomp03svn\":2,\"sgxtcbcomp04svn\":4,\"sgxtcbcomp05svn\":1,"
			"\"sgxtcbcomp06svn\":128,\"sgxtcbcomp07svn\":0,\"sgxtcbcomp08svn\":0,"
			"\"sgxtcbcomp09svn\":0,\"sgxtcbcomp10svn\":0,\"sgxtcbcomp11svn\":0,"
			"\"sgxtcbcomp12svn\":0,\"sgxtcbcomp13svn\":0,\"sgxtcbcomp14svn\":0,"
			"\"sgxtcbcomp15svn\":0,\"sgxtcbcomp16svn\":0,\"pcesvn\":10},"
			"\"tcbDate\":\"2019-11-13T00:00:00Z\",\"tcbStatus\":\"SWHardeningNeeded\"}]}";

		assert_int_equal(tcb_info_parse(v2, sizeof(v2) - 1, &ti, &why), 0);
		assert_int_equal(ti.version, 2);
		assert_int_equal(ti.levels[0].sgx_svn[5], 128);
		assert_false(ti.levels[0].has_tdx);
		assert_int_equal(ti.levels[0].status, TCB_SW_HARDENING_NEEDED);
		tcb_info_free(&ti);
	}
	/* malformed documents */
	{
		static const char *const bad[] = {
			"{\"version\":4}",
			"{\"version\":3,\"id\":\"TDX\"}",
			"[]",
			"{\"version\":3,\"id\":\"TDX\",\"issueDate\":\"yesterday\"}",
			"{\"version\":3,\"id\":\"TDX\",\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"fmspc\":\"00906ea100\","
			"\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,\"tcbLevels\":[]}",
			"{\"version\":3,\"id\":\"TDX\",\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"fmspc\":\"00906ea10000\","
			"\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,\"tcbLevels\":[]}",
			"{\"version\":3,\"id\":\"TDX\",\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"fmspc\":\"00906ea10000\","
			"\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,"
			"\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":[{\"svn\":1}],\"pcesvn\":1},"
			"\"tcbDate\":\"2019-11-13T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}]}",
		};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			assert_int_equal(tcb_info_parse(bad[i], strlen(bad[i]), &ti, &why), -EINVAL);
	}
	/* the level count is capped (TCB_LEVELS_MAX, also for module identities) */
	{
		static const char head[] =
			"{\"version\":3,\"id\":\"TDX\",\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"fmspc\":\"00906ea10000\","
			"\"pceId\":\"0000\",\"tcbType\":0,\"tcbEvaluationDataNumber\":1,"
			"\"tdxModuleIdentities\":[{\"id\":\"TDX_01\",\"mrsigner\":\"%096d\","
			"\"attributes\":\"0000000000000000\",\"attributesMask\":\"0000000000000000\","
			"\"tcbLevels\":[";
		static const char lvl[] =
			"{\"tcb\":{\"isvsvn\":1},\"tcbDate\":\"2023-01-01T00:00:00Z\","
			"\"tcbStatus\":\"UpToDate\"}";
		size_t cap = 4096 + (TCB_LEVELS_MAX + 1) * sizeof(lvl), n, k;
		char *doc = malloc(cap);

		for (k = TCB_LEVELS_MAX; k <= TCB_LEVELS_MAX + 1; k++) {
			size_t j;

			n = (size_t)snprintf(doc, cap, head, 0);
			for (j = 0; j < k; j++)
				n += (size_t)snprintf(doc + n, cap - n, "%s%s", j ? "," : "", lvl);
			n += (size_t)snprintf(doc + n, cap - n, "]}],\"tcbLevels\":[]}");
			assert_int_equal(tcb_info_parse(doc, n, &ti, &why), -EINVAL);
			/* at the cap the module parses and the empty platform list fails */
			assert_non_null(strstr(why.msg, k > TCB_LEVELS_MAX ? "too many" : "missing or empty"));
		}
		free(doc);
	}
}

/* End to end with collateral (go-tdx-guest TestObtainAndVerifyCollateral at 2023-07-01). */
static void test_verify_with_collateral(void **state)
{
	struct policy p;
	struct tdx_run r = {
		.quote = Q4, .at = "2023-07-01T00:00:00Z", .tcb_info = GTI,
		.qe_identity = GQE, .tcb_chain = GCHAIN,
		.crl = { "go-tdx-guest/pckcrl", "go-tdx-guest/rootcrl.der" },
		.policy = &p,
	};
	struct verdict v;
	json_t *c;

	policy_default(&p);
	p.allow_debug = true;
	v = tdx_run(&r, &c);
	expect_ok(&v);
	assert_string_equal(json_string_value(jget(c, "tcb_status")), "UpToDate");
	assert_string_equal(json_string_value(jget(c, "collateral.tcb_info.evaluation.platform_status")),
			    "UpToDate");
	assert_string_equal(json_string_value(jget(c, "collateral.qe_identity.status")), "UpToDate");
	assert_string_equal(json_string_value(jget(c, "collateral.tcb_info.fmspc")), "50806f000000");
	json_decref(c);
	/* the default policy still refuses the debug TD */
	r.policy = NULL;
	EXPECT_ONLY(tdx_run(&r, NULL), "policy.debug");
	r.policy = &p;
	/* expired collateral: "tcbInfo has expired" (and the PCK CRL too) */
	r.at = "2023-07-20T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.tcb_info", "tdx.qe_identity", "tdx.crl");
	/* in 2053 every certificate has expired: nothing unsigned is evaluated */
	r.at = "2053-07-01T00:00:00Z";
	v = tdx_run(&r, &c);
	assert_true(verdict_has(&v, "tdx.tcb_chain"));
	assert_true(verdict_has(&v, "tdx.pck_chain"));
	assert_null(jget(c, "collateral.tcb_info"));
	assert_string_equal(json_string_value(jget(c, "tcb_status")), "Unknown");
	verdict_free(&v);
	json_decref(c);
	/* SPR_E4 with the same collateral: the TCB is not supported, its status unknown */
	r.quote = SPR;
	r.at = "2023-07-01T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.tcb_level", "policy.tcb_status");
	/* the v5 sample: its signer certificate copy expired 2025-05-21 */
	r.quote = V5;
	r.tcb_info = GTI5;
	r.crl[0] = r.crl[1] = NULL;
	r.at = "2026-02-03T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.tcb_chain", "policy.tcb_status");
	/* collateral without the signer */
	r.tcb_chain = NULL;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.tcb_chain", "policy.tcb_status");
	/* half the collateral: both or neither */
	r.tcb_chain = GCHAIN;
	r.qe_identity = NULL;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.collateral", "policy.collateral");
	r.qe_identity = GQE;
	/* trustee quote 6 with the wrong FMSPC's collateral */
	r.quote = Q6;
	r.tcb_info = GTI;
	r.at = "2023-07-01T00:00:00Z";
	v = tdx_run(&r, NULL);
	assert_true(verdict_has(&v, "tdx.fmspc"));
	verdict_free(&v);
	/* swapped documents: a QE identity given as TCB info */
	r.quote = Q4;
	r.tcb_info = GQE;
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.tcb_info", "policy.tcb_status");
	policy_free(&p);
}

static void test_real_crls(void **state)
{
	STACK_OF(X509_CRL) *pck = td_crls("go-tdx-guest/pckcrl");
	STACK_OF(X509_CRL) *root = td_crls("go-tdx-guest/rootcrl.der");
	json_t *c = crl_claims(sk_X509_CRL_value(pck, 0));
	struct tdx_run r = { .quote = SPR, .at = "2023-07-01T00:00:00Z", .no_collateral = true };

	assert_int_equal(json_integer_value(json_object_get(c, "revoked")), 44);
	json_decref(c);
	c = crl_claims(sk_X509_CRL_value(root, 0));
	assert_int_equal(json_integer_value(json_object_get(c, "revoked")), 0);
	json_decref(c);
	sk_X509_CRL_pop_free(pck, X509_CRL_free);
	sk_X509_CRL_pop_free(root, X509_CRL_free);
	/* both apply to the PCK chain and revoke nothing */
	r.crl[0] = "go-tdx-guest/pckcrl";
	r.crl[1] = "go-tdx-guest/rootcrl.der";
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	/* outside their windows */
	r.at = "2023-06-01T00:00:00Z";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.crl");
	/* a CRL from another hierarchy next to the right one is ignored */
	r.at = "2023-07-01T00:00:00Z";
	r.crl[1] = "intel-qvl/rootCaCrl.der";
	{
		struct verdict v = tdx_run(&r, NULL);

		expect_ok(&v);
	}
	/* alone, nothing applies: revocation was not checked, an error */
	r.crl[0] = "intel-qvl/rootCaCrl.der";
	r.crl[1] = "intel-qvl/intermediateCaCrl.der";
	EXPECT_ONLY(tdx_run(&r, NULL), "tdx.crl");
	/* a corrupted CRL signature */
	{
		size_t len;
		uint8_t *d = td_read("go-tdx-guest/rootcrl.der", &len);
		STACK_OF(X509_CRL) *sk = NULL;
		STACK_OF(X509) *chain = NULL, *anchors = td_certs("go-tdx-guest/trusted_root.pem");
		size_t applied;
		struct err_msg why;

		d[len - 3] ^= 1;
		assert_int_equal(crls_parse(d, len, &sk), 0);
		assert_int_equal(certs_verify_chain(sk_X509_value(anchors, 0), NULL, anchors,
						    t_at("2023-07-01T00:00:00Z"), &chain,
						    &why), 0);
		/* not signed by the root it names: not the root's CRL, it does not apply */
		assert_int_equal(certs_check_crls(chain, sk, t_at("2023-07-01T00:00:00Z"),
						  &applied, &why), 0);
		assert_int_equal(applied, 0);
		assert_non_null(strstr(why.msg, "not signed"));
		sk_X509_CRL_pop_free(sk, X509_CRL_free);
		sk_X509_pop_free(chain, X509_free);
		sk_X509_pop_free(anchors, X509_free);
		free(d);
	}
}

static X509 *make_cert(EVP_PKEY *key, EVP_PKEY *ikey, X509 *issuer, const char *cn,
		       long serial, bool ca)
{
	X509 *c = X509_new();
	X509_NAME *n = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	ASN1_TIME_set(X509_getm_notBefore(c), t_at("2020-01-01T00:00:00Z"));
	ASN1_TIME_set(X509_getm_notAfter(c), t_at("2040-01-01T00:00:00Z"));
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(c, n);
	X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(c, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : c, c, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
				  ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	X509_add_ext(c, ext, -1);
	X509_EXTENSION_free(ext);
	if (ca) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage,
					  "critical,keyCertSign,cRLSign");
		X509_add_ext(c, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(c, ikey, EVP_sha256()) > 0);
	X509_NAME_free(n);
	return c;
}

static X509_CRL *make_crl(X509 *issuer, EVP_PKEY *ikey, long revoked,
			  const char *last, const char *next)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *t = ASN1_TIME_new();

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer));
	ASN1_TIME_set(t, t_at(last));
	X509_CRL_set1_lastUpdate(crl, t);
	ASN1_TIME_set(t, t_at(next));
	X509_CRL_set1_nextUpdate(crl, t);
	if (revoked >= 0) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *s = ASN1_INTEGER_new();

		ASN1_INTEGER_set(s, revoked);
		X509_REVOKED_set_serialNumber(r, s);
		ASN1_TIME_set(t, t_at(last));
		X509_REVOKED_set_revocationDate(r, t);
		X509_CRL_add0_revoked(crl, r);
		ASN1_INTEGER_free(s);
	}
	X509_CRL_sort(crl);
	assert_true(X509_CRL_sign(crl, ikey, EVP_sha256()) > 0);
	ASN1_TIME_free(t);
	return crl;
}

static void test_revocation(void **state)
{
	EVP_PKEY *rk = EVP_EC_gen("P-256"), *ik = EVP_EC_gen("P-256"), *lk = EVP_EC_gen("P-256");
	X509 *root, *inter, *leaf;
	STACK_OF(X509) *anchors = sk_X509_new_null(), *untrusted = sk_X509_new_null(), *chain;
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	int64_t at = t_at("2025-01-01T00:00:00Z");
	size_t applied;
	struct err_msg why;

	assert_non_null(rk);
	root = make_cert(rk, rk, NULL, "Test Root", 1, true);
	inter = make_cert(ik, rk, root, "Test CA", 2, true);
	leaf = make_cert(lk, ik, inter, "Test Leaf", 77, false);
	sk_X509_push(anchors, root);
	sk_X509_push(untrusted, inter);
	assert_int_equal(certs_verify_chain(leaf, untrusted, anchors, at, &chain, &why), 0);
	assert_int_equal(sk_X509_num(chain), 3);
	/* a CRL by the CA listing another serial: fine */
	sk_X509_CRL_push(crls, make_crl(inter, ik, 78, "2024-12-01T00:00:00Z",
					"2025-02-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), 0);
	assert_int_equal(applied, 1);
	/* listing the leaf: revoked */
	sk_X509_CRL_push(crls, make_crl(inter, ik, 77, "2024-12-01T00:00:00Z",
					"2025-02-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), -EBADMSG);
	assert_non_null(strstr(why.msg, "revoked"));
	X509_CRL_free(sk_X509_CRL_pop(crls));
	/* the root revoking the CA */
	sk_X509_CRL_push(crls, make_crl(root, rk, 2, "2024-12-01T00:00:00Z",
					"2025-02-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), -EBADMSG);
	assert_non_null(strstr(why.msg, "Test CA"));
	X509_CRL_free(sk_X509_CRL_pop(crls));
	/* expired or not yet valid */
	sk_X509_CRL_push(crls, make_crl(inter, ik, -1, "2024-01-01T00:00:00Z",
					"2024-02-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), -EBADMSG);
	assert_non_null(strstr(why.msg, "expired"));
	X509_CRL_free(sk_X509_CRL_pop(crls));
	sk_X509_CRL_push(crls, make_crl(inter, ik, -1, "2025-06-01T00:00:00Z",
					"2025-07-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), -EBADMSG);
	X509_CRL_free(sk_X509_CRL_pop(crls));
	/* the CA's name but another key: not the CA's CRL, so it does not count */
	sk_X509_CRL_push(crls, make_crl(inter, rk, 77, "2024-12-01T00:00:00Z",
					"2025-02-01T00:00:00Z"));
	assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), 0);
	assert_int_equal(applied, 1);
	/* a CRL of another issuer does not apply: skipped, and counted out */
	X509_CRL_free(sk_X509_CRL_pop(crls));
	{
		EVP_PKEY *ok = EVP_EC_gen("P-256");
		X509 *other = make_cert(ok, ok, NULL, "Other Root", 9, true);

		sk_X509_CRL_push(crls, make_crl(other, ok, 77, "2024-12-01T00:00:00Z",
						"2025-02-01T00:00:00Z"));
		/* next to the CA's (serial 78), which applies */
		assert_int_equal(sk_X509_CRL_num(crls), 2);
		assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), 0);
		assert_int_equal(applied, 1);
		assert_true(crl_applies(chain, sk_X509_CRL_value(crls, 0)));
		assert_false(crl_applies(chain, sk_X509_CRL_value(crls, 1)));
		/* alone: nothing applies */
		X509_CRL_free(sk_X509_CRL_shift(crls));
		assert_int_equal(certs_check_crls(chain, crls, at, &applied, &why), 0);
		assert_int_equal(applied, 0);
		X509_free(other);
		EVP_PKEY_free(ok);
	}
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	sk_X509_pop_free(chain, X509_free);
	sk_X509_pop_free(anchors, X509_free);
	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ik);
	EVP_PKEY_free(lk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signatures),
		cmocka_unit_test(test_signature_span),
		cmocka_unit_test(test_tcb_info_parse),
		cmocka_unit_test(test_verify_with_collateral),
		cmocka_unit_test(test_real_crls),
		cmocka_unit_test(test_revocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
