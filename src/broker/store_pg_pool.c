// SPDX-License-Identifier: GPL-2.0-only
/* PostgreSQL connections and statement helpers (see store_pg.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker/blog.h"
#include "broker/store_pg.h"
#include "util/err.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* libpq's message on one line: "a\n\tb\n" -> "a; b". */
static void trim_msg(const char *msg, char *out, size_t len)
{
	size_t n = 0;
	const char *p;

	if (!len)
		return;
	for (p = msg && *msg ? msg : "unknown error"; *p && n + 1 < len; p++) {
		if (*p != '\n') {
			out[n++] = *p == '\t' ? ' ' : *p;
			continue;
		}
		while (p[1] == '\t' || p[1] == ' ' || p[1] == '\n')
			p++;
		if (p[1] && n + 3 < len) {
			out[n++] = ';';
			out[n++] = ' ';
		}
	}
	out[n] = 0;
}

/*
 * libpq's message about connecting to @uri, redacted and then on one line
 * in @why: redacted whole, before trim_msg() cuts it or joins its lines
 * (which would hide a password quoted across a line break from the
 * redaction).  A malformed URI comes back quoted, password and all.
 */
static void connect_msg(const char *uri, PGconn *c, struct err_msg *why)
{
	const char *msg = PQerrorMessage(c);
	size_t n = strlen(msg) + 2;	/* room to spare: nothing is cut */
	char *copy = malloc(n);

	if (!copy) {
		err_set(why, "out of memory");
		return;
	}
	memcpy(copy, msg, n - 1);
	store_msg_redact(uri, copy, n);
	trim_msg(copy, why->msg, sizeof(why->msg));
	explicit_bzero(copy, n);
	free(copy);
}

/* Notices ("relation already exists, skipping") are not the broker's log lines. */
static void quiet(void *arg, const char *message)
{
}

