// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP: report decoding, VCEK/VLEK extensions, certificate tables, verification. */
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

#include "attest/bytes.h"
#include "attest/certs.h"
#include "attest/snp_certs.h"
#include "attest/snp_report.h"
#include "attest/snp_roots.h"
#include "attest/snp_verify.h"
#include "helpers.h"
#include "util/num.h"

#define MILAN_MEASUREMENT "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"

/* ---- helpers ---- */

static uint8_t *milan_report(size_t *len)
{
	uint8_t *r = td_read_hex("sev/report_milan.hex", len);

	assert_int_equal(*len, SNP_REPORT_SIZE);
	return r;
}

static X509 *one_cert(const char *rel)
{
	STACK_OF(X509) *sk = td_certs(rel);
	X509 *c = sk_X509_value(sk, 0);

	X509_up_ref(c);
	sk_X509_pop_free(sk, X509_free);
	return c;
}

/*
 * Verify a report; returns the verdict (caller frees) and optionally the
 * claims.  @ca NULL = built-in roots.
 */
static struct verdict run(const uint8_t *rep, size_t len, STACK_OF(X509) *certs,
			  STACK_OF(X509) *ca, STACK_OF(X509_CRL) *crls,
			  const char *at, const struct policy *pol, json_t **claims)
{
	struct snp_verify_opts o = { 0 };
	struct snp_trust t;
	struct verdict v;
	json_t *c = json_object();

	assert_int_equal(snp_trust_init(&t, ca), 0);
	verdict_init(&v);
	o.certs = certs;
	o.crls = crls;
	o.at = t_at(at);
	o.policy = pol;
	assert_int_equal(snp_report_verify(rep, len, &t, &o, c, &v), 0);
	snp_trust_free(&t);
	if (claims)
		*claims = c;
	else
		json_decref(c);
	return v;
}

static struct verdict run_file(const char *report, const char *vek, const char *at,
			       const struct policy *pol, json_t **claims)
{
	STACK_OF(X509) *certs = td_certs(vek);
	size_t len;
	uint8_t *r = td_read(report, &len);
	struct verdict v = run(r, len, certs, NULL, NULL, at, pol, claims);

	sk_X509_pop_free(certs, X509_free);
	free(r);
	return v;
}

static void expect_ok(struct verdict *v)
{
	if (!verdict_ok(v)) {
		char *s = json_dumps(v->failed, 0);

		fprintf(stderr, "unexpected failures: %s\n", s);
		free(s);
	}
	assert_true(verdict_ok(v));
	verdict_free(v);
}

/* Exactly the checks in @list (NULL-terminated) failed. */
static void expect_only(struct verdict *v, const char *const *list)
{
	size_t i, n = 0;

	for (i = 0; list[i]; i++)
		assert_true(verdict_has(v, list[i]));
	for (i = 0; i < json_array_size(v->failed); i++) {
		const char *c = json_string_value(json_object_get(
			json_array_get(v->failed, i), "check"));
		bool listed = false;

		for (n = 0; list[n]; n++)
			listed |= !strcmp(list[n], c);
		if (!listed)
			fprintf(stderr, "unexpected failure %s\n", c);
		assert_true(listed);
	}
	verdict_free(v);
}

#define EXPECT_ONLY(v, ...) do {					\
	static const char *const l_[] = { __VA_ARGS__, NULL };		\
	struct verdict v_ = (v);					\
	expect_only(&v_, l_);						\
} while (0)

static const char *jstr(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	assert_non_null(o);
	return json_string_value(o);
}

static json_int_t jint(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	assert_true(json_is_integer(o));
	return json_integer_value(o);
}

/* ---- decoding ---- */

