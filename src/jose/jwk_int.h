/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWK_INT_H
#define CVMM_JOSE_JWK_INT_H

/* Key builders shared by jwk.c and jwk_private.c.  Internal to src/jose. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "util/err.h"

/* EC / OKP key from the JWK's crv, x (, y) and, when @d is given, d. */
int jwk_build_ec(const json_t *jwk, const uint8_t *d, size_t dlen,
		 EVP_PKEY **pkey, struct err_msg *why);
int jwk_build_okp(const json_t *jwk, const uint8_t *d, size_t dlen,
		  EVP_PKEY **pkey, struct err_msg *why);

/* Minimal positive big-endian integer member @name -> *bn (BN_free()). */
int jwk_bn_member(const json_t *jwk, const char *name, BIGNUM **bn,
		  struct err_msg *why);

/* Check "n" and "e" (>= 2048 bits, odd) and push them to @bld. */
int jwk_rsa_public(const json_t *jwk, OSSL_PARAM_BLD *bld, BIGNUM **n,
		   BIGNUM **e, struct err_msg *why);

/* Build a key of @type ("EC", "RSA") from @params and check it. */
int jwk_pkey_from_params(const char *type, OSSL_PARAM *params,
			 int selection, EVP_PKEY **out);

#endif
