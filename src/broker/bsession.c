// SPDX-License-Identifier: GPL-2.0-only
/* Sessions in memory or in the shared store (see bsession.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "broker/att_codec.h"
#include "broker/broker.h"
#include "broker/bsession.h"
#include "broker/fleet.h"
#include "broker/store_fleet.h"
#include "util/num.h"
#include "util/err.h"

static bool shared(const struct broker *b)
{
	return store_fleet(b->store) != NULL;
}

int bsession_create(struct broker *b, enum tee_type tee, int64_t now_ms,
		    struct session_new *out)
{
	struct store_session ss;
	int ret;

	if (!shared(b))
		return session_create(&b->sessions, tee, now_ms, out);
	if (b->fleet && !session_window_admit(&b->fleet->win, now_ms, b->sessions.ttl_ms,
						 b->sessions.max))
		return -ENOSPC;
	ret = session_new_ids(out->id, out->nonce);
	if (ret)
		return ret;
	out->expires_ms = now_ms + b->sessions.ttl_ms;
	memcpy(ss.id, out->id, sizeof(ss.id));
	memcpy(ss.nonce, out->nonce, sizeof(ss.nonce));
	snprintf(ss.tee, sizeof(ss.tee), "%s", tee_name(tee));
	ss.expires_ms = out->expires_ms;
	return FLEET_CALL(b->store, session_create, &ss);
}

int bsession_take_nonce(struct broker *b, const char *id, int64_t now_ms,
			char nonce[SESSION_NONCE_LEN + 1], enum tee_type *tee,
			int64_t *expires_ms)
{
	struct store_session ss;
	int ret;

	if (!shared(b))
		return session_take_nonce(&b->sessions, id, now_ms, nonce, tee, expires_ms);
	if (!session_id_valid(id))
		return -ENOENT;
	ret = FLEET_CALL(b->store, session_take_nonce, id, now_ms, &ss);
	if (ret)
		return ret;
	if (tee_parse(ss.tee, tee) || strlen(ss.nonce) != SESSION_NONCE_LEN)
		return -EIO;
	memcpy(nonce, ss.nonce, SESSION_NONCE_LEN + 1);
	*expires_ms = ss.expires_ms;
	return 0;
}

static int sha256_hex(const char *s, char out[STORE_SHA256_HEX + 1])
{
	uint8_t md[32];
	unsigned int n = 0;

	if (!EVP_Digest(s, strlen(s), md, &n, EVP_sha256(), NULL) || n != 32)
		return -EIO;
	hex_encode(md, 32, out);
	out[STORE_SHA256_HEX] = 0;
	return 0;
}

int bsession_attested(struct broker *b, const char *id, int64_t now_ms,
		      struct attestation *a)
{
	char digest[STORE_SHA256_HEX + 1], *text;
	int ret;

	if (!shared(b))
		return session_attested(&b->sessions, id, now_ms, a);
	text = att_encode(a);
	ret = text && a->token ? sha256_hex(a->token, digest) : -ENOMEM;
	if (!ret)
		ret = FLEET_CALL(b->store, session_set_result, id, now_ms, text, digest);
	free(text);
	attestation_put(a);
	return ret;
}

int bsession_lookup(struct broker *b, const char *id, const char *bearer, int64_t now_ms,
		    struct attestation **a)
{
	char want[STORE_SHA256_HEX + 1], have[STORE_SHA256_HEX + 1], *text = NULL;
	int ret;

	*a = NULL;
	if (!shared(b))
		return session_lookup(&b->sessions, id, now_ms, a);
	if (!session_id_valid(id))
		return -ENOENT;
	ret = FLEET_CALL(b->store, session_get_result, id, now_ms, &text, want);
	if (ret)
		return ret;
	if (bearer && (sha256_hex(bearer, have) ||
		       CRYPTO_memcmp(have, want, STORE_SHA256_HEX)))
		ret = -EKEYREJECTED;
	if (!ret && att_decode(text, strlen(text), a))
		ret = -EIO;
	free(text);
	return ret;
}

int bsession_token(struct broker *b, const char *jwt, int64_t now_s,
		   char sid[SESSION_ID_LEN + 1], struct err_msg *why)
{
	/* in a fleet: intact under the key it names; bsession_lookup() matches it */
	return token_check(shared(b) ? NULL : &b->signer, jwt, now_s, sid, why);
}
