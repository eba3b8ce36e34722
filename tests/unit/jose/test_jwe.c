// SPDX-License-Identifier: GPL-2.0-only
/*
 * JWE: round trips for every alg and curve, the exact protected header
 * (the AAD trap), tampering, wrong keys, and the strict header checks.
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
#include "jose/jcs.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "util/err.h"

struct kcase {
	const char *kind;
	enum jwe_alg alg;
	size_t eklen;
};

static const struct kcase cases[] = {
	{ "P-256", JWE_ECDH_ES_A256KW, 40 },
	{ "P-384", JWE_ECDH_ES_A256KW, 40 },
	{ "P-521", JWE_ECDH_ES_A256KW, 40 },
	{ "RSA-2048", JWE_RSA_OAEP_256, 256 },
	{ "RSA-3072", JWE_RSA_OAEP_256, 384 },
	{ "RSA-2048", JWE_RSA1_5, 256 },
};

static EVP_PKEY *keys[6];

static int setup(void **state)
{
	size_t i;

	for (i = 0; i < 6; i++) {
		keys[i] = i == 5 ? EVP_PKEY_dup(keys[3]) : jwk_generate(cases[i].kind);
		if (!keys[i])
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	for (i = 0; i < 6; i++)
		EVP_PKEY_free(keys[i]);
	return 0;
}

/* The protected header of @f, parsed. */
static json_t *header_of(const json_t *f)
{
	size_t n;
	uint8_t *h = b64u(jstr(f, "protected"), &n);
	json_t *j = json_loadb((const char *)h, n, JSON_REJECT_DUPLICATES, NULL);

	assert_non_null(j);
	free(h);
	return j;
}

static void expect_decrypts(EVP_PKEY *k, const json_t *jwe, unsigned flags,
			    const uint8_t *pt, size_t len)
{
	uint8_t *out = NULL;
	size_t olen = 0;
	struct err_msg why = { "" };
	int ret = jwe_decrypt_ex(k, jwe, flags, &out, &olen, &why);

	if (ret)
		fail_msg("decrypt: %d %s", ret, why.msg);
	assert_int_equal(olen, len);
	assert_memory_equal(out, pt, len);
	assert_int_equal(out[olen], 0);
	jose_free_secret(out, olen);
}

static void expect_fails(EVP_PKEY *k, const json_t *jwe, unsigned flags,
			 int err, const char *why_part)
{
	uint8_t *out = (uint8_t *)"x";
	size_t olen = 9;
	struct err_msg why = { "" };

	assert_int_equal(jwe_decrypt_ex(k, jwe, flags, &out, &olen, &why), err);
	assert_null(out);
	assert_int_equal(olen, 0);
	if (!strstr(why.msg, why_part))
		fail_msg("reason \"%s\" lacks \"%s\"", why.msg, why_part);
}

static void test_round_trip(void **state)
{
	static const size_t lens[] = { 0, 1, 31, 1000 };
	uint8_t pt[1000];
	size_t i, l;

	for (i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 13);
	for (i = 0; i < 6; i++) {
		unsigned flags = cases[i].alg == JWE_RSA1_5 ? JWE_ALLOW_RSA1_5 : 0;

		for (l = 0; l < 4; l++) {
			json_t *f = NULL, *s;
			char *c;
			size_t n;
			uint8_t *ek;

			assert_int_equal(jwe_encrypt(keys[i], cases[i].alg, pt,
						     lens[l], &f), 0);
			assert_int_equal(json_object_size(f), 5);
			ek = b64u(jstr(f, "encrypted_key"), &n);
			assert_int_equal(n, cases[i].eklen);
			free(ek);
			expect_decrypts(keys[i], f, flags, pt, lens[l]);
			/* and in the compact serialization */
			c = jwe_to_compact(f);
			assert_non_null(c);
			s = json_string(c);
			expect_decrypts(keys[i], s, flags, pt, lens[l]);
			json_decref(s);
			free(c);
			json_decref(f);
		}
	}
}

/*
 * The protected header is exactly its own canonical form, with exactly
 * the members alg, enc (and epk {crv,kty,x,y}) -- so a client that
 * re-serializes the parsed header sorted and compact (Trustee's
 * guest-components) computes the same AAD.
 */
