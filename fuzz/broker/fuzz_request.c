// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole requests through the broker's router: the first line of the input
 * is "METHOD URL [COOKIE]", the rest the body.  A broker with an in-memory
 * store, a fresh KEK, the built-in roots and no admin key (so the admin
 * API always refuses) handles them: auth, attest (Attestation bodies with
 * any evidence), resource and admin paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/broker.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct broker b;
static struct session_new sess;

static void setup(void)
{
	struct err_msg why;

	if (b.store)
		return;
	pthread_rwlock_init(&b.kek_lock, NULL);
	session_table_init(&b.sessions, 1000, SESSION_TTL_MS);
	if (store_open("sqlite::memory:", &b.store, &why) ||
	    kek_generate(&b.kek) || verifier_init(&b.vf, NULL, NULL, NULL, false, &why) ||
	    token_signer_init(&b.signer, NULL, &why))
		abort();
	pthread_mutex_init(&b.admin.lock, NULL);
}

/*
 * An Attestation body gets the fresh session's nonce, so that evidence
 * reaches the verifier instead of stopping at the nonce check.
 */
static char *with_nonce(const uint8_t *body, size_t len)
{
	json_t *j = json_loadb((const char *)body, len, 0, NULL);
	json_t *rd = json_object_get(j, "runtime-data");
	char *out = NULL;

	if (json_is_object(rd)) {
		json_object_set_new(rd, "nonce", json_string(sess.nonce));
		out = json_dumps(j, JSON_COMPACT);
	}
	json_decref(j);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req = { .client = "fuzz" };
	struct http_response resp = { 0 };
	char line[512], method[16], url[400], cookie[64], *body;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - data) : size;
	int k;

	setup();
	if (n >= sizeof(line))
		return 0;
	memcpy(line, data, n);
	line[n] = 0;
	k = sscanf(line, "%15s %399s %63s", method, url, cookie);
	if (k < 2)
		return 0;
	/* a live session for "attest" inputs that name none */
	if (k < 3 && session_create(&b.sessions, memmem(data, size, "\"quote\"", 7) ?
				    TEE_TDX : TEE_SNP, broker_now_ms(), &sess) == 0)
		snprintf(cookie, sizeof(cookie), "%s", sess.id);
	req.method = method;
	req.url = url;
	req.session = cookie;
	req.body = nl ? nl + 1 : (const uint8_t *)"";
	req.body_len = nl ? size - n - 1 : 0;
	body = k < 3 ? with_nonce(req.body, req.body_len) : NULL;
	if (body) {
		req.body = (const uint8_t *)body;
		req.body_len = strlen(body);
	}
	broker_handle(&b, &req, &resp);
	free(body);
	if (resp.status < 200 || resp.status > 599)
		__builtin_trap();
	free(resp.body);
	free(resp.set_cookie);
	session_gc(&b.sessions, broker_now_ms() + 2 * SESSION_TTL_MS);
	return 0;
}
