// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SQLite storage backend: one database file in WAL mode.  Changes to
 * resources, policies and reference values commit with synchronous=FULL
 * (the WAL is fsync'ed: durable against power loss, and the fsync also
 * covers every audit row before it); audit rows commit with
 * synchronous=NORMAL (durable when the broker process dies, synced at the
 * next admin change or checkpoint: an fsync per decision would cost more
 * than the attestation).  A killed process leaves the file either before
 * or after each call.  One
 * connection, serialised by a mutex (the broker's writes are small; WAL
 * lets `cvmm-broker audit` read while the daemon writes).  Schema version
 * 1 is created on first open; a newer schema is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "broker/blog.h"
#include "broker/fault.h"
#include "broker/store.h"
#include "util/err.h"

#define SCHEMA_VERSION	1

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	pthread_mutex_t lock;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS resources ("
	" path TEXT PRIMARY KEY, kek_id TEXT NOT NULL, dek BLOB NOT NULL,"
	" data BLOB NOT NULL, updated_ms INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS policies ("
	" pattern TEXT PRIMARY KEY, policy TEXT NOT NULL, updated_ms INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS refvals ("
	" name TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,"
	" PRIMARY KEY (name, kind, value));"
	"CREATE TABLE IF NOT EXISTS audit ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL,"
	" event TEXT NOT NULL, client TEXT, session TEXT, tee TEXT,"
	" evidence_digest TEXT, measurement TEXT, verdict TEXT, failed TEXT,"
	" resource TEXT, detail TEXT, test_evidence INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS audit_time ON audit(time_ms);";

static struct sqlite_store *S(struct store *s)
{
	return (struct sqlite_store *)s;
}

static int db_fail(struct sqlite_store *s, const char *what)
{
	berr("store", "%s: %s", what, sqlite3_errmsg(s->db));
	return -EIO;
}

static int exec(struct sqlite_store *s, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		berr("store", "%s", err ? err : sqlite3_errmsg(s->db));
		sqlite3_free(err);
		return -EIO;
	}
	return 0;
}

static int prepare(struct sqlite_store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(s, "prepare");
	return 0;
}

static int schema_init(struct sqlite_store *s, struct err_msg *why)
{
	sqlite3_stmt *st;
	int v = -1;

	if (exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
		 " PRAGMA foreign_keys=ON;"))
		goto fail;
	if (prepare(s, "PRAGMA user_version", &st))
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (v > SCHEMA_VERSION) {
		err_set(why, "schema version %d is newer than this broker's (%d)", v,
			SCHEMA_VERSION);
		return -EPROTO;
	}
	if (v == SCHEMA_VERSION)
		return 0;
	if (exec(s, "BEGIN IMMEDIATE") || exec(s, schema) ||
	    exec(s, "PRAGMA user_version=1") || exec(s, "COMMIT")) {
		exec(s, "ROLLBACK");
		goto fail;
	}
	return 0;
fail:
	err_set(why, "cannot initialise the database: %s", sqlite3_errmsg(s->db));
	return -EIO;
}