static void test_report_fields(void **state)
{
	struct snp_report r;
	uint8_t *b, m[48];
	size_t len;

	b = milan_report(&len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.policy, 0x30000);
	assert_int_equal(r.vmpl, 0);
	assert_int_equal(r.signature_algo, 1);
	assert_int_equal(hex_decode(MILAN_MEASUREMENT, m, 48), 0);
	assert_memory_equal(r.measurement, m, 48);
	assert_int_equal(r.reported_tcb, 0x7308000000000003ULL);
	assert_int_equal(snp_report_signing_key(&r), SNP_SIGNING_KEY_VCEK);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_UNKNOWN);
	assert_int_equal(r.chip_id[0], 0xd4);
	assert_int_equal(r.chip_id[63], 0xb6);
	free(b);

	b = td_read("go-sev-guest/attestation.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.policy, 0xb0000);
	assert_true(r.policy & SNP_POLICY_DEBUG);
	assert_memory_equal(r.report_data, "\x01\x02\x03\x04\x05\0\0\0", 8);
	assert_int_equal(r.reported_tcb, 0x4405000000000002ULL);
	free(b);

	b = td_read("trustee/snp/test-vlek-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 3);
	assert_int_equal(r.vmpl, 1);
	assert_int_equal(snp_report_signing_key(&r), SNP_SIGNING_KEY_VLEK);
	assert_int_equal(r.cpuid_fam_id, 0x19);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_MILAN);
	assert_int_equal(r.platform_info, 0x27);
	assert_true(bytes_all_zero(r.chip_id, 64));
	free(b);

	b = td_read("veraison/extracted/outblob-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 3);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_GENOA);
	assert_memory_equal(r.report_data, "MIDBNH28iioisjPyxxxxxxxxxxxxxxxx", 32);
	free(b);

	b = td_read("trustee/snp/test-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.guest_svn, 4);
	assert_int_equal(r.policy, 0x3001f);
	assert_int_equal(r.current_tcb, 0xce08000000000003ULL);
	assert_int_equal(r.reported_tcb, 0x7308000000000003ULL);
	free(b);
}

static void test_report_versions(void **state)
{
	static const uint32_t bad[] = { 0, 1, 6, 0x100, 0xffffffff };
	struct snp_report r;
	size_t len, i;
	uint8_t *b = milan_report(&len);
	json_t *c;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(b, &bad[i], 4);
		assert_int_equal(snp_report_parse(b, len, &r), -EPROTONOSUPPORT);
		EXPECT_ONLY(run(b, len, NULL, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
			    "snp.report");
	}
	/* v3, v4 and v5 decode (the signature then no longer verifies) */
	memset(b, 0, 4);
	b[0] = 5;
	b[0x1F8] = 0x11;
	b[0x200] = 0x22;
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0x11);
	assert_int_equal(r.current_mit_vector, 0x22);
	c = snp_report_claims(&r, SNP_PRODUCT_MILAN);
	assert_string_equal(jstr(c, "launch_mit_vector"), "0x0000000000000011");
	assert_int_equal(jint(c, "cpuid.family"), 0);
	json_decref(c);
	b[0x188] = 0x1A;
	b[0x189] = 0x02;
	b[0] = 4;				/* Turin firmware: the v3 layout */
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0);
	assert_int_equal(r.cpuid_fam_id, 0x1A);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_TURIN);
	b[0] = 3;
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0);
	assert_int_equal(r.cpuid_mod_id, 0x02);
	b[0] = 2;				/* v2: no CPUID fields */
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.cpuid_fam_id, 0);
	free(b);
}

/* Every prefix (and a longer file) is rejected, by the parser and the verifier. */
static void test_report_truncated(void **state)
{
	struct snp_report r;
	size_t len, n;
	uint8_t *b = milan_report(&len), *big;

	for (n = 0; n < len; n++) {
		assert_int_equal(snp_report_parse(b, n, &r), -EINVAL);
		if (n % 97 == 0 || n < 8 || n > len - 8)
			EXPECT_ONLY(run(b, n, NULL, NULL, NULL, "2025-01-01T00:00:00Z",
					NULL, NULL), "snp.report");
	}
	big = calloc(1, 2 * len);
	memcpy(big, b, len);
	assert_int_equal(snp_report_parse(big, len + 1, &r), -EINVAL);
	assert_int_equal(snp_report_parse(big, 2 * len, &r), -EINVAL);
	assert_int_equal(snp_report_parse(NULL, len, &r), -EINVAL);
	free(big);
	free(b);
}

static void test_tcb_layouts(void **state)
{
	struct snp_tcb t;

	/* Milan/Genoa: BL, TEE, 4 reserved, SNP, UCODE */
	snp_tcb_decode(0x7308000000000003ULL, SNP_PRODUCT_MILAN, &t);
	assert_int_equal(t.bootloader, 3);
	assert_int_equal(t.tee, 0);
	assert_int_equal(t.snp, 8);
	assert_int_equal(t.microcode, 0x73);
	assert_false(t.has_fmc);
	/* Turin: FMC, BL, TEE, SNP, 3 reserved, UCODE */
	snp_tcb_decode(0x4800000004030201ULL, SNP_PRODUCT_TURIN, &t);
	assert_int_equal(t.fmc, 1);
	assert_int_equal(t.bootloader, 2);
	assert_int_equal(t.tee, 3);
	assert_int_equal(t.snp, 4);
	assert_int_equal(t.microcode, 0x48);
	assert_true(t.has_fmc);
	assert_int_equal(snp_product_from_name("Milan-B0"), SNP_PRODUCT_MILAN);
	assert_int_equal(snp_product_from_name("SEV-VLEK-Genoa"), SNP_PRODUCT_GENOA);
	assert_int_equal(snp_product_from_name("ARK-Turin"), SNP_PRODUCT_TURIN);
	assert_int_equal(snp_product_from_name("Milanese"), SNP_PRODUCT_UNKNOWN);
	assert_int_equal(snp_product_from_name("SEV-VCEK"), SNP_PRODUCT_UNKNOWN);
}