static void test_header_exact(void **state)
{
	size_t i;

	for (i = 0; i < 6; i++) {
		json_t *f = NULL, *h, *epk;
		char *canon, *b;
		size_t n;

		assert_int_equal(jwe_encrypt(keys[i], cases[i].alg,
					     (const uint8_t *)"k", 1, &f), 0);
		h = header_of(f);
		assert_int_equal(jcs_serialize(h, &canon, &n), 0);
		b = b64url_encode((const uint8_t *)canon, n);
		assert_string_equal(b, jstr(f, "protected"));
		assert_string_equal(jstr(h, "alg"), jwe_alg_name(cases[i].alg));
		assert_string_equal(jstr(h, "enc"), "A256GCM");
		epk = json_object_get(h, "epk");
		if (cases[i].alg == JWE_ECDH_ES_A256KW) {
			assert_int_equal(json_object_size(h), 3);
			assert_int_equal(json_object_size(epk), 4);
			assert_string_equal(jstr(epk, "kty"), "EC");
			assert_string_equal(jstr(epk, "crv"), cases[i].kind);
			assert_non_null(json_object_get(epk, "x"));
			assert_non_null(json_object_get(epk, "y"));
			assert_non_null(strstr(canon, "{\"alg\":\"ECDH-ES+A256KW\","
					       "\"enc\":\"A256GCM\",\"epk\":{\"crv\":\""));
		} else {
			assert_int_equal(json_object_size(h), 2);
			assert_string_equal(canon, cases[i].alg == JWE_RSA1_5 ?
				"{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\"}" :
				"{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}");
		}
		free(canon);
		free(b);
		json_decref(h);
		json_decref(f);
	}
}

/* Copy of @f with base64url member @name's byte @at XORed with @x. */
static json_t *flip(const json_t *f, const char *name, long at, uint8_t x)
{
	json_t *c = json_deep_copy(f);
	size_t n;
	uint8_t *d = b64u(jstr(f, name), &n);
	char *s;

	d[at < 0 ? (long)n + at : at] ^= x;
	s = b64url_encode(d, n);
	json_object_set_new(c, name, json_string(s));
	free(s);
	free(d);
	return c;
}

static void test_tamper(void **state)
{
	static const char *const parts[] = {
		"encrypted_key", "iv", "ciphertext", "tag",
	};
	size_t i, p;

	for (i = 0; i < 6; i++) {
		unsigned flags = cases[i].alg == JWE_RSA1_5 ? JWE_ALLOW_RSA1_5 : 0;
		json_t *f = NULL, *t, *h;
		char *canon, *b;
		size_t n;

		assert_int_equal(jwe_encrypt(keys[i], cases[i].alg,
					     (const uint8_t *)"secret", 6, &f), 0);
		for (p = 0; p < 4; p++) {
			t = flip(f, parts[p], 0, 0x01);
			expect_fails(keys[i], t, flags, -EBADMSG, "decryption failed");
			json_decref(t);
			t = flip(f, parts[p], -1, 0x80);
			expect_fails(keys[i], t, flags, -EBADMSG, "decryption failed");
			json_decref(t);
		}
		/* the same header, serialized differently: another AAD */
		h = header_of(f);
		canon = json_dumps(h, JSON_COMPACT);
		n = strlen(canon);
		canon = realloc(canon, n + 2);
		memmove(canon + 1, canon, n + 1);
		canon[0] = ' ';
		b = b64url_encode((const uint8_t *)canon, n + 1);
		t = json_deep_copy(f);
		json_object_set_new(t, "protected", json_string(b));
		expect_fails(keys[i], t, flags, -EBADMSG, "decryption failed");
		json_decref(t);
		/* a JWE "aad" member enters the AAD */
		t = json_deep_copy(f);
		json_object_set_new(t, "aad", json_string("AAAA"));
		expect_fails(keys[i], t, flags, -EBADMSG, "decryption failed");
		json_decref(t);
		free(canon);
		free(b);
		json_decref(h);
		json_decref(f);
	}
}

