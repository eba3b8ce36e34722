// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a fleet needs of the PostgreSQL store, against a real server
 * (CVMM_TEST_PG_URI, from tests/broker/pgcluster.py; skipped without it):
 * versioned migrations; shared sessions whose nonce two "replicas" racing
 * for it take exactly once; attestation results and bearer-token digests
 * through the store; the fleet's current KEK, which a put sealed under an
 * old KEK cannot slip past; a rotation killed (SIGKILL) at every step
 * leaves the store before or after; the rotation refuses while a live
 * replica lacks the new KEK; connections killed under the broker are
 * replaced without an error.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "broker/att_codec.h"
#include "broker/broker.h"
#include "broker/bsession.h"
#include "broker/fleet.h"
#include "broker/store_fleet.h"
#include "broker/store_pg.h"
#include "jose/jwk.h"
#include "util/err.h"

static const char *base;
static char dir[] = "/tmp/cvmm-broker-pg-XXXXXX";

static void quiet(void *arg, const char *message)
{
}

static PGresult *sql_on(const char *uri, const char *sql)
{
	PGconn *c = PQconnectdb(uri);
	PGresult *r;

	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("%s", PQerrorMessage(c));
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQfinish(c);
	return r;
}

static void sql(const char *uri, const char *text)
{
	PQclear(sql_on(uri, text));
}

/* A fresh database @name; its URI. */
static const char *fresh_db(const char *name)
{
	static char uri[4096];
	const char *q = strchr(base, '?'), *slash = q;
	char cmd[200];

	while (slash > base && *slash != '/')
		slash--;
	snprintf(cmd, sizeof(cmd), "DROP DATABASE IF EXISTS %s", name);
	sql(base, cmd);
	snprintf(cmd, sizeof(cmd), "CREATE DATABASE %s", name);
	sql(base, cmd);
	snprintf(uri, sizeof(uri), "%.*s/%s%s", (int)(slash - base), base, name, q);
	return uri;
}

static struct store *open_uri(const char *uri)
{
	struct store *st;
	struct err_msg why;

	if (store_open(uri, &st, &why))
		fail_msg("%s: %s", uri, why.msg);
	return st;
}

static void seal(const struct kek *k, const char *path, const char *val, struct sealed *s)
{
	assert_int_equal(kek_seal(k, path, (const uint8_t *)val, strlen(val), s), 0);
}

static void test_migrations(void **state)
{
	const char *uri = fresh_db("mig");
	struct err_msg why;
	struct store *st;
	struct sealed g;
	PGresult *r;

	assert_int_equal(store_pg_migrate_to(uri, 1, &why), 0);
	sql(uri, "INSERT INTO resources VALUES ('a/b/c', 'k1', '\\x00', '\\x0102', 1)");
	st = open_uri(uri);			/* applies migration 2, keeps the row */
	assert_int_equal(STORE_CALL(st, resource_get, "a/b/c", &g), 0);
	assert_int_equal(g.data_len, 2);
	assert_int_equal(g.data[1], 2);
	sealed_free(&g);
	assert_int_equal(st->ops->ping(st, &why), 0);
	store_close(st);
	r = sql_on(uri, "SELECT version FROM cvmm_schema ORDER BY version");
	assert_int_equal(PQntuples(r), PG_SCHEMA_VERSION);
	assert_string_equal(PQgetvalue(r, PG_SCHEMA_VERSION - 1, 0), "3");
	PQclear(r);
	st = open_uri(uri);			/* nothing more to apply */
	store_close(st);
}

static void make_session(struct store *st, const char *id, int64_t exp)
{
	struct store_session ss = { .expires_ms = exp };

	snprintf(ss.id, sizeof(ss.id), "%s", id);
	snprintf(ss.nonce, sizeof(ss.nonce), "%044d", 7);
	snprintf(ss.tee, sizeof(ss.tee), "snp");
	assert_int_equal(FLEET_CALL(st, session_create, &ss), 0);
}

