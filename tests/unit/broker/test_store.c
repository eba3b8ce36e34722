// SPDX-License-Identifier: GPL-2.0-only
/*
 * The stores: resources, policies, reference values and audit rows
 * round-trip; a newer schema is refused; a wrong KEK is refused; and (a
 * broker alone, SQLite) a process killed (SIGKILL, through the test fault
 * points) in the middle of a KEK re-wrap leaves every secret readable under
 * exactly one KEK, which broker_kek_recover() picks at the next start.
 *
 * With CVMM_TEST_PG_URI set (tests/broker/pgcluster.py run -- …) the same
 * tests run against PostgreSQL, each in a database of its own; the
 * fleet's rotation is tested in test_store_pg.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "broker/broker.h"
#include "broker/store.h"
#include "util/err.h"

static char dir[] = "/tmp/cvmm-broker-store-XXXXXX";
static const char *pg_base;	/* CVMM_TEST_PG_URI: postgresql:///cvmm?host=… */

/* @base with its database replaced by @db. */
static void pg_uri(const char *base, const char *db, char *out, size_t len)
{
	const char *q = strchr(base, '?'), *slash = q ? q : base + strlen(base);

	while (slash > base && *slash != '/')
		slash--;
	snprintf(out, len, "%.*s/%s%s", (int)(slash - base), base, db, q ? q : "");
}

static void quiet(void *arg, const char *message)
{
}

