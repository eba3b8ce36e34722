// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KBS "RCAR" endpoints, protocol version 0.4.0 (key-broker.md):
 *   POST /kbs/v0/auth       -> nonce + kbs-session-id cookie
 *   POST /kbs/v0/attest     -> EAR token
 *   GET  /kbs/v0/resource/R/T/G -> the secret as a JWE to the tee-pubkey
 * Status codes: 400 malformed request, 401 no/unknown/expired session or
 * token (or nonce already used), 403 evidence refused or policy deny, 404
 * unknown resource or path.  Error bodies are Trustee's
 * {"type":"https://github.com/confidential-containers/kbs/errors/<V>","detail"}.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "broker/audit.h"
#include "broker/broker.h"
#include "broker/bsession.h"
#include "broker/rpolicy.h"
#include "jose/jwe.h"

#define KBS_VERSION	"0.4.0"
#define ERR_PREFIX	"https://github.com/confidential-containers/kbs/errors/"

int64_t broker_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kbs_json(struct http_response *r, int status, json_t *body)
{
	r->status = status;
	r->content_type = "application/json";
	r->body = body ? json_dumps(body, JSON_COMPACT) : NULL;
	r->body_len = r->body ? strlen(r->body) : 0;
	if (!r->body)
		r->status = 500;
	json_decref(body);
}

