// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compact JWS: RFC 7515 A.3, round trips for ES256/ES384/ES512/EdDSA,
 * alg confusion, tampering, the embedded-jwk mode, JWT time claims.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "jose/b64url.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "util/err.h"

static const struct {
	const char *kind, *alg;
	size_t siglen;
} algs[] = {
	{ "P-256", "ES256", 64 },
	{ "P-384", "ES384", 96 },
	{ "P-521", "ES512", 132 },
	{ "Ed25519", "EdDSA", 64 },
};

static EVP_PKEY *keys[4];

static int setup(void **state)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (!(keys[i] = jwk_generate(algs[i].kind)))
			return -1;
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	for (i = 0; i < 4; i++)
		EVP_PKEY_free(keys[i]);
	return 0;
}

static void expect_refused(const char *tok, EVP_PKEY *k, int err,
			   const char *why_part)
{
	json_t *h = (json_t *)1, *c = (json_t *)1;
	struct err_msg why = { "" };

	assert_int_equal(jws_verify(tok, k, &h, &c, &why), err);
	if (!strstr(why.msg, why_part))
		fail_msg("reason \"%s\" lacks \"%s\"", why.msg, why_part);
	assert_true(h == (json_t *)1 && c == (json_t *)1);	/* untouched */
}

/* RFC 7515 Appendix A.3 (ES256); its payload has CR LF whitespace. */
static void test_rfc7515_a3(void **state)
{
	const char *tok = "eyJhbGciOiJFUzI1NiJ9."
		"eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
		"cGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
		"DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA"
		"pmWQxfKTUJqPP3-Kg6NU1Q";
	json_t *jwk = json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256",
				"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
				"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0");
	EVP_PKEY *k = NULL;
	json_t *c = NULL;
	char *bad;

	assert_int_equal(jwk_to_pkey(jwk, &k, NULL), 0);
	assert_int_equal(jws_verify(tok, k, NULL, &c, NULL), 0);
	assert_string_equal(jstr(c, "iss"), "joe");
	assert_int_equal(json_integer_value(json_object_get(c, "exp")), 1300819380);
	json_decref(c);
	/* the same signature over one changed byte of the payload */
	bad = strdup(tok);
	bad[30] = bad[30] == 'A' ? 'B' : 'A';
	expect_refused(bad, k, -EBADMSG, "does not verify");
	/* the RFC key on P-384 does not fit ES256 */
	expect_refused(tok, keys[1], -EINVAL, "does not fit the key");
	free(bad);
	json_decref(jwk);
	EVP_PKEY_free(k);
}

static void test_round_trip(void **state)
{
	/* a TCB value above 2^53 must survive exactly */
	json_t *claims = json_pack("{s:s, s:i, s:{s:b}, s:I, s:f}", "iss",
				   "cvmm-broker", "exp", 2000000000, "submods",
				   "ok", 1, "reported_tcb",
				   (json_int_t)0x7b18000000000004LL, "r", 0.1);
	size_t i;

	for (i = 0; i < 4; i++) {
		json_t *pub = jwk_from_pkey(keys[i], NULL);
		json_t *extra = json_pack("{s:s, s:O}", "typ", "JWT", "jwk", pub);
		json_t *h = NULL, *c = NULL;
		char *tok = NULL, *dot, hdr[512];
		uint8_t *sig;
		size_t n;

		assert_int_equal(jws_sign(keys[i], algs[i].alg, extra, claims,
					  &tok), 0);
		/* canonical header: alg, jwk, typ in order */
		dot = strchr(tok, '.');
		sig = b64u(strrchr(tok, '.') + 1, &n);
		assert_int_equal(n, algs[i].siglen);
		free(sig);
		*dot = 0;
		sig = b64u(tok, &n);
		*dot = '.';
		snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\",\"jwk\":", algs[i].alg);
		assert_memory_equal(sig, hdr, strlen(hdr));
		assert_non_null(strstr((char *)sig, "},\"typ\":\"JWT\"}"));
		free(sig);
		/* with the key, and with the key in the header */
		assert_int_equal(jws_verify(tok, keys[i], &h, &c, NULL), 0);
		assert_true(json_equal(c, claims));
		assert_string_equal(jstr(h, "alg"), algs[i].alg);
		json_decref(h);
		json_decref(c);
		assert_int_equal(jws_verify(tok, NULL, NULL, &c, NULL), 0);
		assert_true(json_equal(c, claims));
		json_decref(c);
		/* another key of the same type */
		{
			EVP_PKEY *other = jwk_generate(algs[i].kind);

			expect_refused(tok, other, -EBADMSG, "does not verify");
			EVP_PKEY_free(other);
		}
		free(tok);
		json_decref(extra);
		json_decref(pub);
	}
	json_decref(claims);
}

