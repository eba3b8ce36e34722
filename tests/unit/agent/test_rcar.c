// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "helpers.h"
#include "agent/rcar.h"
#include "jose/jwe.h"
#include "jose/secret.h"

static char why[300];

static void test_auth_body(void **state)
{
	char *s = rcar_auth_body(AGENT_TEE_SNP);

	assert_string_equal(s, "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{}}");
	free(s);
	s = rcar_auth_body(AGENT_TEE_TDX);
	assert_non_null(strstr(s, "\"tee\":\"tdx\""));
	free(s);
}

static int challenge(const char *body, char *nonce, size_t n)
{
	return rcar_parse_challenge(body, strlen(body), nonce, n, why, sizeof(why));
}

static void test_challenge(void **state)
{
	char nonce[RCAR_NONCE_MAX], big[RCAR_NONCE_MAX + 40];

	assert_int_equal(challenge("{\"nonce\":\"q83vEjRWeJA=\",\"extra-params\":\"\"}",
				   nonce, sizeof(nonce)), 0);
	assert_string_equal(nonce, "q83vEjRWeJA=");
	assert_int_equal(challenge("{\"extra-params\":\"\"}", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":5}", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":\"\"}", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":\"a\\nb\"}", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":\"a\\u0000b\"}", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":\"a\",\"nonce\":\"b\"}", nonce, sizeof(nonce)),
			 -EBADMSG);
	assert_int_equal(challenge("[\"nonce\"]", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("not json", nonce, sizeof(nonce)), -EBADMSG);
	assert_int_equal(challenge("{\"nonce\":\"abcdef\"}", nonce, 4), -EBADMSG);
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"nonce\":\"", 10);
	memcpy(big + sizeof(big) - 3, "\"}", 3);
	assert_int_equal(challenge(big, nonce, sizeof(nonce)), -EBADMSG);
}

static void test_binding(void **state)
{
	static const char canon[] =
		"{\"additional-evidence\":\"\",\"nonce\":\"bm9uY2U=\",\"tee-pubkey\":"
		"{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"X1\",\"y\":\"Y1\"}}";
	json_t *jwk = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kty", "EC", "y", "Y1",
				"crv", "P-256", "x", "X1", "alg", "ECDH-ES+A256KW");
	uint8_t rd[64], want[64] = { 0 };
	unsigned int n;

	assert_int_equal(EVP_Digest(canon, strlen(canon), want, &n, EVP_sha384(), NULL), 1);
	assert_int_equal(rcar_report_data("bm9uY2U=", jwk, rd), 0);
	assert_memory_equal(rd, want, 64);		/* 48 bytes of hash, 16 zero */
	json_decref(jwk);
}

static void test_attest_body(void **state)
{
	json_t *jwk = json_pack("{s:s}", "kty", "EC"), *ev = json_pack("{s:i}", "a", 1);
	char *s = rcar_attest_body("N", jwk, ev);
	json_t *o = json_loads(s, 0, NULL), *rt, *te;

	assert_non_null(o);
	assert_int_equal(json_object_size(o), 2);
	rt = json_object_get(o, "runtime-data");
	te = json_object_get(o, "tee-evidence");
	assert_string_equal(json_string_value(json_object_get(rt, "nonce")), "N");
	assert_true(json_equal(json_object_get(rt, "tee-pubkey"), jwk));
	assert_null(json_object_get(rt, "additional-evidence"));
	assert_true(json_equal(json_object_get(te, "primary_evidence"), ev));
	assert_string_equal(json_string_value(json_object_get(te, "additional_evidence")), "");
	free(s);
	json_decref(o);
	json_decref(jwk);
	json_decref(ev);
}

static void test_tee_keys(void **state)
{
	static const char *const types[] = { "P-256", "P-521", "RSA" };
	size_t i;

	for (i = 0; i < 3; i++) {
		EVP_PKEY *k = rcar_tee_key(types[i]);
		json_t *j = k ? rcar_tee_jwk(k) : NULL;

		assert_non_null(j);
		assert_string_equal(json_string_value(json_object_get(j, "alg")),
				    i == 2 ? "RSA-OAEP-256" : "ECDH-ES+A256KW");
		assert_int_equal(json_object_size(j), i == 2 ? 4 : 5);	/* no extra members */
		assert_null(json_object_get(j, "d"));
		json_decref(j);
		EVP_PKEY_free(k);
	}
}

static int token(const char *body)
{
	return rcar_parse_token(body, strlen(body), why, sizeof(why));
}

