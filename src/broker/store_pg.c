// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PostgreSQL storage backend: the state of a fleet of broker replicas
 * in one database (store_pg.h: connections, durability; store_pg_schema.c:
 * migrations; store_pg_fleet.c: sessions, the fleet's KEK, replicas).
 * The same tables and semantics as the SQLite backend, so every replica
 * reads secrets, policies and reference values as committed: there is no
 * cache to go stale.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker/blog.h"
#include "broker/fault.h"
#include "broker/store_pg.h"
#include "util/err.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The URI may hold the password: wipe it before its memory goes back. */
static void uri_free(char *uri)
{
	if (uri)
		explicit_bzero(uri, strlen(uri));
	free(uri);
}

static int pg_open(const char *location, struct store **out, struct err_msg *why)
{
	struct pg_store *s = calloc(1, sizeof(*s));
	PGconn *c;
	int ret;

	if (!s || !(s->uri = strdup(location))) {
		free(s);
		return -ENOMEM;
	}
	c = pg_connect(s->uri, why);
	if (!c) {
		ret = -EIO;
		goto fail;
	}
	ret = pg_migrate(c, PG_SCHEMA_VERSION, why);
	if (ret) {
		PQfinish(c);
		goto fail;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->idle[0] = c;
	s->nidle = s->nopen = 1;
	*out = &s->base;
	return 0;
fail:
	uri_free(s->uri);
	free(s);
	return ret;
}

static void pg_close(struct store *st)
{
	struct pg_store *s = PG(st);

	pg_pool_close(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	uri_free(s->uri);
	free(s);
}

struct ping_ctx {
	struct err_msg *why;
};

static int ping_fn(PGconn *c, void *ctx)
{
	struct ping_ctx *p = ctx;
	int v = pg_schema_version(c);

	if (v < 0) {
		err_set(p->why, "PostgreSQL does not answer");
		return -EIO;
	}
	if (v != PG_SCHEMA_VERSION) {
		err_set(p->why, "the schema is version %d, this broker runs %d",
			 v, PG_SCHEMA_VERSION);
		return -EPROTO;
	}
	return 0;
}

static int pg_ping(struct store *st, struct err_msg *why)
{
	struct ping_ctx p = { why };
	int ret;

	err_set(why, "PostgreSQL is unreachable");
	ret = pg_run_now(PG(st), ping_fn, &p);
	if (!ret && why)
		why->msg[0] = 0;
	return ret;
}

/* ---------------------------------------------------------------- resources */

struct put_ctx {
	const char *path;
	const struct sealed *v;
};

static int put_row(PGconn *c, const char *path, const struct sealed *v)
{
	char ms[24];
	const char *p[5] = { path, v->kek_id, (const char *)v->dek, (const char *)v->data, ms };
	int len[5] = { -1, -1, (int)v->dek_len, (int)v->data_len, -1 };
	PGresult *r;

	snprintf(ms, sizeof(ms), "%" PRId64, now_ms());
	r = pg_exec(c, "write resource", PGRES_COMMAND_OK,
		    "INSERT INTO resources (path, kek_id, dek, data, updated_ms)"
		    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (path) DO UPDATE SET"
		    " kek_id = EXCLUDED.kek_id, dek = EXCLUDED.dek, data = EXCLUDED.data,"
		    " updated_ms = EXCLUDED.updated_ms", 5, p, len);
	PQclear(r);
	return r ? 0 : -EIO;
}

static int put_fn(PGconn *c, void *ctx)
{
	struct put_ctx *p = ctx;
	int ret = pg_begin(c, true);

	if (!ret)
		ret = pg_kek_check(c, p->v->kek_id);
	if (!ret)
		ret = put_row(c, p->path, p->v);
	if (!ret) {
		fault_point("store.put.before-commit");
		ret = pg_commit(c);
	}
	if (ret) {
		pg_rollback(c);
		return ret;
	}
	fault_point("store.put.committed");
	return 0;
}

static int pg_resource_put(struct store *st, const char *path, const struct sealed *v)
{
	struct put_ctx p = { path, v };

	if (v->dek_len > INT32_MAX || v->data_len > INT32_MAX)
		return -EINVAL;
	return pg_run(PG(st), put_fn, &p);
}

/* A bytea cell (text format) into a malloc'ed copy. */
static int bytea_dup(const PGresult *r, int row, int col, uint8_t **out, size_t *len)
{
	unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(r, row, col), len);

	if (!b)
		return -ENOMEM;
	*out = malloc(*len ? *len : 1);
	if (*out && *len)
		memcpy(*out, b, *len);
	PQfreemem(b);
	return *out ? 0 : -ENOMEM;
}

int pg_row_sealed(const PGresult *r, int row, int col, struct sealed *v)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->kek_id, sizeof(v->kek_id), "%s", PQgetvalue(r, row, col));
	if (bytea_dup(r, row, col + 1, &v->dek, &v->dek_len) ||
	    bytea_dup(r, row, col + 2, &v->data, &v->data_len)) {
		sealed_free(v);
		return -ENOMEM;
	}
	return 0;
}

