// SPDX-License-Identifier: GPL-2.0-only
/* Strict JWE decryption (see jwe.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "jose/b64url.h"
#include "jose/jwa.h"
#include "jose/jwe.h"
#include "jose/jwe_int.h"
#include "jose/jwk.h"
#include "jose/jwk_util.h"
#include "util/err.h"

/* The five parts of a JWE, as text, and what they decode to. */
struct jwe_in {
	const json_t *uhdr;		/* flattened "header" (unprotected) */
	const char *prot, *aad;		/* as sent (base64url) */
	size_t protlen, aadlen;
	uint8_t *ek, *iv, *ct, *tag;
	size_t eklen, ivlen, ctlen, taglen;
	enum jwe_alg alg;
	EVP_PKEY *epk;
	uint8_t *apu, *apv;
	size_t apulen, apvlen;
};

static void jwe_in_free(struct jwe_in *in)
{
	free(in->ek);
	free(in->iv);
	free(in->ct);
	free(in->tag);
	free(in->apu);
	free(in->apv);
	EVP_PKEY_free(in->epk);
}

static int decode_part(const char *s, size_t n, const char *name,
		       uint8_t **out, size_t *len, struct err_msg *why)
{
	int ret;

	if (n > JWE_MAX_PAYLOAD / 3 * 4 + 4)
		return err_fail(why, -EINVAL, "\"%s\" is too long", name);
	ret = b64url_decode(s, n, out, len);
	if (ret == -EINVAL)
		err_fail(why, ret, "\"%s\" is not base64url", name);
	return ret;
}

static int split_compact(const char *s, size_t n, struct jwe_in *in,
			 struct err_msg *why)
{
	static const char *const names[5] = {
		"protected", "encrypted_key", "iv", "ciphertext", "tag",
	};
	uint8_t **outs[4] = { &in->ek, &in->iv, &in->ct, &in->tag };
	size_t *lens[4] = { &in->eklen, &in->ivlen, &in->ctlen, &in->taglen };
	const char *p = s, *end = s + n, *dot;
	size_t dots = 0, k;
	int i, ret;

	for (k = 0; k < n; k++)
		dots += s[k] == '.';
	if (dots != 4)
		return err_fail(why, -EINVAL, "compact JWE has not 5 parts");
	for (i = 0; i < 5; i++) {
		dot = memchr(p, '.', (size_t)(end - p));
		if (!dot)
			dot = end;
		if (i == 0) {
			in->prot = p;
			in->protlen = (size_t)(dot - p);
		} else {
			ret = decode_part(p, (size_t)(dot - p), names[i],
					  outs[i - 1], lens[i - 1], why);
			if (ret)
				return ret;
		}
		p = dot + 1;
	}
	return 0;
}

static int split_flattened(const json_t *o, struct jwe_in *in,
			   struct err_msg *why)
{
	static const char *const names[4] = {
		"encrypted_key", "iv", "ciphertext", "tag",
	};
	uint8_t **outs[4] = { &in->ek, &in->iv, &in->ct, &in->tag };
	size_t *lens[4] = { &in->eklen, &in->ivlen, &in->ctlen, &in->taglen };
	const char *key;
	json_t *v;
	int i, ret;

	json_object_foreach((json_t *)o, key, v) {
		if (!strcmp(key, "header") && json_is_object(v)) {
			in->uhdr = v;
			continue;
		}
		if (strcmp(key, "protected") && strcmp(key, "aad") &&
		    strcmp(key, names[0]) && strcmp(key, names[1]) &&
		    strcmp(key, names[2]) && strcmp(key, names[3]))
			return err_fail(why, -EINVAL,
					"JWE member \"%.40s\" is not supported", key);
		if (!json_is_string(v))
			return err_fail(why, -EINVAL, "JWE member \"%s\" is not a string",
					key);
	}
	v = json_object_get(o, "protected");
	if (!v)
		return err_fail(why, -EINVAL, "JWE has no protected header");
	in->prot = json_string_value(v);
	in->protlen = json_string_length(v);
	v = json_object_get(o, "aad");
	if (v) {
		in->aad = json_string_value(v);
		in->aadlen = json_string_length(v);
	}
	for (i = 0; i < 4; i++) {
		v = json_object_get(o, names[i]);
		if (!v)
			return err_fail(why, -EINVAL, "JWE has no \"%s\"", names[i]);
		ret = decode_part(json_string_value(v), json_string_length(v),
				  names[i], outs[i], lens[i], why);
		if (ret)
			return ret;
	}
	return 0;
}

/* epk: exactly {crv,kty,x,y}, a public key on the recipient's curve. */
static int check_epk(const json_t *epk, EVP_PKEY *priv, struct jwe_in *in,
		     struct err_msg *why)
{
	const char *crv = json_string_value(json_object_get(epk, "crv"));
	const char *kty = json_string_value(json_object_get(epk, "kty"));
	const char *key;
	json_t *v;

