// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "attest/sig.h"

int sig_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md,
		     const uint8_t *msg, size_t len,
		     const uint8_t *r, const uint8_t *s, size_t n,
		     bool little_endian)
{
	EVP_MD_CTX *mctx = NULL;
	ECDSA_SIG *sig = NULL;
	BIGNUM *br = NULL, *bs = NULL;
	unsigned char *der = NULL;
	int der_len, ret = -ENOMEM, rc;

	if (!key || n > 128)
		return -EINVAL;
	if (little_endian) {
		br = BN_lebin2bn(r, (int)n, NULL);
		bs = BN_lebin2bn(s, (int)n, NULL);
	} else {
		br = BN_bin2bn(r, (int)n, NULL);
		bs = BN_bin2bn(s, (int)n, NULL);
	}
	sig = ECDSA_SIG_new();
	if (!br || !bs || !sig)
		goto out;
	if (!ECDSA_SIG_set0(sig, br, bs))
		goto out;
	br = bs = NULL;
	der_len = i2d_ECDSA_SIG(sig, &der);
	if (der_len <= 0)
		goto out;
	mctx = EVP_MD_CTX_new();
	if (!mctx)
		goto out;
	if (EVP_DigestVerifyInit(mctx, NULL, md, NULL, key) != 1) {
		ret = -EINVAL;
		goto out;
	}
	rc = EVP_DigestVerify(mctx, der, (size_t)der_len, msg, len);
	ret = rc == 1 ? 0 : -EBADMSG;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(mctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	BN_free(br);
	BN_free(bs);
	return ret;
}

int sig_p256_key(const uint8_t xy[64], EVP_PKEY **out)
{
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	uint8_t point[65];
	char group[] = "prime256v1";
	int ret = -EINVAL;

	*out = NULL;
	point[0] = 0x04;
	memcpy(point + 1, xy, 64);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      point, sizeof(point));
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_fromdata_init(ctx) == 1 &&
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) == 1)
		ret = 0;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

bool sig_key_is_curve(EVP_PKEY *key, int nid)
{
	char name[64];
	size_t len = 0;

	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
		return false;
	if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
					   name, sizeof(name), &len) != 1) {
		ERR_clear_error();
		return false;
	}
	return OBJ_txt2nid(name) == nid || OBJ_sn2nid(name) == nid ||
	       OBJ_ln2nid(name) == nid;
}
