/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_BSESSION_H
#define CVMM_BROKER_BSESSION_H

/*
 * The broker's sessions, wherever they live: in memory (session.h) for a
 * broker alone, or in the shared store (store_fleet.h) for a fleet, so
 * that /auth, /attest and /resource of one guest can each reach a
 * different replica.  Same contract and errors as session.h, plus -EIO
 * when the store fails.
 *
 * In a fleet the attestation result travels through the store
 * (att_codec.h) with the SHA-256 of the token issued for it: a bearer
 * token is accepted by any replica when it is intact under the key it
 * names, unexpired, and exactly the token issued for its session, so the
 * replicas need not share a token-signing key.  --max-sessions bounds the
 * sessions each replica admits within one TTL.
 */
#include <stdint.h>

#include "broker/attestation.h"
#include "broker/session.h"
#include "util/err.h"

struct broker;

int bsession_create(struct broker *b, enum tee_type tee, int64_t now_ms,
		    struct session_new *out);
int bsession_take_nonce(struct broker *b, const char *id, int64_t now_ms,
			char nonce[SESSION_NONCE_LEN + 1], enum tee_type *tee,
			int64_t *expires_ms);
/* Publish @a (the reference is taken) with its token (a->token). */
int bsession_attested(struct broker *b, const char *id, int64_t now_ms,
		      struct attestation *a);
/*
 * The attestation of session @id (a new reference); @bearer, when the
 * request named the session by a token, must be the token issued for it
 * (-EKEYREJECTED).  -ENOENT, -ETIMEDOUT, -EACCES as session_lookup().
 */
int bsession_lookup(struct broker *b, const char *id, const char *bearer, int64_t now_ms,
		    struct attestation **a);
/* The session a bearer token names (0, or -errno with @why). */
int bsession_token(struct broker *b, const char *jwt, int64_t now_s,
		   char sid[SESSION_ID_LEN + 1], struct err_msg *why);

#endif
