/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SIG_H
#define CVMM_ATTEST_SIG_H

/*
 * ECDSA signatures in the raw layouts attestation formats use (R and S
 * as fixed-size integers, little-endian for SEV-SNP, big-endian for Intel
 * DCAP), verified with OpenSSL.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/*
 * Verify an ECDSA signature (R, S each @n bytes, in the given byte order)
 * over @msg with digest @md and public key @key.
 * Returns 0 when valid, -EBADMSG when not, -ENOMEM/-EINVAL on errors.
 */
int sig_ecdsa_verify(EVP_PKEY *key, const EVP_MD *md,
		     const uint8_t *msg, size_t len,
		     const uint8_t *r, const uint8_t *s, size_t n,
		     bool little_endian);

/* Build a P-256 public key from raw big-endian X ‖ Y (64 bytes). */
int sig_p256_key(const uint8_t xy[64], EVP_PKEY **out);

/* Is @key an EC key on the named curve (NID_secp384r1, ...)? */
bool sig_key_is_curve(EVP_PKEY *key, int nid);

#endif