static void test_sessions(void **state)
{
	struct store *st = open_uri(fresh_db("sess"));
	char digest[STORE_SHA256_HEX + 1], *text;
	struct store_session out;

	make_session(st, "s1", 10000);
	make_session(st, "s2", 500);
	assert_int_equal(FLEET_CALL(st, session_take_nonce, "s1", 1000, &out), 0);
	assert_string_equal(out.tee, "snp");
	assert_int_equal(out.expires_ms, 10000);
	assert_int_equal(strlen(out.nonce), SESSION_NONCE_LEN);
	assert_int_equal(FLEET_CALL(st, session_take_nonce, "s1", 1000, &out), -EALREADY);
	assert_int_equal(FLEET_CALL(st, session_take_nonce, "s2", 1000, &out), -ETIMEDOUT);
	assert_int_equal(FLEET_CALL(st, session_take_nonce, "nope", 1000, &out), -ENOENT);
	assert_int_equal(FLEET_CALL(st, session_get_result, "s1", 1000, &text, digest), -EACCES);
	assert_int_equal(FLEET_CALL(st, session_set_result, "s1", 1000, "{}", "ab"), 0);
	assert_int_equal(FLEET_CALL(st, session_set_result, "s2", 1000, "{}", "ab"), -ENOENT);
	assert_int_equal(FLEET_CALL(st, session_get_result, "s1", 1000, &text, digest), 0);
	assert_string_equal(text, "{}");
	assert_string_equal(digest, "ab");
	free(text);
	assert_int_equal(FLEET_CALL(st, session_get_result, "s1", 20000, &text, digest),
			 -ETIMEDOUT);
	assert_int_equal(FLEET_CALL(st, session_gc, 1000), 1);	/* s2 */
	assert_int_equal(FLEET_CALL(st, session_get_result, "s2", 0, &text, digest), -ENOENT);
	/* admin token ids: once fleet-wide, forgotten long after they expire */
	assert_int_equal(FLEET_CALL(st, admin_jti_claim, "0123456789abcdef", 100), 0);
	assert_int_equal(FLEET_CALL(st, admin_jti_claim, "0123456789abcdef", 100), -EEXIST);
	assert_int_equal(FLEET_CALL(st, session_gc, 100 * 1000), 1);	/* s1 */
	assert_int_equal(FLEET_CALL(st, admin_jti_claim, "0123456789abcdef", 100), -EEXIST);
	assert_int_equal(FLEET_CALL(st, session_gc, 10000 * 1000), 0);
	assert_int_equal(FLEET_CALL(st, admin_jti_claim, "0123456789abcdef", 100), 0);
	store_close(st);
}

/* Two "replicas" (two stores, two threads) race for each of NRACE nonces. */
#define NRACE	40

struct racer {
	struct store *st;
	pthread_barrier_t *bar;
	int won, lost;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct store_session out;
	char id[16];
	int i, ret;

	for (i = 0; i < NRACE; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		pthread_barrier_wait(r->bar);
		ret = FLEET_CALL(r->st, session_take_nonce, id, 1000, &out);
		r->won += ret == 0;
		r->lost += ret == -EALREADY;
	}
	return NULL;
}

static void test_nonce_race(void **state)
{
	const char *uri = fresh_db("race");
	pthread_barrier_t bar;
	struct racer r[2];
	pthread_t t[2];
	char id[16];
	int i;

	r[0] = (struct racer){ open_uri(uri), &bar, 0, 0 };
	r[1] = (struct racer){ open_uri(uri), &bar, 0, 0 };
	for (i = 0; i < NRACE; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		make_session(r[0].st, id, 100000);
	}
	pthread_barrier_init(&bar, NULL, 2);
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, race, &r[i]);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&bar);
	assert_int_equal(r[0].won + r[1].won, NRACE);
	assert_int_equal(r[0].lost + r[1].lost, NRACE);
	store_close(r[0].st);
	store_close(r[1].st);
}

