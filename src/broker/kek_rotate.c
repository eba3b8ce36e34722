// SPDX-License-Identifier: GPL-2.0-only
/*
 * KEK rotation, crash-consistent at every step:
 *   1. a fresh KEK is written to KEKFILE.new (temp file, fsync, rename);
 *   2. every resource's DEK is re-sealed under it in ONE store transaction;
 *   3. KEKFILE.new is renamed over KEKFILE (and the directory synced);
 *   4. the running broker switches to it.
 * At start, broker_kek_recover() finishes or undoes a rotation that was
 * interrupted: if any resource is sealed under KEKFILE.new's key, step 2
 * committed and step 3 is redone; otherwise KEKFILE.new is discarded.
 * A resource under neither key is an error (wrong --kek file).
 * Replicas that share a store rotate differently (fleet_kek.c): the new
 * KEK is installed on each, and only the store changes.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/fault.h"
#include "broker/fleet.h"
#include "util/err.h"

static int sibling(const char *path, const char *suffix, char *out, size_t len)
{
	return snprintf(out, len, "%s%s", path, suffix) >= (int)len ? -ENAMETOOLONG : 0;
}

static int sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd, ret = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

struct rewrap_ctx {
	const struct kek *from, *to;
};

static int rewrap_one(void *ctx, const char *path, struct sealed *s)
{
	struct rewrap_ctx *c = ctx;

	return kek_rewrap(c->from, c->to, path, s);
}

int broker_rotate_kek(struct broker *b, struct err_msg *why)
{
	char newp[4096];
	struct kek nk;
	struct rewrap_ctx c;
	int ret;

	if (store_fleet(b->store))	/* replicas share the store: fleet_kek.c */
		return fleet_rotate_kek(b, why);
	ret = sibling(b->kek_path, ".new", newp, sizeof(newp));
	if (ret || (ret = kek_generate(&nk)))
		return err_fail(why, ret, "cannot create a KEK");
	pthread_rwlock_wrlock(&b->kek_lock);
	ret = kek_write(&nk, newp);
	if (ret) {
		err_set(why, "%s: %s", newp, strerror(-ret));
		goto out;
	}
	fault_point("rotate-kek.new-kek-written");
	c.from = &b->kek;
	c.to = &nk;
	ret = STORE_CALL(b->store, rewrap_all, rewrap_one, &c);
	if (ret) {
		err_set(why, "re-wrapping failed (%s): nothing changed", strerror(-ret));
		unlink(newp);
		goto out;
	}
	fault_point("rotate-kek.committed");
	if (rename(newp, b->kek_path) || sync_dir(b->kek_path)) {
		ret = -errno;
		err_set(why, "%s: %s (the next start finishes the rotation)", b->kek_path,
			strerror(errno));
		goto out;
	}
	fault_point("rotate-kek.renamed");
	kek_free(&b->kek);
	b->kek = nk;
	memset(&nk, 0, sizeof(nk));
out:
	pthread_rwlock_unlock(&b->kek_lock);
	kek_free(&nk);
	return ret;
}

struct census {
	const char *cur, *next;
	size_t ncur, nnext, nother, total;
	char other[KEK_ID_HEX + 1];
};

static int count(void *ctx, const char *path, const char *kek_id)
{
	struct census *c = ctx;

	c->total++;
	if (!strcmp(kek_id, c->cur))
		c->ncur++;
	else if (c->next && !strcmp(kek_id, c->next))
		c->nnext++;
	else if (!c->nother++)
		snprintf(c->other, sizeof(c->other), "%s", kek_id);
	return 0;
}

int broker_kek_recover(struct store *st, const char *kek_path, struct kek *k,
		       struct err_msg *why)
{
	char newp[4096], tmp[4096];
	struct census c = { 0 };
	struct kek nk = { 0 };
	bool have_new;
	int ret;

	if (sibling(kek_path, ".new", newp, sizeof(newp)) ||
	    sibling(newp, ".tmp", tmp, sizeof(tmp)))
		return err_fail(why, -ENAMETOOLONG, "path too long");
	unlink(tmp);	/* a KEK write interrupted before its rename */
	ret = kek_load(kek_path, k, why);
	if (ret)
		return ret;
	have_new = !access(newp, F_OK);
	if (have_new && (ret = kek_load(newp, &nk, why)))
		goto fail;
	c.cur = k->id;
	c.next = have_new ? nk.id : NULL;
	ret = STORE_CALL(st, resource_list, count, &c);
	if (ret) {
		err_set(why, "cannot read the store");
		goto fail;
	}
	if (c.nother) {
		err_set(why,
			"%zu resource(s) are sealed under another KEK (id %s): wrong --kek file?",
			c.nother, c.other);
		ret = -EKEYREJECTED;
		goto fail;
	}
	if (have_new && (c.nnext || !c.ncur)) {
		/* the re-wrap committed: finish the rotation */
		if (rename(newp, kek_path) || sync_dir(kek_path)) {
			ret = -errno;
			err_set(why, "cannot finish an interrupted KEK rotation: %s",
				strerror(errno));
			goto fail;
		}
		kek_free(k);
		*k = nk;
		blog("warn", "kek.recovered", json_pack("{s:s,s:s}", "action",
			"finished an interrupted rotation", "kek_id", k->id));
		return 0;
	}
	if (have_new) {
		unlink(newp);
		blog("warn", "kek.recovered", json_pack("{s:s,s:s}", "action",
			"discarded an interrupted rotation", "kek_id", k->id));
	}
	kek_free(&nk);
	return 0;
fail:
	kek_free(&nk);
	kek_free(k);
	return ret;
}
