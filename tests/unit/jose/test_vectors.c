// SPDX-License-Identifier: GPL-2.0-only
/*
 * RFC 7520 §5 JWE examples (vectors/PROVENANCE.md), decrypted step by step
 * with the src/jose/jwa.h primitives jwe_decrypt() is made of; and
 * jwe_decrypt() itself refuses them, their alg/enc being outside its set.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "helpers.h"
#include "jose/b64url.h"
#include "jose/jwa.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/secret.h"
#include "util/err.h"

struct parts {
	uint8_t *ek, *iv, *ct, *tag;
	size_t eklen, ivlen, ctlen, taglen;
};

static void parts_of(const json_t *f, struct parts *p)
{
	p->ek = b64u(jstr(f, "encrypted_key"), &p->eklen);
	p->iv = b64u(jstr(f, "iv"), &p->ivlen);
	p->ct = b64u(jstr(f, "ciphertext"), &p->ctlen);
	p->tag = b64u(jstr(f, "tag"), &p->taglen);
}

static void parts_free(struct parts *p)
{
	free(p->ek);
	free(p->iv);
	free(p->ct);
	free(p->tag);
}

static void expect_plaintext(const uint8_t *pt, size_t len)
{
	size_t wlen;
	uint8_t *want = vec_read("rfc7520_fig72.txt", &wlen);

	assert_int_equal(len, wlen);
	assert_memory_equal(pt, want, len);
	free(want);
}

static void expect_b64(const uint8_t *d, size_t n, const char *b64)
{
	size_t len;
	uint8_t *w = b64u(b64, &len);

	assert_int_equal(n, len);
	assert_memory_equal(d, w, n);
	free(w);
}

/* §5.4: ECDH-ES+A128KW on P-384, A128GCM. */
static void test_rfc7520_5_4(void **state)
{
	EVP_PKEY *key = vec_key("rfc7520_5.4.jwk"), *epk = NULL;
	json_t *f = vec_json("rfc7520_5.4.jwef"), *hdr;
	const char *prot = jstr(f, "protected");
	uint8_t *h, *z, kek[16], cek[16], pt[400];
	size_t hlen, zlen;
	struct parts p;
	struct err_msg why = { "" };

	parts_of(f, &p);
	h = b64u(prot, &hlen);
	hdr = json_loadb((const char *)h, hlen, 0, NULL);
	assert_non_null(hdr);
	assert_string_equal(jstr(hdr, "alg"), "ECDH-ES+A128KW");
	assert_int_equal(jwk_to_pkey(json_object_get(hdr, "epk"), &epk, &why), 0);
	assert_int_equal(jwa_ecdh(key, epk, &z, &zlen), 0);
	assert_int_equal(zlen, 48);
	assert_int_equal(jwa_concat_kdf(z, zlen, "ECDH-ES+A128KW", NULL, 0,
					NULL, 0, kek, 16), 0);
	assert_int_equal(p.eklen, 24);
	assert_int_equal(jwa_aes_kw_unwrap(kek, 16, p.ek, 24, cek), 0);
	expect_b64(cek, 16, "Nou2ueKlP70ZXDbq9UrRwg");
	assert_int_equal(p.ivlen, 12);
	assert_true(p.ctlen <= sizeof(pt));
	assert_int_equal(jwa_gcm_decrypt(cek, 16, p.iv, (const uint8_t *)prot,
					 strlen(prot), p.ct, p.ctlen, p.tag, pt), 0);
	expect_plaintext(pt, p.ctlen);

	/* jwe_decrypt() accepts only ECDH-ES+A256KW / A256GCM */
	{
		uint8_t *out = (uint8_t *)"x";
		size_t olen = 1;

		assert_int_equal(jwe_decrypt(key, f, &out, &olen, &why), -EINVAL);
		assert_null(out);
		assert_int_equal(olen, 0);
		assert_string_equal(why.msg, "JWE alg is not supported");
	}
	jose_free_secret(z, zlen);
	json_decref(hdr);
	json_decref(f);
	free(h);
	parts_free(&p);
	EVP_PKEY_free(epk);
	EVP_PKEY_free(key);
}