static int to_b(void *ctx, const char *path, struct sealed *s)
{
	const struct kek *const *k = ctx;

	return kek_rewrap(k[0], k[1], path, s);
}

static void test_kek_current(void **state)
{
	struct store *st = open_uri(fresh_db("kek"));
	struct kek a, b;
	const struct kek *ab[2] = { &a, &b };
	char id[KEK_ID_HEX + 1];
	struct sealed s;

	assert_int_equal(kek_generate(&a), 0);
	assert_int_equal(kek_generate(&b), 0);
	assert_int_equal(FLEET_CALL(st, kek_current, id), -ENOENT);
	snprintf(id, sizeof(id), "%s", a.id);
	assert_int_equal(FLEET_CALL(st, kek_adopt, id), 0);
	snprintf(id, sizeof(id), "%s", b.id);
	assert_int_equal(FLEET_CALL(st, kek_adopt, id), 0);
	assert_string_equal(id, a.id);			/* the first one stays */
	seal(&b, "r/t/1", "v1", &s);
	assert_int_equal(STORE_CALL(st, resource_put, "r/t/1", &s), -ESTALE);
	sealed_free(&s);
	seal(&a, "r/t/1", "v1", &s);
	assert_int_equal(STORE_CALL(st, resource_put, "r/t/1", &s), 0);
	sealed_free(&s);
	assert_int_equal(FLEET_CALL(st, rewrap_to, b.id, to_b, ab), 0);
	assert_int_equal(FLEET_CALL(st, kek_current, id), 0);
	assert_string_equal(id, b.id);
	seal(&a, "r/t/2", "v2", &s);
	assert_int_equal(STORE_CALL(st, resource_put, "r/t/2", &s), -ESTALE);
	sealed_free(&s);
	assert_int_equal(STORE_CALL(st, resource_get, "r/t/1", &s), 0);
	assert_string_equal(s.kek_id, b.id);
	sealed_free(&s);
	kek_free(&a);
	kek_free(&b);
	store_close(st);
}

/* A put sealed under the old KEK, racing a rotation, commits before it or is refused. */
struct slow {
	const struct kek *k[2];
	pthread_barrier_t bar;
	int rows;
};

static int slow_to_b(void *ctx, const char *path, struct sealed *s)
{
	struct slow *w = ctx;

	if (!w->rows++) {
		pthread_barrier_wait(&w->bar);	/* the put starts now */
		usleep(300 * 1000);
	}
	return kek_rewrap(w->k[0], w->k[1], path, s);
}

struct putter {
	struct store *st;
	const struct kek *k;
	struct slow *w;
	int ret;
};

static void *put_old(void *arg)
{
	struct putter *p = arg;
	struct sealed s;

	pthread_barrier_wait(&p->w->bar);
	seal(p->k, "r/t/late", "late", &s);
	p->ret = STORE_CALL(p->st, resource_put, "r/t/late", &s);
	sealed_free(&s);
	return NULL;
}

static void test_put_during_rotation(void **state)
{
	const char *uri = fresh_db("putrot");
	struct store *st = open_uri(uri), *other = open_uri(uri);
	struct kek a, b;
	struct slow w = { .k = { &a, &b } };
	struct putter p = { other, &a, &w, 1 };
	char id[KEK_ID_HEX + 1];
	struct sealed s;
	pthread_t t;

	assert_int_equal(kek_generate(&a), 0);
	assert_int_equal(kek_generate(&b), 0);
	snprintf(id, sizeof(id), "%s", a.id);
	assert_int_equal(FLEET_CALL(st, kek_adopt, id), 0);
	seal(&a, "r/t/1", "v1", &s);
	assert_int_equal(STORE_CALL(st, resource_put, "r/t/1", &s), 0);
	sealed_free(&s);
	pthread_barrier_init(&w.bar, NULL, 2);
	pthread_create(&t, NULL, put_old, &p);
	assert_int_equal(FLEET_CALL(st, rewrap_to, b.id, slow_to_b, &w), 0);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&w.bar);
	assert_int_equal(p.ret, -ESTALE);	/* blocked by the rotation, then refused */
	assert_int_equal(STORE_CALL(st, resource_get, "r/t/late", &s), -ENOENT);
	kek_free(&a);
	kek_free(&b);
	store_close(other);
	store_close(st);
}