	if (!json_is_object(epk))
		return err_fail(why, -EINVAL, "JWE has no \"epk\" object");
	if (!kty || strcmp(kty, "EC"))
		return err_fail(why, -EINVAL, "\"epk\" is not an EC key");
	json_object_foreach((json_t *)epk, key, v)
		if (strcmp(key, "crv") && strcmp(key, "kty") &&
		    strcmp(key, "x") && strcmp(key, "y"))
			return err_fail(why, -EINVAL,
					"\"epk\" member \"%.40s\" is not allowed", key);
	if (!crv || !jwk_pkey_crv(priv) || strcmp(crv, jwk_pkey_crv(priv)))
		return err_fail(why, -EINVAL,
				"\"epk\" is not on the recipient key's curve");
	return jwk_to_pkey(epk, &in->epk, why);
}

static int check_party(const json_t *hdr, const char *name, uint8_t **out,
		       size_t *len, struct err_msg *why)
{
	int ret = jose_b64_member(hdr, name, 0, out, len, why);

	if (ret == -ENOENT)
		return 0;
	if (!ret && *len > 1024) {
		free(*out);
		*out = NULL;
		return err_fail(why, -EINVAL, "\"%s\" is too long", name);
	}
	return ret;
}

static int check_members(const json_t *hdr, struct err_msg *why)
{
	static const char *const allowed[] = {
		"alg", "enc", "epk", "apu", "apv", "kid", "typ", "cty",
	};
	const char *key;
	size_t i;
	json_t *v;

	json_object_foreach((json_t *)hdr, key, v) {
		for (i = 0; i < ARRAY_SIZE(allowed); i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (i == ARRAY_SIZE(allowed))
			return err_fail(why, -EINVAL,
					"JWE header \"%.40s\" is not supported", key);
	}
	return 0;
}

static int check_header(const json_t *hdr, EVP_PKEY *priv, unsigned flags,
			struct jwe_in *in, struct err_msg *why)
{
	const char *alg = json_string_value(json_object_get(hdr, "alg"));
	const char *enc = json_string_value(json_object_get(hdr, "enc"));
	int ecdh, ret = check_members(hdr, why);

	if (ret)
		return ret;
	if (jwe_alg_from_name(alg, &in->alg))
		return err_fail(why, -EINVAL, "JWE alg is not supported");
	if (in->alg == JWE_RSA1_5 && !(flags & JWE_ALLOW_RSA1_5))
		return err_fail(why, -EINVAL, "JWE alg RSA1_5 is refused");
	if (!enc || strcmp(enc, "A256GCM"))
		return err_fail(why, -EINVAL, "JWE enc is not A256GCM");
	if (!jwe_key_fits(priv, in->alg))
		return err_fail(why, -EINVAL, "JWE alg %s does not fit the key", alg);
	ecdh = in->alg == JWE_ECDH_ES_A256KW;
	if (!ecdh && (json_object_get(hdr, "epk") ||
		      json_object_get(hdr, "apu") || json_object_get(hdr, "apv")))
		return err_fail(why, -EINVAL, "JWE header has ECDH members for alg %s",
				alg);
	if (ecdh) {
		ret = check_epk(json_object_get(hdr, "epk"), priv, in, why);
		if (!ret)
			ret = check_party(hdr, "apu", &in->apu, &in->apulen,
					  why);
		if (!ret)
			ret = check_party(hdr, "apv", &in->apv, &in->apvlen,
					  why);
	}
	return ret;
}

static int check_parts(EVP_PKEY *priv, struct jwe_in *in, struct err_msg *why)
{
	size_t eklen = in->alg == JWE_ECDH_ES_A256KW ? 40 :
		       (size_t)EVP_PKEY_get_size(priv);
	uint8_t *aad = NULL;
	size_t aadlen;
	int ret;

	if (in->ivlen != JWA_GCM_IV_LEN)
		return err_fail(why, -EINVAL, "JWE iv is not 96 bits");
	if (in->taglen != JWA_GCM_TAG_LEN)
		return err_fail(why, -EINVAL, "JWE tag is not 128 bits");
	if (in->eklen != eklen)
		return err_fail(why, -EINVAL, "JWE encrypted_key has %zu bytes, not %zu",
				in->eklen, eklen);
	if (in->ctlen > JWE_MAX_PAYLOAD)
		return err_fail(why, -EINVAL, "JWE ciphertext is too long");
	if (!in->aad)
		return 0;
	ret = b64url_decode(in->aad, in->aadlen, &aad, &aadlen);
	free(aad);
	if (ret == -EINVAL)
		err_fail(why, ret, "\"aad\" is not base64url");
	return ret;
}

/*
 * Add the unprotected per-recipient header to @hdr: only epk, apu, apv
 * and kid may be there (a wrong value only makes the unwrap fail), never
 * alg or enc, and not a member the protected header has (RFC 7516 §7.2.1).
 */
static int merge_unprotected(json_t *hdr, const json_t *u, struct err_msg *why)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)u, key, v) {
		if (strcmp(key, "epk") && strcmp(key, "apu") &&
		    strcmp(key, "apv") && strcmp(key, "kid"))
			return err_fail(why, -EINVAL,
					"\"%.40s\" is not allowed in the unprotected header",
					key);
		if (json_object_get(hdr, key))
			return err_fail(why, -EINVAL, "\"%.40s\" is in both headers",
					key);
		if (json_object_set(hdr, key, v))
			return -ENOMEM;
	}
	return 0;
}

