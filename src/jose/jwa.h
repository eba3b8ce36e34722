/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWA_H
#define CVMM_JOSE_JWA_H

/*
 * The JWA primitives (RFC 7518) behind jwe.c and jws.c, each a thin layer
 * over OpenSSL 3 EVP; exposed so that the RFC test vectors can exercise
 * them one by one.  All return 0 or a negative errno (-EINVAL for bad
 * arguments, -EBADMSG for failed authentication/unwrap, -ENOMEM, -EIO for
 * other OpenSSL failures).
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define JWA_GCM_IV_LEN	12
#define JWA_GCM_TAG_LEN	16

/* ECDH shared secret Z of @priv and @peer (same curve), *z freed by
 * jose_free_secret(*z, *zlen). */
int jwa_ecdh(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t **z, size_t *zlen);

/*
 * Concat KDF (NIST SP 800-56A §5.8.1, RFC 7518 §4.6.2) with SHA-256 via
 * OpenSSL's SSKDF: OtherInfo = len32(@alg) || @alg || len32(apu) || apu ||
 * len32(apv) || apv || be32(@outlen * 8).  @apu/@apv may be NULL with
 * length 0.
 */
int jwa_concat_kdf(const uint8_t *z, size_t zlen, const char *alg,
		   const uint8_t *apu, size_t apulen,
		   const uint8_t *apv, size_t apvlen,
		   uint8_t *out, size_t outlen);

/*
 * AES key wrap (RFC 3394, default IV) with a 16/24/32-byte @kek.
 * Wrap: @len a multiple of 8, >= 16; @out has @len + 8 bytes.
 * Unwrap: @len a multiple of 8, >= 24; @out has @len - 8 bytes;
 * -EBADMSG when the integrity check fails.
 */
int jwa_aes_kw_wrap(const uint8_t *kek, size_t keklen,
		    const uint8_t *in, size_t len, uint8_t *out);
int jwa_aes_kw_unwrap(const uint8_t *kek, size_t keklen,
		      const uint8_t *in, size_t len, uint8_t *out);

/*
 * AES-GCM with a 16/24/32-byte key, 96-bit IV and 128-bit tag.
 * @out has @len bytes.  Decrypt returns -EBADMSG on a tag mismatch (and
 * cleanses @out).
 */
int jwa_gcm_encrypt(const uint8_t *key, size_t keylen,
		    const uint8_t iv[JWA_GCM_IV_LEN],
		    const uint8_t *aad, size_t aadlen,
		    const uint8_t *in, size_t len,
		    uint8_t *out, uint8_t tag[JWA_GCM_TAG_LEN]);
int jwa_gcm_decrypt(const uint8_t *key, size_t keylen,
		    const uint8_t iv[JWA_GCM_IV_LEN],
		    const uint8_t *aad, size_t aadlen,
		    const uint8_t *in, size_t len,
		    const uint8_t tag[JWA_GCM_TAG_LEN], uint8_t *out);

enum jwa_rsa_pad {
	JWA_RSA_OAEP_SHA256,	/* RSA-OAEP-256 */
	JWA_RSA_OAEP_SHA1,	/* RSA-OAEP (test vectors only) */
	JWA_RSA_PKCS1,		/* RSA1_5 */
};

/* RSA encryption of @len bytes; *out (*outlen = modulus size) free()d. */
int jwa_rsa_encrypt(EVP_PKEY *pub, enum jwa_rsa_pad pad,
		    const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen);

/*
 * RSA decryption of a key of exactly @keylen bytes into @out.  Fails with
 * -EBADMSG for any bad block; for JWA_RSA_PKCS1 it instead fills @out
 * with random bytes and returns 0 when the block is bad or has the wrong
 * length (implicit rejection, RFC 7516 §11.5), so the caller's next step
 * (GCM) fails the same way either way.
 */
int jwa_rsa_decrypt(EVP_PKEY *priv, enum jwa_rsa_pad pad,
		    const uint8_t *in, size_t len,
		    uint8_t *out, size_t keylen);

/* Random bytes from OpenSSL's DRBG. */
int jwa_random(uint8_t *out, size_t len);

#endif