void kbs_error(struct http_response *r, int status, const char *variant,
	       const char *fmt, ...)
{
	char detail[512], type[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	snprintf(type, sizeof(type), ERR_PREFIX "%s", variant);
	kbs_json(r, status, json_pack("{s:s,s:s}", "type", type, "detail", detail));
}

static json_t *parse_body(const struct http_request *req, struct http_response *r)
{
	json_error_t jerr;
	json_t *j = json_loadb((const char *)req->body, req->body_len,
			       JSON_REJECT_DUPLICATES, &jerr);

	if (!j || !json_is_object(j)) {
		kbs_error(r, 400, "SerdeError", "malformed JSON body: %s",
			  j ? "expected an object" : jerr.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static char *cookie(const char *sid, int64_t expires_ms, bool tls)
{
	time_t t = (time_t)(expires_ms / 1000);
	char date[64], *c = NULL;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (asprintf(&c, "kbs-session-id=%s; Path=/kbs/v0; Expires=%s; HttpOnly%s",
		     sid, date, tls ? "; Secure" : "") < 0)
		return NULL;
	return c;
}

void kbs_auth(struct broker *b, const struct http_request *req, struct http_response *r)
{
	json_t *body = parse_body(req, r);
	const char *version, *tee;
	struct session_new s;
	enum tee_type t;
	int ret;

	if (!body)
		return;
	version = json_string_value(json_object_get(body, "version"));
	tee = json_string_value(json_object_get(body, "tee"));
	if (!version || !tee) {
		kbs_error(r, 400, "SerdeError", "Request needs version and tee");
	} else if (strcmp(version, KBS_VERSION)) {
		kbs_error(r, 400, "AttestationError", "KBS Client Protocol Version Mismatch:"
			  " expect =" KBS_VERSION " while the request is %.32s", version);
	} else if (tee_parse(tee, &t)) {
		kbs_error(r, 400, "AttestationError", "TEE %.32s is not supported (snp, tdx)", tee);
	} else if ((ret = bsession_create(b, t, broker_now_ms(), &s))) {
		kbs_error(r, 503, "AttestationError", "cannot create a session: %s",
			  ret == -ENOSPC ? "too many sessions" : ret == -EIO ?
			  "the session store is unavailable" : strerror(-ret));
	} else {
		r->set_cookie = cookie(s.id, s.expires_ms, b->tls);
		kbs_json(r, 200, json_pack("{s:s,s:s}", "nonce", s.nonce, "extra-params", ""));
	}
	json_decref(body);
}

static int session_status(int err, struct http_response *r, const char *variant)
{
	switch (err) {
	case 0:
		return 0;
	case -ENOENT:
		kbs_error(r, 401, variant, "unknown session (authenticate with /kbs/v0/auth)");
		break;
	case -ETIMEDOUT:
		kbs_error(r, 401, variant, "the session has expired");
		break;
	case -EALREADY:
		kbs_error(r, 401, variant, "the session's nonce was already used");
		break;
	case -EACCES:
		kbs_error(r, 401, variant, "the session has not attested");
		break;
	case -EIO:
		kbs_error(r, 503, variant, "the session store is unavailable; retry");
		break;
	default:
		kbs_error(r, 500, variant, "%s", strerror(-err));
	}
	return err;
}

static int audit_attest(struct broker *b, const struct http_request *req,
			 const char *sid, enum tee_type tee, const struct attestation *a,
			 const struct verdict *v, const char *verdict, const char *detail)
{
	char *failed = v && v->nfailed ? json_dumps(v->failed, JSON_COMPACT) : NULL;
	struct audit_record ar = {
		.event = "attest", .client = req->client, .session = sid,
		.tee = tee_name(tee), .verdict = verdict, .failed = failed,
		.detail = detail,
	};
	int ret;

	if (a) {
		ar.evidence_digest = a->evidence_digest[0] ? a->evidence_digest : NULL;
		ar.measurement = a->measurement[0] ? a->measurement : NULL;
		ar.test_evidence = a->test_evidence;
	}
	ret = audit_write(b->store, &ar);
	free(failed);
	return ret;
}

static void attest_fail(struct broker *b, const struct http_request *req, const char *sid,
			enum tee_type tee, struct attestation *a, struct verdict *v,
			int ret, const char *why, struct http_response *r)
{
	char checks[400] = "";
	size_t i, n = 0;

	for (i = 0; v->failed && i < json_array_size(v->failed) && n < sizeof(checks); i++)
		n += (size_t)snprintf(checks + n, sizeof(checks) - n, "%s%s", i ? ", " : "",
			json_string_value(json_object_get(json_array_get(v->failed, i), "check")));
	if (ret == -EACCES)
		kbs_error(r, 403, "AttestationError", "the evidence was refused: %s", checks);
	else if (ret == -EPERM)
		kbs_error(r, 401, "AttestationError", "%s", why);
	else if (ret == -EINVAL)
		kbs_error(r, 400, "AttestationError", "%s", why);
	else if (ret == -EAGAIN)
		kbs_error(r, 503, "AttestationError", "%s; retry later", why);
	else
		kbs_error(r, 500, "AttestationError", "%s", strerror(-ret));
	audit_attest(b, req, sid, tee, a, v, ret == -EACCES ? "deny" : "error",
		     ret == -EACCES ? NULL : why);
}

/*
 * Publish the attestation on the session (for /resource on any replica),
 * audit it, then answer with the token; a failure of either step answers
 * 503 instead (no token without its audit record).
 */
static void attest_done(struct broker *b, const struct http_request *req, enum tee_type tee,
			struct attestation *a, char *jwt, int64_t exp_ms,
			struct http_response *r)
{
	int ret;

	a->token = jwt;
	ret = bsession_attested(b, req->session, broker_now_ms(), attestation_get(a));
	if (ret) {
		if (ret == -ENOENT || ret == -ETIMEDOUT)
			kbs_error(r, 401, "AttestationError", "the session has expired");
		else
			kbs_error(r, 503, "AttestationError", "the session could not be stored;"
				  " retry");
		audit_attest(b, req, req->session, tee, a, NULL, "error",
			     "the attestation could not be published on its session");
		return;
	}
	if (audit_attest(b, req, req->session, tee, a, NULL, "allow",
			 a->test_evidence ? "TEST EVIDENCE (--test-roots)" : NULL)) {
		kbs_error(r, 503, "AttestationError", "the decision could not be audited; retry");
		return;
	}
	r->set_cookie = cookie(req->session, exp_ms, b->tls);
	kbs_json(r, 200, json_pack("{s:s}", "token", jwt));
}

void kbs_attest(struct broker *b, const struct http_request *req, struct http_response *r)
{
	char nonce[SESSION_NONCE_LEN + 1];
	struct err_msg why = { "" };
	struct attestation *a = NULL;
	json_t *body, *rd = NULL;
	struct verdict v;
	int64_t exp_ms, now = broker_now_ms();
	enum tee_type tee;
	char *jwt = NULL;
	int ret;

	if (!req->session)
		return (void)kbs_error(r, 401, "AttestationError", "no kbs-session-id cookie");
	if (session_status(bsession_take_nonce(b, req->session, now, nonce, &tee, &exp_ms),
			   r, "AttestationError"))
		return;
	body = parse_body(req, r);
	if (!body)
		return;
	verdict_init(&v);
	ret = verifier_attest(&b->vf, tee, nonce, body, now / 1000, &a, &rd, &v, &why);
	if (!ret)
		ret = token_issue(&b->signer, a, rd, req->session, now / 1000,
				  exp_ms / 1000, &jwt);
	if (ret)
		attest_fail(b, req, req->session, tee, a, &v, ret, why.msg, r);
	else
		attest_done(b, req, tee, a, jwt, exp_ms, r);
	attestation_put(a);
	verdict_free(&v);
	json_decref(rd);
	json_decref(body);
}
