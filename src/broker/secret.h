/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_SECRET_H
#define CVMM_BROKER_SECRET_H

/*
 * Buffers for key material: locked into RAM (mlock, so they are never
 * swapped out), excluded from core dumps (MADV_DONTDUMP) and cleansed
 * before they are freed.  Every plaintext secret, DEK and KEK the broker
 * holds lives in one of these; nothing else may copy them except into
 * another secret buffer or the JWE encrypter.
 */
#include <stddef.h>
#include <stdint.h>

struct secret {
	uint8_t *data;
	size_t len;
	size_t map_len;		/* page-rounded mapping */
};

/* A zeroed secret of @len bytes (0 < len <= 16 MiB).  0 or -errno. */
int secret_alloc(struct secret *s, size_t len);
/* A copy of @len bytes of @src. */
int secret_dup(struct secret *s, const void *src, size_t len);
/* Cleanse, unlock, unmap.  Safe on a zeroed or already freed secret. */
void secret_free(struct secret *s);

#endif
