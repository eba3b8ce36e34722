// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PostgreSQL schema and its migrations.  Table cvmm_schema records
 * each applied migration (version, time, description).  At open, under a
 * transaction-scoped advisory lock (replicas starting together apply each
 * migration once), every migration newer than the database's version is
 * applied in one transaction; a database newer than this broker is
 * refused (-EPROTO), and ping() reports a replica whose database was
 * migrated past it as not ready.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker/store_pg.h"
#include "util/err.h"

#define SCHEMA_LOCK	"7166956018362216813"	/* pg_advisory_xact_lock key */

struct migration {
	int version;
	const char *what;
	const char *sql;
};

static const struct migration migrations[] = {
	{ 1, "resources, policies, reference values, audit log",
	  "CREATE TABLE resources (path text PRIMARY KEY, kek_id text NOT NULL,"
	  " dek bytea NOT NULL, data bytea NOT NULL, updated_ms bigint NOT NULL);"
	  "CREATE TABLE policies (pattern text PRIMARY KEY, policy text NOT NULL,"
	  " updated_ms bigint NOT NULL);"
	  "CREATE TABLE refvals (name text NOT NULL, kind text NOT NULL,"
	  " value text NOT NULL, PRIMARY KEY (name, kind, value));"
	  "CREATE TABLE audit (id bigserial PRIMARY KEY, time_ms bigint NOT NULL,"
	  " event text NOT NULL, client text, session text, tee text,"
	  " evidence_digest text, measurement text, verdict text, failed text,"
	  " resource text, detail text, test_evidence boolean NOT NULL DEFAULT false);"
	  "CREATE INDEX audit_time ON audit (time_ms);" },
	{ 2, "shared sessions, the fleet's KEK, replica heartbeats",
	  "CREATE UNLOGGED TABLE sessions (id text PRIMARY KEY, nonce text NOT NULL,"
	  " tee text NOT NULL, expires_ms bigint NOT NULL,"
	  " nonce_taken boolean NOT NULL DEFAULT false, result text, token_sha256 text);"
	  "CREATE INDEX sessions_expiry ON sessions (expires_ms);"
	  "CREATE TABLE fleet (one boolean PRIMARY KEY DEFAULT true CHECK (one),"
	  " kek_current text NOT NULL);"
	  "CREATE TABLE replicas (name text PRIMARY KEY, started_ms bigint NOT NULL,"
	  " seen_ms bigint NOT NULL, keks text NOT NULL, version text NOT NULL);" },
	{ 3, "admin token ids, shared by the replicas",
	  "CREATE TABLE admin_jti (jti text PRIMARY KEY, exp_s bigint NOT NULL);" },
};

int pg_schema_version(PGconn *c)
{
	PGresult *r = pg_exec(c, "look for the schema", PGRES_TUPLES_OK,
			      "SELECT to_regclass('cvmm_schema') IS NOT NULL", 0, NULL, NULL);
	bool have;
	int v;

	if (!r)
		return -EIO;
	have = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	if (!have)
		return 0;	/* a database this broker never touched */
	r = pg_exec(c, "read the schema version", PGRES_TUPLES_OK,
		    "SELECT coalesce(max(version), 0) FROM cvmm_schema", 0, NULL, NULL);
	if (!r)
		return -EIO;
	v = (int)pg_cell_i64(r, 0, 0);
	PQclear(r);
	return v;
}

static int apply(PGconn *c, const struct migration *m)
{
	char ver[16], now[24];
	const char *v[3] = { ver, now, m->what };
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(ver, sizeof(ver), "%d", m->version);
	snprintf(now, sizeof(now), "%lld", (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
	if (pg_cmd(c, "migrate the schema", m->sql, 0, NULL))
		return -EIO;
	return pg_cmd(c, "record the migration", "INSERT INTO cvmm_schema"
		      " (version, applied_ms, description) VALUES ($1, $2, $3)", 3, v);
}

static int migrate_locked(PGconn *c, int target, struct err_msg *why)
{
	PGresult *r;
	size_t i;
	int have;

	r = pg_exec(c, "lock the schema", PGRES_TUPLES_OK,
		    "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK ")", 0, NULL, NULL);
	PQclear(r);
	if (!r || pg_cmd(c, "create the schema table", "CREATE TABLE IF NOT EXISTS cvmm_schema"
			 " (version integer PRIMARY KEY, applied_ms bigint NOT NULL,"
			 " description text NOT NULL)", 0, NULL))
		goto fail;
	have = pg_schema_version(c);
	if (have < 0)
		goto fail;
	if (have > PG_SCHEMA_VERSION) {
		err_set(why, "schema version %d is newer than this broker's (%d)",
			 have, PG_SCHEMA_VERSION);
		return -EPROTO;
	}
	for (i = 0; i < sizeof(migrations) / sizeof(migrations[0]); i++)
		if (migrations[i].version > have && migrations[i].version <= target &&
		    apply(c, &migrations[i]))
			goto fail;
	return 0;
fail:
	err_set(why, "cannot migrate the schema: %s", PQerrorMessage(c));
	if (why)
		why->msg[strcspn(why->msg, "\n")] = 0;
	return -EIO;
}

int pg_migrate(PGconn *c, int target, struct err_msg *why)
{
	int ret = pg_schema_version(c);

	/* current already: nothing to write (a read-only role may open it) */
	if (ret == target)
		return 0;
	if (ret > PG_SCHEMA_VERSION) {
		err_set(why, "schema version %d is newer than this broker's (%d)",
			 ret, PG_SCHEMA_VERSION);
		return -EPROTO;
	}
	ret = pg_begin(c, true);

	if (ret) {
		err_set(why, "%s", PQerrorMessage(c));
		if (why)
		why->msg[strcspn(why->msg, "\n")] = 0;
		return ret;
	}
	ret = migrate_locked(c, target, why);
	if (!ret && pg_commit(c)) {
		err_set(why, "cannot commit the schema migration");
		ret = -EIO;
	}
	if (ret)
		pg_rollback(c);
	return ret;
}

int store_pg_migrate_to(const char *uri, int version, struct err_msg *why)
{
	PGconn *c = pg_connect(uri, why);
	int ret;

	if (!c)
		return -EIO;
	ret = pg_migrate(c, version, why);
	PQfinish(c);
	return ret;
}
