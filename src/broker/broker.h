/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_BROKER_H
#define CVMM_BROKER_BROKER_H

/*
 * One running broker: its store, KEK, verifier, token signer, sessions and
 * admin key, shared by every request thread.  The KEK is swapped under
 * kek_lock by rotate-kek (and, in a fleet, by fleet.h's reloads);
 * everything else is read-only after start (the store and the session
 * table lock themselves).  Sessions go through bsession.h: in memory, or
 * in the store when it is shared by a fleet.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "broker/admin_auth.h"
#include "broker/http.h"
#include "broker/kek.h"
#include "broker/session.h"
#include "broker/store.h"
#include "broker/token.h"
#include "broker/verifier.h"
#include "util/err.h"

struct fleet;

struct broker {
	struct store *store;
	struct kek kek;
	pthread_rwlock_t kek_lock;
	char *kek_path;
	struct verifier vf;
	struct token_signer signer;
	struct session_table sessions;
	struct admin_auth admin;
	bool tls;
	struct fleet *fleet;		/* fleet.h: health, and the shared state of replicas */
};

/* Unix time in milliseconds. */
int64_t broker_now_ms(void);

/* The request router: KBS endpoints and the admin API. */
void broker_handle(void *ctx, const struct http_request *req, struct http_response *resp);

/* Set an error response with Trustee's body {"type": ".../<variant>", "detail"}. */
void kbs_error(struct http_response *r, int status, const char *variant,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A JSON response (@body is consumed). */
void kbs_json(struct http_response *r, int status, json_t *body);

/* The three KBS endpoints (kbs.c) and the admin API (admin_api.c). */
void kbs_auth(struct broker *b, const struct http_request *req, struct http_response *r);
void kbs_attest(struct broker *b, const struct http_request *req, struct http_response *r);
void kbs_resource(struct broker *b, const struct http_request *req, const char *path,
		  struct http_response *r);
void admin_handle(struct broker *b, const struct http_request *req, struct http_response *r);

/* KEK rotation (kek_rotate.c): also run at start to finish a crashed one. */
int broker_rotate_kek(struct broker *b, struct err_msg *why);
int broker_kek_recover(struct store *st, const char *kek_path, struct kek *k,
		       struct err_msg *why);

#endif
