// SPDX-License-Identifier: GPL-2.0-only
/* A replica's heartbeat, readiness and session admission (see fleet.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/fleet.h"
#include "broker/store_fleet.h"
#include "util/err.h"

#define BROKER_VERSION	"0.1.0"

int fleet_init(struct broker *b, const char *name, struct err_msg *why)
{
	struct fleet *f = calloc(1, sizeof(*f));
	char host[FLEET_NAME_MAX - 16];

	if (!f)
		return -ENOMEM;
	if (name) {
		if (!*name || strlen(name) > FLEET_NAME_MAX) {
			free(f);
			err_set(why, "a replica name has 1 to %d characters",
				 FLEET_NAME_MAX);
			return -EINVAL;
		}
		snprintf(f->name, sizeof(f->name), "%s", name);
	} else {
		if (gethostname(host, sizeof(host)))
			snprintf(host, sizeof(host), "broker");
		host[sizeof(host) - 1] = 0;
		snprintf(f->name, sizeof(f->name), "%s-%d", host, (int)getpid());
	}
	f->shared = store_fleet(b->store) != NULL;
	f->started_ms = broker_now_ms();
	f->ready = true;
	pthread_mutex_init(&f->reload_lock, NULL);
	pthread_mutex_init(&f->state_lock, NULL);
	pthread_mutex_init(&f->win.lock, NULL);
	pthread_cond_init(&f->stop_cond, NULL);
	f->live_replicas = 1;
	b->fleet = f;
	return 0;
}

static void set_state(struct fleet *f, bool ready, const char *why, int live)
{
	bool was;

	pthread_mutex_lock(&f->state_lock);
	was = f->ready;
	f->ready = ready;
	snprintf(f->not_ready, sizeof(f->not_ready), "%s", ready ? "" : why);
	if (live > 0)
		f->live_replicas = live;
	pthread_mutex_unlock(&f->state_lock);
	if (was != ready)
		blog(ready ? "info" : "warn", ready ? "serve.ready" : "serve.not-ready",
		     ready ? NULL : json_pack("{s:s}", "why", why));
}

bool fleet_ready(struct broker *b, struct err_msg *why)
{
	struct fleet *f = b->fleet;
	bool r;

	if (!f)
		return true;
	pthread_mutex_lock(&f->state_lock);
	r = f->ready;
	err_set(why, "%s", f->not_ready);
	pthread_mutex_unlock(&f->state_lock);
	return r;
}

int fleet_live(struct broker *b)
{
	int n = 1;

	if (b->fleet) {
		pthread_mutex_lock(&b->fleet->state_lock);
		n = b->fleet->live_replicas;
		pthread_mutex_unlock(&b->fleet->state_lock);
	}
	return n;
}

struct live_ctx {
	int64_t now;
	int n;
};

static int count_live(void *ctx, const struct store_replica *r)
{
	struct live_ctx *l = ctx;

	l->n += r->seen_ms > l->now - FLEET_LIVE_MS;
	return 0;
}

/* The shared part of a beat: KEKs, heartbeat row, session GC. */
static int beat_shared(struct broker *b, int64_t now, struct err_msg *why, int *live)
{
	struct fleet *f = b->fleet;
	struct store_replica r = { .name = f->name, .started_ms = f->started_ms,
				   .seen_ms = now, .version = BROKER_VERSION };
	struct live_ctx l = { now, 0 };
	char ids[2 * KEK_ID_HEX + 2], cur[KEK_ID_HEX + 1];
	bool held;

	if (fleet_kek_reload(b, true)) {
		err_set(why, "cannot read the fleet's KEK");
		return -EIO;
	}
	fleet_kek_current(b, cur);
	pthread_rwlock_rdlock(&b->kek_lock);
	held = fleet_kek_for(b, cur) != NULL;
	fleet_kek_ids(b, ids, sizeof(ids));
	pthread_rwlock_unlock(&b->kek_lock);
	if (!held) {
		err_set(why, "this replica does not hold the fleet's current KEK"
			 " (id %s)", cur);
		return -EKEYREJECTED;
	}
	r.keks = ids;
	if (FLEET_CALL(b->store, replica_beat, &r) ||
	    FLEET_CALL(b->store, replica_list, count_live, &l)) {
		err_set(why, "cannot write the heartbeat");
		return -EIO;
	}
	*live = l.n;
	if (now - f->last_gc_ms >= FLEET_GC_MS) {
		f->last_gc_ms = now;
		FLEET_CALL(b->store, session_gc, now - STORE_SESSION_GRACE_MS);
	}
	return 0;
}