/* §5.2: RSA-OAEP (SHA-1) on RSA-4096, A256GCM, compact serialization. */
static void test_rfc7520_5_2(void **state)
{
	EVP_PKEY *key = vec_key("rfc7520_5.2.jwk");
	size_t clen;
	char *compact = (char *)vec_read("rfc7520_5.2.jwec", &clen);
	char *parts[5], *save = NULL, *t;
	uint8_t cek[32], pt[400], *out = NULL;
	json_t *f, *s;
	struct parts p;
	struct err_msg why = { "" };
	size_t olen, i = 0;

	compact[strcspn(compact, "\n")] = 0;
	s = json_string(compact);
	for (t = strtok_r(compact, ".", &save); t && i < 5; t = strtok_r(NULL, ".", &save))
		parts[i++] = t;
	assert_int_equal(i, 5);
	f = json_pack("{s:s,s:s,s:s,s:s,s:s}", "protected", parts[0],
		      "encrypted_key", parts[1], "iv", parts[2], "ciphertext",
		      parts[3], "tag", parts[4]);
	parts_of(f, &p);
	assert_int_equal(p.eklen, 512);
	assert_int_equal(jwa_rsa_decrypt(key, JWA_RSA_OAEP_SHA1, p.ek, p.eklen,
					 cek, 32), 0);
	expect_b64(cek, 32, "mYMfsggkTAm0TbvtlFh2hyoXnbEzJQjMxmgLN3d8xXA");
	/* RSA-OAEP-256 is another padding: it does not decrypt this */
	assert_int_equal(jwa_rsa_decrypt(key, JWA_RSA_OAEP_SHA256, p.ek, p.eklen,
					 cek, 32), -EBADMSG);
	assert_int_equal(jwa_rsa_decrypt(key, JWA_RSA_OAEP_SHA1, p.ek, p.eklen,
					 cek, 32), 0);
	assert_int_equal(jwa_gcm_decrypt(cek, 32, p.iv, (const uint8_t *)parts[0],
					 strlen(parts[0]), p.ct, p.ctlen, p.tag,
					 pt), 0);
	expect_plaintext(pt, p.ctlen);
	/* the compact form reaches the header check, which refuses RSA-OAEP */
	assert_int_equal(jwe_decrypt_ex(key, s, 0, &out, &olen, &why), -EINVAL);
	assert_string_equal(why.msg, "JWE alg is not supported");
	json_decref(f);
	json_decref(s);
	parts_free(&p);
	free(compact);
	EVP_PKEY_free(key);
}

/* A128CBC-HS256 (RFC 7518 §5.2.3), written here for the vector only. */
static int cbc_hs256_decrypt(const uint8_t cek[32], const char *aad,
			     const struct parts *p, uint8_t *out, int *outlen)
{
	uint8_t mac[32], *m;
	size_t aadlen = strlen(aad), mlen = aadlen + p->ivlen + p->ctlen + 8, i;
	uint64_t al = (uint64_t)aadlen * 8;
	unsigned int maclen = 0;
	EVP_CIPHER_CTX *c;
	int n = 0, ok;

	m = malloc(mlen);
	assert_non_null(m);
	memcpy(m, aad, aadlen);
	memcpy(m + aadlen, p->iv, p->ivlen);
	memcpy(m + aadlen + p->ivlen, p->ct, p->ctlen);
	for (i = 0; i < 8; i++)
		m[mlen - 1 - i] = (uint8_t)(al >> (8 * i));
	assert_non_null(HMAC(EVP_sha256(), cek, 16, m, mlen, mac, &maclen));
	free(m);
	if (p->taglen != 16 || memcmp(mac, p->tag, 16))
		return -EBADMSG;
	c = EVP_CIPHER_CTX_new();
	ok = EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), NULL, cek + 16, p->iv) &&
	     EVP_DecryptUpdate(c, out, &n, p->ct, (int)p->ctlen) &&
	     EVP_DecryptFinal_ex(c, out + n, outlen);
	*outlen += n;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : -EBADMSG;
}

/* §5.1: RSA1_5 on RSA-2048, A128CBC-HS256. */
static void test_rfc7520_5_1(void **state)
{
	EVP_PKEY *key = vec_key("rfc7520_5.1.jwk");
	json_t *f = vec_json("rfc7520_5.1.jwef");
	uint8_t cek[32], pt[400], *out = NULL;
	struct err_msg why = { "" };
	struct parts p;
	size_t olen;
	int n = 0;

	parts_of(f, &p);
	assert_int_equal(jwa_rsa_decrypt(key, JWA_RSA_PKCS1, p.ek, p.eklen, cek,
					 32), 0);
	expect_b64(cek, 32, "3qyTVhIWt5juqZUCpfRqpvauwB956MEJL2Rt-8qXKSo");
	assert_int_equal(cbc_hs256_decrypt(cek, jstr(f, "protected"), &p, pt, &n), 0);
	expect_plaintext(pt, (size_t)n);
	/* RSA1_5 is refused unless allowed; then the enc is refused */
	assert_int_equal(jwe_decrypt(key, f, &out, &olen, &why),
			 -EINVAL);
	assert_string_equal(why.msg, "JWE alg RSA1_5 is refused");
	assert_int_equal(jwe_decrypt_ex(key, f, JWE_ALLOW_RSA1_5, &out, &olen,
					&why), -EINVAL);
	assert_string_equal(why.msg, "JWE enc is not A256GCM");
	assert_null(out);
	json_decref(f);
	parts_free(&p);
	EVP_PKEY_free(key);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7520_5_4),
		cmocka_unit_test(test_rfc7520_5_2),
		cmocka_unit_test(test_rfc7520_5_1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
