// SPDX-License-Identifier: GPL-2.0-only
/* base64 / base64url: RFC 4648 §10 vectors, strictness, round trips. */
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

/* RFC 4648 §10 */
static const char *const rfc_in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
static const char *const rfc_std[] = {
	"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
};
static const char *const rfc_url[] = {
	"", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy",
};

static void test_rfc4648(void **state)
{
	size_t i, n;

	for (i = 0; i < 7; i++) {
		size_t len = strlen(rfc_in[i]);
		char *s = b64_encode((const uint8_t *)rfc_in[i], len);
		char *u = b64url_encode((const uint8_t *)rfc_in[i], len);
		uint8_t *d;

		assert_string_equal(s, rfc_std[i]);
		assert_string_equal(u, rfc_url[i]);
		assert_int_equal(b64_decode(s, strlen(s), &d, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(d, rfc_in[i], len);
		assert_int_equal(d[n], 0);	/* NUL after the data */
		free(d);
		assert_int_equal(b64url_decode(u, strlen(u), &d, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(d, rfc_in[i], len);
		free(d);
		free(s);
		free(u);
	}
}

/* The kbs-types header vector (key-broker.md). */
static void test_kbs_header(void **state)
{
	const char *h = "{\"alg\":\"fakealg\",\"enc\":\"fakeenc\"}";
	char *s = b64url_encode((const uint8_t *)h, strlen(h));

	assert_string_equal(s, "eyJhbGciOiJmYWtlYWxnIiwiZW5jIjoiZmFrZWVuYyJ9");
	free(s);
}

static void test_alphabets(void **state)
{
	const uint8_t d[] = { 0xfb, 0xff, 0xbf };
	char *s = b64_encode(d, 3), *u = b64url_encode(d, 3);
	uint8_t *o = NULL;
	size_t n;

	assert_string_equal(s, "+/+/");
	assert_string_equal(u, "-_-_");
	/* each decoder refuses the other's alphabet */
	assert_int_equal(b64_decode(u, 4, &o, &n), -EINVAL);
	assert_int_equal(b64url_decode(s, 4, &o, &n), -EINVAL);
	assert_null(o);
	free(s);
	free(u);
}

static void test_strict(void **state)
{
	static const char *const bad_url[] = {
		"Zg=",		/* padding */
		"Zg==",
		"Z",		/* 1 symbol left over */
		"Zh",		/* non-zero unused bits */
		"Zm9",		/* non-zero unused bits */
		"Zm 9v",	/* whitespace */
		"Zm9v\n",
		"Zm9v+",
		"Zm\x80v",
	};
	static const char *const bad_std[] = {
		"Zg", "Zg=", "Zg===", "Z===", "====", "=Zg=", "Zh==", "Zm9=",
		"Zm9v\n", "Zm9vYg=A", "Zm-v", " Zm9v",
	};
	uint8_t *o = NULL;
	size_t i, n;

	for (i = 0; i < sizeof(bad_url) / sizeof(bad_url[0]); i++)
		assert_int_equal(b64url_decode(bad_url[i], strlen(bad_url[i]),
					       &o, &n), -EINVAL);
	for (i = 0; i < sizeof(bad_std) / sizeof(bad_std[0]); i++)
		assert_int_equal(b64_decode(bad_std[i], strlen(bad_std[i]), &o,
					    &n), -EINVAL);
	assert_null(o);
	/* slen bounds the input: a NUL inside it is a bad symbol */
	assert_int_equal(b64url_decode("Zm\0v", 4, &o, &n), -EINVAL);
	/* ... and bytes past slen are not read */
	assert_int_equal(b64url_decode("Zm9v!!!", 4, &o, &n), 0);
	assert_int_equal(n, 3);
	free(o);
}

static void test_round_trip(void **state)
{
	uint8_t buf[300], *o;
	size_t len, n, i;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 151 + 7);
	for (len = 0; len <= sizeof(buf); len += 1 + len / 8) {
		char *s = b64_encode(buf, len), *u = b64url_encode(buf, len);

		assert_int_equal(strlen(s), (len + 2) / 3 * 4);
		assert_int_equal(strlen(u), len / 3 * 4 + (len % 3 ? len % 3 + 1 : 0));
		assert_int_equal(b64_decode(s, strlen(s), &o, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(o, buf, len);
		free(o);
		assert_int_equal(b64url_decode(u, strlen(u), &o, &n), 0);
		assert_int_equal(n, len);
		assert_memory_equal(o, buf, len);
		free(o);
		free(s);
		free(u);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4648),
		cmocka_unit_test(test_kbs_header),
		cmocka_unit_test(test_alphabets),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