/* ---- certificates ---- */

static void test_vek_extensions(void **state)
{
	struct snp_vek_info e;
	struct snp_report r;
	uint8_t *b;
	size_t len;
	X509 *c;

	b = milan_report(&len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	free(b);
	c = one_cert("sev/vcek_milan.der");
	assert_int_equal(snp_vek_parse(c, &e), 0);
	assert_true(e.is_vcek);
	assert_false(e.is_vlek);
	assert_string_equal(e.product, "Milan-B0");
	assert_int_equal(e.bl, 3);
	assert_int_equal(e.tee, 0);
	assert_int_equal(e.snp, 8);
	assert_int_equal(e.ucode, 0x73);
	assert_false(e.has_fmc);
	assert_int_equal(e.hwid_len, 64);
	assert_memory_equal(e.hwid, r.chip_id, 64);
	X509_free(c);

	c = one_cert("sev/vcek_turin.der");
	assert_int_equal(snp_vek_parse(c, &e), 0);
	assert_string_equal(e.product, "Turin");
	assert_true(e.has_fmc);
	assert_int_equal(e.hwid_len, 8);
	assert_memory_equal(e.hwid, "\x1e\x55\x0a\x8e\xe5\xcf\x9f\x4d", 8);
	X509_free(c);

	c = one_cert("trustee/snp/test-vlek.der");
	assert_int_equal(snp_vek_parse(c, &e), 0);
	assert_true(e.is_vlek);
	assert_string_equal(e.product, "Milan");
	assert_int_equal(e.ucode, 0xd9);	/* INTEGER 02 02 00 d9 */
	assert_true(e.has_csp_id);
	assert_string_equal(e.csp_id, "CN=cc-us-east-2.amazonaws.com");
	assert_int_equal(e.hwid_len, 0);
	X509_free(c);

	/* an AMD extension twice (here the HWID): refused */
	{
		ASN1_OBJECT *o = OBJ_txt2obj("1.3.6.1.4.1.3704.1.4", 1);

		c = one_cert("sev/vcek_milan.der");
		assert_true(X509_add_ext(c, X509_get_ext(c, X509_get_ext_by_OBJ(c, o, -1)), -1));
		assert_int_equal(snp_vek_parse(c, &e), -EINVAL);
		ASN1_OBJECT_free(o);
		X509_free(c);
	}
	/* the synthetic VCEKs parse: raw and OCTET STRING-wrapped HWID */
	c = one_cert("trustee/snp/test-vcek-invalid-legacy.der");
	assert_int_equal(snp_vek_parse(c, &e), 0);
	assert_int_equal(e.hwid_len, 64);
	assert_int_equal(e.hwid[0], 0);
	assert_int_equal(e.hwid[63], 0x3f);
	X509_free(c);
	c = one_cert("trustee/snp/test-vcek-invalid-new.der");
	assert_int_equal(snp_vek_parse(c, &e), 0);
	assert_int_equal(e.hwid_len, 64);
	assert_int_equal(e.hwid[1], 1);
	assert_int_equal(e.hwid[63], 0x3f);
	X509_free(c);
}

static void test_builtin_roots(void **state)
{
	static const char *const arks[] = {
		"sev/builtin-snp/milan/ark.pem", "sev/builtin-snp/genoa/ark.pem",
		"sev/builtin-snp/turin/ark.pem",
	};
	static const char *const asks[] = {
		"sev/builtin-snp/milan/ask.pem", "sev/builtin-snp/genoa/ask.pem",
		"sev/builtin-snp/turin/ask.pem",
	};
	static const char *const vlek_chains[] = {
		"go-sev-guest/ask_ark_milan_vlek.pem", "go-sev-guest/ask_ark_genoa_vlek.pem",
		"go-sev-guest/ask_ark_turin_vlek.pem",
	};
	STACK_OF(X509) *anchors, *inter;
	int i;

	assert_int_equal(snp_roots_load(&anchors, &inter), 0);
	assert_int_equal(sk_X509_num(anchors), 3);
	assert_int_equal(sk_X509_num(inter), 6);
	for (i = 0; i < 3; i++) {
		X509 *ark = one_cert(arks[i]), *ask = one_cert(asks[i]);
		STACK_OF(X509) *vc = td_certs(vlek_chains[i]);

		assert_true(cert_self_signed(sk_X509_value(anchors, i)));
		assert_int_equal(X509_cmp(sk_X509_value(anchors, i), ark), 0);
		assert_int_equal(X509_cmp(sk_X509_value(inter, i), ask), 0);
		assert_int_equal(X509_cmp(sk_X509_value(inter, 3 + i), sk_X509_value(vc, 0)), 0);
		assert_int_equal(X509_cmp(sk_X509_value(vc, 1), ark), 0);
		X509_free(ark);
		X509_free(ask);
		sk_X509_pop_free(vc, X509_free);
	}
	sk_X509_pop_free(anchors, X509_free);
	sk_X509_pop_free(inter, X509_free);
}

static int chain(const char *vek, const char *at)
{
	STACK_OF(X509) *anchors, *inter, *out = NULL;
	X509 *c = one_cert(vek);
	char why[256];
	int ret;

	assert_int_equal(snp_roots_load(&anchors, &inter), 0);
	ret = certs_verify_chain(c, inter, anchors, t_at(at), &out, why, sizeof(why));
	if (!ret)
		assert_int_equal(sk_X509_num(out), 3);
	sk_X509_pop_free(out, X509_free);
	sk_X509_pop_free(anchors, X509_free);
	sk_X509_pop_free(inter, X509_free);
	X509_free(c);
	return ret;
}

static void test_chains(void **state)
{
	assert_int_equal(chain("sev/vcek_milan.der", "2025-01-01T00:00:00Z"), 0);
	assert_int_equal(chain("sev/vcek_turin.der", "2025-01-01T00:00:00Z"), 0);
	assert_int_equal(chain("trustee/snp/test-vcek.der", "2025-01-01T00:00:00Z"), 0);
	assert_int_equal(chain("go-sev-guest/vcek.testcer", "2022-09-24T12:00:00Z"), 0);
	assert_int_equal(chain("veraison/extracted/vcek.pem", "2025-06-01T00:00:00Z"), 0);
	assert_int_equal(chain("trustee/snp/test-vlek.der", "2025-06-01T00:00:00Z"), 0);
	/* validity windows */
	assert_int_equal(chain("trustee/snp/test-vlek.der", "2026-01-01T00:00:00Z"), -EBADMSG);
	assert_int_equal(chain("trustee/snp/test-vlek.der", "2024-12-01T00:00:00Z"), -EBADMSG);
	assert_int_equal(chain("sev/vcek_milan.der", "2030-04-04T00:00:00Z"), -EBADMSG);
	assert_int_equal(chain("sev/vcek_milan.der", "2023-04-03T19:23:42Z"), -EBADMSG);
	assert_int_equal(chain("sev/vcek_milan.der", "2023-04-03T19:23:43Z"), 0);
	/* synthetic VCEKs: parse, but do not chain */
	assert_int_equal(chain("trustee/snp/test-vcek-invalid-legacy.der", "2025-01-01T00:00:00Z"),
			 -EBADMSG);
	assert_int_equal(chain("trustee/snp/test-vcek-invalid-new.der", "2025-01-01T00:00:00Z"),
			 -EBADMSG);
}

/* @n copies of @der (a certificate or CRL) as PEM blocks between text. */
static uint8_t *pem_copies(const uint8_t *der, size_t len, int n, bool crl, size_t *out_len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	const unsigned char *p;
	uint8_t *buf;
	char *mem;
	long mlen;
	int i;

	assert_non_null(bio);
	for (i = 0; i < n; i++) {
		p = der;
		BIO_puts(bio, "some text\n");
		if (crl) {
			X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)len);

			assert_true(c && PEM_write_bio_X509_CRL(bio, c));
			X509_CRL_free(c);
		} else {
			X509 *c = d2i_X509(NULL, &p, (long)len);

			assert_true(c && PEM_write_bio_X509(bio, c));
			X509_free(c);
		}
	}
	mlen = BIO_get_mem_data(bio, &mem);
	buf = malloc((size_t)mlen);
	assert_non_null(buf);
	memcpy(buf, mem, (size_t)mlen);
	*out_len = (size_t)mlen;
	BIO_free(bio);
	return buf;
}

