// SPDX-License-Identifier: GPL-2.0-only
/*
 * GET /kbs/v0/resource/<repo>/<type>/<tag>: the session (cookie or bearer
 * token) must have attested; the resource must exist; its policy must
 * exist and hold for the attested evidence.  Then the secret is opened
 * from the store (locked memory), sealed into a JWE to the session's
 * tee-pubkey and cleansed.  Every outcome after the session check is one
 * audit row.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/audit.h"
#include "broker/broker.h"
#include "broker/bsession.h"
#include "broker/fleet.h"
#include "broker/rpolicy.h"
#include "jose/jwe.h"
#include "util/err.h"

struct rctx {
	struct broker *b;
	const struct http_request *req;
	const char *sid;
	const char *path;
	struct attestation *a;
};

static int __attribute__((format(printf, 4, 5)))
audit_res(struct rctx *c, const char *verdict, const struct verdict *v,
	  const char *fmt, ...)
{
	char *failed = v && v->nfailed ? json_dumps(v->failed, JSON_COMPACT) : NULL;
	char detail[300];
	struct audit_record ar = {
		.event = "resource", .client = c->req->client, .session = c->sid,
		.tee = tee_name(c->a->tee), .evidence_digest = c->a->evidence_digest,
		.measurement = c->a->measurement, .verdict = verdict, .failed = failed,
		.resource = c->path, .test_evidence = c->a->test_evidence,
	};

	va_list ap;
	int ret;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (detail[0])
		ar.detail = detail;
	ret = audit_write(c->b->store, &ar);
	free(failed);
	return ret;
}

/* The session named by the bearer token (*bearer set) or the cookie. */
static int find_session(struct broker *b, const struct http_request *req,
			char sid[SESSION_ID_LEN + 1], const char **bearer,
			struct http_response *r)
{
	const char *auth = req->authorization;
	struct err_msg why;
	int ret;

	*bearer = NULL;
	if (auth && !strncmp(auth, "Bearer ", 7)) {
		ret = bsession_token(b, auth + 7, broker_now_ms() / 1000, sid, &why);
		if (ret)
			kbs_error(r, 401, "TokenVerifierError", "bearer token refused: %s",
				  why.msg);
		*bearer = auth + 7;
		return ret;
	}
	if (!req->session || !session_id_valid(req->session)) {
		kbs_error(r, 401, "TokenNotFound", "no kbs-session-id cookie or bearer token");
		return -ENOENT;
	}
	memcpy(sid, req->session, SESSION_ID_LEN + 1);
	return 0;
}

/* The attestation of the session, or an error answer. */
static int session_of(struct rctx *c, const char *bearer, struct http_response *r)
{
	int ret = bsession_lookup(c->b, c->sid, bearer, broker_now_ms(), &c->a);

	switch (ret) {
	case 0:
		return 0;
	case -ENOENT:
	case -ETIMEDOUT:
	case -EACCES:
		kbs_error(r, 401, "TokenNotFound", ret == -ETIMEDOUT ? "the session has expired" :
			  ret == -EACCES ? "the session has not attested" : "unknown session");
		break;
	case -EKEYREJECTED:
		kbs_error(r, 401, "TokenVerifierError",
			  "bearer token refused: not the token issued for its session");
		break;
	default:
		kbs_error(r, 503, "TokenNotFound", "the session store is unavailable; retry");
	}
	return ret;
}

