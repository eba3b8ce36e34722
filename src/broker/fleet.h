/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_FLEET_H
#define CVMM_BROKER_FLEET_H

/*
 * One replica's part in a fleet of brokers that share a store
 * (store_fleet.h; docs/broker.md "A fleet"), and the health of every
 * broker (a single broker is a fleet of one).
 *
 * A thread beats every FLEET_BEAT_MS: it pings the store (reachable,
 * schema current) and, with a shared store, re-reads the fleet's current
 * KEK id and the KEK files when they changed, checks that this replica
 * holds the current KEK, refreshes its heartbeat row (with the KEK ids it
 * holds) and every FLEET_GC_MS drops expired sessions.  /readyz answers
 * from the last beat: ready means the last beat succeeded.
 *
 * KEKs in a fleet (fleet_kek.c): each replica holds the key in --kek FILE
 * and, when present, FILE.new.  The store names the fleet's current KEK;
 * b->kek is that one (new secrets are sealed under it), alt the other
 * file's key.  Rows may be sealed under either, so a rotation never
 * strands a replica: it re-seals under FILE.new only when every live
 * replica reports holding it, in one transaction with the change of the
 * current id.  The files are only read, never written (they may be a
 * read-only Kubernetes Secret).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "broker/kek.h"
#include "util/err.h"

#define FLEET_BEAT_MS		1000
#define FLEET_LIVE_MS		5000	/* a replica unseen this long is not live */
#define FLEET_GC_MS		10000
#define FLEET_NAME_MAX		128
#define FLEET_WINDOW_SLOTS	32

struct broker;

struct kek_stamp {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns;
	bool present;
};

/* Sessions this replica admitted that have not expired (--max-sessions). */
struct session_window {
	pthread_mutex_t lock;
	int64_t epoch[FLEET_WINDOW_SLOTS];
	size_t count[FLEET_WINDOW_SLOTS];
};

struct fleet {
	char name[FLEET_NAME_MAX + 1];
	int64_t started_ms;
	bool shared;			/* the store has fleet operations */

	/* KEK ring (under the broker's kek_lock): b->kek is current */
	char *kek_path;
	struct kek alt;			/* the other file's key, or empty */
	char file_id[KEK_ID_HEX + 1], new_id[KEK_ID_HEX + 1];
	struct kek_stamp stamp[2];	/* FILE, FILE.new at the last load */
	pthread_mutex_t reload_lock;
	int64_t last_reload_ms;
	char current[KEK_ID_HEX + 1];	/* the fleet's current KEK id, last seen */

	struct session_window win;

	pthread_mutex_t state_lock;
	bool ready;
	char not_ready[256];
	int live_replicas;
	int64_t last_gc_ms;

	pthread_t thread;
	bool running, stop;
	pthread_cond_t stop_cond;
};

/* A fleet for @b (b->store open): @name NULL = "<hostname>-<pid>". */
int fleet_init(struct broker *b, const char *name, struct err_msg *why);
/* Start / stop the beat (stop also leaves the replica table). */
int fleet_start(struct broker *b, struct err_msg *why);
void fleet_stop(struct broker *b);
void fleet_free(struct broker *b);
/* Did the last beat succeed?  If not, why. */
bool fleet_ready(struct broker *b, struct err_msg *why);
/* The live replicas at the last beat (1 for a broker alone). */
int fleet_live(struct broker *b);
/* Mark the replica not ready (SIGTERM: leave the load balancer first). */
void fleet_draining(struct broker *b);

/* fleet_kek.c */
/*
 * Load FILE (and FILE.new), adopt or read the fleet's current KEK, and
 * check that every resource is sealed under a KEK this replica holds.
 */
int fleet_kek_init(struct broker *b, const char *kek_path, struct err_msg *why);
/* Re-read the current id, and the files if they changed (@force: now). */
int fleet_kek_reload(struct broker *b, bool force);
/* The fleet's current KEK id as last read. */
void fleet_kek_current(struct broker *b, char id[KEK_ID_HEX + 1]);
/* The KEK named @kek_id among those held (call under kek_lock), or NULL. */
const struct kek *fleet_kek_for(struct broker *b, const char *kek_id);
/* "id1,id2": the KEK ids this replica holds (under kek_lock). */
void fleet_kek_ids(struct broker *b, char *out, size_t len);
/* admin rotate-kek with a shared store: re-seal everything under FILE.new. */
int fleet_rotate_kek(struct broker *b, struct err_msg *why);

/* admin_auth's jti_shared for a fleet (@ctx: the broker). */
int fleet_admin_jti(void *ctx, const char *jti, int64_t exp);

/* Admit one more session at @now_ms (false: --max-sessions reached). */
bool session_window_admit(struct session_window *w, int64_t now_ms, int64_t ttl_ms,
			  size_t max);

#endif
