// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PostgreSQL connections (store_pg_pool.c): libpq's connection errors
 * are redacted before they are put on one line.  Needs no server.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "broker/store.h"
#include "util/err.h"

/*
 * A password with a line break in it, percent-encoded, and a raw '@' that
 * makes libpq read its end as the port: libpq quotes that piece decoded,
 * across the line break, which joining the lines ("4\n\t2x" -> "4; 2x")
 * would hide from the redaction.
 */
static void test_connect_msg_redacted_whole(void **state)
{
	static const char *const uris[] = {
		"postgresql://u:pw@db:4%0A2x@db/x",
		"postgresql://u:pw@db:42%0A%09x@db/x",
		"postgresql://u:pw@db:4%0A%0A2x@db/x",
	};
	struct err_msg why;
	struct store *st;
	size_t i;

	for (i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		why.msg[0] = 0;
		assert_int_not_equal(store_open(uris[i], &st, &why), 0);
		if (strstr(why.msg, "2x") || strstr(why.msg, "; x") || !strstr(why.msg, "***"))
			fail_msg("%s: %s", uris[i], why.msg);
		assert_non_null(strstr(why.msg, "for connection option \"port\""));
		assert_null(strchr(why.msg, '\n'));	/* still one line */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_msg_redacted_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
