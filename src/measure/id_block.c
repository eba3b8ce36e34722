// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "measure/digest.h"
#include "measure/id_block.h"
#include "util/bytes.h"

#define P384_COORD	72	/* little-endian, zero-extended */

void snp_id_block_encode(const struct snp_id_block *b, uint8_t out[SNP_ID_BLOCK_LEN])
{
	memcpy(out, b->ld, 48);
	memcpy(out + 48, b->family_id, 16);
	memcpy(out + 64, b->image_id, 16);
	put_le(out + 80, b->version, 4);
	put_le(out + 84, b->guest_svn, 4);
	put_le(out + 88, b->policy, 8);
}

int snp_key_load_pem(const uint8_t *pem, size_t len, EVP_PKEY **key)
{
	char group[32];
	size_t glen = 0;
	EVP_PKEY *k;
	BIO *bio;

	*key = NULL;
	if (len > (1 << 20))
		return -EINVAL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio)
		return -ENOMEM;
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!k)
		return -EINVAL;
	if (!EVP_PKEY_is_a(k, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME,
					    group, sizeof(group), &glen) ||
	    strcmp(group, "secp384r1")) {
		EVP_PKEY_free(k);
		return -EINVAL;
	}
	*key = k;
	return 0;
}

void snp_key_free(EVP_PKEY *key)
{
	EVP_PKEY_free(key);
}

static int bn_le(const BIGNUM *bn, uint8_t out[P384_COORD])
{
	return BN_bn2lebinpad(bn, out, P384_COORD) == P384_COORD ? 0 : -EINVAL;
}

int snp_pubkey_encode(EVP_PKEY *key, uint8_t out[SNP_PUBKEY_LEN])
{
	BIGNUM *x = NULL, *y = NULL;
	int ret = -EINVAL;

	memset(out, 0, SNP_PUBKEY_LEN);
	if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
		goto out;
	put_le(out, SNP_CURVE_P384, 4);
	ret = bn_le(x, out + 4);
	if (!ret)
		ret = bn_le(y, out + 4 + P384_COORD);
out:
	BN_free(x);
	BN_free(y);
	return ret;
}

int snp_key_digest(EVP_PKEY *key, uint8_t out[48])
{
	uint8_t pub[SNP_PUBKEY_LEN];
	int ret = snp_pubkey_encode(key, pub);

	return ret ? ret : md_sha384(pub, sizeof(pub), out);
}

int snp_sign(EVP_PKEY *key, const uint8_t *data, size_t len, uint8_t sig[SNP_SIG_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const BIGNUM *r, *s;
	const uint8_t *p;
	ECDSA_SIG *es = NULL;
	uint8_t der[256];
	size_t dlen = sizeof(der);
	int ret = -EIO;

	memset(sig, 0, SNP_SIG_LEN);
	if (!ctx)
		return -ENOMEM;
	if (!EVP_DigestSignInit_ex(ctx, NULL, "SHA384", NULL, NULL, key, NULL) ||
	    !EVP_DigestSign(ctx, der, &dlen, data, len))
		goto out;
	p = der;
	es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	if (!es)
		goto out;
	ECDSA_SIG_get0(es, &r, &s);
	ret = bn_le(r, sig);
	if (!ret)
		ret = bn_le(s, sig + P384_COORD);
out:
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ret;
}

int snp_verify(EVP_PKEY *key, const uint8_t *data, size_t len, const uint8_t sig[SNP_SIG_LEN])
{
	BIGNUM *r = BN_lebin2bn(sig, P384_COORD, NULL);
	BIGNUM *s = BN_lebin2bn(sig + P384_COORD, P384_COORD, NULL);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	ECDSA_SIG *es = ECDSA_SIG_new();
	uint8_t *der = NULL;
	int dlen, ret = -ENOMEM;

	if (!r || !s || !ctx || !es)
		goto out;
	if (!ECDSA_SIG_set0(es, r, s))
		goto out;
	r = s = NULL;
	dlen = i2d_ECDSA_SIG(es, &der);
	if (dlen <= 0)
		goto out;
	ret = -EBADMSG;
	if (EVP_DigestVerifyInit_ex(ctx, NULL, "SHA384", NULL, NULL, key, NULL) &&
	    EVP_DigestVerify(ctx, der, (size_t)dlen, data, len) == 1)
		ret = 0;
out:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	EVP_MD_CTX_free(ctx);
	return ret;
}

void snp_id_auth_assemble(const uint8_t block_sig[SNP_SIG_LEN],
			  const uint8_t id_key[SNP_PUBKEY_LEN],
			  const uint8_t id_key_sig[SNP_SIG_LEN],
			  const uint8_t author_key[SNP_PUBKEY_LEN],
			  uint8_t out[SNP_ID_AUTH_LEN])
{
	memset(out, 0, SNP_ID_AUTH_LEN);
	put_le(out, SNP_ALGO_ECDSA_P384, 4);
	put_le(out + 4, SNP_ALGO_ECDSA_P384, 4);
	memcpy(out + SNP_ID_AUTH_OFF_BLOCK_SIG, block_sig, SNP_SIG_LEN);
	memcpy(out + SNP_ID_AUTH_OFF_ID_KEY, id_key, SNP_PUBKEY_LEN);
	memcpy(out + SNP_ID_AUTH_OFF_ID_KEY_SIG, id_key_sig, SNP_SIG_LEN);
	memcpy(out + SNP_ID_AUTH_OFF_AUTHOR_KEY, author_key, SNP_PUBKEY_LEN);
}

int snp_id_auth_build(EVP_PKEY *id_key, EVP_PKEY *author_key,
		      const uint8_t id_block[SNP_ID_BLOCK_LEN],
		      uint8_t out[SNP_ID_AUTH_LEN])
{
	uint8_t block_sig[SNP_SIG_LEN], id_key_sig[SNP_SIG_LEN];
	uint8_t id_pub[SNP_PUBKEY_LEN], author_pub[SNP_PUBKEY_LEN];
	int ret;

	ret = snp_pubkey_encode(id_key, id_pub);
	if (!ret)
		ret = snp_pubkey_encode(author_key, author_pub);
	if (!ret)
		ret = snp_sign(id_key, id_block, SNP_ID_BLOCK_LEN, block_sig);
	if (!ret)
		ret = snp_sign(author_key, id_pub, SNP_PUBKEY_LEN, id_key_sig);
	if (ret)
		return ret;
	snp_id_auth_assemble(block_sig, id_pub, id_key_sig, author_pub, out);
	return 0;
}