static void pg_sql(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;

	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* "name.db": a file in dir, or a fresh PostgreSQL database "t_name" (once). */
static const char *db_path(const char *name)
{
	static char p[4096], made[64][64];
	char db[64], sql[200];
	size_t i;

	if (!pg_base) {
		snprintf(p, sizeof(p), "sqlite:%s/%s", dir, name);
		return p;
	}
	snprintf(db, sizeof(db), "t_%.*s", (int)strcspn(name, "."), name);
	for (i = 0; i < 64 && made[i][0] && strcmp(made[i], db); i++)
		;
	if (i < 64 && !made[i][0]) {
		snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", db);
		pg_sql(pg_base, sql);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
		pg_sql(pg_base, sql);
		snprintf(made[i], sizeof(made[i]), "%s", db);
	}
	pg_uri(pg_base, db, p, sizeof(p));
	return p;
}

static struct store *open_store(const char *name)
{
	struct store *st;
	struct err_msg why;

	if (store_open(db_path(name), &st, &why))
		fail_msg("%s: %s", db_path(name), why);
	return st;
}

static int collect(void *ctx, const char *a, const char *b)
{
	json_array_append_new(ctx, json_pack("[s,s]", a, b));
	return 0;
}

static void test_crud(void **state)
{
	struct store *st = open_store("crud.db");
	struct sealed s = { 0 }, g;
	json_t *l = json_array();
	char *text;

	s.dek = (uint8_t *)strdup("dekdekdek");
	s.dek_len = 9;
	s.data = (uint8_t *)strdup("data");
	s.data_len = 4;
	strcpy(s.kek_id, "id1");
	assert_int_equal(STORE_CALL(st, resource_put, "a/b/c", &s), 0);
	assert_int_equal(STORE_CALL(st, resource_get, "a/b/c", &g), 0);
	assert_int_equal(g.data_len, 4);
	assert_memory_equal(g.data, "data", 4);
	assert_string_equal(g.kek_id, "id1");
	sealed_free(&g);
	assert_int_equal(STORE_CALL(st, resource_get, "a/b/d", &g), -ENOENT);
	assert_int_equal(STORE_CALL(st, resource_list, collect, l), 0);
	assert_int_equal(json_array_size(l), 1);
	assert_int_equal(STORE_CALL(st, resource_delete, "a/b/c"), 0);
	assert_int_equal(STORE_CALL(st, resource_delete, "a/b/c"), -ENOENT);
	assert_int_equal(STORE_CALL(st, policy_put, "a/*", "{}"), 0);
	assert_int_equal(STORE_CALL(st, policy_put, "a/*", "{\"allow_debug\":false}"), 0);
	assert_int_equal(STORE_CALL(st, policy_get, "a/*", &text), 0);
	assert_string_equal(text, "{\"allow_debug\":false}");
	free(text);
	assert_int_equal(STORE_CALL(st, policy_get, "b/*", &text), -ENOENT);
	assert_int_equal(STORE_CALL(st, refval_add, "g", "snp.measurement", "aa"), 0);
	assert_int_equal(STORE_CALL(st, refval_add, "g", "snp.measurement", "aa"), 0);
	assert_int_equal(STORE_CALL(st, refval_add, "g", "snp.measurement", "bb"), 0);
	json_array_clear(l);
	assert_int_equal(STORE_CALL(st, refval_list, "g", collect, l), 0);
	assert_int_equal(json_array_size(l), 2);
	assert_int_equal(STORE_CALL(st, refval_delete, "g"), 0);
	assert_int_equal(STORE_CALL(st, refval_delete, "g"), -ENOENT);
	sealed_free(&s);
	json_decref(l);
	store_close(st);
}

static int count_rows(void *ctx, const struct audit_record *r)
{
	(*(int *)ctx)++;
	return 0;
}

static void test_audit(void **state)
{
	struct store *st = open_store("audit.db");
	struct audit_record r = { .time_ms = 1000, .event = "attest", .verdict = "deny",
				  .session = "s1", .failed = "[]", .tee = "snp" };
	struct audit_filter f = { 0 };
	int n = 0;

	assert_int_equal(STORE_CALL(st, audit_append, &r), 0);
	assert_true(r.id > 0);
	r.time_ms = 2000;
	r.event = "resource";
	r.verdict = "allow";
	r.resource = "a/b/c";
	assert_int_equal(STORE_CALL(st, audit_append, &r), 0);
	assert_int_equal(STORE_CALL(st, audit_query, &f, count_rows, &n), 0);
	assert_int_equal(n, 2);
	f.verdict = "allow";
	n = 0;
	assert_int_equal(STORE_CALL(st, audit_query, &f, count_rows, &n), 0);
	assert_int_equal(n, 1);
	f.verdict = NULL;
	f.since_ms = 1500;
	n = 0;
	assert_int_equal(STORE_CALL(st, audit_query, &f, count_rows, &n), 0);
	assert_int_equal(n, 1);
	f.since_ms = 0;
	f.limit = 1;
	n = 0;
	assert_int_equal(STORE_CALL(st, audit_query, &f, count_rows, &n), 0);
	assert_int_equal(n, 1);
	store_close(st);
}

static void test_newer_schema(void **state)
{
	struct store *st = open_store("schema.db");
	struct err_msg why;
	char path[4096];
	sqlite3 *db;

	assert_int_equal(st->ops->ping(st, &why), 0);
	if (pg_base) {
		pg_sql(db_path("schema.db"), "INSERT INTO cvmm_schema VALUES (7, 0, 'future')");
		/* a running broker notices at its next health check */
		assert_int_equal(st->ops->ping(st, &why), -EPROTO);
		assert_non_null(strstr(why.msg, "version 7"));
		store_close(st);
	} else {
		store_close(st);
		snprintf(path, sizeof(path), "%s/schema.db", dir);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=7", NULL, NULL, NULL),
				 SQLITE_OK);
		sqlite3_close(db);
	}
	assert_int_equal(store_open(db_path("schema.db"), &st, &why), -EPROTO);
	assert_non_null(strstr(why.msg, "newer"));
	assert_int_equal(store_open("mysql://x", &st, &why), -EINVAL);
	assert_int_equal(store_open("postgresql:///nosuchdb?host=/nonexistent", &st, &why), -EIO);
	assert_null(strchr(why.msg, '\n'));	/* libpq's message, on one line */
	assert_non_null(strstr(why.msg, "; Is the server running"));
}

/* A broker with three secrets under a KEK file in dir. */
static void setup_broker(struct broker *b, const char *db, char *kekp, size_t len)
{
	struct err_msg why;
	int i;

	memset(b, 0, sizeof(*b));
	pthread_rwlock_init(&b->kek_lock, NULL);
	snprintf(kekp, len, "%s/%s.kek", dir, db);
	assert_int_equal(kek_generate(&b->kek), 0);
	assert_int_equal(kek_write(&b->kek, kekp), 0);
	b->kek_path = strdup(kekp);
	assert_int_equal(store_open(db_path(db), &b->store, &why), 0);
	for (i = 0; i < 3; i++) {
		char path[32], val[8];
		struct sealed s;

		snprintf(path, sizeof(path), "r/t/%d", i);
		snprintf(val, sizeof(val), "v%d", i);
		assert_int_equal(kek_seal(&b->kek, path, (uint8_t *)val, 2, &s), 0);
		assert_int_equal(STORE_CALL(b->store, resource_put, path, &s), 0);
		sealed_free(&s);
	}
}