static void test_wrong_key(void **state)
{
	size_t i;

	for (i = 0; i < 6; i++) {
		unsigned flags = cases[i].alg == JWE_RSA1_5 ? JWE_ALLOW_RSA1_5 : 0;
		EVP_PKEY *other = jwk_generate(cases[i].kind);
		json_t *f = NULL;

		assert_int_equal(jwe_encrypt(keys[i], cases[i].alg,
					     (const uint8_t *)"secret", 6, &f), 0);
		/* same type, another key: the same constant failure */
		expect_fails(other, f, flags, -EBADMSG, "decryption failed");
		/* another type of key */
		expect_fails(keys[(i + 3) % 6], f, flags, -EINVAL, "does not fit");
		json_decref(f);
		EVP_PKEY_free(other);
	}
}

/* Copy of @f with its protected header replaced by @hdr (JSON text). */
static json_t *with_header(const json_t *f, const char *hdr)
{
	json_t *c = json_deep_copy(f);
	char *b = b64url_encode((const uint8_t *)hdr, strlen(hdr));

	json_object_set_new(c, "protected", json_string(b));
	free(b);
	return c;
}

/* Copy of @f with member @name set to @v (NULL: deleted). */
static json_t *with(const json_t *f, const char *name, json_t *v)
{
	json_t *c = json_deep_copy(f);

	if (v)
		json_object_set_new(c, name, v);
	else
		json_object_del(c, name);
	return c;
}

static void refused(EVP_PKEY *k, json_t *jwe, const char *why_part)
{
	expect_fails(k, jwe, JWE_ALLOW_RSA1_5, -EINVAL, why_part);
	json_decref(jwe);
}

/* The epk of @f's header as JSON text, with @extra members added. */
static char *ecdh_header(const json_t *f, const char *crv, const char *extra)
{
	json_t *h = header_of(f), *epk = json_object_get(h, "epk");
	char *e, *out;

	if (crv)
		json_object_set_new(epk, "crv", json_string(crv));
	e = json_dumps(epk, JSON_COMPACT | JSON_SORT_KEYS);
	out = malloc(strlen(e) + strlen(extra) + 64);
	sprintf(out, "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":%s%s}",
		e, extra);
	free(e);
	json_decref(h);
	return out;
}

static void test_strict_members(void **state)
{
	EVP_PKEY *k = keys[0];
	json_t *f = NULL, *s;

	assert_int_equal(jwe_encrypt(k, JWE_ECDH_ES_A256KW,
				     (const uint8_t *)"x", 1, &f), 0);
	refused(k, with(f, "header", json_pack("{s:s}", "alg", "dir")),
		"\"alg\" is not allowed in the unprotected header");
	refused(k, with(f, "header", json_pack("{s:s}", "enc", "A128GCM")),
		"\"enc\" is not allowed in the unprotected header");
	refused(k, with(f, "header", json_pack("{s:{}}", "epk")),
		"\"epk\" is in both headers");
	refused(k, with(f, "header", json_string("x")), "\"header\" is not supported");

	refused(k, with(f, "unprotected", json_object()), "\"unprotected\" is not");
	refused(k, with(f, "recipients", json_array()), "\"recipients\" is not");
	refused(k, with(f, "iv", json_integer(5)), "\"iv\" is not a string");
	refused(k, with(f, "tag", NULL), "JWE has no \"tag\"");
	refused(k, with(f, "protected", NULL), "no protected header");
	refused(k, with(f, "protected", json_string("e30=")), "not base64url");
	refused(k, with(f, "ciphertext", json_string("A")), "not base64url");
	refused(k, with(f, "aad", json_string("A+")), "\"aad\" is not base64url");
	refused(k, with_header(f, "[]"), "not a JSON object");
	refused(k, with_header(f, "{\"alg\":\"RSA1_5\",\"alg\":\"RSA1_5\"}"),
		"not a JSON object");
	s = json_string("a.b.c.d");
	refused(k, s, "has not 5 parts");
	s = json_string("a.b.c.d.e.f");
	refused(k, s, "has not 5 parts");
	refused(k, json_integer(1), "neither an object nor a compact string");
	{
		uint8_t *out;
		size_t olen;
		struct err_msg why;

		s = json_string("a.b.c.d.e");
		assert_int_equal(jwe_decrypt(k, s, &out, &olen, &why),
				 -EINVAL);
		assert_string_equal(why.msg, "JWE is not a JSON object");
		json_decref(s);
	}
	json_decref(f);
}