/* PEM or concatenated DER, at most CERTS_MAX, and nothing half-parsed. */
static void test_parse_formats(void **state)
{
	STACK_OF(X509) *certs = NULL;
	STACK_OF(X509_CRL) *crls = NULL;
	size_t clen, rlen, n;
	uint8_t *cder = td_read("sev/vcek_milan.der", &clen);
	uint8_t *rder = td_read("go-tdx-guest/rootcrl.der", &rlen);
	uint8_t *two = malloc(2 * clen + 1), *pem;

	/* DER: two concatenated certificates; a trailing byte is refused */
	memcpy(two, cder, clen);
	memcpy(two + clen, cder, clen);
	assert_int_equal(certs_parse(two, 2 * clen, &certs), 0);
	assert_int_equal(sk_X509_num(certs), 2);
	sk_X509_pop_free(certs, X509_free);
	two[2 * clen] = 0;
	assert_int_equal(certs_parse(two, 2 * clen + 1, &certs), -EINVAL);
	assert_null(certs);
	assert_int_equal(crls_parse(rder, rlen - 1, &crls), -EINVAL);
	assert_null(crls);
	/* a certificate is not a CRL, nor the other way round */
	assert_int_equal(crls_parse(cder, clen, &crls), -EINVAL);
	assert_int_equal(certs_parse(rder, rlen, &certs), -EINVAL);

	/* PEM: CERTS_MAX blocks are fine, one more is too many */
	pem = pem_copies(cder, clen, CERTS_MAX, false, &n);
	assert_int_equal(certs_parse(pem, n, &certs), 0);
	assert_int_equal(sk_X509_num(certs), CERTS_MAX);
	sk_X509_pop_free(certs, X509_free);
	/* no CRL among them */
	assert_int_equal(crls_parse(pem, n, &crls), -EINVAL);
	/* a truncated block after good ones fails the whole buffer */
	assert_int_equal(certs_parse(pem, n - 40, &certs), -EINVAL);
	assert_null(certs);
	free(pem);
	pem = pem_copies(cder, clen, CERTS_MAX + 1, false, &n);
	assert_int_equal(certs_parse(pem, n, &certs), -E2BIG);
	assert_null(certs);
	free(pem);
	pem = pem_copies(rder, rlen, CERTS_MAX, true, &n);
	assert_int_equal(crls_parse(pem, n, &crls), 0);
	assert_int_equal(sk_X509_CRL_num(crls), CERTS_MAX);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	free(pem);
	pem = pem_copies(rder, rlen, CERTS_MAX + 1, true, &n);
	assert_int_equal(crls_parse(pem, n, &crls), -E2BIG);
	assert_null(crls);
	free(pem);
	assert_int_equal(certs_parse(NULL, 1, &certs), -EINVAL);
	assert_int_equal(crls_parse(rder, 0, &crls), -EINVAL);
	free(two);
	free(cder);
	free(rder);
}