static void write_kek(const struct kek *k, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", dir, name);
	assert_int_equal(kek_write(k, path), 0);
}

/* A replica of @uri with KEK file @kekp (and @kekp.new if present). */
static int replica(struct broker *b, const char *uri, const char *name, const char *kekp,
		   struct err_msg *why)
{
	memset(b, 0, sizeof(*b));
	pthread_rwlock_init(&b->kek_lock, NULL);
	b->store = open_uri(uri);
	assert_int_equal(fleet_init(b, name, why), 0);
	return fleet_kek_init(b, kekp, why);
}

static void replica_free(struct broker *b)
{
	kek_free(&b->kek);
	fleet_free(b);
	store_close(b->store);
	pthread_rwlock_destroy(&b->kek_lock);
}

static void beat(struct broker *b)
{
	char ids[80];
	struct store_replica r = { .name = b->fleet->name, .started_ms = 1,
				   .seen_ms = broker_now_ms(), .version = "t" };

	pthread_rwlock_rdlock(&b->kek_lock);
	fleet_kek_ids(b, ids, sizeof(ids));
	pthread_rwlock_unlock(&b->kek_lock);
	r.keks = ids;
	assert_int_equal(FLEET_CALL(b->store, replica_beat, &r), 0);
}

static void check_open(struct broker *b, const char *path, const char *want)
{
	const struct kek *k;
	struct secret p;
	struct sealed s;

	assert_int_equal(STORE_CALL(b->store, resource_get, path, &s), 0);
	pthread_rwlock_rdlock(&b->kek_lock);
	k = fleet_kek_for(b, s.kek_id);
	assert_non_null(k);
	assert_int_equal(kek_open(k, path, &s, &p), 0);
	pthread_rwlock_unlock(&b->kek_lock);
	assert_memory_equal(p.data, want, strlen(want));
	secret_free(&p);
	sealed_free(&s);
}

static void test_fleet_rotation(void **state)
{
	const char *uri = fresh_db("frot");
	char ka[4096], kb[4096], kn[4200], u[4096];
	struct err_msg why;
	struct broker r1, r2, r3;
	struct kek old, nk;
	struct sealed s;

	snprintf(u, sizeof(u), "%s", uri);
	assert_int_equal(kek_generate(&old), 0);
	assert_int_equal(kek_generate(&nk), 0);
	write_kek(&old, "a.kek", ka, sizeof(ka));
	write_kek(&old, "b.kek", kb, sizeof(kb));
	assert_int_equal(replica(&r1, u, "r1", ka, &why), 0);
	assert_int_equal(replica(&r2, u, "r2", kb, &why), 0);
	seal(&r1.kek, "r/t/1", "one", &s);
	assert_int_equal(STORE_CALL(r1.store, resource_put, "r/t/1", &s), 0);
	sealed_free(&s);
	/* no a.kek.new yet */
	assert_int_equal(fleet_rotate_kek(&r1, &why), -ENOENT);
	assert_non_null(strstr(why.msg, ".new"));
	write_kek(&nk, "a.kek.new", kn, sizeof(kn));
	beat(&r1);
	beat(&r2);				/* r2 is live without the new KEK */
	assert_int_equal(fleet_rotate_kek(&r1, &why), -EBUSY);
	assert_non_null(strstr(why.msg, "r2"));
	write_kek(&nk, "b.kek.new", kn, sizeof(kn));
	assert_int_equal(fleet_kek_reload(&r2, true), 0);
	beat(&r2);
	assert_int_equal(fleet_rotate_kek(&r1, &why), 0);
	assert_string_equal(r1.kek.id, nk.id);
	check_open(&r2, "r/t/1", "one");	/* r2 opens it before its next beat */
	assert_int_equal(fleet_kek_reload(&r2, true), 0);
	assert_string_equal(r2.kek.id, nk.id);	/* and seals under the new KEK after */
	/* a replica holding only the old KEK cannot start */
	write_kek(&old, "c.kek", kn, sizeof(kn));
	assert_int_equal(replica(&r3, u, "r3", kn, &why), -EKEYREJECTED);
	replica_free(&r3);
	/* finish: a.kek := the new key, a.kek.new removed; a restart is fine */
	write_kek(&nk, "a.kek", ka, sizeof(ka));
	snprintf(kn, sizeof(kn), "%s.new", ka);
	unlink(kn);
	replica_free(&r1);
	assert_int_equal(replica(&r1, u, "r1", ka, &why), 0);
	check_open(&r1, "r/t/1", "one");
	replica_free(&r1);
	replica_free(&r2);
	kek_free(&old);
	kek_free(&nk);
}

