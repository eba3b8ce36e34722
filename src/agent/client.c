// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/alog.h"
#include "agent/client.h"
#include "agent/evidence.h"
#include "agent/http.h"
#include "agent/net.h"
#include "agent/rcar.h"
#include "jose/secret.h"

/* One attempt's outcome. */
enum attempt { ATT_OK, ATT_RETRY, ATT_FATAL };

struct run {
	const struct agent_config *c;
	struct http_client *http;
	EVP_PKEY *key;
	json_t *jwk;
	enum agent_tee tee;
	const char *provider;
	uint64_t deadline;
	int fatal_status;
	char why[512];
};

/* A non-200 answer: retry (401 session, 5xx, 429) or fail with the reason. */
static enum attempt refused(struct run *r, const char *step, struct http_answer *a)
{
	char reason[400];

	rcar_error_reason(a->status, a->body, a->len, reason, sizeof(reason));
	snprintf(r->why, sizeof(r->why), "%s: %s", step, reason);
	http_answer_free(a);
	if (a->status == 401 || a->status == 429 || a->status >= 500)
		return ATT_RETRY;
	r->fatal_status = AGENT_EXIT_DENIED;
	return ATT_FATAL;
}

static enum attempt transport(struct run *r, const char *step, int err, const char *why)
{
	snprintf(r->why, sizeof(r->why), "%s: %s", step, why);
	if (err == -EPERM) {
		r->fatal_status = AGENT_EXIT_TLS;
		return ATT_FATAL;
	}
	if (err == -ENOMEM || err == -EMSGSIZE || err == -EPROTO) {
		r->fatal_status = AGENT_EXIT_DENIED;
		return ATT_FATAL;
	}
	return ATT_RETRY;
}

static enum attempt call(struct run *r, const char *step, const char *path,
			 const char *body, struct http_answer *a)
{
	char why[300];
	int err = http_request(r->http, path, body, r->deadline, a, why, sizeof(why));

	if (err)
		return transport(r, step, err, why);
	if (a->status != 200)
		return refused(r, step, a);
	return ATT_OK;
}

static enum attempt evidence(struct run *r, const char *nonce, char **body)
{
	struct evidence ev;
	uint8_t rd[64];
	json_t *primary = NULL;
	char why[300];
	int err;

	err = rcar_report_data(nonce, r->jwk, rd);
	if (!err)
		err = evidence_collect(r->c, r->provider, rd, r->deadline, &ev, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "cannot compute the binding");
	if (err) {
		snprintf(r->why, sizeof(r->why), "evidence (%s): %s", r->provider, why);
		r->fatal_status = AGENT_EXIT_EVIDENCE;
		return err == -ECONNREFUSED || err == -ECONNRESET || err == -ETIMEDOUT ||
		       err == -EPIPE || err == -ENODEV ? ATT_RETRY : ATT_FATAL;
	}
	alog_debug("evidence from %s: %zu-byte report, %zu bytes of certificates",
		   ev.provider, ev.report_len, ev.certs_len);
	err = evidence_to_json(&ev, &primary, why, sizeof(why));
	evidence_free(&ev);
	if (err) {
		snprintf(r->why, sizeof(r->why), "evidence: %s", why);
		r->fatal_status = AGENT_EXIT_EVIDENCE;
		return ATT_FATAL;
	}
	*body = rcar_attest_body(nonce, r->jwk, primary);
	json_decref(primary);
	return *body ? ATT_OK : ATT_FATAL;
}

static enum attempt take_key(struct run *r, struct http_answer *a, struct keybuf *key)
{
	uint8_t *s;
	size_t n;
	char why[300];
	int err = rcar_decrypt_resource(r->key, a->body, a->len, &s, &n, why, sizeof(why));

	if (err) {
		snprintf(r->why, sizeof(r->why), "resource: %s", why);
		r->fatal_status = AGENT_EXIT_DENIED;
		return ATT_FATAL;
	}
	if (n > KEYBUF_MAX) {
		jose_free_secret(s, n);
		snprintf(r->why, sizeof(r->why), "resource: a key of %zu bytes", n);
		r->fatal_status = AGENT_EXIT_DENIED;
		return ATT_FATAL;
	}
	memcpy(key->p, s, n);
	key->len = n;
	jose_free_secret(s, n);
	return ATT_OK;
}