/* A query whose whole result the caller reads after the connection is back. */
struct query_ctx {
	const char *what, *sql;
	int n;
	const char *v[4];
	PGresult *r;
};

static int query(struct store *st, struct query_ctx *q)
{
	return pg_query(PG(st), PGRES_TUPLES_OK, q->what, q->sql, q->n, q->v, &q->r);
}

static int pg_resource_get(struct store *st, const char *path, struct sealed *v)
{
	struct query_ctx q = { .what = "read resource",
			       .sql = "SELECT kek_id, dek, data FROM resources WHERE path = $1",
			       .n = 1, .v = { path } };
	int ret = query(st, &q);

	if (!ret)
		ret = PQntuples(q.r) ? pg_row_sealed(q.r, 0, 0, v) : -ENOENT;
	PQclear(q.r);
	return ret;
}

/* One durable statement changing rows; -ENOENT when none changed (unless @none_ok). */
struct change_ctx {
	const char *sql;
	int n;
	const char *v[4];
	bool none_ok;
};

static int change_fn(PGconn *c, void *ctx)
{
	struct change_ctx *ch = ctx;
	PGresult *r;
	int ret = pg_begin(c, true);

	if (ret)
		return ret;
	r = pg_exec(c, "write", PGRES_COMMAND_OK, ch->sql, ch->n, ch->v, NULL);
	ret = r ? 0 : -EIO;
	if (!ret && !ch->none_ok && !strcmp(PQcmdTuples(r), "0"))
		ret = -ENOENT;
	PQclear(r);
	if (!ret)
		ret = pg_commit(c);
	if (ret)
		pg_rollback(c);
	return ret;
}

static int change(struct store *st, struct change_ctx *ch)
{
	return pg_run(PG(st), change_fn, ch);
}

static int pg_resource_delete(struct store *st, const char *path)
{
	struct change_ctx ch = { .sql = "DELETE FROM resources WHERE path = $1",
				 .n = 1, .v = { path } };

	return change(st, &ch);
}

/* Two text columns of every row into @cb (after the connection is released). */
static int list2(struct store *st, struct query_ctx *q, store_text_cb cb, void *ctx)
{
	int ret = query(st, q), i;

	for (i = 0; !ret && i < PQntuples(q->r); i++)
		ret = cb(ctx, PQgetvalue(q->r, i, 0), PQgetvalue(q->r, i, 1));
	PQclear(q->r);
	return ret;
}

static int pg_resource_list(struct store *st, store_text_cb cb, void *ctx)
{
	struct query_ctx q = { .what = "list resources",
			       .sql = "SELECT path, kek_id FROM resources ORDER BY path" };

	return list2(st, &q, cb, ctx);
}

/* ----------------------------------------------------------------- re-wrap */

static int rewrap_row(PGconn *c, const PGresult *r, int i, store_rewrap_cb cb, void *ctx)
{
	const char *path = PQgetvalue(r, i, 0);
	struct sealed v;
	int ret;

	if (strlen(path) > STORE_PATH_MAX)
		return -EIO;
	ret = pg_row_sealed(r, i, 1, &v);
	if (ret)
		return ret;
	ret = cb(ctx, path, &v);
	if (!ret)
		ret = put_row(c, path, &v);
	sealed_free(&v);
	if (!ret)
		fault_point("store.rewrap.row");
	return ret;
}

int pg_rewrap(PGconn *c, const char *to_id, store_rewrap_cb cb, void *ctx)
{
	const char *v[1] = { to_id };
	PGresult *r;
	int ret = pg_begin(c, true), i;

	if (ret)
		return ret;
	/* the fleet row first: resource_put() takes it FOR SHARE */
	r = pg_exec(c, "lock the fleet", PGRES_TUPLES_OK,
		    "SELECT kek_current FROM fleet FOR UPDATE", 0, NULL, NULL);
	PQclear(r);
	ret = r ? 0 : -EIO;
	r = ret ? NULL : pg_exec(c, "read resources", PGRES_TUPLES_OK,
				 "SELECT path, kek_id, dek, data FROM resources"
				 " ORDER BY path FOR UPDATE", 0, NULL, NULL);
	if (!ret && !r)
		ret = -EIO;
	for (i = 0; !ret && i < PQntuples(r); i++)
		ret = rewrap_row(c, r, i, cb, ctx);
	PQclear(r);
	if (!ret && to_id)
		ret = pg_cmd(c, "set the fleet's KEK", "INSERT INTO fleet (one, kek_current)"
			     " VALUES (true, $1) ON CONFLICT (one) DO UPDATE SET"
			     " kek_current = EXCLUDED.kek_current", 1, v);
	if (!ret) {
		fault_point("store.rewrap.before-commit");
		ret = pg_commit(c);
	}
	if (ret)
		pg_rollback(c);
	return ret;
}

