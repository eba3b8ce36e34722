// SPDX-License-Identifier: GPL-2.0-only
/*
 * JWA primitives: RFC 7518 Appendix C (ECDH-ES + Concat KDF), RFC 3394 §4
 * (AES key wrap), AES-GCM and RSA behaviour.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "jose/jwa.h"
#include "jose/jwk.h"
#include "jose/secret.h"

/* RFC 7518 Appendix C: Alice's ephemeral key and Bob's key, Z, the key. */
static const char alice[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
	"\"x\":\"gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0\","
	"\"y\":\"SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps\","
	"\"d\":\"0_NxaRPUMQoAJt50Gz8YiTr8gRTwyEaCumd-MToTmIo\"}";
static const char bob[] = "{\"kty\":\"EC\",\"crv\":\"P-256\","
	"\"x\":\"weNJy2HscCSM6AEDTDg04biOvhFhyyWvOHQfeF_PxMQ\","
	"\"y\":\"e8lnCO-AlStT-NJVX-crhB7QRYhiix03illJOVAOyck\","
	"\"d\":\"VEmDZpDXXK8p8N0Cndsxs924q6nS1RXFASRl6BfUqdw\"}";
static const uint8_t appc_z[32] = {
	158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38,
	156, 251, 49, 110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254,
	144, 196,
};
static const uint8_t appc_key[16] = {
	86, 170, 141, 234, 248, 35, 109, 32, 92, 34, 40, 205, 113, 167, 16, 26,
};

static EVP_PKEY *key_from(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);
	EVP_PKEY *k = NULL;

	assert_non_null(j);
	assert_int_equal(jwk_private_to_pkey(j, &k, NULL), 0);
	json_decref(j);
	return k;
}

static void test_rfc7518_appendix_c(void **state)
{
	EVP_PKEY *a = key_from(alice), *b = key_from(bob);
	uint8_t *z = NULL, *z2 = NULL, out[16];
	size_t zlen = 0, z2len = 0;

	/* both sides agree on Z, and it is the RFC's */
	assert_int_equal(jwa_ecdh(a, b, &z, &zlen), 0);
	assert_int_equal(jwa_ecdh(b, a, &z2, &z2len), 0);
	assert_int_equal(zlen, 32);
	assert_memory_equal(z, appc_z, 32);
	assert_memory_equal(z2, appc_z, 32);
	/* OpenSSL's SSKDF is the Concat KDF: AlgorithmID "A128GCM",
	 * PartyUInfo "Alice", PartyVInfo "Bob", 128 bits */
	assert_int_equal(jwa_concat_kdf(z, zlen, "A128GCM",
					(const uint8_t *)"Alice", 5,
					(const uint8_t *)"Bob", 3, out, 16), 0);
	assert_memory_equal(out, appc_key, 16);
	/* any other party info gives another key */
	assert_int_equal(jwa_concat_kdf(z, zlen, "A128GCM",
					(const uint8_t *)"Alice", 5, NULL, 0,
					out, 16), 0);
	assert_memory_not_equal(out, appc_key, 16);
	jose_free_secret(z, zlen);
	jose_free_secret(z2, z2len);
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
}

static void test_ecdh_curve_mismatch(void **state)
{
	EVP_PKEY *a = key_from(alice), *p384 = jwk_generate("P-384");
	uint8_t *z = NULL;
	size_t zlen;

	assert_non_null(p384);
	assert_true(jwa_ecdh(a, p384, &z, &zlen) < 0);
	assert_null(z);
	EVP_PKEY_free(a);
	EVP_PKEY_free(p384);
}

/* RFC 3394 §4.1 (128-bit KEK, 128-bit data) and §4.6 (256 / 256). */
static void test_rfc3394(void **state)
{
	static const struct {
		const char *kek, *data, *wrapped;
	} v[] = {
		{ "000102030405060708090A0B0C0D0E0F",
		  "00112233445566778899AABBCCDDEEFF",
		  "1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5" },
		{ "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F",
		  "00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F",
		  "28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43B"
		  "FB988B9B7A02DD21" },
	};
	uint8_t kek[32], data[32], want[40], out[40], back[32];
	size_t i, kl, dl, wl;

	for (i = 0; i < 2; i++) {
		kl = hex2bin(v[i].kek, kek, sizeof(kek));
		dl = hex2bin(v[i].data, data, sizeof(data));
		wl = hex2bin(v[i].wrapped, want, sizeof(want));
		assert_int_equal(wl, dl + 8);
		assert_int_equal(jwa_aes_kw_wrap(kek, kl, data, dl, out), 0);
		assert_memory_equal(out, want, wl);
		assert_int_equal(jwa_aes_kw_unwrap(kek, kl, want, wl, back), 0);
		assert_memory_equal(back, data, dl);
		/* integrity check: one flipped bit anywhere fails */
		want[wl - 1] ^= 1;
		assert_int_equal(jwa_aes_kw_unwrap(kek, kl, want, wl, back), -EBADMSG);
		want[wl - 1] ^= 1;
		want[0] ^= 0x80;
		assert_int_equal(jwa_aes_kw_unwrap(kek, kl, want, wl, back), -EBADMSG);
		kek[0] ^= 1;
		want[0] ^= 0x80;
		assert_int_equal(jwa_aes_kw_unwrap(kek, kl, want, wl, back), -EBADMSG);
	}
	/* lengths: not a multiple of 8, too short, bad KEK size */
	assert_int_equal(jwa_aes_kw_wrap(kek, 32, data, 12, out), -EINVAL);
	assert_int_equal(jwa_aes_kw_wrap(kek, 32, data, 8, out), -EINVAL);
	assert_int_equal(jwa_aes_kw_wrap(kek, 20, data, 16, out), -EINVAL);
	assert_int_equal(jwa_aes_kw_unwrap(kek, 32, want, 16, back), -EINVAL);
	assert_int_equal(jwa_aes_kw_unwrap(kek, 32, want, 36, back), -EINVAL);
}