static void check_readable(const char *db, const char *kekp)
{
	struct store *st;
	struct kek k;
	struct err_msg why;
	int i;

	assert_int_equal(store_open(db_path(db), &st, &why), 0);
	if (broker_kek_recover(st, kekp, &k, &why))
		fail_msg("recover: %s", why.msg);
	for (i = 0; i < 3; i++) {
		char path[32];
		struct sealed s;
		struct secret p;

		snprintf(path, sizeof(path), "r/t/%d", i);
		assert_int_equal(STORE_CALL(st, resource_get, path, &s), 0);
		assert_int_equal(kek_open(&k, path, &s, &p), 0);
		assert_int_equal(p.data[1], '0' + i);
		secret_free(&p);
		sealed_free(&s);
	}
	kek_free(&k);
	store_close(st);
}

static void test_rotate_killed_at_each_step(void **state)
{
	static const char *const faults[] = {
		"rotate-kek.new-kek-written", "store.rewrap.row:1", "store.rewrap.row:3",
		"store.rewrap.before-commit", "rotate-kek.committed", "rotate-kek.renamed", "",
	};
	struct err_msg why;
	char kekp[4096], db[32], newp[4200];
	struct broker b;
	size_t i;
	int st;
	pid_t pid;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		snprintf(db, sizeof(db), "rot%zu.db", i);
		setup_broker(&b, db, kekp, sizeof(kekp));
		pid = fork();
		assert_true(pid >= 0);
		if (!pid) {
			/* key buffers are MADV_WIPEONFORK: the child reads its KEK again */
			if (kek_load(kekp, &b.kek, &why))
				_exit(2);
			setenv("CVMM_BROKER_TEST_FAULT", faults[i], 1);
			_exit(broker_rotate_kek(&b, &why) ? 1 : 0);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (*faults[i])
			assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		else
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		store_close(b.store);
		check_readable(db, kekp);
		snprintf(newp, sizeof(newp), "%s.new", kekp);
		assert_int_not_equal(access(newp, F_OK), 0);
		kek_free(&b.kek);
		free(b.kek_path);
		pthread_rwlock_destroy(&b.kek_lock);
	}
}

static void test_wrong_kek_refused(void **state)
{
	struct err_msg why;
	char kekp[4096];
	struct broker b;
	struct kek k, other;

	setup_broker(&b, "wrong.db", kekp, sizeof(kekp));
	assert_int_equal(kek_generate(&other), 0);
	assert_int_equal(kek_write(&other, kekp), 0);
	assert_int_equal(broker_kek_recover(b.store, kekp, &k, &why), -EKEYREJECTED);
	assert_non_null(strstr(why.msg, "another KEK"));
	kek_free(&other);
	kek_free(&b.kek);
	free(b.kek_path);
	store_close(b.store);
}

static void test_redact(void **state)
{
	char out[256];

	store_uri_redact("postgresql://u:secret@h:5432/db?sslmode=require", out, sizeof(out));
	assert_string_equal(out, "postgresql://u:***@h:5432/db?sslmode=require");
	store_uri_redact("postgres:///db?host=/s&password=secret&user=u", out, sizeof(out));
	assert_string_equal(out, "postgres:///db?host=/s&password=***&user=u");
	store_uri_redact("postgresql://u@h/db?x=a@b", out, sizeof(out));
	assert_string_equal(out, "postgresql://u@h/db?x=a@b");
	store_uri_redact("sqlite:/p:w@x", out, sizeof(out));
	assert_string_equal(out, "sqlite:/p:w@x");
	store_uri_redact("postgresql://u:pw@h/db?password=pw2&password=p3", out, sizeof(out));
	assert_string_equal(out, "postgresql://u:***@h/db?password=***&password=***");
	store_uri_redact("postgresql://u:pw@h/db", out, 12);
	assert_string_equal(out, "postgresql:");
	/* a misspelled scheme: store_open() refuses it, its message shows the URI */
	store_uri_redact("postgresq://u:hunter2@h/db?password=p2", out, sizeof(out));
	assert_string_equal(out, "postgresq://u:***@h/db?password=***");
	store_uri_redact("mysql://u:hunter2@h/db", out, sizeof(out));
	assert_string_equal(out, "mysql://u:***@h/db");
}