static void beat(struct broker *b)
{
	struct fleet *f = b->fleet;
	struct err_msg why = { "" };
	int ret = 0, live = 0;

	if (b->store->ops->ping)
		ret = b->store->ops->ping(b->store, &why);
	if (!ret && f->shared)
		ret = beat_shared(b, broker_now_ms(), &why, &live);
	pthread_mutex_lock(&f->state_lock);
	if (f->stop)		/* draining: stay not ready */
		ret = ret ? ret : -ESHUTDOWN;
	pthread_mutex_unlock(&f->state_lock);
	set_state(f, !ret, why.msg[0] ? why.msg : "shutting down", live);
}

static void *beat_main(void *arg)
{
	struct broker *b = arg;
	struct fleet *f = b->fleet;
	struct timespec ts;

	pthread_mutex_lock(&f->state_lock);
	while (!f->stop) {
		pthread_mutex_unlock(&f->state_lock);
		beat(b);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (FLEET_BEAT_MS % 1000) * 1000000L;
		ts.tv_sec += FLEET_BEAT_MS / 1000 + ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_mutex_lock(&f->state_lock);
		if (!f->stop)
			pthread_cond_timedwait(&f->stop_cond, &f->state_lock, &ts);
	}
	pthread_mutex_unlock(&f->state_lock);
	return NULL;
}

int fleet_start(struct broker *b, struct err_msg *why)
{
	struct fleet *f = b->fleet;
	int ret;

	beat(b);		/* the first beat before serving: ready from the start */
	ret = pthread_create(&f->thread, NULL, beat_main, b);
	if (ret) {
		err_set(why, "cannot start the heartbeat thread: %s", strerror(ret));
		return -ret;
	}
	f->running = true;
	return 0;
}

void fleet_draining(struct broker *b)
{
	struct fleet *f = b->fleet;

	if (!f)
		return;
	pthread_mutex_lock(&f->state_lock);
	f->stop = true;
	pthread_cond_broadcast(&f->stop_cond);
	pthread_mutex_unlock(&f->state_lock);
	set_state(f, false, "shutting down", 0);
}

void fleet_stop(struct broker *b)
{
	struct fleet *f = b->fleet;

	if (!f || !f->running)		/* never started: nothing to leave */
		return;
	fleet_draining(b);
	pthread_join(f->thread, NULL);
	f->running = false;
	if (f->shared)
		FLEET_CALL(b->store, replica_leave, f->name);
}

void fleet_free(struct broker *b)
{
	struct fleet *f = b->fleet;

	if (!f)
		return;
	kek_free(&f->alt);
	free(f->kek_path);
	pthread_mutex_destroy(&f->reload_lock);
	pthread_mutex_destroy(&f->state_lock);
	pthread_mutex_destroy(&f->win.lock);
	pthread_cond_destroy(&f->stop_cond);
	free(f);
	b->fleet = NULL;
}

int fleet_admin_jti(void *ctx, const char *jti, int64_t exp)
{
	struct broker *b = ctx;

	return FLEET_CALL(b->store, admin_jti_claim, jti, exp);
}

bool session_window_admit(struct session_window *w, int64_t now_ms, int64_t ttl_ms,
			  size_t max)
{
	int64_t width = ttl_ms / FLEET_WINDOW_SLOTS + 1, e = (now_ms + ttl_ms) / width;
	size_t live = 0, i, slot = (size_t)(e % FLEET_WINDOW_SLOTS);
	bool ok;

	pthread_mutex_lock(&w->lock);
	/* a slot counts the sessions expiring within its width; expired slots count 0 */
	for (i = 0; i < FLEET_WINDOW_SLOTS; i++)
		if ((w->epoch[i] + 1) * width > now_ms)
			live += w->count[i];
	ok = live < max;
	if (ok) {
		if (w->epoch[slot] != e) {
			w->epoch[slot] = e;
			w->count[slot] = 0;
		}
		w->count[slot]++;
	}
	pthread_mutex_unlock(&w->lock);
	return ok;
}
