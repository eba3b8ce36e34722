// SPDX-License-Identifier: GPL-2.0-only
/*
 * The fleet operations of the PostgreSQL store (store_fleet.h): sessions
 * in an UNLOGGED table (the nonce is taken by one conditional UPDATE, so
 * two replicas racing for it cannot both win), the fleet's current KEK in
 * a one-row table that resource_put() reads FOR SHARE and a rotation
 * holds FOR UPDATE, and the replicas' heartbeats.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker/store_fleet.h"
#include "broker/store_pg.h"

#define REPLICA_FORGET_MS	(24 * 3600 * 1000)
#define JTI_KEEP_S		3600	/* past expiry: the time check refuses them long before */

static int pg_session_create(struct store *st, const struct store_session *ss)
{
	char exp[24];
	const char *v[4] = { ss->id, ss->nonce, ss->tee, exp };
	PGresult *r;
	int ret;

	snprintf(exp, sizeof(exp), "%" PRId64, ss->expires_ms);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "create session",
		       "INSERT INTO sessions (id, nonce, tee, expires_ms) VALUES ($1, $2, $3, $4)",
		       4, v, &r);
	PQclear(r);
	return ret;
}

/* Why the nonce of @id could not be taken. */
static int take_refused(struct store *st, const char *id, int64_t now_ms)
{
	const char *v[1] = { id };
	PGresult *r;
	int ret = pg_query(PG(st), PGRES_TUPLES_OK, "read session",
			   "SELECT nonce_taken, expires_ms FROM sessions WHERE id = $1", 1, v, &r);

	if (!ret && !PQntuples(r))
		ret = -ENOENT;
	else if (!ret && pg_cell_i64(r, 0, 1) <= now_ms)
		ret = -ETIMEDOUT;
	else if (!ret)
		ret = -EALREADY;
	PQclear(r);
	return ret;
}

static int pg_session_take_nonce(struct store *st, const char *id, int64_t now_ms,
				 struct store_session *out)
{
	char now[24];
	const char *v[2] = { id, now };
	PGresult *r;
	int ret;

	snprintf(now, sizeof(now), "%" PRId64, now_ms);
	/* one statement: of two replicas racing, exactly one updates the row */
	ret = pg_query(PG(st), PGRES_TUPLES_OK, "take nonce",
		       "UPDATE sessions SET nonce_taken = true WHERE id = $1"
		       " AND NOT nonce_taken AND expires_ms > $2::bigint"
		       " RETURNING nonce, tee, expires_ms", 2, v, &r);
	if (ret)
		return ret;
	if (!PQntuples(r)) {
		PQclear(r);
		return take_refused(st, id, now_ms);
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->id, sizeof(out->id), "%s", id);
	snprintf(out->nonce, sizeof(out->nonce), "%s", PQgetvalue(r, 0, 0));
	snprintf(out->tee, sizeof(out->tee), "%s", PQgetvalue(r, 0, 1));
	out->expires_ms = pg_cell_i64(r, 0, 2);
	PQclear(r);
	return 0;
}

static int pg_session_set_result(struct store *st, const char *id, int64_t now_ms,
				 const char *result, const char *token_sha256)
{
	char now[24];
	const char *v[4] = { id, result, token_sha256, now };
	PGresult *r;
	int ret;

	snprintf(now, sizeof(now), "%" PRId64, now_ms);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "publish attestation",
		       "UPDATE sessions SET result = $2, token_sha256 = $3"
		       " WHERE id = $1 AND expires_ms > $4::bigint", 4, v, &r);
	if (!ret && !strcmp(PQcmdTuples(r), "0"))
		ret = -ENOENT;
	PQclear(r);
	return ret;
}