static void test_token(void **state)
{
	assert_int_equal(token("{\"token\":\"eyJh.eyJi.c2ln\"}"), 0);
	assert_int_equal(token("{\"token\":\"eyJh.eyJi\"}"), -EBADMSG);
	assert_int_equal(token("{\"token\":\"eyJh..c2ln\"}"), -EBADMSG);
	assert_int_equal(token("{\"token\":\"ey=h.eyJi.c2ln\"}"), -EBADMSG);
	assert_int_equal(token("{\"token\":\"eyJh.eyJi.c2ln.x\"}"), -EBADMSG);
	assert_int_equal(token("{\"tok\":\"a.b.c\"}"), -EBADMSG);
}

static int cookie(const char *line, char *out, size_t n)
{
	return rcar_parse_set_cookie(line, strlen(line), out, n);
}

static void test_cookie(void **state)
{
	char v[RCAR_SESSION_MAX];

	assert_int_equal(cookie("Set-Cookie: kbs-session-id=0123abcd; Expires=Mon, 07 Dec 2026",
				v, sizeof(v)), 1);
	assert_string_equal(v, "0123abcd");
	assert_int_equal(cookie("set-cookie:kbs-session-id=x_y-Z", v, sizeof(v)), 1);
	assert_string_equal(v, "x_y-Z");
	assert_int_equal(cookie("Set-Cookie: other=1", v, sizeof(v)), 0);
	assert_int_equal(cookie("Content-Type: text/plain", v, sizeof(v)), 0);
	assert_int_equal(cookie("Set-Cookie: kbs-session-id=; Path=/", v, sizeof(v)), -EBADMSG);
	assert_int_equal(cookie("Set-Cookie: kbs-session-id=a\"b", v, sizeof(v)), -EBADMSG);
	assert_int_equal(cookie("Set-Cookie: kbs-session-id=abcdef", v, 4), -EBADMSG);
}

static void test_error_reason(void **state)
{
	static const char trustee[] =
		"{\"type\":\"https://github.com/confidential-containers/kbs/errors/PolicyDeny\","
		"\"detail\":\"Access denied\\nby policy\"}";
	char out[200], big[2000];

	rcar_error_reason(403, trustee, strlen(trustee), out, sizeof(out));
	assert_string_equal(out, "HTTP 403: PolicyDeny: Access denied?by policy");
	rcar_error_reason(502, "<html>bad gateway</html>", 24, out, sizeof(out));
	assert_string_equal(out, "HTTP 502: <html>bad gateway</html>");
	rcar_error_reason(500, "", 0, out, sizeof(out));
	assert_string_equal(out, "HTTP 500");
	memset(big, 'x', sizeof(big));
	rcar_error_reason(400, big, sizeof(big), out, sizeof(out));
	assert_true(strlen(out) < 140);
	assert_non_null(strstr(out, "..."));
}

static void test_decrypt(void **state)
{
	static const char *const types[] = { "P-256", "P-521", "RSA" };
	static const uint8_t secret[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	size_t i, n;
	uint8_t *pt;

	for (i = 0; i < 3; i++) {
		EVP_PKEY *k = rcar_tee_key(types[i]), *other = rcar_tee_key(types[i]);
		json_t *jwe;
		char *s;

		assert_int_equal(jwe_encrypt(k, i == 2 ? JWE_RSA_OAEP_256 : JWE_ECDH_ES_A256KW,
					     secret, sizeof(secret), &jwe), 0);
		s = json_dumps(jwe, JSON_COMPACT);
		assert_int_equal(rcar_decrypt_resource(k, s, strlen(s), &pt, &n, why, sizeof(why)), 0);
		assert_int_equal(n, sizeof(secret));
		assert_memory_equal(pt, secret, n);
		jose_free_secret(pt, n);
		assert_int_equal(rcar_decrypt_resource(other, s, strlen(s), &pt, &n, why,
						       sizeof(why)), -EBADMSG);
		s[strlen(s) / 2] ^= 1;
		assert_int_equal(rcar_decrypt_resource(k, s, strlen(s), &pt, &n, why, sizeof(why)),
				 -EBADMSG);
		free(s);
		json_decref(jwe);
		jwe_encrypt(k, i == 2 ? JWE_RSA_OAEP_256 : JWE_ECDH_ES_A256KW, secret, 0, &jwe);
		s = json_dumps(jwe, JSON_COMPACT);
		assert_int_equal(rcar_decrypt_resource(k, s, strlen(s), &pt, &n, why, sizeof(why)),
				 -EBADMSG);
		assert_non_null(strstr(why, "empty"));
		free(s);
		json_decref(jwe);
		EVP_PKEY_free(k);
		EVP_PKEY_free(other);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_body),
		cmocka_unit_test(test_challenge),
		cmocka_unit_test(test_binding),
		cmocka_unit_test(test_attest_body),
		cmocka_unit_test(test_tee_keys),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_cookie),
		cmocka_unit_test(test_error_reason),
		cmocka_unit_test(test_decrypt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