static int sq_open(const char *location, struct store **out, struct err_msg *why)
{
	struct sqlite_store *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	if (sqlite3_open_v2(location, &s->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		err_set(why, "%s", s->db ? sqlite3_errmsg(s->db) : "out of memory");
		ret = -EIO;
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	ret = schema_init(s, why);
	if (ret)
		goto fail;
	*out = &s->base;
	return 0;
fail:
	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return ret;
}

static void sq_close(struct store *st)
{
	struct sqlite_store *s = S(st);

	sqlite3_close(s->db);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* BEGIN IMMEDIATE for a change that must reach the disk (synchronous=FULL). */
static int begin_durable(struct sqlite_store *s)
{
	if (exec(s, "PRAGMA synchronous=FULL"))
		return -EIO;
	return exec(s, "BEGIN IMMEDIATE");
}

static void end_durable(struct sqlite_store *s)
{
	exec(s, "PRAGMA synchronous=NORMAL");
}

static int put_row(struct sqlite_store *s, const char *path, const struct sealed *v)
{
	sqlite3_stmt *st;
	int ret = 0;

	if (prepare(s, "INSERT INTO resources (path, kek_id, dek, data, updated_ms)"
		    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(path) DO UPDATE SET"
		    " kek_id = ?2, dek = ?3, data = ?4, updated_ms = ?5", &st))
		return -EIO;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, v->kek_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, v->dek, (int)v->dek_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, v->data, (int)v->data_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now_ms());
	if (sqlite3_step(st) != SQLITE_DONE)
		ret = db_fail(s, "write resource");
	sqlite3_finalize(st);
	return ret;
}

static int sq_resource_put(struct store *st, const char *path, const struct sealed *v)
{
	struct sqlite_store *s = S(st);
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = begin_durable(s);
	if (!ret)
		ret = put_row(s, path, v);
	if (!ret) {
		fault_point("store.put.before-commit");
		ret = exec(s, "COMMIT");
	}
	if (ret)
		exec(s, "ROLLBACK");
	end_durable(s);
	if (!ret)
		fault_point("store.put.committed");
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int blob_dup(sqlite3_stmt *st, int col, uint8_t **p, size_t *len)
{
	const void *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	*len = (size_t)(n > 0 ? n : 0);
	*p = malloc(*len ? *len : 1);
	if (!*p)
		return -ENOMEM;
	if (*len)
		memcpy(*p, b, *len);
	return 0;
}

static int row_to_sealed(sqlite3_stmt *st, int col, struct sealed *v)
{
	const unsigned char *id = sqlite3_column_text(st, col);

	memset(v, 0, sizeof(*v));
	snprintf(v->kek_id, sizeof(v->kek_id), "%s", id ? (const char *)id : "");
	if (blob_dup(st, col + 1, &v->dek, &v->dek_len) ||
	    blob_dup(st, col + 2, &v->data, &v->data_len)) {
		sealed_free(v);
		return -ENOMEM;
	}
	return 0;
}

static int sq_resource_get(struct store *st, const char *path, struct sealed *v)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int ret, rc;

	pthread_mutex_lock(&s->lock);
	ret = prepare(s, "SELECT kek_id, dek, data FROM resources WHERE path = ?1", &q);
	if (ret)
		goto out;
	sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		ret = row_to_sealed(q, 0, v);
	else
		ret = rc == SQLITE_DONE ? -ENOENT : db_fail(s, "read resource");
	sqlite3_finalize(q);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* One statement changing rows: text parameters ?1..?3, ?9 = now (ms). */
static int change(struct store *st, const char *sql, const char *a,
		  const char *b, const char *c)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q = NULL;
	bool began;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = begin_durable(s);
	began = !ret;
	if (!ret)
		ret = prepare(s, sql, &q);
	if (ret)
		goto out;
	if (a)
		sqlite3_bind_text(q, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(q, 2, b, -1, SQLITE_STATIC);
	if (c)
		sqlite3_bind_text(q, 3, c, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_index(q, "?9"))
		sqlite3_bind_int64(q, sqlite3_bind_parameter_index(q, "?9"), now_ms());
	if (sqlite3_step(q) != SQLITE_DONE)
		ret = db_fail(s, "write");
	else if (!sqlite3_changes(s->db))
		ret = -ENOENT;
out:
	sqlite3_finalize(q);
	if (began && (ret && ret != -ENOENT ? exec(s, "ROLLBACK") : exec(s, "COMMIT")))
		ret = -EIO;
	end_durable(s);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int sq_resource_delete(struct store *st, const char *path)
{
	return change(st, "DELETE FROM resources WHERE path = ?1",
		      path, NULL, NULL);
}

/* Rows of (text, text) into @cb; @arg binds ?1 when non-NULL. */
static int list2(struct store *st, const char *sql, const char *arg,
		 store_text_cb cb, void *ctx)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int ret, rc;

	pthread_mutex_lock(&s->lock);
	ret = prepare(s, sql, &q);
	if (ret)
		goto out;
	if (arg)
		sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && !ret)
		ret = cb(ctx, (const char *)sqlite3_column_text(q, 0),
			 (const char *)sqlite3_column_text(q, 1));
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(s, "read");
	sqlite3_finalize(q);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int sq_resource_list(struct store *st, store_text_cb cb, void *ctx)
{
	return list2(st, "SELECT path, kek_id FROM resources ORDER BY path",
		     NULL, cb, ctx);
}

static int rewrap_rows(struct sqlite_store *s, store_rewrap_cb cb, void *ctx)
{
	sqlite3_stmt *q;
	struct sealed v;
	char path[STORE_PATH_MAX + 1];
	int ret, rc;

	ret = prepare(s, "SELECT path, kek_id, dek, data FROM resources ORDER BY path", &q);
	while (!ret && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(q, 0) > STORE_PATH_MAX) {
			ret = db_fail(s, "resource path too long");
			break;
		}
		snprintf(path, sizeof(path), "%s", (const char *)sqlite3_column_text(q, 0));
		ret = row_to_sealed(q, 1, &v);
		if (ret)
			break;
		ret = cb(ctx, path, &v);
		if (!ret)
			ret = put_row(s, path, &v);
		sealed_free(&v);
		if (!ret)
			fault_point("store.rewrap.row");
	}
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(s, "read resources");
	sqlite3_finalize(q);
	return ret;
}

static int sq_rewrap_all(struct store *st, store_rewrap_cb cb, void *ctx)
{
	struct sqlite_store *s = S(st);
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = begin_durable(s);
	if (!ret)
		ret = rewrap_rows(s, cb, ctx);
	if (!ret) {
		fault_point("store.rewrap.before-commit");
		ret = exec(s, "COMMIT");
	}
	if (ret)
		exec(s, "ROLLBACK");
	end_durable(s);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static int sq_policy_put(struct store *st, const char *pattern, const char *json)
{
	return change(st, "INSERT INTO policies (pattern, policy, updated_ms)"
		      " VALUES (?1, ?2, ?9) ON CONFLICT(pattern) DO UPDATE SET"
		      " policy = ?2, updated_ms = ?9", pattern, json, NULL);
}

struct one_text {
	char *text;
};

static int take_text(void *ctx, const char *key, const char *text)
{
	struct one_text *o = ctx;

	o->text = strdup(text ? text : "");
	return o->text ? 0 : -ENOMEM;
}

static int sq_policy_get(struct store *st, const char *pattern, char **json)
{
	struct one_text o = { NULL };
	int ret = list2(st, "SELECT pattern, policy FROM policies WHERE pattern = ?1",
			pattern, take_text, &o);

	if (!ret && !o.text)
		ret = -ENOENT;
	*json = ret ? NULL : o.text;
	if (ret)
		free(o.text);
	return ret;
}

static int sq_policy_delete(struct store *st, const char *pattern)
{
	return change(st, "DELETE FROM policies WHERE pattern = ?1",
		      pattern, NULL, NULL);
}

static int sq_policy_list(struct store *st, store_text_cb cb, void *ctx)
{
	return list2(st, "SELECT pattern, policy FROM policies ORDER BY pattern",
		     NULL, cb, ctx);
}

static int sq_refval_add(struct store *st, const char *name, const char *kind,
			 const char *value)
{
	int ret = change(st, "INSERT OR IGNORE INTO refvals (name, kind, value)"
			 " VALUES (?1, ?2, ?3)", name, kind, value);

	return ret == -ENOENT ? 0 : ret;	/* already present */
}

static int sq_refval_delete(struct store *st, const char *name)
{
	return change(st, "DELETE FROM refvals WHERE name = ?1",
		      name, NULL, NULL);
}

static int sq_refval_list(struct store *st, const char *name, store_text_cb cb,
			  void *ctx)
{
	return list2(st, "SELECT kind, value FROM refvals WHERE name = ?1"
		     " ORDER BY kind, value", name, cb, ctx);
}

static void bind_opt(sqlite3_stmt *q, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static int sq_audit_append(struct store *st, struct audit_record *r)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int ret;

	pthread_mutex_lock(&s->lock);
	ret = prepare(s, "INSERT INTO audit (time_ms, event, client, session, tee,"
		      " evidence_digest, measurement, verdict, failed, resource, detail,"
		      " test_evidence) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)", &q);
	if (ret)
		goto out;
	sqlite3_bind_int64(q, 1, r->time_ms);
	bind_opt(q, 2, r->event ? r->event : "");
	bind_opt(q, 3, r->client);
	bind_opt(q, 4, r->session);
	bind_opt(q, 5, r->tee);
	bind_opt(q, 6, r->evidence_digest);
	bind_opt(q, 7, r->measurement);
	bind_opt(q, 8, r->verdict);
	bind_opt(q, 9, r->failed);
	bind_opt(q, 10, r->resource);
	bind_opt(q, 11, r->detail);
	sqlite3_bind_int(q, 12, r->test_evidence);
	if (sqlite3_step(q) != SQLITE_DONE)
		ret = db_fail(s, "append audit record");
	else
		r->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(q);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static const char *col(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

static int audit_emit(sqlite3_stmt *q, store_audit_cb cb, void *ctx)
{
	struct audit_record r = {
		.id = sqlite3_column_int64(q, 0),
		.time_ms = sqlite3_column_int64(q, 1),
		.event = col(q, 2), .client = col(q, 3), .session = col(q, 4),
		.tee = col(q, 5), .evidence_digest = col(q, 6),
		.measurement = col(q, 7), .verdict = col(q, 8), .failed = col(q, 9),
		.resource = col(q, 10), .detail = col(q, 11),
		.test_evidence = sqlite3_column_int(q, 12) != 0,
	};

	return cb(ctx, &r);
}

static int sq_audit_query(struct store *st, const struct audit_filter *f,
			  store_audit_cb cb, void *ctx)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int ret, rc;

	pthread_mutex_lock(&s->lock);
	ret = prepare(s, "SELECT id, time_ms, event, client, session, tee,"
		      " evidence_digest, measurement, verdict, failed, resource, detail,"
		      " test_evidence FROM audit WHERE id > ?1"
		      " AND (?2 = 0 OR time_ms >= ?2) AND (?3 = 0 OR time_ms <= ?3)"
		      " AND (?4 IS NULL OR event = ?4) AND (?5 IS NULL OR verdict = ?5)"
		      " AND (?6 IS NULL OR resource = ?6) AND (?7 IS NULL OR session = ?7)"
		      " AND (?8 IS NULL OR tee = ?8)"
		      " ORDER BY id LIMIT ?9", &q);
	if (ret)
		goto out;
	sqlite3_bind_int64(q, 1, f->after_id);
	sqlite3_bind_int64(q, 2, f->since_ms);
	sqlite3_bind_int64(q, 3, f->until_ms);
	bind_opt(q, 4, f->event);
	bind_opt(q, 5, f->verdict);
	bind_opt(q, 6, f->resource);
	bind_opt(q, 7, f->session);
	bind_opt(q, 8, f->tee);
	sqlite3_bind_int64(q, 9, f->limit ? (int64_t)f->limit : -1);
	while (!ret && (rc = sqlite3_step(q)) == SQLITE_ROW)
		ret = audit_emit(q, cb, ctx);
	if (!ret && rc != SQLITE_DONE)
		ret = db_fail(s, "read audit log");
	sqlite3_finalize(q);
out:
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* Readiness: the file answers and its schema is still ours. */
static int sq_ping(struct store *st, struct err_msg *why)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *q;
	int v = -1;

	pthread_mutex_lock(&s->lock);
	if (!prepare(s, "PRAGMA user_version", &q)) {
		if (sqlite3_step(q) == SQLITE_ROW)
			v = sqlite3_column_int(q, 0);
		sqlite3_finalize(q);
	}
	pthread_mutex_unlock(&s->lock);
	if (v == SCHEMA_VERSION)
		return 0;
	if (v < 0)
		err_set(why, "the database does not answer");
	else
		err_set(why, "the schema is version %d, this broker runs %d",
			 v, SCHEMA_VERSION);
	return v < 0 ? -EIO : -EPROTO;
}

static const struct store_ops sqlite_ops = {
	.scheme = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.resource_put = sq_resource_put,
	.resource_get = sq_resource_get,
	.resource_delete = sq_resource_delete,
	.resource_list = sq_resource_list,
	.rewrap_all = sq_rewrap_all,
	.policy_put = sq_policy_put,
	.policy_get = sq_policy_get,
	.policy_delete = sq_policy_delete,
	.policy_list = sq_policy_list,
	.refval_add = sq_refval_add,
	.refval_delete = sq_refval_delete,
	.refval_list = sq_refval_list,
	.audit_append = sq_audit_append,
	.audit_query = sq_audit_query,
	.ping = sq_ping,
};

const struct store_ops *store_sqlite_ops(void)
{
	return &sqlite_ops;
}