static int pg_session_get_result(struct store *st, const char *id, int64_t now_ms,
				 char **result, char token_sha256[STORE_SHA256_HEX + 1])
{
	const char *v[1] = { id };
	PGresult *r;
	int ret;

	*result = NULL;
	ret = pg_query(PG(st), PGRES_TUPLES_OK, "read session",
		       "SELECT result, token_sha256, expires_ms FROM sessions WHERE id = $1",
		       1, v, &r);
	if (ret)
		return ret;
	if (!PQntuples(r))
		ret = -ENOENT;
	else if (pg_cell_i64(r, 0, 2) <= now_ms)
		ret = -ETIMEDOUT;
	else if (PQgetisnull(r, 0, 0) || PQgetisnull(r, 0, 1))
		ret = -EACCES;
	if (!ret) {
		snprintf(token_sha256, STORE_SHA256_HEX + 1, "%s", PQgetvalue(r, 0, 1));
		*result = strdup(PQgetvalue(r, 0, 0));
		ret = *result ? 0 : -ENOMEM;
	}
	PQclear(r);
	return ret;
}

static int pg_session_gc(struct store *st, int64_t now_ms)
{
	char now[24], old[24];
	const char *v[1] = { now }, *w[1] = { old };
	PGresult *r;
	int ret, n;

	snprintf(now, sizeof(now), "%" PRId64, now_ms);
	snprintf(old, sizeof(old), "%" PRId64, now_ms - REPLICA_FORGET_MS);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "drop expired sessions",
		       "DELETE FROM sessions WHERE expires_ms <= $1::bigint", 1, v, &r);
	if (ret)
		return ret;
	n = atoi(PQcmdTuples(r));
	PQclear(r);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "forget old replicas",
		       "DELETE FROM replicas WHERE seen_ms < $1::bigint", 1, w, &r);
	PQclear(r);
	snprintf(old, sizeof(old), "%" PRId64, now_ms / 1000 - JTI_KEEP_S);
	if (!ret)
		ret = pg_query(PG(st), PGRES_COMMAND_OK, "forget admin token ids",
			       "DELETE FROM admin_jti WHERE exp_s < $1::bigint", 1, w, &r);
	PQclear(r);
	return ret ? ret : n;
}

static int pg_admin_jti_claim(struct store *st, const char *jti, int64_t exp_s)
{
	char exp[24];
	const char *v[2] = { jti, exp };
	PGresult *r;
	int ret;

	snprintf(exp, sizeof(exp), "%" PRId64, exp_s);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "claim admin token id",
		       "INSERT INTO admin_jti (jti, exp_s) VALUES ($1, $2)"
		       " ON CONFLICT (jti) DO NOTHING", 2, v, &r);
	if (!ret && !strcmp(PQcmdTuples(r), "0"))
		ret = -EEXIST;
	PQclear(r);
	return ret;
}

/* ---------------------------------------------------------------- the KEK */

int pg_kek_check(PGconn *c, const char *kek_id)
{
	PGresult *r = pg_exec(c, "read the fleet's KEK", PGRES_TUPLES_OK,
			      "SELECT kek_current FROM fleet FOR SHARE", 0, NULL, NULL);
	int ret;

	if (!r)
		return -EIO;
	ret = PQntuples(r) && strcmp(PQgetvalue(r, 0, 0), kek_id) ? -ESTALE : 0;
	PQclear(r);
	return ret;
}

