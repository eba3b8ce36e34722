/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_STORE_FLEET_H
#define CVMM_BROKER_STORE_FLEET_H

/*
 * The state broker replicas share through a store (store.h) so that any
 * replica can serve any step of any guest's flow (docs/broker.md, "A
 * fleet"):
 *
 *  - sessions: created by /auth on one replica, their nonce taken exactly
 *    once fleet-wide by the first /attest on any replica (an atomic
 *    conditional update), the attestation result published for /resource
 *    on any other;
 *  - the fleet's current KEK id: the KEK every replica seals new secrets
 *    under.  resource_put() of a row sealed under another KEK is refused
 *    with -ESTALE (a rotation committed meanwhile: re-seal and retry), and
 *    rewrap_to() re-seals every row and moves the current id in one
 *    transaction that excludes resource_put();
 *  - the replica table: each replica's heartbeat, with the KEK ids it
 *    holds, so that a rotation can check that every live replica holds the
 *    new KEK before anything is re-sealed under it;
 *  - the ids of admin tokens used, so that none is replayed to another
 *    replica.
 *
 * Errors are -errno as in store.h.
 */
#include <stdint.h>

#include "broker/kek.h"
#include "broker/session.h"
#include "broker/store.h"

/* session_gc keeps an expired session this long, so a late client hears "expired" */
#define STORE_SESSION_GRACE_MS	60000

#define STORE_TEE_MAX		8
#define STORE_SHA256_HEX	64

/* A session row (what /auth creates). */
struct store_session {
	char id[SESSION_ID_LEN + 1];
	char nonce[SESSION_NONCE_LEN + 1];
	char tee[STORE_TEE_MAX];		/* "snp", "tdx" */
	int64_t expires_ms;
};

/* A replica's heartbeat row. */
struct store_replica {
	const char *name;
	int64_t started_ms, seen_ms;
	const char *keks;			/* KEK ids it holds, comma-separated */
	const char *version;
};

typedef int (*store_replica_cb)(void *ctx, const struct store_replica *r);

struct store_fleet_ops {
	int (*session_create)(struct store *s, const struct store_session *ss);
	/*
	 * Take the nonce of session @id, once across every replica: 0 and
	 * @out filled; -ENOENT (no such session), -ETIMEDOUT (expired at
	 * @now_ms), -EALREADY (taken before).
	 */
	int (*session_take_nonce)(struct store *s, const char *id, int64_t now_ms,
				  struct store_session *out);
	/* Publish the attestation result (att_codec.h text) and its token's SHA-256. */
	int (*session_set_result)(struct store *s, const char *id, int64_t now_ms,
				  const char *result, const char *token_sha256);
	/*
	 * The result of session @id into *result (free()) and the token digest:
	 * 0, -ENOENT, -ETIMEDOUT, -EACCES (the session has not attested).
	 */
	int (*session_get_result)(struct store *s, const char *id, int64_t now_ms,
				  char **result, char token_sha256[STORE_SHA256_HEX + 1]);
	/*
	 * Drop sessions that expired before @now_ms (and expired admin token
	 * ids, replica rows not seen for a day): how many sessions, or -errno.
	 */
	int (*session_gc)(struct store *s, int64_t now_ms);

	/* The fleet's current KEK id: 0, -ENOENT (none yet), -EIO. */
	int (*kek_current)(struct store *s, char id[KEK_ID_HEX + 1]);
	/* Make @id current if none is yet; then the current id into @id. */
	int (*kek_adopt)(struct store *s, char id[KEK_ID_HEX + 1]);
	/*
	 * Re-seal every resource through @cb and make @to_id the current KEK,
	 * all in one transaction (fault points store.rewrap.row,
	 * store.rewrap.before-commit).
	 */
	int (*rewrap_to)(struct store *s, const char *to_id, store_rewrap_cb cb, void *ctx);

	/*
	 * Claim an admin token id until @exp_s (Unix seconds): 0, or -EEXIST
	 * when any replica claimed it before (dropped by session_gc after expiry).
	 */
	int (*admin_jti_claim)(struct store *s, const char *jti, int64_t exp_s);

	/* Heartbeat (insert or refresh @r), every replica's row, and leave. */
	int (*replica_beat)(struct store *s, const struct store_replica *r);
	int (*replica_list)(struct store *s, store_replica_cb cb, void *ctx);
	int (*replica_leave)(struct store *s, const char *name);
};

#define FLEET_CALL(s, op, ...)	(store_fleet(s)->op((s), __VA_ARGS__))

#endif
