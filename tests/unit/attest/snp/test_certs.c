// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP certificates: VCEK/VLEK extensions, built-in roots, chains, PEM/DER, certificate tables. */
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
	struct err_msg why;
	int ret;

	assert_int_equal(snp_roots_load(&anchors, &inter), 0);
	ret = certs_verify_chain(c, inter, anchors, t_at(at), &out, &why);
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
		v = snp_verify_run(r, len, sk, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vek_extensions),
		cmocka_unit_test(test_builtin_roots),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_parse_formats),
		cmocka_unit_test(test_chain_corrupted_vcek),
		cmocka_unit_test(test_cert_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