static void test_gcm(void **state)
{
	static const uint8_t key[32] = { 1, 2, 3 }, iv[12] = { 9 };
	const uint8_t aad[] = "header";
	uint8_t pt[100], ct[100], back[100], tag[16];
	size_t i;

	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)i;
	assert_int_equal(jwa_gcm_encrypt(key, 32, iv, aad, 6, pt, 100, ct, tag), 0);
	assert_memory_not_equal(ct, pt, 100);
	assert_int_equal(jwa_gcm_decrypt(key, 32, iv, aad, 6, ct, 100, tag, back), 0);
	assert_memory_equal(back, pt, 100);
	/* AAD, tag, ciphertext, IV each authenticated */
	assert_int_equal(jwa_gcm_decrypt(key, 32, iv, aad, 5, ct, 100, tag, back),
			 -EBADMSG);
	tag[15] ^= 1;
	assert_int_equal(jwa_gcm_decrypt(key, 32, iv, aad, 6, ct, 100, tag, back),
			 -EBADMSG);
	tag[15] ^= 1;
	ct[50] ^= 1;
	assert_int_equal(jwa_gcm_decrypt(key, 32, iv, aad, 6, ct, 100, tag, back),
			 -EBADMSG);
	/* a failed decryption leaves no plaintext behind */
	for (i = 0; i < sizeof(back); i++)
		assert_int_equal(back[i], 0);
	ct[50] ^= 1;
	assert_int_equal(jwa_gcm_decrypt(key, 16, iv, aad, 6, ct, 100, tag, back),
			 -EBADMSG);
	assert_int_equal(jwa_gcm_decrypt(key, 20, iv, aad, 6, ct, 100, tag, back),
			 -EINVAL);
	/* empty plaintext and AAD */
	assert_int_equal(jwa_gcm_encrypt(key, 32, iv, NULL, 0, NULL, 0, ct, tag), 0);
	assert_int_equal(jwa_gcm_decrypt(key, 32, iv, NULL, 0, NULL, 0, tag, back), 0);
}

static void test_rsa(void **state)
{
	EVP_PKEY *k = jwk_generate("RSA-2048"), *other = jwk_generate("RSA-2048");
	uint8_t cek[32] = { 7, 7, 7 }, out[32], out2[32], *ct = NULL;
	size_t ctlen = 0;

	assert_non_null(k);
	assert_non_null(other);
	assert_int_equal(jwa_rsa_encrypt(k, JWA_RSA_OAEP_SHA256, cek, 32, &ct,
					 &ctlen), 0);
	assert_int_equal(ctlen, 256);
	assert_int_equal(jwa_rsa_decrypt(k, JWA_RSA_OAEP_SHA256, ct, ctlen, out,
					 32), 0);
	assert_memory_equal(out, cek, 32);
	/* the wrong padding, key or length fails */
	assert_int_equal(jwa_rsa_decrypt(k, JWA_RSA_OAEP_SHA1, ct, ctlen, out, 32),
			 -EBADMSG);
	assert_int_equal(jwa_rsa_decrypt(other, JWA_RSA_OAEP_SHA256, ct, ctlen,
					 out, 32), -EBADMSG);
	assert_int_equal(jwa_rsa_decrypt(k, JWA_RSA_OAEP_SHA256, ct, ctlen, out,
					 16), -EBADMSG);
	free(ct);
	/* PKCS#1 v1.5: a bad block or length gives a random key, no error */
	assert_int_equal(jwa_rsa_encrypt(k, JWA_RSA_PKCS1, cek, 32, &ct, &ctlen), 0);
	assert_int_equal(jwa_rsa_decrypt(k, JWA_RSA_PKCS1, ct, ctlen, out, 32), 0);
	assert_memory_equal(out, cek, 32);
	assert_int_equal(jwa_rsa_decrypt(other, JWA_RSA_PKCS1, ct, ctlen, out, 32), 0);
	assert_int_equal(jwa_rsa_decrypt(other, JWA_RSA_PKCS1, ct, ctlen, out2, 32), 0);
	assert_memory_not_equal(out, cek, 32);
	assert_memory_not_equal(out, out2, 32);
	assert_int_equal(jwa_rsa_decrypt(k, JWA_RSA_PKCS1, ct, ctlen, out, 16), 0);
	assert_memory_not_equal(out, cek, 16);
	free(ct);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7518_appendix_c),
		cmocka_unit_test(test_ecdh_curve_mismatch),
		cmocka_unit_test(test_rfc3394),
		cmocka_unit_test(test_gcm),
		cmocka_unit_test(test_rsa),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
