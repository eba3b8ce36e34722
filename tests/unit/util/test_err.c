// SPDX-License-Identifier: GPL-2.0-only
/* util/err: the parsers' error message. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/err.h"

static void test_set_and_fail(void **state)
{
	struct err_msg e = { "old" };

	err_set(&e, "offset 0x%x: %s", 0x40, "truncated digest");
	assert_string_equal(e.msg, "offset 0x40: truncated digest");
	assert_int_equal(err_fail(&e, -EPROTONOSUPPORT, "version %d", 7), -EPROTONOSUPPORT);
	assert_string_equal(e.msg, "version 7");
	/* the caller may not want the reason */
	err_set(NULL, "ignored %d", 1);
	err_prefix(NULL, "ignored");
	assert_int_equal(err_fail(NULL, -EINVAL, "ignored"), -EINVAL);
}

static void test_prefix(void **state)
{
	struct err_msg e;

	err_set(&e, "unknown key \"%s\"", "alow_debug");
	err_prefix(&e, "policy");
	assert_string_equal(e.msg, "policy: unknown key \"alow_debug\"");
	err_prefix(&e, "%s line %d", "resource", 3);
	assert_string_equal(e.msg, "resource line 3: policy: unknown key \"alow_debug\"");
	err_set(&e, "%s", "");
	err_prefix(&e, "empty");
	assert_string_equal(e.msg, "empty: ");
}

/* A longer message is cut, never overflows, always ends in NUL. */
static void test_truncation(void **state)
{
	char big[3 * ERR_MSG_LEN];
	struct err_msg e;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	err_set(&e, "%s", big);
	assert_int_equal(strlen(e.msg), ERR_MSG_LEN - 1);
	err_set(&e, "%s", big + 2 * ERR_MSG_LEN - 10);
	err_prefix(&e, "%s", big);
	assert_int_equal(strlen(e.msg), ERR_MSG_LEN - 1);
	err_set(&e, "tail");
	err_prefix(&e, "%.*s", ERR_MSG_LEN - 9, big);
	assert_int_equal(strlen(e.msg), ERR_MSG_LEN - 3);
	assert_string_equal(e.msg + ERR_MSG_LEN - 9, ": tail");
	err_set(&e, "tail");
	err_prefix(&e, "%.*s", ERR_MSG_LEN - 4, big);
	assert_string_equal(e.msg + ERR_MSG_LEN - 4, ": t");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_fail),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