/* A token signed by @k with header {"alg":@alg} + @extra over @claims. */
static char *sign(EVP_PKEY *k, const char *alg, json_t *extra, const char *claims)
{
	json_t *c = json_loads(claims, 0, NULL);
	char *tok = NULL;

	assert_int_equal(jws_sign(k, alg, extra, c, &tok), 0);
	json_decref(c);
	json_decref(extra);
	return tok;
}

/* @tok with its header replaced by @hdr (JSON text). */
static char *reheader(const char *tok, const char *hdr)
{
	char *b = b64url_encode((const uint8_t *)hdr, strlen(hdr));
	const char *rest = strchr(tok, '.');
	char *out = malloc(strlen(b) + strlen(rest) + 1);

	strcpy(out, b);
	strcat(out, rest);
	free(b);
	return out;
}

static void test_alg_confusion(void **state)
{
	char *tok = sign(keys[0], "ES256", NULL, "{\"a\":1}"), *t;
	EVP_PKEY *other = jwk_generate("P-256");
	EVP_PKEY *rsa = jwk_generate("RSA-2048");
	static const char *const bad_hdr[] = {
		"{\"alg\":\"none\"}", "{\"alg\":\"HS256\"}", "{\"alg\":\"RS256\"}",
		"{\"alg\":\"es256\"}", "{}", "{\"alg\":256}",
	};
	size_t i;

	expect_refused(tok, other, -EBADMSG, "does not verify");
	expect_refused(tok, keys[1], -EINVAL, "alg ES256 does not fit the key");
	expect_refused(tok, keys[3], -EINVAL, "does not fit the key");
	expect_refused(tok, rsa, -EINVAL, "does not fit the key");
	for (i = 0; i < sizeof(bad_hdr) / sizeof(bad_hdr[0]); i++) {
		t = reheader(tok, bad_hdr[i]);
		expect_refused(t, keys[0], -EINVAL, "alg is not supported");
		free(t);
	}
	/* ES384 claimed, P-256 key */
	t = reheader(tok, "{\"alg\":\"ES384\"}");
	expect_refused(t, keys[0], -EINVAL, "does not fit the key");
	free(t);
	t = reheader(tok, "{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}");
	expect_refused(t, keys[0], -EINVAL, "\"crit\" or \"b64\"");
	free(t);
	t = reheader(tok, "{\"alg\":\"ES256\",\"alg\":\"ES256\"}");
	expect_refused(t, keys[0], -EINVAL, "header is not a JSON object");
	free(t);
	/* signing: the alg must fit the key */
	{
		json_t *o = json_object();

		assert_int_equal(jws_sign(keys[0], "ES384", NULL, o, &t), -EINVAL);
		assert_int_equal(jws_sign(rsa, "RS256", NULL, o, &t), -EINVAL);
		assert_int_equal(jws_sign(keys[3], "none", NULL, o, &t), -EINVAL);
		assert_int_equal(jws_sign(keys[3], NULL, NULL, o, &t), -EINVAL);
		json_decref(o);
	}
	free(tok);
	EVP_PKEY_free(other);
	EVP_PKEY_free(rsa);
}

/* An EdDSA token over base64url payload @p, signed here with OpenSSL. */
static char *ed25519_token(const char *p)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char in[256], *sig, *out;
	uint8_t raw[64];
	size_t n = sizeof(raw);

	snprintf(in, sizeof(in), "eyJhbGciOiJFZERTQSJ9.%s", p);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, NULL, NULL, keys[3]), 1);
	assert_int_equal(EVP_DigestSign(ctx, raw, &n, (const uint8_t *)in,
					strlen(in)), 1);
	EVP_MD_CTX_free(ctx);
	sig = b64url_encode(raw, n);
	out = malloc(strlen(in) + strlen(sig) + 2);
	sprintf(out, "%s.%s", in, sig);
	free(sig);
	return out;
}