/* virtee/sev milan_chain: byte 40 of the VCEK ^= 0xff must fail. */
static void test_chain_corrupted_vcek(void **state)
{
	STACK_OF(X509) *sk = NULL;
	size_t len;
	uint8_t *d = td_read("sev/vcek_milan.der", &len), *r;
	struct verdict v;

	d[40] ^= 0xff;
	if (certs_parse(d, len, &sk) == 0) {
		r = milan_report(&len);
		v = run(r, len, sk, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
		assert_false(verdict_ok(&v));
		assert_true(verdict_has(&v, "snp.chain"));
		verdict_free(&v);
		free(r);
		sk_X509_pop_free(sk, X509_free);
	}
	free(d);
}

static void test_cert_table(void **state)
{
	struct snp_cert_entry e[SNP_CERT_TABLE_MAX];
	STACK_OF(X509) *certs = sk_X509_new_null(), *ref;
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	size_t len, n, blen, i;
	uint8_t *j = td_read("veraison/sevsnp-tsm-report.json", &len), *blob, *tab;
	json_t *doc = json_loadb((const char *)j, len, 0, NULL);

	assert_non_null(doc);
	blob = b64url_decode(json_string_value(json_object_get(doc, "auxblob")), &blen);
	assert_int_equal(snp_cert_table_parse(blob, blen, e, SNP_CERT_TABLE_MAX, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].kind, SNP_CERT_ARK);
	assert_int_equal(e[1].kind, SNP_CERT_ASK);
	assert_int_equal(e[2].kind, SNP_CERT_VCEK);
	assert_int_equal(snp_cert_table_load(blob, blen, certs, crls), 0);
	assert_int_equal(sk_X509_num(certs), 3);
	assert_int_equal(sk_X509_CRL_num(crls), 0);
	/* the certificates are the extracted ones */
	ref = td_certs("veraison/extracted/ark.pem");
	assert_int_equal(X509_cmp(sk_X509_value(certs, 0), sk_X509_value(ref, 0)), 0);
	sk_X509_pop_free(ref, X509_free);
	ref = td_certs("veraison/extracted/vcek.pem");
	assert_int_equal(X509_cmp(sk_X509_value(certs, 2), sk_X509_value(ref, 0)), 0);
	sk_X509_pop_free(ref, X509_free);

	/* every truncation of the table is rejected or loses nothing silently */
	for (i = 0; i < blen; i++) {
		int ret = snp_cert_table_parse(blob, i, e, SNP_CERT_TABLE_MAX, &n);

		assert_true(ret == -EINVAL || ret == 0);
		if (!ret)
			for (size_t k = 0; k < n; k++)
				assert_true(e[k].offset + (size_t)e[k].length <= i);
	}
	/* hostile entries */
	tab = calloc(1, 256);
	memcpy(tab, blob, 16);			/* ARK GUID */
	tab[16] = 8;				/* offset inside the table */
	tab[20] = 16;
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), -EINVAL);
	tab[16] = 48;
	tab[20] = 0;				/* empty blob */
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), -EINVAL);
	tab[20] = 0xff;
	tab[21] = 0xff;				/* past the end */
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), -EINVAL);
	memset(tab + 20, 0, 4);
	tab[20] = 16;
	tab[23] = 0x80;				/* offset + length wraps 32 bits */
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), -EINVAL);
	tab[23] = 0;
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), 0);
	assert_int_equal(n, 1);
	/* the blob is not a certificate */
	assert_int_equal(snp_cert_table_load(tab, 256, certs, crls), -EINVAL);
	free(tab);
	/* no terminator: too many entries, or running off the end */
	tab = malloc(24 * 40);
	memset(tab, 0x41, 24 * 40);
	assert_int_equal(snp_cert_table_parse(tab, 24 * 40, e, SNP_CERT_TABLE_MAX, &n), -E2BIG);
	assert_int_equal(snp_cert_table_parse(tab, 256, e, SNP_CERT_TABLE_MAX, &n), -EINVAL);
	free(tab);
	free(blob);
	json_decref(doc);
	free(j);
	sk_X509_pop_free(certs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
}