static int pg_kek_current(struct store *st, char id[KEK_ID_HEX + 1])
{
	PGresult *r;
	int ret = pg_query(PG(st), PGRES_TUPLES_OK, "read the fleet's KEK",
			   "SELECT kek_current FROM fleet", 0, NULL, &r);

	if (!ret && !PQntuples(r))
		ret = -ENOENT;
	if (!ret)
		snprintf(id, KEK_ID_HEX + 1, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return ret;
}

static int adopt_fn(PGconn *c, void *ctx)
{
	char *id = ctx;
	const char *v[1] = { id };
	PGresult *r;
	int ret = pg_begin(c, true);

	if (!ret)
		ret = pg_cmd(c, "adopt a KEK", "INSERT INTO fleet (one, kek_current)"
			     " VALUES (true, $1) ON CONFLICT (one) DO NOTHING", 1, v);
	r = ret ? NULL : pg_exec(c, "read the fleet's KEK", PGRES_TUPLES_OK,
				 "SELECT kek_current FROM fleet", 0, NULL, NULL);
	if (!ret && (!r || PQntuples(r) != 1))
		ret = -EIO;
	if (!ret)
		snprintf(id, KEK_ID_HEX + 1, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!ret)
		ret = pg_commit(c);
	if (ret)
		pg_rollback(c);
	return ret;
}

static int pg_kek_adopt(struct store *st, char id[KEK_ID_HEX + 1])
{
	char copy[KEK_ID_HEX + 1];
	int ret;

	snprintf(copy, sizeof(copy), "%s", id);
	ret = pg_run(PG(st), adopt_fn, copy);
	if (!ret)
		memcpy(id, copy, sizeof(copy));
	return ret;
}

struct rewrap_ctx {
	const char *to_id;
	store_rewrap_cb cb;
	void *ctx;
};

static int rewrap_fn(PGconn *c, void *ctx)
{
	struct rewrap_ctx *w = ctx;

	return pg_rewrap(c, w->to_id, w->cb, w->ctx);
}

static int pg_rewrap_to(struct store *st, const char *to_id, store_rewrap_cb cb, void *ctx)
{
	struct rewrap_ctx w = { to_id, cb, ctx };

	return pg_run(PG(st), rewrap_fn, &w);
}

/* ---------------------------------------------------------------- replicas */

static int pg_replica_beat(struct store *st, const struct store_replica *rp)
{
	char started[24], seen[24];
	const char *v[5] = { rp->name, started, seen, rp->keks, rp->version };
	PGresult *r;
	int ret;

	snprintf(started, sizeof(started), "%" PRId64, rp->started_ms);
	snprintf(seen, sizeof(seen), "%" PRId64, rp->seen_ms);
	ret = pg_query(PG(st), PGRES_COMMAND_OK, "heartbeat",
		       "INSERT INTO replicas (name, started_ms, seen_ms, keks, version)"
		       " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name) DO UPDATE SET"
		       " started_ms = EXCLUDED.started_ms, seen_ms = EXCLUDED.seen_ms,"
		       " keks = EXCLUDED.keks, version = EXCLUDED.version", 5, v, &r);
	PQclear(r);
	return ret;
}

static int pg_replica_list(struct store *st, store_replica_cb cb, void *ctx)
{
	struct store_replica rp;
	PGresult *r;
	int ret, i;

	ret = pg_query(PG(st), PGRES_TUPLES_OK, "list replicas",
		       "SELECT name, started_ms, seen_ms, keks, version FROM replicas"
		       " ORDER BY name", 0, NULL, &r);
	for (i = 0; !ret && i < PQntuples(r); i++) {
		rp = (struct store_replica){
			.name = PQgetvalue(r, i, 0), .started_ms = pg_cell_i64(r, i, 1),
			.seen_ms = pg_cell_i64(r, i, 2), .keks = PQgetvalue(r, i, 3),
			.version = PQgetvalue(r, i, 4),
		};
		ret = cb(ctx, &rp);
	}
	PQclear(r);
	return ret;
}

static int pg_replica_leave(struct store *st, const char *name)
{
	const char *v[1] = { name };
	PGresult *r;
	int ret = pg_query(PG(st), PGRES_COMMAND_OK, "leave",
			   "DELETE FROM replicas WHERE name = $1", 1, v, &r);

	PQclear(r);
	return ret;
}

const struct store_fleet_ops pg_fleet_ops = {
	.session_create = pg_session_create,
	.session_take_nonce = pg_session_take_nonce,
	.session_set_result = pg_session_set_result,
	.session_get_result = pg_session_get_result,
	.session_gc = pg_session_gc,
	.kek_current = pg_kek_current,
	.kek_adopt = pg_kek_adopt,
	.rewrap_to = pg_rewrap_to,
	.admin_jti_claim = pg_admin_jti_claim,
	.replica_beat = pg_replica_beat,
	.replica_list = pg_replica_list,
	.replica_leave = pg_replica_leave,
};