static void test_malformed(void **state)
{
	char *tok = sign(keys[3], "EdDSA", NULL, "{\"a\":1}"), *t;
	char *last = strrchr(tok, '.');
	size_t n = strlen(tok);

	expect_refused("", keys[3], -EINVAL, "empty");
	expect_refused("a.b", keys[3], -EINVAL, "not 3 parts");
	t = malloc(n + 3);
	snprintf(t, n + 3, "%s.x", tok);
	expect_refused(t, keys[3], -EINVAL, "not 3 parts");
	/* a signature one byte short, or re-padded */
	memcpy(t, tok, n + 1);
	t[n - 2] = 0;
	expect_refused(t, keys[3], -EINVAL, "signature has 63 bytes, not 64");
	snprintf(t, n + 3, "%s==", tok);
	expect_refused(t, keys[3], -EINVAL, "not base64url");
	free(t);
	/* payloads that are not JSON objects */
	t = ed25519_token("WzFd");		/* [1] */
	expect_refused(t, keys[3], -EINVAL, "payload is not a JSON object");
	free(t);
	t = ed25519_token("e30");		/* {} */
	assert_int_equal(jws_verify(t, keys[3], NULL, NULL, NULL), 0);
	free(t);
	t = ed25519_token("eyJhIjoxLCJhIjoyfQ");	/* {"a":1,"a":2} */
	expect_refused(t, keys[3], -EINVAL, "payload is not a JSON object");
	free(t);
	/* flipped signature bit */
	last[5] = last[5] == 'A' ? 'B' : 'A';
	expect_refused(tok, keys[3], -EBADMSG, "does not verify");
	free(tok);
	/* header and claims arguments */
	{
		json_t *extra = json_pack("{s:s}", "alg", "ES256");
		json_t *o = json_object(), *a = json_array();

		assert_int_equal(jws_sign(keys[0], "ES256", NULL, a, &t), -EINVAL);
		assert_int_equal(jws_sign(keys[0], "ES256", extra, o, &t), -EINVAL);
		assert_int_equal(jws_sign(keys[0], "ES256", a, o, &t), -EINVAL);
		json_decref(extra);
		json_decref(o);
		json_decref(a);
	}
}

/* key NULL: the "jwk" header is used, and must be a public key. */
static void test_embedded_jwk(void **state)
{
	EVP_PKEY *attacker = jwk_generate("P-256");
	json_t *pub = jwk_from_pkey(attacker, NULL), *priv;
	char *tok = sign(attacker, "ES256", json_pack("{s:O}", "jwk", pub),
			 "{\"a\":1}");
	uint8_t t1[32], t2[32];

	/* intact under the key it names ... */
	assert_int_equal(jws_verify(tok, NULL, NULL, NULL, NULL), 0);
	/* ... which is not the key the caller trusts */
	expect_refused(tok, keys[0], -EBADMSG, "does not verify");
	assert_int_equal(jwk_thumbprint(pub, t1), 0);
	{
		json_t *h = NULL;

		assert_int_equal(jws_verify(tok, NULL, &h, NULL, NULL), 0);
		assert_int_equal(jwk_thumbprint(json_object_get(h, "jwk"), t2), 0);
		assert_memory_equal(t1, t2, 32);
		json_decref(h);
	}
	free(tok);
	/* no jwk, a private jwk, a jwk of another type than the alg */
	tok = sign(keys[0], "ES256", NULL, "{}");
	expect_refused(tok, NULL, -EINVAL, "\"jwk\" header: JWK is not an object");
	free(tok);
	priv = json_deep_copy(pub);
	json_object_set_new(priv, "d", json_string("AAAA"));
	tok = sign(keys[0], "ES256", json_pack("{s:o}", "jwk", priv), "{}");
	expect_refused(tok, NULL, -EINVAL, "private member \"d\"");
	free(tok);
	tok = sign(keys[3], "EdDSA", json_pack("{s:O}", "jwk", pub), "{}");
	expect_refused(tok, NULL, -EINVAL, "alg EdDSA does not fit the key");
	free(tok);
	json_decref(pub);
	EVP_PKEY_free(attacker);
}

static void test_jwt_time(void **state)
{
	json_t *c = json_pack("{s:i, s:i, s:i}", "exp", 1000, "nbf", 900, "iat", 900);
	struct err_msg why = { "" };

	assert_int_equal(jwt_check_time(c, 950, 0, 1, &why), 0);
	assert_int_equal(jwt_check_time(c, 1000, 0, 1, &why),
			 -EKEYEXPIRED);
	assert_string_equal(why.msg, "JWT has expired");
	assert_int_equal(jwt_check_time(c, 1000, 5, 1, &why), 0);
	assert_int_equal(jwt_check_time(c, 899, 0, 1, &why),
			 -EKEYEXPIRED);
	assert_string_equal(why.msg, "JWT is not valid yet");
	json_object_del(c, "nbf");
	assert_int_equal(jwt_check_time(c, 899, 0, 1, &why),
			 -EKEYEXPIRED);
	assert_string_equal(why.msg, "JWT was issued in the future");
	assert_int_equal(jwt_check_time(c, 899, 1, 1, &why), 0);
	json_object_set_new(c, "exp", json_string("1000"));
	assert_int_equal(jwt_check_time(c, 950, 0, 1, &why), -EINVAL);
	json_object_set_new(c, "exp", json_real(1000.5));
	assert_int_equal(jwt_check_time(c, 1000, 0, 1, &why), 0);
	json_object_del(c, "exp");
	assert_int_equal(jwt_check_time(c, 950, 0, 1, &why), -EINVAL);
	assert_string_equal(why.msg, "JWT has no \"exp\"");
	assert_int_equal(jwt_check_time(c, 950, 0, 0, &why), 0);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7515_a3),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_alg_confusion),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_embedded_jwk),
		cmocka_unit_test(test_jwt_time),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
