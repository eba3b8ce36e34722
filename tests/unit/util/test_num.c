// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/num.h"

static void test_size_parse(void **state)
{
	uint64_t v;

	assert_int_equal(size_parse("512M", &v), 0);
	assert_int_equal(v, 512ULL << 20);
	assert_int_equal(size_parse("1G", &v), 0);
	assert_int_equal(v, 1ULL << 30);
	assert_int_equal(size_parse("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(size_parse("2GiB", &v), 0);
	assert_int_equal(v, 2ULL << 30);
	assert_int_equal(size_parse("3T", &v), 0);
	assert_int_equal(v, 3ULL << 40);
	assert_int_equal(size_parse("0x1000", &v), 0);
	assert_int_equal(v, 0x1000);
	assert_int_equal(size_parse("12345", &v), 0);
	assert_int_equal(v, 12345);
	assert_int_equal(size_parse("100B", &v), 0);
	assert_int_equal(v, 100);
}

static void test_size_parse_bad(void **state)
{
	uint64_t v = 7;

	assert_int_equal(size_parse("", &v), -EINVAL);
	assert_int_equal(size_parse("M", &v), -EINVAL);
	assert_int_equal(size_parse("12Q", &v), -EINVAL);
	assert_int_equal(size_parse("1G1", &v), -EINVAL);
	assert_int_equal(size_parse("-1", &v), -EINVAL);
	assert_int_equal(size_parse(" 1", &v), -EINVAL);
	assert_int_equal(size_parse("0x", &v), -EINVAL);
	assert_int_equal(size_parse("16777216T", &v), -ERANGE);
	assert_int_equal(size_parse("99999999999999999999", &v), -ERANGE);
	assert_int_equal(size_parse(NULL, &v), -EINVAL);
	assert_int_equal(v, 7);
}

static void test_size_format(void **state)
{
	char buf[32];

	size_format(512ULL << 20, buf, sizeof(buf));
	assert_string_equal(buf, "512M");
	size_format(1ULL << 30, buf, sizeof(buf));
	assert_string_equal(buf, "1G");
	size_format(4097, buf, sizeof(buf));
	assert_string_equal(buf, "4097");
	size_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
}

static void test_num_parse(void **state)
{
	uint64_t v;

	assert_int_equal(num_parse_u64("0x30000", &v), 0);
	assert_int_equal(v, 0x30000);
	assert_int_equal(num_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(num_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(num_parse_u64("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(num_parse_u64("12k", &v), -EINVAL);
}

static void test_bool_parse(void **state)
{
	bool b;

	assert_int_equal(bool_parse("on", &b), 0);
	assert_true(b);
	assert_int_equal(bool_parse("OFF", &b), 0);
	assert_false(b);
	assert_int_equal(bool_parse("true", &b), 0);
	assert_true(b);
	assert_int_equal(bool_parse("maybe", &b), -EINVAL);
}

static void test_hex(void **state)
{
	uint8_t buf[4];
	char s[9];

	assert_int_equal(hex_decode("deadBEEF", buf, 4), 0);
	assert_int_equal(buf[0], 0xde);
	assert_int_equal(buf[3], 0xef);
	assert_int_equal(hex_decode("0xdeadbeef", buf, 4), 0);
	assert_int_equal(hex_decode("deadbee", buf, 4), -EINVAL);
	assert_int_equal(hex_decode("deadbeefaa", buf, 4), -EINVAL);
	assert_int_equal(hex_decode("deadbeeg", buf, 4), -EINVAL);
	hex_encode(buf, 4, s);
	assert_string_equal(s, "deadbeef");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_parse),
		cmocka_unit_test(test_size_parse_bad),
		cmocka_unit_test(test_size_format),
		cmocka_unit_test(test_num_parse),
		cmocka_unit_test(test_bool_parse),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
