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

static void __attribute__((format(printf, 4, 5)))
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

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (detail[0])
		ar.detail = detail;
	audit_write(c->b->store, &ar);
	free(failed);
}

/* The session named by the bearer token or the cookie. */
static int find_session(struct broker *b, const struct http_request *req,
			char sid[SESSION_ID_LEN + 1], struct http_response *r)
{
	const char *auth = req->authorization;
	struct err_msg why;
	int ret;

	if (auth && !strncmp(auth, "Bearer ", 7)) {
		ret = token_check(&b->signer, auth + 7, broker_now_ms() / 1000, sid,
				  &why);
		if (ret)
			kbs_error(r, 401, "TokenVerifierError", "bearer token refused: %s",
				  why.msg);
		return ret;
	}
	if (!req->session || !session_id_valid(req->session)) {
		kbs_error(r, 401, "TokenNotFound", "no kbs-session-id cookie or bearer token");
		return -ENOENT;
	}
	memcpy(sid, req->session, SESSION_ID_LEN + 1);
	return 0;
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

static int seal_to_tee(struct rctx *c, const struct sealed *s, json_t **jwe)
{
	struct secret plain;
	int ret;

	pthread_rwlock_rdlock(&c->b->kek_lock);
	ret = kek_open(&c->b->kek, c->path, s, &plain);
	pthread_rwlock_unlock(&c->b->kek_lock);
	if (ret)
		return ret;
	ret = jwe_encrypt(c->a->key.pkey, c->a->key.alg, plain.data, plain.len, jwe);
	secret_free(&plain);
	return ret;
}

void kbs_resource(struct broker *b, const struct http_request *req, const char *path,
		  struct http_response *r)
{
	char sid[SESSION_ID_LEN + 1];
	struct rctx c = { b, req, sid, path, NULL };
	struct sealed s;
	json_t *jwe = NULL;
	int ret;

	if (!rpolicy_path_valid(path))
		return (void)kbs_error(r, 404, "InvalidRequestPath",
				       "Request path %.300s is invalid", path);
	if (find_session(b, req, sid, r))
		return;
	ret = session_lookup(&b->sessions, sid, broker_now_ms(), &c.a);
	if (ret == -ENOENT || ret == -ETIMEDOUT || ret == -EACCES) {
		kbs_error(r, 401, "TokenNotFound", ret == -ETIMEDOUT ? "the session has expired" :
			  ret == -EACCES ? "the session has not attested" : "unknown session");
		return;
	}
	ret = STORE_CALL(b->store, resource_get, path, &s);
	if (ret == -ENOENT) {
		kbs_error(r, 404, "ResourceNotFound", "no resource %s", path);
		audit_res(&c, "deny", NULL, "unknown resource %s", path);
		goto out;
	}
	if (ret) {
		kbs_error(r, 500, "PluginInternalError", "the resource store failed");
		goto out;
	}
	if (!appraise(&c, r)) {
		ret = seal_to_tee(&c, &s, &jwe);
		if (ret) {
			kbs_error(r, 500, "JweError", "the resource could not be sealed");
			audit_res(&c, "error", NULL, "sealing failed: %s", strerror(-ret));
		} else {
			kbs_json(r, 200, jwe);
			audit_res(&c, "allow", NULL, "%s", c.a->test_evidence ?
				  "TEST EVIDENCE (--test-roots)" : "");
		}
	}
	sealed_free(&s);
out:
	attestation_put(c.a);
}
