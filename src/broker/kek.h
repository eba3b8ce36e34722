/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_KEK_H
#define CVMM_BROKER_KEK_H

/*
 * Envelope encryption of secrets at rest.  Each secret gets a fresh random
 * 256-bit data-encryption key (DEK); the secret is sealed with AES-256-GCM
 * under the DEK, and the DEK is sealed with AES-256-GCM under the
 * key-encryption key (KEK) read from a file.  Both seals bind the resource
 * path (and the DEK seal the KEK id) as additional authenticated data, so
 * a row copied to another path or mixed with another KEK's DEK fails to
 * open.  Blob layout: IV(12) ‖ ciphertext ‖ tag(16).
 *
 * The KEK id is SHA-256("cvmm-broker kek id" ‖ KEK), hex, first 16 bytes:
 * it names the KEK in the store without revealing it.
 */
#include <stddef.h>
#include <stdint.h>

#include "broker/secret.h"
#include "util/err.h"

#define KEK_LEN		32
#define KEK_ID_HEX	32		/* characters, without NUL */
#define SEAL_IV		12
#define SEAL_TAG	16
#define SEAL_OVERHEAD	(SEAL_IV + SEAL_TAG)
#define KEK_SECRET_MAX	(16u << 20)	/* largest secret sealed */

struct kek {
	struct secret key;		/* KEK_LEN bytes */
	char id[KEK_ID_HEX + 1];
};

/*
 * Read a KEK file: exactly 32 raw bytes, or 64 hex digits (optionally
 * followed by a newline).  The file must not be readable by group or
 * others.  0 or -errno; @why says what is wrong.
 */
int kek_load(const char *path, struct kek *k, struct err_msg *why);
/* A KEK from 32 bytes (tests, rotation). */
int kek_from_bytes(const uint8_t *b, size_t len, struct kek *k);
/* A fresh random KEK. */
int kek_generate(struct kek *k);
/* Write @k to @path (mode 0600, atomically: temp file, fsync, rename). */
int kek_write(const struct kek *k, const char *path);
void kek_free(struct kek *k);

/* A sealed secret as stored. */
struct sealed {
	uint8_t *dek;			/* sealed DEK: SEAL_IV + 32 + SEAL_TAG */
	size_t dek_len;
	uint8_t *data;			/* sealed secret */
	size_t data_len;
	char kek_id[KEK_ID_HEX + 1];
};

/* Seal @plain for @path under a fresh DEK and @k.  0, -ENOMEM, -EIO. */
int kek_seal(const struct kek *k, const char *path, const uint8_t *plain,
	     size_t len, struct sealed *out);
/*
 * Open a sealed secret into a fresh secret buffer.  -EKEYREJECTED when
 * the KEK id differs, -EBADMSG when authentication fails.
 */
int kek_open(const struct kek *k, const char *path, const struct sealed *in,
	     struct secret *plain);
/*
 * Re-seal the DEK of @s (for @path) from @from to @to, in place; the
 * secret itself is not re-encrypted.  0 or -errno as kek_open().
 */
int kek_rewrap(const struct kek *from, const struct kek *to, const char *path,
	       struct sealed *s);
void sealed_free(struct sealed *s);

#endif