static enum attempt attempt(struct run *r, struct keybuf *key)
{
	struct http_answer a = { 0 };
	char nonce[RCAR_NONCE_MAX], path[AGENT_VALUE_MAX + 32], *body = NULL;
	enum attempt st;

	http_client_reset_session(r->http);
	body = rcar_auth_body(r->tee);
	st = body ? call(r, "auth", "/kbs/v0/auth", body, &a) : ATT_FATAL;
	free(body);
	body = NULL;
	if (st != ATT_OK)
		return st;
	if (rcar_parse_challenge(a.body, a.len, nonce, sizeof(nonce), r->why, sizeof(r->why))) {
		http_answer_free(&a);
		return ATT_RETRY;
	}
	http_answer_free(&a);
	st = evidence(r, nonce, &body);
	if (st == ATT_OK)
		st = call(r, "attest", "/kbs/v0/attest", body, &a);
	free(body);
	if (st != ATT_OK)
		return st;
	if (rcar_parse_token(a.body, a.len, r->why, sizeof(r->why))) {
		http_answer_free(&a);
		r->fatal_status = AGENT_EXIT_DENIED;
		return ATT_FATAL;
	}
	http_answer_free(&a);
	alog_info("attested: the broker accepted the evidence");
	snprintf(path, sizeof(path), "/kbs/v0/resource/%s", r->c->resource);
	st = call(r, "resource", path, NULL, &a);
	if (st == ATT_OK)
		st = take_key(r, &a, key);
	http_answer_free(&a);
	return st;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int run_loop(struct run *r, struct keybuf *key)
{
	int backoff = 1000, n = 0;

	for (;;) {
		enum attempt st = attempt(r, key);
		int left;

		n++;
		if (st == ATT_OK)
			return AGENT_EXIT_OK;
		if (st == ATT_FATAL) {
			alog_err(NULL, "%s", r->why);
			return r->fatal_status ? r->fatal_status : AGENT_EXIT_DENIED;
		}
		left = agent_ms_left(r->deadline);
		if (left <= 0) {
			alog_err("broker", "no key by the deadline (%u s, %d attempts): %s",
				 r->c->timeout, n, r->why);
			return AGENT_EXIT_UNREACHABLE;
		}
		alog_info("attempt %d: %s; again in %.1f s", n, r->why,
			  (backoff < left ? backoff : left) / 1000.0);
		sleep_ms(backoff < left ? backoff : left);
		if (backoff < 16000)
			backoff *= 2;
		if (!agent_ms_left(r->deadline)) {
			alog_err("broker", "no key by the deadline (%u s, %d attempts): %s",
				 r->c->timeout, n, r->why);
			return AGENT_EXIT_UNREACHABLE;
		}
	}
}

int agent_fetch_key(const struct agent_config *c, bool insecure_http,
		    uint64_t deadline, struct keybuf *key)
{
	struct run r = { .c = c, .deadline = deadline };
	char why[300];
	int status;

	if (evidence_probe(c, &r.tee, &r.provider, why, sizeof(why))) {
		alog_err("evidence", "%s", why);
		return AGENT_EXIT_EVIDENCE;
	}
	r.key = rcar_tee_key(c->key_type);
	r.jwk = r.key ? rcar_tee_jwk(r.key) : NULL;
	r.http = r.jwk ? http_client_new(c, insecure_http, why, sizeof(why)) : NULL;
	if (!r.http) {
		alog_err(NULL, "%s", r.jwk ? why : "cannot make the tee key");
		status = AGENT_EXIT_USAGE;
	} else {
		char a[128] = "";

		if (c->has_connect)
			agent_addr_format(&c->connect, a, sizeof(a));
		alog_info("evidence: %s (%s); broker %s%s%s", r.provider,
			  agent_tee_name(r.tee), c->url, a[0] ? " through " : "", a);
		status = run_loop(&r, key);
	}
	http_client_free(r.http);
	json_decref(r.jwk);
	EVP_PKEY_free(r.key);
	return status;
}