/* libpq quotes a malformed URI in its error: the password must not reach the message */
static void test_redact_messages(void **state)
{
	static const char *const bad[] = {
		"postgresql://u:hunter2@[::1/db",	/* the whole URI is quoted */
		"postgresql://u:hun%zzter2@h/db",	/* the bad token is quoted */
		"postgres://u@h/db?password=hun%zzter2",	/* the same in a parameter */
	};
	char msg[256];
	struct err_msg why;
	struct store *st;
	size_t i;

	snprintf(msg, sizeof(msg), "a *** b pw c pw");
	store_msg_redact("postgresql://u:pw@h/db", msg, sizeof(msg));
	assert_string_equal(msg, "a *** b *** c ***");
	snprintf(msg, sizeof(msg), "x * y");
	store_msg_redact("postgresql://u:*@h/db", msg, sizeof(msg));	/* ends */
	assert_string_equal(msg, "x *** y");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why.msg[0] = 0;
		assert_int_not_equal(store_open(bad[i], &st, &why), 0);
		assert_true(why.msg[0]);
		assert_null(strstr(why.msg, "hunter2"));
		assert_null(strstr(why.msg, "hun%zzter2"));
	}
}

/* What @msg becomes once redacted for @uri, in a buffer of exactly its size. */
static void redacted(const char *uri, const char *msg, char *out, size_t size)
{
	snprintf(out, size, "%s", msg);
	store_msg_redact(uri, out, size);
}

/*
 * libpq's own reading of @uri is the oracle: every password (and
 * sslpassword) it takes, decoded as it uses it, is redacted when a message
 * quotes it, and hidden when the URI is shown.
 */
static void check_libpq_secrets(const char *uri)
{
	PQconninfoOption *opts, *o;
	char msg[512], shown[512];
	char *err = NULL;
	int n = 0;

	opts = PQconninfoParse(uri, &err);
	if (!opts)
		fail_msg("%s: %s", uri, err);
	store_uri_redact(uri, shown, sizeof(shown));
	for (o = opts; o->keyword; o++) {
		if ((strcmp(o->keyword, "password") && strcmp(o->keyword, "sslpassword")) ||
		    !o->val || !*o->val)
			continue;
		n++;
		snprintf(msg, sizeof(msg), "server said \"%s\" (%s)", o->val, o->keyword);
		store_msg_redact(uri, msg, sizeof(msg));
		if (strstr(msg, o->val))
			fail_msg("%s: %s leaks: %s", uri, o->keyword, msg);
		assert_non_null(strstr(msg, "server said \"***\""));
		if (strstr(shown, o->val))
			fail_msg("%s: shown as %s", uri, shown);
	}
	PQconninfoFree(opts);
	if (!n)
		fail_msg("%s: libpq takes no password from it", uri);
}

