/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWE_INT_H
#define CVMM_JOSE_JWE_INT_H

/* Shared by jwe.c and jwe_decrypt.c.  Internal to src/jose. */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "jose/jwe.h"

/* Does @key have the type @alg needs (EC P-256/384/521, RSA >= 2048)? */
int jwe_key_fits(EVP_PKEY *key, enum jwe_alg alg);

/* ECDH-ES+A256KW key-encryption key: Concat KDF over ECDH(priv, peer). */
int jwe_ecdh_kek(EVP_PKEY *priv, EVP_PKEY *peer, const uint8_t *apu,
		 size_t apulen, const uint8_t *apv, size_t apvlen,
		 uint8_t kek[32]);

#endif
