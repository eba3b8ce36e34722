// SPDX-License-Identifier: GPL-2.0-only
/* In-memory KBS sessions (see session.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "broker/session.h"
#include "jose/b64url.h"
#include "util/num.h"

struct session {
	struct session *next;
	char id[SESSION_ID_LEN + 1];
	char nonce[SESSION_NONCE_LEN + 1];
	enum tee_type tee;
	int64_t expires_ms;
	bool nonce_taken;
	struct attestation *att;
};

static unsigned bucket_of(const char *id)
{
	unsigned h = 2166136261u;

	while (*id)
		h = (h ^ (unsigned char)*id++) * 16777619u;
	return h % SESSION_BUCKETS;
}

void session_table_init(struct session_table *t, size_t max, int64_t ttl_ms)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
	t->max = max;
	t->ttl_ms = ttl_ms;
}

static void session_free(struct session *s)
{
	attestation_put(s->att);
	free(s);
}

void session_table_free(struct session_table *t)
{
	struct session *s, *n;
	size_t i;

	for (i = 0; i < SESSION_BUCKETS; i++)
		for (s = t->bucket[i]; s; s = n) {
			n = s->next;
			session_free(s);
		}
	pthread_mutex_destroy(&t->lock);
}

int session_id_valid(const char *s)
{
	size_t i;

	for (i = 0; i < SESSION_ID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[SESSION_ID_LEN] == 0;
}

static size_t gc_locked(struct session_table *t, int64_t now_ms)
{
	struct session **pp, *s;
	size_t i, n = 0;

	for (i = 0; i < SESSION_BUCKETS; i++) {
		pp = &t->bucket[i];
		while ((s = *pp)) {
			if (s->expires_ms <= now_ms) {
				*pp = s->next;
				session_free(s);
				t->count--;
				n++;
			} else {
				pp = &s->next;
			}
		}
	}
	return n;
}

size_t session_gc(struct session_table *t, int64_t now_ms)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = gc_locked(t, now_ms);
	pthread_mutex_unlock(&t->lock);
	return n;
}

int session_new_ids(char id[SESSION_ID_LEN + 1], char nonce[SESSION_NONCE_LEN + 1])
{
	uint8_t rid[SESSION_ID_LEN / 2], rnonce[32];
	char *b64;

	if (RAND_bytes(rid, sizeof(rid)) != 1 || RAND_bytes(rnonce, sizeof(rnonce)) != 1)
		return -EIO;
	hex_encode(rid, sizeof(rid), id);
	id[SESSION_ID_LEN] = 0;
	b64 = b64_encode(rnonce, sizeof(rnonce));
	if (!b64)
		return -ENOMEM;
	memcpy(nonce, b64, SESSION_NONCE_LEN);
	nonce[SESSION_NONCE_LEN] = 0;
	free(b64);
	return 0;
}

int session_create(struct session_table *t, enum tee_type tee, int64_t now_ms,
		   struct session_new *out)
{
	struct session *s = calloc(1, sizeof(*s));
	unsigned b;
	int ret;

	if (!s)
		return -ENOMEM;
	ret = session_new_ids(s->id, s->nonce);
	if (ret) {
		free(s);
		return ret;
	}
	s->tee = tee;
	s->expires_ms = now_ms + t->ttl_ms;
	pthread_mutex_lock(&t->lock);
	if (t->count >= t->max)
		gc_locked(t, now_ms);
	if (t->count >= t->max) {
		pthread_mutex_unlock(&t->lock);
		free(s);
		return -ENOSPC;
	}
	b = bucket_of(s->id);
	s->next = t->bucket[b];
	t->bucket[b] = s;
	t->count++;
	memcpy(out->id, s->id, sizeof(out->id));
	memcpy(out->nonce, s->nonce, sizeof(out->nonce));
	out->expires_ms = s->expires_ms;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

/* The live session @id, or NULL with *err set.  Called locked. */
static struct session *find(struct session_table *t, const char *id,
			    int64_t now_ms, int *err)
{
	struct session *s;

	if (!session_id_valid(id)) {
		*err = -ENOENT;
		return NULL;
	}
	for (s = t->bucket[bucket_of(id)]; s; s = s->next)
		if (!strcmp(s->id, id))
			break;
	if (!s)
		*err = -ENOENT;
	else if (s->expires_ms <= now_ms)
		*err = -ETIMEDOUT;
	else
		return s;
	return NULL;
}

int session_take_nonce(struct session_table *t, const char *id, int64_t now_ms,
		       char nonce[SESSION_NONCE_LEN + 1], enum tee_type *tee,
		       int64_t *expires_ms)
{
	struct session *s;
	int ret = 0;

	pthread_mutex_lock(&t->lock);
	s = find(t, id, now_ms, &ret);
	if (s && s->nonce_taken) {
		ret = -EALREADY;
	} else if (s) {
		s->nonce_taken = true;
		memcpy(nonce, s->nonce, SESSION_NONCE_LEN + 1);
		*tee = s->tee;
		*expires_ms = s->expires_ms;
	}
	pthread_mutex_unlock(&t->lock);
	return ret;
}

int session_attested(struct session_table *t, const char *id, int64_t now_ms,
		     struct attestation *a)
{
	struct session *s;
	int ret = 0;

	pthread_mutex_lock(&t->lock);
	s = find(t, id, now_ms, &ret);
	if (s) {
		attestation_put(s->att);
		s->att = a;
	}
	pthread_mutex_unlock(&t->lock);
	if (ret)
		attestation_put(a);
	return ret;
}

int session_lookup(struct session_table *t, const char *id, int64_t now_ms,
		   struct attestation **a)
{
	struct session *s;
	int ret = 0;

	*a = NULL;
	pthread_mutex_lock(&t->lock);
	s = find(t, id, now_ms, &ret);
	if (s && !s->att)
		ret = -EACCES;
	else if (s)
		*a = attestation_get(s->att);
	pthread_mutex_unlock(&t->lock);
	return ret;
}