static void test_rotation_killed(void **state)
{
	static const char *const faults[] = {
		"store.rewrap.row:1", "store.rewrap.row:3", "store.rewrap.before-commit",
		"rotate-kek.committed", "",
	};
	char ka[4096], kn[4096], u[4096], db[16], id[KEK_ID_HEX + 1];
	struct err_msg why;
	struct kek old, nk;
	struct broker b;
	struct sealed s;
	size_t i;
	int st, j;
	pid_t pid;

	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
		snprintf(db, sizeof(db), "kill%zu", i);
		snprintf(u, sizeof(u), "%s", fresh_db(db));
		assert_int_equal(kek_generate(&old), 0);
		assert_int_equal(kek_generate(&nk), 0);
		write_kek(&old, "k.kek", ka, sizeof(ka));
		write_kek(&nk, "k.kek.new", kn, sizeof(kn));
		assert_int_equal(replica(&b, u, "k", ka, &why), 0);
		for (j = 0; j < 3; j++) {
			char path[16] = "r/t/0";

			path[4] = (char)('0' + j);
			seal(&b.kek, path, path, &s);
			assert_int_equal(STORE_CALL(b.store, resource_put, path, &s), 0);
			sealed_free(&s);
		}
		replica_free(&b);
		pid = fork();
		assert_true(pid >= 0);
		if (!pid) {
			setenv("CVMM_BROKER_TEST_FAULT", faults[i], 1);
			if (replica(&b, u, "k", ka, &why))
				_exit(2);
			_exit(fleet_rotate_kek(&b, &why) ? 1 : 0);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (*faults[i])
			assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		else
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		/* before or after: every row under the current KEK, every secret readable */
		assert_int_equal(replica(&b, u, "k", ka, &why), 0);
		assert_int_equal(FLEET_CALL(b.store, kek_current, id), 0);
		assert_string_equal(id, i >= 3 ? nk.id : old.id);
		for (j = 0; j < 3; j++) {
			char path[16] = "r/t/0";

			path[4] = (char)('0' + j);
			assert_int_equal(STORE_CALL(b.store, resource_get, path, &s), 0);
			assert_string_equal(s.kek_id, id);
			sealed_free(&s);
			check_open(&b, path, path);
		}
		replica_free(&b);
		unlink(kn);
		kek_free(&old);
		kek_free(&nk);
	}
}

