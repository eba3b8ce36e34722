/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_JOSE_HELPERS_H
#define CVMM_TESTS_JOSE_HELPERS_H

/* Shared by the src/jose unit tests. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#ifndef JOSE_VECTORS
#error "JOSE_VECTORS must name tests/unit/jose/vectors"
#endif

/* A file of tests/unit/jose/vectors (fails the test if missing). */
uint8_t *vec_read(const char *name, size_t *len);
/* A JSON vector file. */
json_t *vec_json(const char *name);
/* A private key from a private-JWK vector file. */
EVP_PKEY *vec_key(const char *name);

/* Hex string -> bytes (fails the test on bad hex); returns the length. */
size_t hex2bin(const char *hex, uint8_t *out, size_t max);
/* Base64url string -> fresh buffer (fails the test on bad input). */
uint8_t *b64u(const char *s, size_t *len);

/* A JSON string member of @o (fails the test if absent). */
const char *jstr(const json_t *o, const char *name);

#endif