/* ---- verification of every report vector ---- */

static void test_verify_milan(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	size_t len;
	uint8_t *r = milan_report(&len);
	json_t *c;
	struct verdict v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c);

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
	EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[21] ^= 0x80;
	/* expired / not yet valid unless --at is inside the VCEK validity */
	EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2031-01-01T00:00:00Z", NULL, NULL),
		    "snp.chain");
	EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2023-01-01T00:00:00Z", NULL, NULL),
		    "snp.chain");
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

static void test_verify_debug_report(void **state)
{
	struct policy p;
	json_t *c;

	/* go-sev-guest: a real report from a debug guest */
	EXPECT_ONLY(run_file("go-sev-guest/attestation.bin", "go-sev-guest/vcek.testcer",
			     "2025-01-01T00:00:00Z", NULL, &c), "policy.debug");
	assert_true(json_is_true(json_object_get(json_object_get(json_object_get(c, "report"),
								 "policy"), "debug")));
	json_decref(c);
	policy_default(&p);
	p.allow_debug = true;
	{
		struct verdict v = run_file("go-sev-guest/attestation.bin",
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
	struct verdict v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);

	expect_ok(&v);
	/* trustee: corrupting byte 42 breaks the signature */
	r[42] ^= 0x01;
	EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[42] ^= 0x01;
	/* byte 384 is REPORTED_TCB: TCB binding and signature fail */
	r[384] ^= 0x01;
	EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.tcb", "snp.signature");
	sk_X509_pop_free(certs, X509_free);
	free(r);
}

static void test_verify_vlek(void **state)
{
	struct policy p;
	json_t *c;

	/* the report comes from VMPL 1: the default policy wants VMPL 0 */
	EXPECT_ONLY(run_file("trustee/snp/test-vlek-report.bin", "trustee/snp/test-vlek.der",
			     "2025-06-01T00:00:00Z", NULL, NULL), "policy.vmpl");
	policy_default(&p);
	p.snp.vmpl_mask = 1u << 1;
	{
		struct verdict v = run_file("trustee/snp/test-vlek-report.bin",
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
	EXPECT_ONLY(run_file("trustee/snp/test-vlek-report.bin", "trustee/snp/test-vlek.der",
			     "2026-01-01T00:00:00Z", &p, NULL), "snp.chain");
	/* a VLEK-signed report with only a VCEK */
	EXPECT_ONLY(run_file("trustee/snp/test-vlek-report.bin", "sev/vcek_milan.der",
			     "2025-06-01T00:00:00Z", &p, NULL), "snp.vek");
	/* a VCEK-signed report with only a VLEK */
	EXPECT_ONLY(run_file("trustee/snp/test-report.bin", "trustee/snp/test-vlek.der",
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
	v = run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", NULL, &c);
	expect_ok(&v);
	assert_string_equal(jstr(c, "product"), "Genoa");
	json_decref(c);
	/* the nonce the Veraison test passes, and one with the first byte ^0xff */
	policy_default(&p);
	p.has_report_data = true;
	memcpy(p.report_data, "MIDBNH28iioisjPyxxxxxxxxxxxxxxxxMIDBNH28iioisjPyxxxxxxxxxxxxxxxx", 64);
	v = run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", &p, NULL);
	expect_ok(&v);
	p.report_data[0] ^= 0xff;
	EXPECT_ONLY(run(rep, rlen, certs, NULL, crls, "2025-06-01T00:00:00Z", &p, NULL),
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

	v = run_file("trustee/snp/test-report.bin", "trustee/snp/test-vcek-invalid-legacy.der",
		     "2025-01-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.chain"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	v = run_file("trustee/snp/test-report.bin", "trustee/snp/test-vcek-invalid-new.der",
		     "2025-01-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.chain"));
	assert_true(verdict_has(&v, "snp.hwid"));
	verdict_free(&v);
}

/* ---- trustee's e2e evidence: the report as a serde JSON object ---- */

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

static void put_le(uint8_t *dst, json_t *v, size_t n)
{
	uint64_t x = (uint64_t)json_integer_value(v);
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)(x >> (8 * i));
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
	put_le(r + 0x00, json_object_get(a, "version"), 4);
	put_le(r + 0x04, json_object_get(a, "guest_svn"), 4);
	put_le(r + 0x08, json_object_get(a, "policy"), 8);
	put_bytes(r + 0x10, json_object_get(a, "family_id"), 16);
	put_bytes(r + 0x20, json_object_get(a, "image_id"), 16);
	put_le(r + 0x30, json_object_get(a, "vmpl"), 4);
	put_le(r + 0x34, json_object_get(a, "sig_algo"), 4);
	put_tcb(r + 0x38, json_object_get(a, "current_tcb"));
	put_le(r + 0x40, json_object_get(a, "plat_info"), 8);
	put_le(r + 0x48, json_object_get(a, "key_info"), 4);
	put_bytes(r + 0x50, json_object_get(a, "report_data"), 64);
	put_bytes(r + 0x90, json_object_get(a, "measurement"), 48);
	put_bytes(r + 0xC0, json_object_get(a, "host_data"), 32);
	put_bytes(r + 0xE0, json_object_get(a, "id_key_digest"), 48);
	put_bytes(r + 0x110, json_object_get(a, "author_key_digest"), 48);
	put_bytes(r + 0x140, json_object_get(a, "report_id"), 32);
	put_bytes(r + 0x160, json_object_get(a, "report_id_ma"), 32);
	put_tcb(r + 0x180, json_object_get(a, "reported_tcb"));
	put_le(r + 0x188, json_object_get(a, "cpuid_fam_id"), 1);
	put_le(r + 0x189, json_object_get(a, "cpuid_mod_id"), 1);
	put_le(r + 0x18A, json_object_get(a, "cpuid_step"), 1);
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
		struct verdict v = run(r, sizeof(r), certs, NULL, NULL, "2025-06-01T00:00:00Z",
				       NULL, &c);

		expect_ok(&v);
	}
	assert_string_equal(jstr(c, "product"), "Genoa");
	assert_string_equal(jstr(c, "report.current_version"), "1.55.40");
	json_decref(c);
	/* one changed field breaks the signature */
	r[0x90] ^= 1;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-06-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	sk_X509_pop_free(certs, X509_free);
	json_decref(doc);
	free(j);
}

/* Flipping any byte of the signed region or of R/S must reject the report. */
static void test_flip_signed_region(void **state)
{
	STACK_OF(X509) *certs = td_certs("sev/vcek_milan.der");
	size_t len, i;
	uint8_t *r = milan_report(&len);

	for (i = 0; i < SNP_REPORT_SIGNED_LEN + 2 * SNP_SIG_COMPONENT_LEN; i++) {
		struct verdict v;

		r[i] ^= 0x01;
		v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
		if (verdict_ok(&v))
			fprintf(stderr, "byte 0x%zx flipped still verifies\n", i);
		assert_false(verdict_ok(&v));
		verdict_free(&v);
		r[i] ^= 0x01;
	}
	/* the reserved tail of the signature field is not signed */
	r[SNP_REPORT_SIZE - 1] ^= 0x01;
	{
		struct verdict v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
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

	EXPECT_ONLY(run_file("trustee/snp/test-report.bin", "sev/vcek_milan.der",
			     "2025-01-01T00:00:00Z", NULL, NULL), "snp.hwid", "snp.signature");
	{
		STACK_OF(X509) *certs = td_certs("trustee/snp/test-vcek.der");
		size_t len;
		uint8_t *r = milan_report(&len);

		EXPECT_ONLY(run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
			    "snp.hwid", "snp.signature");
		sk_X509_pop_free(certs, X509_free);
		free(r);
	}
	/* a Genoa VCEK for a Milan report: TCB, HWID, signature */
	v = run_file("go-sev-guest/attestation.bin", "veraison/extracted/vcek.pem",
		     "2025-06-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.tcb"));
	assert_true(verdict_has(&v, "snp.hwid"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	/* a Milan VCEK for the Genoa v3 report: the products disagree too */
	v = run_file("veraison/extracted/outblob-report.bin", "sev/vcek_milan.der",
		     "2025-06-01T00:00:00Z", NULL, NULL);
	assert_true(verdict_has(&v, "snp.product"));
	assert_true(verdict_has(&v, "snp.signature"));
	verdict_free(&v);
	/* no certificates at all */
	{
		size_t len;
		uint8_t *r = milan_report(&len);

		json_t *c;

		EXPECT_ONLY(run(r, len, NULL, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c),
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
	v = run(r, len, certs, ca, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
	expect_ok(&v);
	sk_X509_pop_free(ca, X509_free);
	/* the Genoa roots cannot anchor a Milan VCEK */
	ca = td_certs("go-sev-guest/ask_ark_genoa.pem");
	EXPECT_ONLY(run(r, len, certs, ca, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
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
		char why[256];

		ca = td_certs("sev/cert_chain_turin");
		assert_int_equal(snp_trust_init(&t, ca), 0);
		/* the ARK anchors, the ASK is an intermediate */
		assert_int_equal(sk_X509_num(t.anchors), 1);
		assert_int_equal(sk_X509_num(t.intermediates), 1);
		assert_true(cert_self_signed(sk_X509_value(t.anchors, 0)));
		assert_int_equal(certs_verify_chain(vcek, t.intermediates, t.anchors,
						    t_at("2025-01-01T00:00:00Z"), &out,
						    why, sizeof(why)), 0);
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
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, &c),
		    "snp.signature");
	assert_string_equal(jstr(c, "product"), "Turin");
	assert_int_equal(jint(c, "report.reported_tcb.fmc"), e.fmc);
	assert_int_equal(jint(c, "report.reported_tcb.microcode"), e.ucode);
	json_decref(c);
	/* the FMC SPL is bound too */
	r[0x180] ^= 1;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.tcb", "snp.signature");
	r[0x180] ^= 1;
	/* and the 8 HWID bytes (CHIP_ID[8..] is not) */
	r[0x1A0 + 8] = 0x55;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signature");
	r[0x1A0 + 7] ^= 1;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.hwid", "snp.signature");
	r[0x1A0 + 7] ^= 1;
	/* a Milan CPUID with a Turin VCEK */
	r[0x188] = 0x19;
	r[0x189] = 0x01;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.product", "snp.signature");
	/* unsigned reports and unknown algorithms */
	r[0x188] = 0x1A;
	r[0x48] = 7 << 2;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
		    "snp.signing_key");
	r[0x48] = 0;
	r[0x34] = 2;
	EXPECT_ONLY(run(r, sizeof(r), certs, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
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
		struct verdict v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
				       NULL, NULL);

		expect_ok(&v);
	}
	sk_X509_unshift(certs, fake);
	{
		struct verdict v = run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z",
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
			struct verdict v = run(r, len, certs, NULL, NULL,
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

#define RUN() run(r, len, certs, NULL, NULL, "2025-01-01T00:00:00Z", &p, NULL)
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

	EXPECT_ONLY(run(r, len, certs, NULL, crls, "2025-01-01T00:00:00Z", NULL, NULL),
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
		cmocka_unit_test(test_report_fields),
		cmocka_unit_test(test_report_versions),
		cmocka_unit_test(test_report_truncated),
		cmocka_unit_test(test_tcb_layouts),
		cmocka_unit_test(test_vek_extensions),
		cmocka_unit_test(test_builtin_roots),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_chain_corrupted_vcek),
		cmocka_unit_test(test_cert_table),
		cmocka_unit_test(test_verify_milan),
		cmocka_unit_test(test_verify_debug_report),
		cmocka_unit_test(test_verify_trustee),
		cmocka_unit_test(test_verify_vlek),
		cmocka_unit_test(test_verify_genoa_auxblob),
		cmocka_unit_test(test_verify_invalid_vceks),
		cmocka_unit_test(test_trustee_e2e_evidence),
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