/* A password percent-encoded in the URI reaches libpq (and its messages) decoded. */
static void test_redact_decoded(void **state)
{
	static const char *const uris[] = {
		"postgresql://u:p%40ss%2Fw0rd@h/db",
		"postgresql://u:p%40ss%2fw0rd@h/db?sslmode=require",
		"postgres://u:%3A%25%3F%26%3D@h:5432/db",
		"postgresql://u:pw?x@h/db",		/* libpq: password "pw?x" */
		"postgresql://u@h/db?sslpassword=k%65y%21",
	};
	char msg[256], shown[256];
	size_t i;

	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		check_libpq_secrets(uris[i]);
	redacted("postgresql://u:p%40ss%2Fw0rd@h/db",
		 "password \"p@ss/w0rd\" and \"p%40ss%2Fw0rd\" in postgresql://u:p%40ss%2Fw0rd@h/db",
		 msg, sizeof(msg));
	assert_string_equal(msg, "password \"***\" and \"***\" in postgresql://u:***@h/db");
	store_uri_redact("postgresql://u:pw?x@h/db?sslmode=require", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u:***@h/db?sslmode=require");
}

/* The password= parameter, its key percent-encoded too, any number of times. */
static void test_redact_param(void **state)
{
	static const char *const uris[] = {
		"postgresql://u@h/db?password=s%65cr%65t",
		"postgresql://u@h/db?sslmode=disable&pass%77ord=hunter2",
		"postgresql://u@h/db?%70assword=hunter2&application_name=x",
		"postgresql://u@h/db?password=p1&password=p2&password=p3&password=p4&password=hunter2",
		"postgresql://u:first@h/db?password=second%20pw",
	};
	char msg[256], shown[256];
	size_t i;

	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++)
		check_libpq_secrets(uris[i]);
	store_uri_redact(uris[1], shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u@h/db?sslmode=disable&pass%77ord=***");
	store_uri_redact(uris[3], shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u@h/db?password=***&password=***"
			    "&password=***&password=***&password=***");
	redacted(uris[0], "no such user \"u\" (password secret, s%65cr%65t)", msg, sizeof(msg));
	assert_string_equal(msg, "no such user \"u\" (password ***, ***)");
	/* a key that is not a password's stays, and so does its value */
	store_uri_redact("postgresql://u@h/db?passwordx=1&xpassword=2", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u@h/db?passwordx=1&xpassword=2");
}

/*
 * A raw '@' or '/' in the password (it must be percent-encoded): libpq takes
 * the rest for host, port or database and quotes those.
 */
static void test_redact_misread(void **state)
{
	char msg[256], shown[256];
	struct err_msg why;
	struct store *st;

	/* libpq: password "pa55", host "w0rd@h" */
	store_uri_redact("postgresql://u:pa55@w0rd@h/db", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u:***@h/db");
	redacted("postgresql://u:pa55@w0rd@h/db",
		 "could not translate host name \"w0rd@h\" to address", msg, sizeof(msg));
	assert_string_equal(msg, "could not translate host name \"***@h\" to address");
	/* libpq: no password, host "u", port "pa55", database "w0rd@h/db" */
	store_uri_redact("postgresql://u:pa55/w0rd@h/db", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://u:***@h/db");
	assert_int_not_equal(store_open("postgresql://u:pa55/w0rd@h/db", &st, &why), 0);
	assert_null(strstr(why.msg, "pa55"));
	assert_non_null(strstr(why.msg, "\"***\""));
	redacted("postgresql://u:pa55/w0rd@h/db", "database \"w0rd@h/db\" does not exist",
		 msg, sizeof(msg));
	assert_string_equal(msg, "database \"***@h/db\" does not exist");
	/* libpq: user "a", host "b", port "pw12@h" */
	store_uri_redact("postgresql://a@b:pw12@h/db", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://a@b:***@h/db");
	assert_int_not_equal(store_open("postgresql://a@b:pw12@h/db", &st, &why), 0);
	assert_null(strstr(why.msg, "pw12"));
	assert_non_null(strstr(why.msg, "\"***@h\""));
	/* an '@' after the query is not a password's */
	store_uri_redact("postgresql://h:5432/db?application_name=a@b", shown, sizeof(shown));
	assert_string_equal(shown, "postgresql://h:5432/db?application_name=a@b");
}

/* Malformed escapes: libpq quotes the raw token; nothing is read past the URI. */
static void test_redact_malformed(void **state)
{
	static const char *const uris[] = {
		"postgresql://u:hunt%4@h/db",
		"postgresql://u:hunt%zzer@h/db",
		"postgresql://u:hunter%@h/db",
		"postgresql://u:hun%00ter@h/db",
		"postgresql://u@h/db?password=hunter%",
		"postgresql://u@h/db?password=hunt%4",
		"postgresql://u@h/db?password=%",
		"postgresql://u:%@h/db?password=%2",
	};
	char msg[256], raw[64];
	struct err_msg why;
	struct store *st;
	const char *pw;
	size_t i, len;

	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		pw = strstr(uris[i], "password=");
		pw = pw ? pw + 9 : strchr(uris[i] + 13, ':') + 1;
		len = strcspn(pw, "@&");
		snprintf(raw, sizeof(raw), "%.*s", (int)len, pw);
		snprintf(msg, sizeof(msg), "invalid percent-encoded token: \"%s\"", raw);
		store_msg_redact(uris[i], msg, sizeof(msg));
		assert_string_equal(msg, "invalid percent-encoded token: \"***\"");
		/* the same through libpq (no connection: the URI does not parse) */
		why.msg[0] = 0;
		assert_int_not_equal(store_open(uris[i], &st, &why), 0);
		assert_true(why.msg[0]);
		if (strstr(why.msg, raw))
			fail_msg("%s: %s", uris[i], why.msg);
	}
}

/* A message that fills its buffer: never written past, and a password cut at the end is hidden. */
static void test_redact_full_buffer(void **state)
{
	const char *uri = "postgresql://u:hunter2@h/db";
	char buf[32];

	/* 15 characters in 16 bytes, the last password cut after "hun" */
	memset(buf, 'Z', sizeof(buf));
	memcpy(buf, "x hunter2 y hun", 16);
	store_msg_redact(uri, buf, 16);
	assert_string_equal(buf, "x *** y ***");
	assert_null(memmem(buf, 16, "hunter2", 7));	/* not even past the NUL */
	assert_null(memmem(buf, 16, "2 y", 3));
	assert_int_equal(buf[16], 'Z');
	/* a message that fills the buffer and holds no part of a password stays */
	memcpy(buf, "x hunter2 y abc", 16);
	store_msg_redact(uri, buf, 16);
	assert_string_equal(buf, "x *** y abc");
	/* short passwords: "***" is longer, the message is cut, never overflowed */
	memset(buf, 'Z', sizeof(buf));
	memcpy(buf, "pw pw pw pw pw ", 16);
	store_msg_redact("postgresql://u:pw@h/db", buf, 16);
	assert_string_equal(buf, "*** *** *** ***");
	assert_int_equal(buf[16], 'Z');
	memcpy(buf, "ab", 3);
	store_msg_redact("postgresql://u:b@h/db", buf, 2);	/* "a" fills 2 bytes */
	assert_string_equal(buf, "a");
	store_msg_redact("postgresql://u:a@h/db", buf, 2);
	assert_string_equal(buf, "*");
	store_msg_redact("postgresql://u:a@h/db", buf, 1);
	assert_string_equal(buf, "");
}

/* libpq quotes the whole URI; a long one is cut in the password: no prefix of it stays. */
static void test_redact_cut_message(void **state)
{
	char uri[512], user[300];
	struct err_msg why;
	struct store *st;
	size_t ulen, k, n;

	for (ulen = 120; ulen < 260; ulen++) {
		memset(user, 'u', ulen);
		user[ulen] = 0;
		snprintf(uri, sizeof(uri), "postgresql://%s:Qhunter2Qhunter2@[::1/db", user);
		why.msg[0] = 0;
		assert_int_not_equal(store_open(uri, &st, &why), 0);
		n = strlen(why.msg);
		assert_true(n > 0 && n < sizeof(why.msg));
		for (k = 1; k <= 16 && k <= n; k++)
			if (!memcmp(why.msg + n - k, "Qhunter2Qhunter2", k))
				fail_msg("user of %zu: ends in %zu bytes of the password: %s",
					 ulen, k, why.msg);
	}
}

static int setup(void **state)
{
	pg_base = getenv("CVMM_TEST_PG_URI");
	if (pg_base && !*pg_base)
		pg_base = NULL;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crud),
		cmocka_unit_test(test_audit),
		cmocka_unit_test(test_newer_schema),
		cmocka_unit_test(test_wrong_kek_refused),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_redact_messages),
		cmocka_unit_test(test_redact_decoded),
		cmocka_unit_test(test_redact_param),
		cmocka_unit_test(test_redact_misread),
		cmocka_unit_test(test_redact_malformed),
		cmocka_unit_test(test_redact_full_buffer),
		cmocka_unit_test(test_redact_cut_message),
		/* a broker alone: the fleet's rotation is test_store_pg.c's */
		cmocka_unit_test(test_rotate_killed_at_each_step),
	};
	const char *pg = getenv("CVMM_TEST_PG_URI");
	size_t n = sizeof(tests) / sizeof(tests[0]);

	/* PostgreSQL: all but the last (the rotation of a broker alone) */
	return _cmocka_run_group_tests(pg && *pg ? "store-pg" : "store", tests,
				       pg && *pg ? n - 1 : n, setup, teardown);
}
