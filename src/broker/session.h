/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_SESSION_H
#define CVMM_BROKER_SESSION_H

/*
 * KBS sessions (in memory): created by /auth with a one-time nonce,
 * named by the "kbs-session-id" cookie (32 hex digits from 128 random
 * bits), valid for SESSION_TTL_MS from creation.  A session's nonce is
 * taken exactly once, by the first /attest (whatever its outcome), so
 * evidence can never be presented twice for one nonce; a successful
 * /attest publishes its attestation result on the session.
 *
 * Thread-safe; at most @max sessions live at once (expired ones are
 * collected first, then -ENOSPC).  Lookups copy out what the caller needs
 * or take a reference on the attestation.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "broker/attestation.h"

#define SESSION_ID_LEN		32
#define SESSION_NONCE_LEN	44		/* base64 of 32 bytes */
#define SESSION_TTL_MS		(5 * 60 * 1000)
#define SESSION_BUCKETS		4096

struct session;

struct session_table {
	pthread_mutex_t lock;
	struct session *bucket[SESSION_BUCKETS];
	size_t count, max;
	int64_t ttl_ms;
};

void session_table_init(struct session_table *t, size_t max, int64_t ttl_ms);
void session_table_free(struct session_table *t);

struct session_new {
	char id[SESSION_ID_LEN + 1];
	char nonce[SESSION_NONCE_LEN + 1];
	int64_t expires_ms;
};

/* A new session for @tee.  0, -ENOSPC (table full), -EIO (no randomness). */
int session_create(struct session_table *t, enum tee_type tee, int64_t now_ms,
		   struct session_new *out);

/* A fresh random session id and nonce (what /auth hands out).  0, -EIO, -ENOMEM. */
int session_new_ids(char id[SESSION_ID_LEN + 1], char nonce[SESSION_NONCE_LEN + 1]);

/*
 * Take the nonce of session @id (once).  0 and the nonce and TEE; -ENOENT
 * (no such session), -ETIMEDOUT (expired), -EALREADY (nonce already taken).
 */
int session_take_nonce(struct session_table *t, const char *id, int64_t now_ms,
		       char nonce[SESSION_NONCE_LEN + 1], enum tee_type *tee,
		       int64_t *expires_ms);

/* Publish @a (the table takes the reference) on session @id. */
int session_attested(struct session_table *t, const char *id, int64_t now_ms,
		     struct attestation *a);

/*
 * A reference to the attestation of session @id: -ENOENT, -ETIMEDOUT, or
 * -EACCES (the session has not attested).
 */
int session_lookup(struct session_table *t, const char *id, int64_t now_ms,
		   struct attestation **a);

/* Drop expired sessions; returns how many. */
size_t session_gc(struct session_table *t, int64_t now_ms);

/* Is @s a well-formed session id (32 lowercase hex digits)? */
int session_id_valid(const char *s);

#endif