PGconn *pg_connect(const char *uri, struct err_msg *why)
{
	/* defaults first: the URI (dbname, expanded) overrides any of them */
	static const char *const keys[] = {
		"connect_timeout", "application_name", "target_session_attrs",
		"keepalives_idle", "keepalives_interval", "keepalives_count",
		"dbname", NULL,
	};
	const char *vals[] = { "5", "cvmm-broker", "read-write", "10", "5", "3", uri, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	PGresult *r;

	if (!c) {
		err_set(why, "out of memory");
		return NULL;
	}
	if (PQstatus(c) != CONNECTION_OK)
		goto fail;
	PQsetNoticeProcessor(c, quiet, NULL);
	r = PQexec(c, "SET synchronous_commit TO off");
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	return c;
fail:
	if (why)
		connect_msg(uri, c, why);
	PQfinish(c);
	return NULL;
}

static int acquire(struct pg_store *s, bool force, PGconn **out)
{
	struct timespec until;
	struct err_msg why;
	bool was_down;
	PGconn *c;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += PG_WAIT_MS / 1000;
	pthread_mutex_lock(&s->lock);
	while (!s->nidle && s->nopen >= PG_POOL_MAX && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->cond, &s->lock, &until);
	if (s->nidle) {
		*out = s->idle[--s->nidle];
		pthread_mutex_unlock(&s->lock);
		return 0;
	}
	if (s->nopen >= PG_POOL_MAX || (!force && mono_ms() < s->down_until_ms)) {
		pthread_mutex_unlock(&s->lock);
		return -EIO;
	}
	s->nopen++;
	pthread_mutex_unlock(&s->lock);
	c = pg_connect(s->uri, &why);
	pthread_mutex_lock(&s->lock);
	was_down = s->down_until_ms != 0;
	if (c) {
		s->down_until_ms = 0;
	} else {
		s->nopen--;
		s->down_until_ms = mono_ms() + PG_DOWN_MS;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	if (!c && !was_down)	/* once per outage, not once per request */
		berr("store", "cannot connect to PostgreSQL: %s", why.msg);
	if (c && was_down)
		blog("info", "store.reconnected", NULL);
	*out = c;
	return c ? 0 : -EIO;
}

static void release(struct pg_store *s, PGconn *c, bool broken)
{
	PGconn *drop[PG_POOL_MAX + 1];
	size_t n = 0, i;
	PGresult *r;

	if (!broken && PQtransactionStatus(c) != PQTRANS_IDLE) {
		r = PQexec(c, "ROLLBACK");	/* never hand on an open transaction */
		PQclear(r);
		broken = PQtransactionStatus(c) != PQTRANS_IDLE;
	}
	pthread_mutex_lock(&s->lock);
	if (broken) {
		/* the server went away: the idle connections to it are dead too */
		drop[n++] = c;
		s->nopen--;
		while (s->nidle) {
			drop[n++] = s->idle[--s->nidle];
			s->nopen--;
		}
	} else {
		s->idle[s->nidle++] = c;
	}
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < n; i++)
		PQfinish(drop[i]);
}

static int run(struct pg_store *s, pg_fn fn, void *ctx, bool force)
{
	bool broken;
	PGconn *c;
	int ret = -EIO, i;

	for (i = 0; i < 2; i++) {
		ret = acquire(s, force, &c);
		if (ret)
			return ret;
		ret = fn(c, ctx);
		broken = PQstatus(c) != CONNECTION_OK;
		release(s, c, broken);
		if (!broken || ret != -EIO)
			break;
	}
	return ret;
}

int pg_run(struct pg_store *s, pg_fn fn, void *ctx)
{
	return run(s, fn, ctx, false);
}

int pg_run_now(struct pg_store *s, pg_fn fn, void *ctx)
{
	return run(s, fn, ctx, true);
}

struct query_ctx {
	ExecStatusType want;
	const char *what, *sql;
	int n;
	const char *const *v;
	PGresult *r;
};

static int query_fn(PGconn *c, void *ctx)
{
	struct query_ctx *q = ctx;

	q->r = pg_exec(c, q->what, q->want, q->sql, q->n, q->v, NULL);
	return q->r ? 0 : -EIO;
}

int pg_query(struct pg_store *s, ExecStatusType want, const char *what, const char *sql,
	     int n, const char *const *v, PGresult **out)
{
	struct query_ctx q = { want, what, sql, n, v, NULL };
	int ret = pg_run(s, query_fn, &q);

	*out = ret ? NULL : q.r;
	return ret;
}

void pg_pool_close(struct pg_store *s)
{
	pthread_mutex_lock(&s->lock);
	while (s->nidle) {
		PQfinish(s->idle[--s->nidle]);
		s->nopen--;
	}
	pthread_mutex_unlock(&s->lock);
}

static void fail_log(PGconn *c, const PGresult *r, const char *what)
{
	char msg[512];

	trim_msg(r ? PQresultErrorMessage(r) : PQerrorMessage(c), msg, sizeof(msg));
	if (!*msg || !strcmp(msg, "unknown error"))
		trim_msg(PQerrorMessage(c), msg, sizeof(msg));
	berr("store", "%s: %s", what, msg);
}

PGresult *pg_exec(PGconn *c, const char *what, ExecStatusType want, const char *sql,
		  int n, const char *const *v, const int *len)
{
	int fmt[16], i;
	PGresult *r;

	if (n > 16)
		return NULL;
	for (i = 0; i < n; i++)
		fmt[i] = len && len[i] >= 0;
	/* without parameters: the simple protocol, which takes several statements */
	r = n ? PQexecParams(c, sql, n, NULL, v, len, fmt, 0) : PQexec(c, sql);
	if (PQresultStatus(r) == want)
		return r;
	fail_log(c, r, what);
	PQclear(r);
	return NULL;
}

int pg_cmd(PGconn *c, const char *what, const char *sql, int n, const char *const *v)
{
	PGresult *r = pg_exec(c, what, PGRES_COMMAND_OK, sql, n, v, NULL);

	PQclear(r);
	return r ? 0 : -EIO;
}

int pg_begin(PGconn *c, bool durable)
{
	PGresult *r = PQexec(c, durable ? "BEGIN; SET LOCAL synchronous_commit TO on" :
				     "BEGIN");
	int ret = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -EIO;

	if (ret)
		fail_log(c, r, "begin");
	PQclear(r);
	return ret;
}

int pg_commit(PGconn *c)
{
	PGresult *r = PQexec(c, "COMMIT");
	int ret = -EIO;

	/* COMMIT of a failed transaction answers "ROLLBACK" */
	if (PQresultStatus(r) == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(r), "COMMIT"))
		ret = 0;
	else
		fail_log(c, r, "commit");
	PQclear(r);
	return ret;
}

void pg_rollback(PGconn *c)
{
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		PQclear(PQexec(c, "ROLLBACK"));
}

int64_t pg_cell_i64(const PGresult *r, int row, int col)
{
	if (PQgetisnull(r, row, col))
		return 0;
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}
