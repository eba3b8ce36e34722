// SPDX-License-Identifier: GPL-2.0-only
/* Admin bearer tokens (see admin_auth.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "broker/admin_auth.h"
#include "broker/pem.h"
#include "jose/b64url.h"
#include "jose/jws.h"
#include "util/err.h"
#include "util/num.h"

#define AUD	"cvmm-broker-admin"

struct admin_jti {
	char jti[33];
	int64_t exp;
};

int admin_auth_init(struct admin_auth *a, const char *pem, struct err_msg *why)
{
	int ret;

	memset(a, 0, sizeof(*a));
	pthread_mutex_init(&a->lock, NULL);
	ret = pem_key_load(pem, false, &a->pub, why);
	if (ret && ret != -EINVAL)
		return ret;
	if (!a->pub || !jws_alg_for_key(a->pub)) {
		err_set(why, "not an Ed25519, P-256 or P-384 public key (PEM)");
		return -EINVAL;
	}
	if (!strcmp(jws_alg_for_key(a->pub), "ES512")) {
		err_set(why, "P-521 admin keys are not supported");
		return -EINVAL;
	}
	a->seen = calloc(ADMIN_JTI_MAX, sizeof(*a->seen));
	return a->seen ? 0 : -ENOMEM;
}

void admin_auth_free(struct admin_auth *a)
{
	EVP_PKEY_free(a->pub);
	free(a->seen);
	pthread_mutex_destroy(&a->lock);
	memset(a, 0, sizeof(*a));
}

static char *body_hash(const uint8_t *body, size_t len)
{
	uint8_t md[32];
	unsigned int n = 0;

	if (!EVP_Digest(body, len, md, &n, EVP_sha256(), NULL))
		return NULL;
	return b64url_encode(md, 32);
}

/* Remember @jti until @exp; -EEXIST if seen, -ENOSPC if full. */
static int jti_remember(struct admin_auth *a, const char *jti, int64_t exp, int64_t now)
{
	size_t i, w = 0;
	int ret = 0;

	pthread_mutex_lock(&a->lock);
	for (i = 0; i < a->nseen; i++) {
		if (a->seen[i].exp + ADMIN_LEEWAY_S < now)
			continue;
		if (!strcmp(a->seen[i].jti, jti))
			ret = -EEXIST;
		a->seen[w++] = a->seen[i];
	}
	a->nseen = w;
	if (!ret && a->nseen >= ADMIN_JTI_MAX)
		ret = -ENOSPC;
	if (!ret) {
		snprintf(a->seen[a->nseen].jti, sizeof(a->seen[0].jti), "%s", jti);
		a->seen[a->nseen++].exp = exp;
	}
	pthread_mutex_unlock(&a->lock);
	return ret;
}

static int deny(struct err_msg *why, const char *msg)
{
	err_set(why, "%s", msg);
	return -EACCES;
}

static int check_claims(struct admin_auth *a, const json_t *c, const char *method,
			const char *path, const uint8_t *body, size_t len, int64_t now,
			struct err_msg *why)
{
	const char *jti = json_string_value(json_object_get(c, "jti"));
	json_int_t iat = json_integer_value(json_object_get(c, "iat"));
	json_int_t exp = json_integer_value(json_object_get(c, "exp"));
	const char *s;
	char *bsh;
	int ok, ret;

	s = json_string_value(json_object_get(c, "aud"));
	if (!s || strcmp(s, AUD))
		return deny(why, "the token is not for cvmm-broker-admin");
	if (!json_is_integer(json_object_get(c, "iat")) ||
	    !json_is_integer(json_object_get(c, "exp")) || exp <= iat ||
	    exp - iat > ADMIN_TOKEN_MAX_S || iat > now + ADMIN_LEEWAY_S ||
	    exp + ADMIN_LEEWAY_S < now)
		return deny(why, "the token is expired or too long-lived");
	s = json_string_value(json_object_get(c, "htm"));
	if (!s || strcmp(s, method))
		return deny(why, "the token is for another method");
	s = json_string_value(json_object_get(c, "htu"));
	if (!s || strcmp(s, path))
		return deny(why, "the token is for another path");
	bsh = body_hash(body, len);
	s = json_string_value(json_object_get(c, "bsh"));
	ok = bsh && s && !strcmp(s, bsh);
	free(bsh);
	if (!ok)
		return deny(why, "the token is for another request body");
	if (!jti || strlen(jti) < 16 || strlen(jti) > 32)
		return deny(why, "the token has no jti");
	ret = jti_remember(a, jti, exp, now);
	if (!ret && a->jti_shared)
		ret = a->jti_shared(a->jti_ctx, jti, exp);
	if (ret == -EEXIST)
		return deny(why, "the token was already used");
	if (ret == -ENOSPC)
		return deny(why, "too many admin requests in flight");
	if (ret)
		return deny(why, "the token's jti cannot be checked (store unavailable)");
	return 0;
}

int admin_auth_check(struct admin_auth *a, const char *authorization, const char *method,
		     const char *path, const uint8_t *body, size_t len, int64_t now,
		     struct err_msg *why)
{
	json_t *claims = NULL;
	struct err_msg jwhy;
	int ret;

	if (!a->pub)
		return deny(why, "no admin key configured");
	if (!authorization || strncmp(authorization, "Bearer ", 7))
		return deny(why, "no admin bearer token");
	if (jws_verify(authorization + 7, a->pub, NULL, &claims, &jwhy)) {
		err_set(why, "admin token refused: %s", jwhy.msg);
		return -EACCES;
	}
	ret = check_claims(a, claims, method, path, body, len, now, why);
	json_decref(claims);
	return ret;
}

int admin_token_make(EVP_PKEY *priv, const char *method, const char *path,
		     const uint8_t *body, size_t len, int64_t now, char **token)
{
	const char *alg = jws_alg_for_key(priv);
	uint8_t rnd[16];
	char jti[33], *bsh;
	json_t *claims;
	int ret;

	*token = NULL;
	if (!alg)
		return -EINVAL;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return -EIO;
	hex_encode(rnd, sizeof(rnd), jti);
	jti[32] = 0;
	bsh = body_hash(body, len);
	if (!bsh)
		return -ENOMEM;
	claims = json_pack("{s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "aud", AUD,
			   "iat", (json_int_t)now, "exp", (json_int_t)(now + ADMIN_TOKEN_TTL_S),
			   "jti", jti, "htm", method, "htu", path, "bsh", bsh);
	free(bsh);
	if (!claims)
		return -ENOMEM;
	ret = jws_sign(priv, alg, NULL, claims, token);
	json_decref(claims);
	return ret;
}
