// SPDX-License-Identifier: GPL-2.0-only
/*
 * KEKs in a fleet (see fleet.h).  The rotation, run by one replica:
 *   0. the operator installs the new KEK as KEKFILE.new on every replica
 *      (each re-reads its files within a beat and reports the KEK ids it
 *      holds in its heartbeat);
 *   1. `admin rotate-kek` on any replica checks that every live replica
 *      holds KEKFILE.new's key, then re-seals every DEK under it and makes
 *      it the fleet's current KEK in ONE transaction, which excludes
 *      put-secret on every replica (a put sealed under the old KEK that
 *      commits after it is refused with -ESTALE and re-sealed);
 *   2. the operator replaces KEKFILE by the new key and removes
 *      KEKFILE.new (the replicas forget the old key at their next beat).
 * A replica killed at any point leaves the store before or after step 1;
 * a replica started with files that hold neither the current KEK nor the
 * KEK of every row refuses to start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/fault.h"
#include "broker/fleet.h"
#include "broker/store_fleet.h"
#include "util/err.h"

#define RELOAD_MIN_MS	200

static void stamp_of(const char *path, struct kek_stamp *s)
{
	struct stat st;

	memset(s, 0, sizeof(*s));
	if (stat(path, &st))
		return;
	s->present = true;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->size = st.st_size;
	s->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
}

static bool stamp_eq(const struct kek_stamp *a, const struct kek_stamp *b)
{
	return a->present == b->present && a->dev == b->dev && a->ino == b->ino &&
	       a->size == b->size && a->mtime_ns == b->mtime_ns;
}

/* FILE into @k, FILE.new (if present) into @nk. */
static int load_files(const char *path, struct kek *k, struct kek *nk,
		      struct kek_stamp st[2], struct err_msg *why)
{
	char newp[4096];
	int ret;

	memset(nk, 0, sizeof(*nk));
	if (snprintf(newp, sizeof(newp), "%s.new", path) >= (int)sizeof(newp))
		return err_set(why, "path too long"), -ENAMETOOLONG;
	stamp_of(path, &st[0]);
	stamp_of(newp, &st[1]);
	ret = kek_load(path, k, why);
	if (ret)
		return ret;
	if (st[1].present && (ret = kek_load(newp, nk, why))) {
		kek_free(k);
		return ret;
	}
	return 0;
}

/* Make @cur_id's key b->kek and the other one alt (under kek_lock); consumes @k, @nk. */
static int assign(struct broker *b, const char *cur_id, struct kek *k, struct kek *nk)
{
	struct fleet *f = b->fleet;
	struct kek *cur = NULL, *other;

	if (!strcmp(k->id, cur_id))
		cur = k;
	else if (nk->key.data && !strcmp(nk->id, cur_id))
		cur = nk;
	other = cur == k ? nk : k;

	if (!cur)
		return -EKEYREJECTED;
	snprintf(f->file_id, sizeof(f->file_id), "%s", k->id);
	snprintf(f->new_id, sizeof(f->new_id), "%s", nk->key.data ? nk->id : "");
	kek_free(&b->kek);
	kek_free(&f->alt);
	b->kek = *cur;
	f->alt = *other;
	memset(cur, 0, sizeof(*cur));
	memset(other, 0, sizeof(*other));
	return 0;
}

const struct kek *fleet_kek_for(struct broker *b, const char *kek_id)
{
	if (b->kek.key.data && !strcmp(b->kek.id, kek_id))
		return &b->kek;
	if (b->fleet && b->fleet->alt.key.data && !strcmp(b->fleet->alt.id, kek_id))
		return &b->fleet->alt;
	return NULL;
}

void fleet_kek_ids(struct broker *b, char *out, size_t len)
{
	struct kek *alt = b->fleet ? &b->fleet->alt : NULL;

	snprintf(out, len, "%s%s%s", b->kek.id, alt && alt->key.data ? "," : "",
		 alt && alt->key.data ? alt->id : "");
}

struct census {
	struct broker *b;
	size_t nother;
	char other[KEK_ID_HEX + 1];
};

static int count(void *ctx, const char *path, const char *kek_id)
{
	struct census *c = ctx;

	if (!fleet_kek_for(c->b, kek_id) && !c->nother++)
		snprintf(c->other, sizeof(c->other), "%s", kek_id);
	return 0;
}

int fleet_kek_init(struct broker *b, const char *kek_path, struct err_msg *why)
{
	struct fleet *f = b->fleet;
	struct kek k, nk;
	struct census c = { b, 0, "" };
	char cur[KEK_ID_HEX + 1];
	int ret;

	f->kek_path = strdup(kek_path);
	if (!f->kek_path)
		return -ENOMEM;
	ret = load_files(kek_path, &k, &nk, f->stamp, why);
	if (ret)
		return ret;
	snprintf(cur, sizeof(cur), "%s", k.id);
	ret = FLEET_CALL(b->store, kek_adopt, cur);
	if (ret) {
		err_set(why, "cannot read the fleet's KEK from the store");
	} else if ((ret = assign(b, cur, &k, &nk))) {
		err_set(why, "the fleet's current KEK (id %s) is neither %s nor %s.new",
			 cur, kek_path, kek_path);
	}
	kek_free(&k);
	kek_free(&nk);
	if (ret)
		return ret;
	snprintf(f->current, sizeof(f->current), "%s", cur);
	ret = STORE_CALL(b->store, resource_list, count, &c);
	if (ret)
		return err_set(why, "cannot read the store"), ret;
	if (c.nother) {
		err_set(why, "%zu resource(s) are sealed under another KEK (id %s):"
			 " wrong --kek file?", c.nother, c.other);
		return -EKEYREJECTED;
	}
	return 0;
}