static void test_strict_header(void **state)
{
	EVP_PKEY *ec = keys[0], *rsa = keys[3];
	json_t *f = NULL, *r = NULL, *r2;
	char *h;

	assert_int_equal(jwe_encrypt(ec, JWE_ECDH_ES_A256KW,
				     (const uint8_t *)"x", 1, &f), 0);
	assert_int_equal(jwe_encrypt(rsa, JWE_RSA1_5, (const uint8_t *)"x", 1,
				     &r), 0);
	refused(rsa, with_header(r, "{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\","
				 "\"zip\":\"DEF\"}"), "\"zip\" is not supported");
	refused(rsa, with_header(r, "{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\","
				 "\"crit\":[\"exp\"],\"exp\":1}"), "\"crit\" is not");
	refused(rsa, with_header(r, "{\"alg\":\"RSA1_5\",\"enc\":\"A128GCM\"}"),
		"enc is not A256GCM");
	refused(rsa, with_header(r, "{\"alg\":\"RSA1_5\"}"), "enc is not A256GCM");
	refused(rsa, with_header(r, "{\"alg\":\"dir\",\"enc\":\"A256GCM\"}"),
		"alg is not supported");
	refused(rsa, with_header(r, "{\"alg\":\"none\",\"enc\":\"A256GCM\"}"),
		"alg is not supported");
	refused(rsa, with_header(r, "{\"enc\":\"A256GCM\"}"), "alg is not supported");
	refused(rsa, with_header(r, "{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\","
				 "\"epk\":{}}"), "ECDH members");
	refused(rsa, with_header(r, "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\"}"),
		"does not fit the key");
	/* RSA1_5 only with the flag */
	expect_fails(rsa, r, 0, -EINVAL, "JWE alg RSA1_5 is refused");
	/* epk: present, public, on the recipient's curve, on the curve */
	refused(ec, with_header(f, "{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\"}"),
		"no \"epk\" object");
	h = ecdh_header(f, "P-384", "");
	refused(ec, with_header(f, h), "not on the recipient key's curve");
	free(h);
	/* kid/typ/cty are allowed: the header passes, the AAD then differs */
	h = ecdh_header(f, NULL, ",\"kid\":\"1\",\"typ\":\"JWE\"");
	r2 = with_header(f, h);
	expect_fails(ec, r2, 0, -EBADMSG, "decryption failed");
	json_decref(r2);
	free(h);
	h = ecdh_header(f, NULL, ",\"apu\":\"A+\"");
	refused(ec, with_header(f, h), "\"apu\" is not base64url");
	free(h);
	json_decref(f);
	json_decref(r);
}

/* Copy of @f whose epk is changed by @mutate. */
static json_t *with_epk(const json_t *f, void (*mutate)(json_t *epk))
{
	json_t *h = header_of(f), *c;
	char *s;

	mutate(json_object_get(h, "epk"));
	s = json_dumps(h, JSON_COMPACT);
	c = with_header(f, s);
	free(s);
	json_decref(h);
	return c;
}

static void epk_add_d(json_t *epk)
{
	json_object_set_new(epk, "d", json_string("AAAA"));
}

static void epk_add_alg(json_t *epk)
{
	json_object_set_new(epk, "alg", json_string("x"));
}

static void epk_off_curve(json_t *epk)
{
	size_t n;
	uint8_t *y = b64u(json_string_value(json_object_get(epk, "y")), &n);
	char *s;

	y[n - 1] ^= 1;
	s = b64url_encode(y, n);
	json_object_set_new(epk, "y", json_string(s));
	free(s);
	free(y);
}

static void epk_rsa(json_t *epk)
{
	json_object_set_new(epk, "kty", json_string("RSA"));
}

