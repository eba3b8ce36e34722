/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_DIGEST_H
#define CVMM_MEASURE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/*
 * SHA-256 / SHA-384 through OpenSSL's EVP interface.  The digest
 * implementations are fetched once per process and reused, so hashing many
 * 4 KiB pages does not pay OpenSSL 3's implicit fetch on every call.
 */
#define SHA256_LEN	32
#define SHA384_LEN	48

enum md_alg {
	MD_SHA256,
	MD_SHA384,
};

/* One-shot digest; returns 0 or -ENOMEM/-EIO. */
int md_digest(enum md_alg alg, const void *data, size_t len, uint8_t *out);

static inline int md_sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	return md_digest(MD_SHA256, data, len, out);
}

static inline int md_sha384(const void *data, size_t len, uint8_t out[SHA384_LEN])
{
	return md_digest(MD_SHA384, data, len, out);
}

/* A running digest (opaque OpenSSL context). */
struct md_stream {
	void *ctx;		/* EVP_MD_CTX */
	enum md_alg alg;
};

int md_stream_init(struct md_stream *s, enum md_alg alg);
int md_stream_update(struct md_stream *s, const void *data, size_t len);
/* Writes the digest and resets the stream for reuse. */
int md_stream_final(struct md_stream *s, uint8_t *out);
void md_stream_free(struct md_stream *s);

#endif