struct rewrap_ctx {
	store_rewrap_cb cb;
	void *ctx;
};

static int rewrap_fn(PGconn *c, void *ctx)
{
	struct rewrap_ctx *w = ctx;

	return pg_rewrap(c, NULL, w->cb, w->ctx);
}

static int pg_rewrap_all(struct store *st, store_rewrap_cb cb, void *ctx)
{
	struct rewrap_ctx w = { cb, ctx };

	return pg_run(PG(st), rewrap_fn, &w);
}

/* ------------------------------------------------ policies, reference values */

static int pg_policy_put(struct store *st, const char *pattern, const char *json)
{
	char ms[24];
	struct change_ctx ch = { .sql = "INSERT INTO policies (pattern, policy, updated_ms)"
				 " VALUES ($1, $2, $3) ON CONFLICT (pattern) DO UPDATE SET"
				 " policy = EXCLUDED.policy, updated_ms = EXCLUDED.updated_ms",
				 .n = 3, .v = { pattern, json, ms } };

	snprintf(ms, sizeof(ms), "%" PRId64, now_ms());
	return change(st, &ch);
}

static int pg_policy_get(struct store *st, const char *pattern, char **json)
{
	struct query_ctx q = { .what = "read policy",
			       .sql = "SELECT policy FROM policies WHERE pattern = $1",
			       .n = 1, .v = { pattern } };
	int ret = query(st, &q);

	*json = NULL;
	if (!ret && !PQntuples(q.r))
		ret = -ENOENT;
	if (!ret) {
		*json = strdup(PQgetvalue(q.r, 0, 0));
		ret = *json ? 0 : -ENOMEM;
	}
	PQclear(q.r);
	return ret;
}

static int pg_policy_delete(struct store *st, const char *pattern)
{
	struct change_ctx ch = { .sql = "DELETE FROM policies WHERE pattern = $1",
				 .n = 1, .v = { pattern } };

	return change(st, &ch);
}

static int pg_policy_list(struct store *st, store_text_cb cb, void *ctx)
{
	struct query_ctx q = { .what = "list policies",
			       .sql = "SELECT pattern, policy FROM policies ORDER BY pattern" };

	return list2(st, &q, cb, ctx);
}

static int pg_refval_add(struct store *st, const char *name, const char *kind,
			 const char *value)
{
	struct change_ctx ch = { .sql = "INSERT INTO refvals (name, kind, value)"
				 " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
				 .n = 3, .v = { name, kind, value }, .none_ok = true };

	return change(st, &ch);
}

static int pg_refval_delete(struct store *st, const char *name)
{
	struct change_ctx ch = { .sql = "DELETE FROM refvals WHERE name = $1",
				 .n = 1, .v = { name } };

	return change(st, &ch);
}

static int pg_refval_list(struct store *st, const char *name, store_text_cb cb, void *ctx)
{
	struct query_ctx q = { .what = "read reference values",
			       .sql = "SELECT kind, value FROM refvals WHERE name = $1"
				      " ORDER BY kind, value", .n = 1, .v = { name } };

	return list2(st, &q, cb, ctx);
}

/* --------------------------------------------------------------- audit log */

struct append_ctx {
	struct audit_record *r;
};