static int appraise(struct rctx *c, struct http_response *r)
{
	struct err_msg why;
	char pattern[STORE_PATH_MAX + 1], checks[300] = "";
	struct policy p;
	struct verdict v;
	char *text = NULL;
	size_t i, n = 0;
	int ret = rpolicy_lookup(c->b->store, c->path, &text, pattern);

	if (ret == -ENOENT) {
		kbs_error(r, 403, "PolicyDeny", "no policy covers %s: nothing is released", c->path);
		audit_res(c, "deny", NULL, "no policy for %s", c->path);
		return ret;
	}
	if (ret) {
		kbs_error(r, 500, "PolicyEngineError", "the policy store failed");
		return ret;
	}
	ret = rpolicy_compile(c->b->store, text, &p, &why);
	free(text);
	if (ret) {
		kbs_error(r, 403, "PolicyDeny", "policy %s cannot be applied", pattern);
		audit_res(c, "deny", NULL, "%s", why.msg);
		return ret;
	}
	verdict_init(&v);
	ret = rpolicy_appraise(&p, c->a, &v);
	policy_free(&p);
	if (!ret && !verdict_ok(&v)) {
		for (i = 0; i < json_array_size(v.failed) && n < sizeof(checks); i++)
			n += (size_t)snprintf(checks + n, sizeof(checks) - n, "%s%s",
				i ? ", " : "", json_string_value(json_object_get(
					json_array_get(v.failed, i), "check")));
		kbs_error(r, 403, "PolicyDeny", "Access denied by policy %s: %s", pattern, checks);
		audit_res(c, "deny", &v, "policy %s", pattern);
		ret = -EACCES;
	}
	verdict_free(&v);
	return ret;
}

/* Open under the KEK the row names (in a fleet, re-reading the KEKs once if unknown). */
static int open_sealed(struct broker *b, const char *path, const struct sealed *s,
		       struct secret *plain)
{
	const struct kek *k;
	int ret, i;

	for (i = 0; i < 2; i++) {
		pthread_rwlock_rdlock(&b->kek_lock);
		k = fleet_kek_for(b, s->kek_id);
		ret = k ? kek_open(k, path, s, plain) : kek_open(&b->kek, path, s, plain);
		pthread_rwlock_unlock(&b->kek_lock);
		if (ret != -EKEYREJECTED || !b->fleet || !b->fleet->shared)
			break;
		fleet_kek_reload(b, false);
	}
	return ret;
}

static int seal_to_tee(struct rctx *c, const struct sealed *s, json_t **jwe)
{
	struct secret plain;
	int ret;

	ret = open_sealed(c->b, c->path, s, &plain);
	if (ret)
		return ret;
	ret = jwe_encrypt(c->a->key.pkey, c->a->key.alg, plain.data, plain.len, jwe);
	secret_free(&plain);
	return ret;
}

/* Release: audited first, so no secret leaves without its audit record. */
static void release(struct rctx *c, const struct sealed *s, struct http_response *r)
{
	json_t *jwe = NULL;
	int ret = seal_to_tee(c, s, &jwe);

	if (ret) {
		kbs_error(r, 500, "JweError", "the resource could not be sealed");
		audit_res(c, "error", NULL, "sealing failed: %s", strerror(-ret));
	} else if (audit_res(c, "allow", NULL, "%s", c->a->test_evidence ?
			     "TEST EVIDENCE (--test-roots)" : "")) {
		json_decref(jwe);
		kbs_error(r, 503, "PluginInternalError", "the release could not be audited; retry");
	} else {
		kbs_json(r, 200, jwe);
	}
}

void kbs_resource(struct broker *b, const struct http_request *req, const char *path,
		  struct http_response *r)
{
	char sid[SESSION_ID_LEN + 1];
	struct rctx c = { b, req, sid, path, NULL };
	const char *bearer;
	struct sealed s;
	int ret;

	if (!rpolicy_path_valid(path))
		return (void)kbs_error(r, 404, "InvalidRequestPath",
				       "Request path %.300s is invalid", path);
	if (find_session(b, req, sid, &bearer, r) || session_of(&c, bearer, r))
		return;
	ret = STORE_CALL(b->store, resource_get, path, &s);
	if (ret == -ENOENT) {
		kbs_error(r, 404, "ResourceNotFound", "no resource %s", path);
		audit_res(&c, "deny", NULL, "unknown resource %s", path);
		goto out;
	}
	if (ret) {
		kbs_error(r, 503, "PluginInternalError", "the resource store failed; retry");
		goto out;
	}
	if (!appraise(&c, r))
		release(&c, &s, r);
	sealed_free(&s);
out:
	attestation_put(c.a);
}