static void test_bsession(void **state)
{
	struct broker b;
	struct session_new sn;
	struct attestation *a = attestation_new(), *got;
	char nonce[SESSION_NONCE_LEN + 1], *text;
	struct err_msg why;
	EVP_PKEY *pk = jwk_generate("P-256");
	json_t *jwk = jwk_from_pkey(pk, "ECDH-ES+A256KW");
	enum tee_type tee;
	int64_t exp, now = broker_now_ms();

	memset(&b, 0, sizeof(b));
	b.store = open_uri(fresh_db("bsess"));
	session_table_init(&b.sessions, 2, SESSION_TTL_MS);
	assert_int_equal(fleet_init(&b, "t", &why), 0);
	json_object_del(jwk, "kid");
	assert_int_equal(tee_key_parse(jwk, false, &a->key, &why), 0);
	a->tee = TEE_SNP;
	a->evidence = (uint8_t *)strdup("report");
	a->evidence_len = 6;
	a->claims = json_pack("{s:s}", "product", "Milan");
	strcpy(a->measurement, "ab");
	a->report_data[3] = 9;
	a->init_len = 32;
	a->init_field[31] = 7;
	a->test_evidence = true;
	a->token = strdup("h.p.s");
	text = att_encode(a);
	assert_non_null(text);
	assert_int_equal(att_decode(text, strlen(text), &got), 0);
	assert_int_equal(got->evidence_len, 6);
	assert_int_equal(got->report_data[3], 9);
	assert_int_equal(got->init_len, 32);
	assert_int_equal(got->init_field[31], 7);
	assert_true(got->test_evidence);
	assert_string_equal(got->measurement, "ab");
	attestation_put(got);
	text[strlen(text) / 2] = 0;
	assert_int_equal(att_decode(text, strlen(text), &got), -EINVAL);
	free(text);

	assert_int_equal(bsession_create(&b, TEE_SNP, now, &sn), 0);
	assert_int_equal(bsession_create(&b, TEE_SNP, now, &sn), 0);
	assert_int_equal(bsession_create(&b, TEE_SNP, now, &sn), -ENOSPC);	/* --max-sessions */
	assert_int_equal(bsession_lookup(&b, sn.id, NULL, now, &got), -EACCES);
	assert_int_equal(bsession_take_nonce(&b, sn.id, now, nonce, &tee, &exp), 0);
	assert_string_equal(nonce, sn.nonce);
	assert_int_equal(bsession_take_nonce(&b, sn.id, now, nonce, &tee, &exp), -EALREADY);
	assert_int_equal(bsession_attested(&b, sn.id, now, attestation_get(a)), 0);
	assert_int_equal(bsession_lookup(&b, sn.id, "h.p.s", now, &got), 0);
	assert_string_equal(json_string_value(json_object_get(got->claims, "product")), "Milan");
	assert_non_null(got->key.pkey);
	attestation_put(got);
	assert_int_equal(bsession_lookup(&b, sn.id, "h.p.x", now, &got), -EKEYREJECTED);
	assert_int_equal(bsession_lookup(&b, sn.id, NULL, now + SESSION_TTL_MS, &got),
			 -ETIMEDOUT);
	attestation_put(a);
	json_decref(jwk);
	EVP_PKEY_free(pk);
	fleet_free(&b);
	session_table_free(&b.sessions);
	store_close(b.store);
}

static void test_reconnect(void **state)
{
	const char *uri = fresh_db("reconn");
	struct store *st = open_uri(uri);
	char *text;
	struct err_msg why;
	PGresult *r;
	int i;

	assert_int_equal(STORE_CALL(st, policy_put, "*", "{}"), 0);
	for (i = 0; i < 3; i++) {
		/* what a PostgreSQL restart or fail-over does to the broker's connections */
		r = sql_on(uri, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
			   " WHERE application_name = 'cvmm-broker'");
		assert_true(PQntuples(r) >= 1);
		PQclear(r);
		assert_int_equal(STORE_CALL(st, policy_get, "*", &text), 0);
		free(text);
	}
	assert_int_equal(st->ops->ping(st, &why), 0);
	store_close(st);
}

static int setup(void **state)
{
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
		cmocka_unit_test(test_migrations),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_nonce_race),
		cmocka_unit_test(test_kek_current),
		cmocka_unit_test(test_put_during_rotation),
		cmocka_unit_test(test_fleet_rotation),
		cmocka_unit_test(test_rotation_killed),
		cmocka_unit_test(test_bsession),
		cmocka_unit_test(test_reconnect),
	};

	base = getenv("CVMM_TEST_PG_URI");
	if (!base || !*base) {
		printf("SKIP: no PostgreSQL (run under tests/broker/pgcluster.py run --)\n");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