static int reload_locked(struct broker *b, bool force)
{
	struct fleet *f = b->fleet;
	struct kek_stamp st[2];
	char cur[KEK_ID_HEX + 1], newp[4096];
	struct err_msg why;
	struct kek k, nk;
	bool same;
	int ret;

	ret = FLEET_CALL(b->store, kek_current, cur);
	if (ret)
		return ret;
	snprintf(newp, sizeof(newp), "%s.new", f->kek_path);
	stamp_of(f->kek_path, &st[0]);
	stamp_of(newp, &st[1]);
	same = stamp_eq(&st[0], &f->stamp[0]) && stamp_eq(&st[1], &f->stamp[1]);
	if (same && !strcmp(cur, f->current))
		return 0;
	memcpy(f->stamp, st, sizeof(st));	/* one warning per change, not per beat */
	ret = load_files(f->kek_path, &k, &nk, st, &why);
	if (ret) {
		blog("warn", "kek.reload", json_pack("{s:s}", "why", why.msg));
		return 0;	/* keep what we hold */
	}
	pthread_rwlock_wrlock(&b->kek_lock);
	ret = assign(b, cur, &k, &nk);
	pthread_rwlock_unlock(&b->kek_lock);
	kek_free(&k);
	kek_free(&nk);
	if (ret)
		blog("warn", "kek.reload", json_pack("{s:s,s:s}", "why",
		     "the files hold neither the fleet's current KEK: keeping the keys held",
		     "current", cur));
	if (strcmp(cur, f->current))
		blog("info", "kek.current", json_pack("{s:s}", "kek_id", cur));
	snprintf(f->current, sizeof(f->current), "%s", cur);
	return 0;
}

void fleet_kek_current(struct broker *b, char id[KEK_ID_HEX + 1])
{
	pthread_mutex_lock(&b->fleet->reload_lock);
	memcpy(id, b->fleet->current, KEK_ID_HEX + 1);
	pthread_mutex_unlock(&b->fleet->reload_lock);
}

int fleet_kek_reload(struct broker *b, bool force)
{
	struct fleet *f = b->fleet;
	int64_t now = broker_now_ms();
	int ret = 0;

	if (!f || !f->shared)
		return 0;
	pthread_mutex_lock(&f->reload_lock);
	if (force || now - f->last_reload_ms >= RELOAD_MIN_MS) {
		f->last_reload_ms = now;
		ret = reload_locked(b, force);
	}
	pthread_mutex_unlock(&f->reload_lock);
	return ret;
}

/* ---------------------------------------------------------------- rotation */

struct holds_ctx {
	const char *self, *id;
	int64_t now;
	char missing[FLEET_NAME_MAX + 1];
};

static int check_holds(void *ctx, const struct store_replica *r)
{
	struct holds_ctx *h = ctx;

	if (r->seen_ms <= h->now - FLEET_LIVE_MS || !strcmp(r->name, h->self) ||
	    strstr(r->keks, h->id) || h->missing[0])
		return 0;
	snprintf(h->missing, sizeof(h->missing), "%s", r->name);
	return 0;
}

struct rewrap_ctx {
	struct broker *b;
	const struct kek *to;
};

static int rewrap_one(void *ctx, const char *path, struct sealed *s)
{
	struct rewrap_ctx *c = ctx;
	const struct kek *from = fleet_kek_for(c->b, s->kek_id);

	if (!strcmp(s->kek_id, c->to->id))
		return 0;
	return from ? kek_rewrap(from, c->to, path, s) : -EKEYREJECTED;
}

/* With kek_lock held for reading: the checks, then the transaction. */
static int rotate_locked(struct broker *b, struct err_msg *why)
{
	struct fleet *f = b->fleet;
	struct holds_ctx h = { f->name, f->new_id, broker_now_ms(), "" };
	struct rewrap_ctx c = { b, &f->alt };
	int ret;

	if (!f->new_id[0] || strcmp(f->alt.id, f->new_id)) {
		err_set(why, f->new_id[0] ? "%s.new already holds the current KEK:"
			 " replace %s by it and remove %s.new on every replica" :
			 "no new KEK: write it to %s.new on every replica first", f->kek_path,
			 f->kek_path, f->kek_path);
		return -ENOENT;
	}
	ret = FLEET_CALL(b->store, replica_list, check_holds, &h);
	if (!ret && h.missing[0]) {
		err_set(why, "replica %s does not hold the new KEK (id %s) yet:"
			 " nothing changed", h.missing, f->new_id);
		return -EBUSY;
	}
	if (!ret)
		ret = FLEET_CALL(b->store, rewrap_to, f->new_id, rewrap_one, &c);
	if (ret)
		err_set(why, "re-wrapping failed (%s): nothing changed", strerror(-ret));
	return ret;
}

int fleet_rotate_kek(struct broker *b, struct err_msg *why)
{
	int ret;

	if (!b->fleet || !b->fleet->kek_path)
		return err_set(why, "not a fleet replica"), -EINVAL;
	fleet_kek_reload(b, true);
	pthread_rwlock_rdlock(&b->kek_lock);
	ret = rotate_locked(b, why);
	pthread_rwlock_unlock(&b->kek_lock);
	if (ret)
		return ret;
	fault_point("rotate-kek.committed");
	/* seal under the new KEK from now on (as every replica does at its next beat) */
	fleet_kek_reload(b, true);
	blog("info", "kek.rotated", json_pack("{s:s}", "kek_id", b->fleet->new_id));
	return 0;
}