static int append_fn(PGconn *c, void *ctx)
{
	struct audit_record *a = ((struct append_ctx *)ctx)->r;
	char ms[24];
	const char *v[12] = { ms, a->event ? a->event : "", a->client, a->session, a->tee,
			      a->evidence_digest, a->measurement, a->verdict, a->failed,
			      a->resource, a->detail, a->test_evidence ? "t" : "f" };
	PGresult *r;

	snprintf(ms, sizeof(ms), "%" PRId64, a->time_ms);
	r = pg_exec(c, "append audit record", PGRES_TUPLES_OK,
		    "INSERT INTO audit (time_ms, event, client, session, tee, evidence_digest,"
		    " measurement, verdict, failed, resource, detail, test_evidence)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
		    12, v, NULL);
	if (!r)
		return -EIO;
	a->id = pg_cell_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

static int pg_audit_append(struct store *st, struct audit_record *r)
{
	struct append_ctx a = { r };

	return pg_run(PG(st), append_fn, &a);
}

static const char *cell(const PGresult *r, int col)
{
	return PQgetisnull(r, 0, col) ? NULL : PQgetvalue(r, 0, col);
}

static int audit_emit(const PGresult *r, store_audit_cb cb, void *ctx)
{
	struct audit_record a = {
		.id = pg_cell_i64(r, 0, 0), .time_ms = pg_cell_i64(r, 0, 1),
		.event = cell(r, 2), .client = cell(r, 3), .session = cell(r, 4),
		.tee = cell(r, 5), .evidence_digest = cell(r, 6), .measurement = cell(r, 7),
		.verdict = cell(r, 8), .failed = cell(r, 9), .resource = cell(r, 10),
		.detail = cell(r, 11), .test_evidence = !strcmp(PQgetvalue(r, 0, 12), "t"),
	};

	return cb(ctx, &a);
}

struct aq_ctx {
	const struct audit_filter *f;
	store_audit_cb cb;
	void *ctx;
	bool started;		/* rows were delivered: no retry */
};

static int audit_rows(PGconn *c, struct aq_ctx *q)
{
	PGresult *r;
	int ret = 0;

	/* one row at a time: the log can be larger than memory */
	if (!PQsetSingleRowMode(c))
		return -EIO;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE) {
			q->started = true;
			if (!ret)
				ret = audit_emit(r, q->cb, q->ctx);
		} else if (PQresultStatus(r) != PGRES_TUPLES_OK && !ret) {
			berr("store", "read audit log: %s", PQresultErrorMessage(r));
			ret = -EIO;
		}
		PQclear(r);
	}
	return ret;
}

static int audit_fn(PGconn *c, void *ctx)
{
	struct aq_ctx *q = ctx;
	const struct audit_filter *f = q->f;
	char after[24], since[24], until[24], limit[24];
	const char *v[9] = { after, since, until, f->event, f->verdict, f->resource,
			     f->session, f->tee, f->limit ? limit : NULL };

	if (q->started)
		return -EIO;
	snprintf(after, sizeof(after), "%" PRId64, f->after_id);
	snprintf(since, sizeof(since), "%" PRId64, f->since_ms);
	snprintf(until, sizeof(until), "%" PRId64, f->until_ms);
	snprintf(limit, sizeof(limit), "%zu", f->limit);
	if (!PQsendQueryParams(c, "SELECT id, time_ms, event, client, session, tee,"
			       " evidence_digest, measurement, verdict, failed, resource, detail,"
			       " test_evidence FROM audit WHERE id > $1::bigint"
			       " AND ($2::bigint = 0 OR time_ms >= $2::bigint)"
			       " AND ($3::bigint = 0 OR time_ms <= $3::bigint)"
			       " AND ($4::text IS NULL OR event = $4)"
			       " AND ($5::text IS NULL OR verdict = $5)"
			       " AND ($6::text IS NULL OR resource = $6)"
			       " AND ($7::text IS NULL OR session = $7)"
			       " AND ($8::text IS NULL OR tee = $8)"
			       " ORDER BY id LIMIT $9::bigint", 9, NULL, v, NULL, NULL, 0)) {
		berr("store", "read audit log: %s", PQerrorMessage(c));
		return -EIO;
	}
	return audit_rows(c, q);
}

static int pg_audit_query(struct store *st, const struct audit_filter *f,
			  store_audit_cb cb, void *ctx)
{
	struct aq_ctx q = { f, cb, ctx, false };

	return pg_run(PG(st), audit_fn, &q);
}

static const struct store_ops pg_ops = {
	.scheme = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.resource_put = pg_resource_put,
	.resource_get = pg_resource_get,
	.resource_delete = pg_resource_delete,
	.resource_list = pg_resource_list,
	.rewrap_all = pg_rewrap_all,
	.policy_put = pg_policy_put,
	.policy_get = pg_policy_get,
	.policy_delete = pg_policy_delete,
	.policy_list = pg_policy_list,
	.refval_add = pg_refval_add,
	.refval_delete = pg_refval_delete,
	.refval_list = pg_refval_list,
	.audit_append = pg_audit_append,
	.audit_query = pg_audit_query,
	.ping = pg_ping,
	.fleet = &pg_fleet_ops,
};

const struct store_ops *store_pg_ops(void)
{
	return &pg_ops;
}
