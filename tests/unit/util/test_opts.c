// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/log.h"
#include "util/opts.h"

static int setup(void **state)
{
	log_level = LOG_QUIET;	/* errors still print, warnings do not */
	return 0;
}

static void test_kind_and_keys(void **state)
{
	struct opts o;
	uint64_t policy = 0;

	assert_int_equal(opts_parse(&o, "--coco", "snp,policy=0x30000"), 0);
	assert_string_equal(opts_kind(&o), "snp");
	assert_int_equal(opts_get_u64(&o, "policy", &policy), 1);
	assert_int_equal(policy, 0x30000);
	assert_int_equal(opts_finish(&o), 0);
	opts_free(&o);
}

static void test_typed(void **state)
{
	struct opts o;
	uint64_t size = 0, missing = 42;
	bool shared = false;

	assert_int_equal(opts_parse(&o, "--memory", "size=1G,backend=memfd,shared=on"), 0);
	assert_null(opts_kind(&o));
	assert_int_equal(opts_get_size(&o, "size", &size), 1);
	assert_int_equal(size, 1ULL << 30);
	assert_string_equal(opts_get(&o, "backend"), "memfd");
	assert_int_equal(opts_get_bool(&o, "shared", &shared), 1);
	assert_true(shared);
	assert_int_equal(opts_get_size(&o, "nothere", &missing), 0);
	assert_int_equal(missing, 42);
	assert_int_equal(opts_finish(&o), 0);
	opts_free(&o);
}

static void test_unknown_is_error(void **state)
{
	struct opts o;
	uint64_t v;

	assert_int_equal(opts_parse(&o, "--cpu", "count=2,cuont=3"), 0);
	assert_int_equal(opts_get_u64(&o, "count", &v), 1);
	assert_int_equal(opts_finish(&o), -EINVAL);
	opts_free(&o);
}

static void test_malformed_values(void **state)
{
	struct opts o;
	uint64_t v;
	bool b;

	assert_int_equal(opts_parse(&o, "--memory", "size=12Q,shared=perhaps"), 0);
	assert_int_equal(opts_get_size(&o, "size", &v), -EINVAL);
	assert_int_equal(opts_get_bool(&o, "shared", &b), -EINVAL);
	opts_free(&o);
	assert_int_equal(opts_parse(&o, "--memory", "size=1G,,"), 0);
	/* ",," is a literal comma inside the value */
	assert_string_equal(opts_get(&o, "size"), "1G,");
	opts_free(&o);
	assert_int_equal(opts_parse(&o, "--memory", "size=1G,,x,=3"), -EINVAL);
	assert_int_equal(opts_parse(&o, "--memory", "a,,,b"), 0);
	opts_free(&o);
	assert_int_equal(opts_parse(&o, "--memory", "a,,b,"), -EINVAL);
}

static void test_words(void **state)
{
	struct opts o;
	const char *w;
	uint64_t v;
	int n = 0;

	assert_int_equal(opts_parse(&o, "--cpu", "count=2,-cx16,+xsaveerptr"), 0);
	assert_int_equal(opts_get_u64(&o, "count", &v), 1);
	while ((w = opts_next_word(&o))) {
		assert_true(w[0] == '-' || w[0] == '+');
		n++;
	}
	assert_int_equal(n, 2);
	assert_int_equal(opts_finish(&o), 0);
	opts_free(&o);
}

static void test_empty(void **state)
{
	struct opts o;

	assert_int_equal(opts_parse(&o, "--x", ""), 0);
	assert_null(opts_kind(&o));
	assert_int_equal(opts_finish(&o), 0);
	opts_free(&o);
	assert_int_equal(opts_parse(&o, "--x", ","), -EINVAL);
	assert_int_equal(opts_parse(&o, "--x", "=v"), -EINVAL);
}

static void test_hex_value(void **state)
{
	struct opts o;
	uint8_t d[4];

	assert_int_equal(opts_parse(&o, "--coco", "snp,host-data=0a0b0c0d,bad=zz"), 0);
	assert_int_equal(opts_get_hex(&o, "host-data", d, 4), 1);
	assert_int_equal(d[3], 0x0d);
	assert_int_equal(opts_get_hex(&o, "bad", d, 1), -EINVAL);
	opts_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_and_keys),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_unknown_is_error),
		cmocka_unit_test(test_malformed_values),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_hex_value),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