static void test_strict_epk(void **state)
{
	EVP_PKEY *ec = keys[0];
	json_t *f = NULL;

	assert_int_equal(jwe_encrypt(ec, JWE_ECDH_ES_A256KW,
				     (const uint8_t *)"x", 1, &f), 0);
	refused(ec, with_epk(f, epk_add_d), "\"epk\" member \"d\" is not allowed");
	refused(ec, with_epk(f, epk_add_alg), "\"epk\" member \"alg\"");
	refused(ec, with_epk(f, epk_off_curve), "not on the curve");
	refused(ec, with_epk(f, epk_rsa), "\"epk\" is not an EC key");
	json_decref(f);
}

static void test_strict_sizes(void **state)
{
	EVP_PKEY *ec = keys[0], *rsa = keys[3];
	json_t *f = NULL, *r = NULL;

	assert_int_equal(jwe_encrypt(ec, JWE_ECDH_ES_A256KW,
				     (const uint8_t *)"x", 1, &f), 0);
	assert_int_equal(jwe_encrypt(rsa, JWE_RSA_OAEP_256,
				     (const uint8_t *)"x", 1, &r), 0);
	refused(ec, with(f, "iv", json_string("AAAAAAAAAAAAAAAAAAAAAA")),
		"iv is not 96 bits");
	refused(ec, with(f, "tag", json_string("AAAAAAAAAAAAAAAA")),
		"tag is not 128 bits");
	refused(ec, with(f, "encrypted_key", json_string("AAAAAAAAAAAAAAAAAAAAAA")),
		"encrypted_key has 16 bytes, not 40");
	refused(rsa, with(r, "encrypted_key", json_string("")),
		"encrypted_key has 0 bytes, not 256");
	json_decref(f);
	json_decref(r);
}

static void test_encrypt_refused(void **state)
{
	EVP_PKEY *ed = jwk_generate("Ed25519");
	EVP_PKEY *small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	json_t *f = NULL;
	enum jwe_alg a;

	assert_int_equal(jwe_encrypt(ed, JWE_ECDH_ES_A256KW, NULL, 0, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(keys[0], JWE_RSA_OAEP_256, NULL, 0, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(keys[3], JWE_ECDH_ES_A256KW, NULL, 0, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(small, JWE_RSA_OAEP_256, NULL, 0, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(keys[3], (enum jwe_alg)7, NULL, 0, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(keys[3], JWE_RSA_OAEP_256, NULL, 1, &f), -EINVAL);
	assert_int_equal(jwe_encrypt(NULL, JWE_RSA_OAEP_256, NULL, 0, &f), -EINVAL);
	assert_null(f);
	assert_int_equal(jwe_alg_from_name("RSA-OAEP-256", &a), 0);
	assert_int_equal(a, JWE_RSA_OAEP_256);
	assert_int_equal(jwe_alg_from_name("ECDH-ES+A256KW", &a), 0);
	assert_int_equal(a, JWE_ECDH_ES_A256KW);
	assert_int_equal(jwe_alg_from_name("RSA1_5", &a), 0);
	assert_int_equal(a, JWE_RSA1_5);
	assert_int_equal(jwe_alg_from_name("RSA-OAEP", &a), -EINVAL);
	assert_int_equal(jwe_alg_from_name("ecdh-es+a256kw", &a), -EINVAL);
	assert_int_equal(jwe_alg_from_name(NULL, &a), -EINVAL);
	assert_null(jwe_alg_name((enum jwe_alg)3));
	/* the compact form has no place for an "aad" member */
	assert_int_equal(jwe_encrypt(keys[3], JWE_RSA_OAEP_256, NULL, 0, &f), 0);
	json_object_set_new(f, "aad", json_string("AAAA"));
	assert_null(jwe_to_compact(f));
	json_decref(f);
	EVP_PKEY_free(ed);
	EVP_PKEY_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_header_exact),
		cmocka_unit_test(test_tamper),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_strict_members),
		cmocka_unit_test(test_strict_header),
		cmocka_unit_test(test_strict_epk),
		cmocka_unit_test(test_strict_sizes),
		cmocka_unit_test(test_encrypt_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
