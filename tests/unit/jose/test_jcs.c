// SPDX-License-Identifier: GPL-2.0-only
/*
 * RFC 8785 canonicalization: the RFC's examples (§3.2.2 sample object,
 * §3.2.3 sorting, Appendix B numbers), Trustee's JCS-SHA-384 vector and
 * the refusals.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "helpers.h"
#include "jose/jcs.h"

static void expect_jcs(const char *in, const char *want)
{
	json_t *v = json_loads(in, JSON_DECODE_ANY, NULL);
	char *out = NULL;
	size_t len = 0;

	assert_non_null(v);
	assert_int_equal(jcs_serialize(v, &out, &len), 0);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
	free(out);
	json_decref(v);
}

/* RFC 8785 §3.2.2: the sample input and its canonical form. */
static void test_rfc8785_sample(void **state)
{
	expect_jcs("{\n"
		   "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
		   "              2e-3, 0.000000000000000000000000001],\n"
		   "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
		   "  \"literals\": [null, true, false]\n"
		   "}",
		   "{\"literals\":[null,true,false],"
		   "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
		   "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 §3.2.3: names sorted as UTF-16 code units. */
static void test_rfc8785_sorting(void **state)
{
	const char *in = "{\n"
		"  \"\\u20ac\": \"Euro Sign\",\n"
		"  \"\\r\": \"Carriage Return\",\n"
		"  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
		"  \"1\": \"One\",\n"
		"  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
		"  \"\\u0080\": \"Control\",\n"
		"  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
		"}";

	/* U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16,
	 * after it in UTF-8 / code point order */
	expect_jcs(in, "{\"\\r\":\"Carriage Return\",\"1\":\"One\","
		   "\"\xc2\x80\":\"Control\","
		   "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
		   "\"\xe2\x82\xac\":\"Euro Sign\","
		   "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
		   "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization. */
static const struct {
	uint64_t bits;
	const char *es;
} numbers[] = {
	{ 0x0000000000000000, "0" },
	{ 0x8000000000000000, "0" },	/* -0 */
	{ 0x0000000000000001, "5e-324" },
	{ 0x8000000000000001, "-5e-324" },
	{ 0x7fefffffffffffff, "1.7976931348623157e+308" },
	{ 0xffefffffffffffff, "-1.7976931348623157e+308" },
	{ 0x4340000000000000, "9007199254740992" },
	{ 0xc340000000000000, "-9007199254740992" },
	{ 0x4430000000000000, "295147905179352830000" },
	{ 0x44b52d02c7e14af5, "9.999999999999997e+22" },
	{ 0x44b52d02c7e14af6, "1e+23" },
	{ 0x44b52d02c7e14af7, "1.0000000000000001e+23" },
	{ 0x444b1ae4d6e2ef4e, "999999999999999700000" },
	{ 0x444b1ae4d6e2ef4f, "999999999999999900000" },
	{ 0x444b1ae4d6e2ef50, "1e+21" },
	{ 0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7" },
	{ 0x3eb0c6f7a0b5ed8d, "0.000001" },
	{ 0x41b3de4355555553, "333333333.3333332" },
	{ 0x41b3de4355555554, "333333333.33333325" },
	{ 0x41b3de4355555555, "333333333.3333333" },
	{ 0x41b3de4355555556, "333333333.3333334" },
	{ 0x41b3de4355555557, "333333333.33333343" },
	{ 0xbecbf647612f3696, "-0.0000033333333333333333" },
	{ 0x43143ff3c1cb0959, "1424953923781206.2" },
};

static double from_bits(uint64_t b)
{
	double d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static void test_rfc8785_numbers(void **state)
{
	char buf[JCS_NUM_MAX];
	size_t i;

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		int n = jcs_format_double(from_bits(numbers[i].bits), buf,
					  sizeof(buf));

		assert_int_equal(n, (int)strlen(numbers[i].es));
		assert_string_equal(buf, numbers[i].es);
	}
}

static void expect_num(double d, const char *want)
{
	char buf[JCS_NUM_MAX];

	assert_true(jcs_format_double(d, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, want);
}

/* The ES layout boundaries (n = 21 / 22, n = -5 / -6) and the brief's list. */
static void test_number_layout(void **state)
{
	expect_num(1e21, "1e+21");
	expect_num(1e20, "100000000000000000000");
	expect_num(123456789012345678901.0, "123456789012345680000");
	expect_num(1e-7, "1e-7");
	expect_num(1e-6, "0.000001");
	expect_num(1.5e-7, "1.5e-7");
	expect_num(0.0000015, "0.0000015");
	expect_num(-0.0, "0");
	expect_num(5e-324, "5e-324");
	expect_num(333333333.33333329, "333333333.3333333");
	expect_num(0.1, "0.1");
	expect_num(0.1 + 0.2, "0.30000000000000004");
	expect_num(100, "100");
	expect_num(-1.25, "-1.25");
	expect_num(4.35, "4.35");
	expect_num(2.0 / 3.0, "0.6666666666666666");
	expect_num(9007199254740993.0, "9007199254740992");
	/* powers of two: the rounding interval is asymmetric */
	expect_num(ldexp(1, -1074), "5e-324");
	expect_num(ldexp(1, 60), "1152921504606847000");
	expect_num(ldexp(1, -20), "9.5367431640625e-7");
	expect_num(ldexp(1, 1023), "8.98846567431158e+307");
	expect_num(2.2250738585072014e-308, "2.2250738585072014e-308");
}

static void test_number_refused(void **state)
{
	char buf[JCS_NUM_MAX];
	json_t *big = json_integer(9007199254740993LL);
	json_t *ok = json_integer(-9007199254740992LL);
	char *out = NULL;

	assert_int_equal(jcs_format_double(NAN, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(jcs_format_double(INFINITY, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(jcs_format_double(-INFINITY, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(jcs_format_double(1, buf, 8), -ENOSPC);
	/* integers beyond 2^53 have no exact double */
	assert_int_equal(jcs_serialize(big, &out, NULL), -ERANGE);
	assert_null(out);
	assert_int_equal(jcs_serialize(ok, &out, NULL), 0);
	assert_string_equal(out, "-9007199254740992");
	free(out);
	json_decref(big);
	json_decref(ok);
}

/* Trustee's attestation-service vector (key-broker.md). */
static void test_trustee_vector(void **state)
{
	static const char want[] =
		"e71ce8e70d814ba6639c3612ebee0ff1f76f650f8dbb5e47"
		"157e0f3f525cd22c4597480a186427c813ca941da78870c3";
	json_t *v = json_pack("{s:s, s:i, s:{s:s}}", "a",
			      "test", "b", 1, "c", "d", "e");
	uint8_t d[48], w[48];

	assert_non_null(v);
	assert_int_equal(jcs_sha384(v, d), 0);
	hex2bin(want, w, sizeof(w));
	assert_memory_equal(d, w, 48);
	json_decref(v);
	/* members given in another order hash the same */
	v = json_loads("{\"c\":{\"d\":\"e\"},\"b\":1,\"a\":\"test\"}", 0, NULL);
	assert_int_equal(jcs_sha384(v, d), 0);
	assert_memory_equal(d, w, 48);
	json_decref(v);
}

static void test_strings(void **state)
{
	json_t *s = json_stringn("a\0b\x7f\x1f\t/\xe2\x80\xa8", 10);

	assert_non_null(s);
	{
		char *out;

		assert_int_equal(jcs_serialize(s, &out, NULL), 0);
		/* NUL and 0x1f as \u00xx, DEL and U+2028 as they are */
		assert_string_equal(out, "\"a\\u0000b\x7f\\u001f\\t/\xe2\x80\xa8\"");
		free(out);
	}
	json_decref(s);
	expect_jcs("[\"\\b\\f\\n\\r\\t\\\"\\\\\"]", "[\"\\b\\f\\n\\r\\t\\\"\\\\\"]");
	expect_jcs("{}", "{}");
	expect_jcs("[]", "[]");
	expect_jcs("[{},[[]],{\"a\":[]}]", "[{},[[]],{\"a\":[]}]");
	expect_jcs("{\"b\":1,\"a\":{\"z\":null,\"y\":[1,2.5,-0.0]}}",
		   "{\"a\":{\"y\":[1,2.5,0],\"z\":null},\"b\":1}");
	/* a name that is a prefix of another sorts first */
	expect_jcs("{\"ab\":1,\"a\":2,\"\":3}", "{\"\":3,\"a\":2,\"ab\":1}");
}

static void test_refused(void **state)
{
	static const char *const bad_utf8[] = {
		"\xc0\xaf",		/* overlong '/' */
		"\xed\xa0\x80",		/* surrogate U+D800 */
		"\xf4\x90\x80\x80",	/* > U+10FFFF */
		"\xe2\x82",		/* truncated */
		"\x80",			/* stray continuation */
		"\xff",
	};
	json_t *deep = json_array(), *cur = deep;
	char *out = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		json_t *s = json_stringn_nocheck(bad_utf8[i], strlen(bad_utf8[i]));
		json_t *o = json_object();

		assert_int_equal(jcs_serialize(s, &out, NULL), -EINVAL);
		json_object_set_new_nocheck(o, bad_utf8[i], json_true());
		assert_int_equal(jcs_serialize(o, &out, NULL), -EINVAL);
		json_decref(s);
		json_decref(o);
	}
	for (i = 0; i < JCS_MAX_DEPTH + 1; i++) {
		json_t *n = json_array();

		json_array_append_new(cur, n);
		cur = n;
	}
	assert_int_equal(jcs_serialize(deep, &out, NULL), -ELOOP);
	assert_int_equal(jcs_serialize(NULL, &out, NULL), -EINVAL);
	assert_null(out);
	json_decref(deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc8785_sample),
		cmocka_unit_test(test_rfc8785_sorting),
		cmocka_unit_test(test_rfc8785_numbers),
		cmocka_unit_test(test_number_layout),
		cmocka_unit_test(test_number_refused),
		cmocka_unit_test(test_trustee_vector),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
