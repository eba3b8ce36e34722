/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_STORE_PG_H
#define CVMM_BROKER_STORE_PG_H

/*
 * Internals of the PostgreSQL store (store_pg*.c), shared by its files and
 * its tests.
 *
 * Connections: a pool of at most PG_POOL_MAX libpq connections, opened on
 * demand (a connection serves one thread at a time).  A statement that
 * fails because its connection broke (the server restarted, a fail-over,
 * a dropped TCP connection) empties the pool and runs once more on a new
 * connection; a failed connect makes further calls fail at once for
 * PG_DOWN_MS instead of each waiting for a connect timeout (ping() always
 * tries).  Every operation is one function run on one connection,
 * pg_run(); those that write run in one transaction, so a retry never
 * sees half of a first attempt.
 *
 * Connections default to connect_timeout=5, application_name=cvmm-broker
 * and synchronous_commit=off; the URI can override the first two.
 * Changes to resources, policies, reference values and the KEK are
 * committed with synchronous_commit=on (durable once acknowledged); audit
 * rows asynchronously (durable against a broker crash; a PostgreSQL crash
 * can lose the last ~3 × wal_writer_delay of them).  Sessions live in an
 * UNLOGGED table: a PostgreSQL crash or fail-over forgets them (guests
 * redo the flow), so a taken nonce can never come back.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "broker/store.h"
#include "util/err.h"

#define PG_POOL_MAX		32
#define PG_DOWN_MS		1000
#define PG_WAIT_MS		10000	/* longest wait for a free connection */
#define PG_SCHEMA_VERSION	3

struct pg_store {
	struct store base;
	char *uri;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	PGconn *idle[PG_POOL_MAX];
	size_t nidle, nopen;
	int64_t down_until_ms;
};

static inline struct pg_store *PG(struct store *s)
{
	return (struct pg_store *)s;
}

/* One operation on one connection; return -EIO after a failed statement. */
typedef int (*pg_fn)(PGconn *c, void *ctx);

/* Run @fn on a pooled connection (once more if the connection broke). */
int pg_run(struct pg_store *s, pg_fn fn, void *ctx);
/* The same, connecting even inside the PG_DOWN_MS window (ping). */
int pg_run_now(struct pg_store *s, pg_fn fn, void *ctx);
/*
 * One statement, autocommitted, on a pooled connection: *out is its
 * result (PQclear() it) with status @want.  0 or -EIO (logged as @what).
 */
int pg_query(struct pg_store *s, ExecStatusType want, const char *what, const char *sql,
	     int n, const char *const *v, PGresult **out);
/* Close every connection. */
void pg_pool_close(struct pg_store *s);
/* Open a connection to @uri (defaults above); NULL with @why. */
PGconn *pg_connect(const char *uri, struct err_msg *why);

/*
 * PQexecParams with @n text parameters (NULL = SQL NULL), or binary ones
 * where @len is given (PQexec of constant SQL, which may hold several
 * statements, when @n is 0); the result must have status @want, else it is
 * cleared, the failure logged (@what) and NULL returned.
 */
PGresult *pg_exec(PGconn *c, const char *what, ExecStatusType want, const char *sql,
		  int n, const char *const *v, const int *len);
/* A command without result rows: 0 or -EIO. */
int pg_cmd(PGconn *c, const char *what, const char *sql, int n, const char *const *v);
/* BEGIN (@durable: with synchronous_commit=on); COMMIT; ROLLBACK. */
int pg_begin(PGconn *c, bool durable);
int pg_commit(PGconn *c);
void pg_rollback(PGconn *c);
/* The int64 in a result cell (0 for NULL). */
int64_t pg_cell_i64(const PGresult *r, int row, int col);

/* The schema: apply the migrations up to @target; -EPROTO if newer. */
int pg_migrate(PGconn *c, int target, struct err_msg *why);
/* The schema version the database has (0: none), or -EIO. */
int pg_schema_version(PGconn *c);

/* Test hook: open @uri and migrate it only up to @version. */
int store_pg_migrate_to(const char *uri, int version, struct err_msg *why);

/* A (kek_id, dek, data) row from column @col on into @v. */
int pg_row_sealed(const PGresult *r, int row, int col, struct sealed *v);
/*
 * Re-seal every resource through @cb in one durable transaction that holds
 * the fleet row (excluding resource_put()); with @to_id, make it the
 * fleet's current KEK in the same transaction.
 */
int pg_rewrap(PGconn *c, const char *to_id, store_rewrap_cb cb, void *ctx);

/* The fleet operations (store_pg_fleet.c). */
extern const struct store_fleet_ops pg_fleet_ops;
/* resource_put's check of the fleet's current KEK (store_pg_fleet.c). */
int pg_kek_check(PGconn *c, const char *kek_id);

#endif
