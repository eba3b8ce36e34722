/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_STORE_H
#define CVMM_BROKER_STORE_H

/*
 * The broker's persistent state behind one narrow interface: sealed
 * resources, resource policies, reference values and the audit log.  A
 * backend is one file implementing struct store_ops (store_sqlite.c;
 * PostgreSQL is meant to be one more) and registered in store.c by its
 * URI scheme.  Nothing here sees plaintext: resources are struct sealed
 * (kek.h).
 *
 * Every call is atomic on its own (one transaction); store_rewrap_all()
 * re-seals every resource inside one transaction.  Calls may come from
 * any thread; a backend serialises what it must.  Errors are -errno:
 * -ENOENT (no such row), -EIO (backend failure, described in the log).
 *
 * A backend that several broker replicas can share (store_pg.c) also
 * offers the fleet operations of store_fleet.h (sessions, the fleet's
 * current KEK, the replica table); an embedded one leaves them NULL and
 * the broker keeps sessions in memory.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "broker/kek.h"
#include "util/err.h"

#define STORE_PATH_MAX		256	/* "repo/type/tag" or a policy pattern */
#define STORE_NAME_MAX		128	/* reference-set names, kinds */

struct store;
struct store_fleet_ops;

/* One audit row (strings may be NULL = absent). */
struct audit_record {
	int64_t id;			/* assigned by the store */
	int64_t time_ms;		/* Unix time, milliseconds */
	const char *event;		/* "attest", "resource", "admin.put-secret", ... */
	const char *client;		/* peer address */
	const char *session;		/* kbs-session-id */
	const char *tee;		/* "snp", "tdx" */
	const char *evidence_digest;	/* SHA-384 hex of the evidence as received */
	const char *measurement;	/* MEASUREMENT / MRTD hex */
	const char *verdict;		/* "allow", "deny", "error" */
	const char *failed;		/* JSON array of {"check","detail"} */
	const char *resource;		/* repo/type/tag */
	const char *detail;		/* free text (never key bytes) */
	bool test_evidence;		/* accepted under --test-roots */
};

struct audit_filter {
	int64_t since_ms, until_ms;	/* 0 = unbounded */
	const char *event, *verdict, *resource, *session, *tee;	/* exact */
	int64_t after_id;		/* rows with id > after_id */
	size_t limit;			/* 0 = all */
};

typedef int (*store_text_cb)(void *ctx, const char *key, const char *text);
typedef int (*store_audit_cb)(void *ctx, const struct audit_record *r);
/* Re-seal one resource in place; non-zero aborts the whole rotation. */
typedef int (*store_rewrap_cb)(void *ctx, const char *path, struct sealed *s);

struct store_ops {
	const char *scheme;		/* "sqlite" */
	int (*open)(const char *location, struct store **out, struct err_msg *why);
	void (*close)(struct store *s);

	int (*resource_put)(struct store *s, const char *path, const struct sealed *v);
	int (*resource_get)(struct store *s, const char *path, struct sealed *v);
	int (*resource_delete)(struct store *s, const char *path);
	/* cb(ctx, path, kek_id) for every resource, in path order */
	int (*resource_list)(struct store *s, store_text_cb cb, void *ctx);
	int (*rewrap_all)(struct store *s, store_rewrap_cb cb, void *ctx);

	int (*policy_put)(struct store *s, const char *pattern, const char *json);
	int (*policy_get)(struct store *s, const char *pattern, char **json);
	int (*policy_delete)(struct store *s, const char *pattern);
	int (*policy_list)(struct store *s, store_text_cb cb, void *ctx);

	/* reference values: (set name, kind, lowercase hex value) */
	int (*refval_add)(struct store *s, const char *name, const char *kind,
			  const char *value);
	int (*refval_delete)(struct store *s, const char *name);
	/* cb(ctx, kind, value) for every value of set @name, sorted */
	int (*refval_list)(struct store *s, const char *name, store_text_cb cb, void *ctx);

	int (*audit_append)(struct store *s, struct audit_record *r);
	int (*audit_query)(struct store *s, const struct audit_filter *f,
			   store_audit_cb cb, void *ctx);

	/*
	 * Optional.  ping: is the store reachable and its schema the one this
	 * broker runs (0, or -errno with @why)?  fleet: state shared between
	 * replicas (store_fleet.h), NULL for a store of one broker.
	 */
	int (*ping)(struct store *s, struct err_msg *why);
	const struct store_fleet_ops *fleet;
};

struct store {
	const struct store_ops *ops;
};

/*
 * Open "sqlite:PATH" (or a bare path, taken as SQLite) or
 * "postgresql://…" / "postgres://…" (a libpq connection URI).  0, -EINVAL
 * (unknown scheme or bad location), -EIO, -EPROTO (newer schema); @why
 * says why.
 */
int store_open(const char *uri, struct store **out, struct err_msg *why);
void store_close(struct store *s);
/*
 * @uri for messages, in @len bytes (cut to fit): every password libpq takes
 * from a postgresql:// URI becomes "***" — the user-info one and every
 * password= or sslpassword= parameter (keys percent-encoded or not); so does
 * what a raw '@' or '/' (which must be percent-encoded) cut off from one.
 * Any other scheme:// URI (a misspelled one) is read the same way.
 */
void store_uri_redact(const char *uri, char *out, size_t len);
/*
 * The message @msg (a string in @size bytes: libpq's messages quote URIs and
 * their parts) with every copy of a password of @uri (as above, and each
 * piece of a cut one), as written in the URI and percent-decoded (as libpq
 * uses it), replaced by "***"; if @msg fills @size, a start of a password
 * it ends in (its writer cut it there) goes too.  A short password
 * also hides the same text where it is not the password: over-redaction, on
 * purpose.  @msg stays NUL-terminated within @size, cut if "***" is longer
 * than what it hides, and nothing of the old text stays past the new end;
 * if it cannot be redacted (out of memory), the whole message is replaced.
 * A caller that cuts a message must cut it to @size - 1, or redact before.
 */
void store_msg_redact(const char *uri, char *msg, size_t size);

/* The backends (one file each). */
const struct store_ops *store_sqlite_ops(void);
const struct store_ops *store_pg_ops(void);

/* The fleet operations of @s, or NULL (a store of one broker). */
static inline const struct store_fleet_ops *store_fleet(const struct store *s)
{
	return s && s->ops ? s->ops->fleet : NULL;
}

#define STORE_CALL(s, op, ...)	((s)->ops->op((s), __VA_ARGS__))

#endif