/* Parse and check the protected header (+ the unprotected one). */
static int parse_header(EVP_PKEY *priv, unsigned flags, struct jwe_in *in,
			struct err_msg *why)
{
	json_t *hdr;
	uint8_t *h;
	size_t hlen;
	int ret = decode_part(in->prot, in->protlen, "protected", &h, &hlen,
			      why);

	if (ret)
		return ret;
	hdr = json_loadb((const char *)h, hlen, JSON_REJECT_DUPLICATES, NULL);
	free(h);
	if (!json_is_object(hdr))
		ret = err_fail(why, -EINVAL, "JWE protected header is not a JSON object");
	else if (in->uhdr)
		ret = merge_unprotected(hdr, in->uhdr, why);
	if (!ret)
		ret = check_header(hdr, priv, flags, in, why);
	json_decref(hdr);
	return ret;
}

/* The CEK from the encrypted_key; any failure is -EBADMSG. */
static int unwrap_cek(EVP_PKEY *priv, struct jwe_in *in, uint8_t cek[32])
{
	uint8_t kek[32];
	int ret;

	if (in->alg != JWE_ECDH_ES_A256KW)
		return jwa_rsa_decrypt(priv, in->alg == JWE_RSA_OAEP_256 ?
				       JWA_RSA_OAEP_SHA256 : JWA_RSA_PKCS1,
				       in->ek, in->eklen, cek, 32) ? -EBADMSG : 0;
	ret = jwe_ecdh_kek(priv, in->epk, in->apu, in->apulen, in->apv,
			   in->apvlen, kek);
	if (!ret)
		ret = jwa_aes_kw_unwrap(kek, 32, in->ek, in->eklen, cek);
	OPENSSL_cleanse(kek, sizeof(kek));
	return ret ? -EBADMSG : 0;
}

/* AAD = ASCII(protected) [ "." ASCII(aad) ] (RFC 7516 §5.2 step 14). */
static int content_decrypt(const uint8_t cek[32], struct jwe_in *in,
			   uint8_t **pt, size_t *len)
{
	size_t alen = in->protlen + (in->aad ? 1 + in->aadlen : 0);
	uint8_t *aad = malloc(alen ? alen : 1), *out;
	int ret;

	if (!aad)
		return -ENOMEM;
	memcpy(aad, in->prot, in->protlen);
	if (in->aad) {
		aad[in->protlen] = '.';
		memcpy(aad + in->protlen + 1, in->aad, in->aadlen);
	}
	out = malloc(in->ctlen + 1);
	if (!out) {
		free(aad);
		return -ENOMEM;
	}
	ret = jwa_gcm_decrypt(cek, 32, in->iv, aad, alen, in->ct, in->ctlen,
			      in->tag, out);
	free(aad);
	if (ret) {
		jose_free_secret(out, in->ctlen + 1);
		return ret == -ENOMEM ? ret : -EBADMSG;
	}
	out[in->ctlen] = 0;
	*pt = out;
	*len = in->ctlen;
	return 0;
}

int jwe_decrypt_ex(EVP_PKEY *priv, const json_t *jwe, unsigned flags,
		   uint8_t **pt, size_t *len, struct err_msg *why)
{
	struct jwe_in in = { 0 };
	uint8_t cek[32];
	int ret;

	*pt = NULL;
	*len = 0;
	if (json_is_string(jwe))
		ret = split_compact(json_string_value(jwe),
				    json_string_length(jwe), &in, why);
	else if (json_is_object(jwe))
		ret = split_flattened(jwe, &in, why);
	else
		ret = err_fail(why, -EINVAL,
			       "JWE is neither an object nor a compact string");
	if (!ret)
		ret = parse_header(priv, flags, &in, why);
	if (!ret)
		ret = check_parts(priv, &in, why);
	if (!ret)
		ret = unwrap_cek(priv, &in, cek);
	if (!ret)
		ret = content_decrypt(cek, &in, pt, len);
	if (ret == -EBADMSG)
		err_fail(why, ret, "decryption failed");
	OPENSSL_cleanse(cek, sizeof(cek));
	jwe_in_free(&in);
	return ret;
}

int jwe_decrypt(EVP_PKEY *priv, const json_t *flattened,
		uint8_t **pt, size_t *len, struct err_msg *why)
{
	if (!json_is_object(flattened))
		return err_fail(why, -EINVAL, "JWE is not a JSON object");
	return jwe_decrypt_ex(priv, flattened, 0, pt, len, why);
}
