// SPDX-License-Identifier: GPL-2.0-only
/* JWE encryption (see jwe.h); decryption is in jwe_decrypt.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "jose/b64url.h"
#include "jose/jcs.h"
#include "jose/jwa.h"
#include "jose/jwe.h"
#include "jose/jwe_int.h"
#include "jose/jwk.h"
#include "jose/jwk_util.h"

static const char *const alg_names[] = {
	[JWE_ECDH_ES_A256KW] = "ECDH-ES+A256KW",
	[JWE_RSA_OAEP_256] = "RSA-OAEP-256",
	[JWE_RSA1_5] = "RSA1_5",
};

int jwe_alg_from_name(const char *name, enum jwe_alg *alg)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(alg_names); i++) {
		if (!strcmp(name, alg_names[i])) {
			*alg = (enum jwe_alg)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *jwe_alg_name(enum jwe_alg alg)
{
	return (unsigned)alg < ARRAY_SIZE(alg_names) ? alg_names[alg] : NULL;
}

int jwe_key_fits(EVP_PKEY *key, enum jwe_alg alg)
{
	if (!key)
		return 0;
	if (alg == JWE_ECDH_ES_A256KW)
		return jose_curve_of(key) != NULL;
	return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA &&
	       EVP_PKEY_get_bits(key) >= 2048;
}

int jwe_ecdh_kek(EVP_PKEY *priv, EVP_PKEY *peer, const uint8_t *apu,
		 size_t apulen, const uint8_t *apv, size_t apvlen,
		 uint8_t kek[32])
{
	uint8_t *z = NULL;
	size_t zlen = 0;
	int ret = jwa_ecdh(priv, peer, &z, &zlen);

	if (ret)
		return ret;
	ret = jwa_concat_kdf(z, zlen, alg_names[JWE_ECDH_ES_A256KW], apu,
			     apulen, apv, apvlen, kek, 32);
	jose_free_secret(z, zlen);
	return ret;
}

/* ECDH-ES+A256KW: a fresh ephemeral key, its epk in @hdr, the wrapped CEK. */
static int ecdh_wrap(EVP_PKEY *rcpt, const uint8_t cek[32], json_t *hdr,
		     uint8_t **ek, size_t *eklen)
{
	EVP_PKEY *eph = jwk_generate(jwk_pkey_crv(rcpt));
	uint8_t kek[32];
	json_t *epk;
	int ret;

	if (!eph)
		return -EIO;
	ret = jwe_ecdh_kek(eph, rcpt, NULL, 0, NULL, 0, kek);
	if (ret)
		goto out;
	ret = -ENOMEM;
	*ek = malloc(40);
	if (!*ek)
		goto out;
	ret = jwa_aes_kw_wrap(kek, 32, cek, 32, *ek);
	if (ret)
		goto out;
	*eklen = 40;
	epk = jwk_from_pkey(eph, NULL);
	ret = epk && !json_object_set_new(hdr, "epk", epk) ? 0 : -ENOMEM;
out:
	if (ret) {
		free(*ek);
		*ek = NULL;
	}
	OPENSSL_cleanse(kek, sizeof(kek));
	EVP_PKEY_free(eph);
	return ret;
}

static int set_b64(json_t *o, const char *name, const uint8_t *d, size_t n)
{
	char *s = b64url_encode(d, n);
	int ret = s ? json_object_set_new(o, name, json_string(s)) : -1;

	free(s);
	return ret ? -ENOMEM : 0;
}

/* Content encryption under @cek with AAD = @prot; the members of @out. */
static int encrypt_content(const uint8_t cek[32], const char *prot,
			   const uint8_t *pt, size_t len, json_t *out)
{
	uint8_t iv[JWA_GCM_IV_LEN], tag[JWA_GCM_TAG_LEN];
	uint8_t *ct = malloc(len ? len : 1);
	int ret = -ENOMEM;

	if (!ct)
		return -ENOMEM;
	ret = jwa_random(iv, sizeof(iv));
	if (!ret)
		ret = jwa_gcm_encrypt(cek, 32, iv, (const uint8_t *)prot,
				      strlen(prot), pt, len, ct, tag);
	if (!ret)
		ret = set_b64(out, "iv", iv, sizeof(iv));
	if (!ret)
		ret = set_b64(out, "ciphertext", ct, len);
	if (!ret)
		ret = set_b64(out, "tag", tag, sizeof(tag));
	free(ct);
	return ret;
}

static int key_management(EVP_PKEY *rcpt, enum jwe_alg alg,
			  const uint8_t cek[32], json_t *hdr,
			  uint8_t **ek, size_t *eklen)
{
	if (alg == JWE_ECDH_ES_A256KW)
		return ecdh_wrap(rcpt, cek, hdr, ek, eklen);
	return jwa_rsa_encrypt(rcpt, alg == JWE_RSA_OAEP_256 ?
			       JWA_RSA_OAEP_SHA256 : JWA_RSA_PKCS1,
			       cek, 32, ek, eklen);
}

int jwe_encrypt(EVP_PKEY *recipient, enum jwe_alg alg,
		const uint8_t *pt, size_t len, json_t **flattened)
{
	json_t *hdr = NULL, *out = NULL;
	uint8_t cek[32], *ek = NULL;
	char *hjson = NULL, *prot = NULL;
	size_t eklen = 0;
	int ret;

	if (!jwe_alg_name(alg) || !jwe_key_fits(recipient, alg) ||
	    (!pt && len) || len > JWE_MAX_PAYLOAD)
		return -EINVAL;
	ret = jwa_random(cek, sizeof(cek));
	if (ret)
		return ret;
	ret = -ENOMEM;
	hdr = json_pack("{s:s, s:s}", "alg", alg_names[alg], "enc", "A256GCM");
	out = json_object();
	if (!hdr || !out)
		goto out;
	ret = key_management(recipient, alg, cek, hdr, &ek, &eklen);
	if (!ret)
		ret = jcs_serialize(hdr, &hjson, NULL);
	if (ret)
		goto out;
	prot = b64url_encode((const uint8_t *)hjson, strlen(hjson));
	ret = prot && !json_object_set_new(out, "protected", json_string(prot)) ?
	      0 : -ENOMEM;
	if (!ret)
		ret = set_b64(out, "encrypted_key", ek, eklen);
	if (!ret)
		ret = encrypt_content(cek, prot, pt, len, out);
	if (!ret) {
		*flattened = out;
		out = NULL;
	}
out:
	OPENSSL_cleanse(cek, sizeof(cek));
	json_decref(hdr);
	json_decref(out);
	free(hjson);
	free(prot);
	free(ek);
	return ret;
}

char *jwe_to_compact(const json_t *f)
{
	static const char *const parts[] = {
		"protected", "encrypted_key", "iv", "ciphertext", "tag",
	};
	const char *s[5];
	size_t i, n = 0;
	char *out, *p;

	for (i = 0; i < 5; i++) {
		s[i] = json_string_value(json_object_get(f, parts[i]));
		if (!s[i])
			return NULL;
		n += strlen(s[i]) + 1;
	}
	if (json_object_get(f, "aad"))
		return NULL;	/* compact form has no AAD */
	out = malloc(n);
	if (!out)
		return NULL;
	for (p = out, i = 0; i < 5; i++)
		p += sprintf(p, "%s%s", i ? "." : "", s[i]);
	return out;
}
