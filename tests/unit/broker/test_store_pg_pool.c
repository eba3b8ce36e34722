// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PostgreSQL connections (store_pg_pool.c) and the store's copy of its
 * URI (store_pg.c): libpq's connection errors are redacted before they are
 * put on one line, and the URI is wiped before its memory is freed, when
 * the store fails to open and when it is closed.  Needs no server; with
 * CVMM_TEST_PG_URI set (tests/broker/pgcluster.py run -- …) the close of
 * an open store is checked too.
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
#include "freed_secret.h"

#define SECRET	"hunter2-Zq9"

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

/* A store that cannot connect frees its copy of the URI wiped. */
static void test_uri_wiped_when_open_fails(void **state)
{
	struct err_msg why;
	struct store *st;

	freed_secret_watch(SECRET);
	assert_int_not_equal(store_open("postgresql://u:" SECRET "@%2Fnonexistent/db",
					&st, &why), 0);
	assert_null(strstr(why.msg, SECRET));
	assert_int_equal(freed_secret_hits(), 0);
	freed_secret_watch(NULL);
}

/* With a server: the URI of an open store is wiped when it is closed. */
static void test_uri_wiped_when_closed(void **state)
{
	const char *base = getenv("CVMM_TEST_PG_URI");
	struct err_msg why;
	struct store *st;
	char uri[1024];

	if (!base || !*base) {
		skip();
		return;
	}
	/* the test cluster trusts local connections: the password is never sent */
	snprintf(uri, sizeof(uri), "%s%spassword=%s", base, strchr(base, '?') ? "&" : "?",
		 SECRET);
	freed_secret_watch(SECRET);
	if (store_open(uri, &st, &why))
		fail_msg("%s", why.msg);
	store_close(st);
	assert_int_equal(freed_secret_hits(), 0);
	freed_secret_watch(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_connect_msg_redacted_whole),
		cmocka_unit_test(test_uri_wiped_when_open_fails),
		cmocka_unit_test(test_uri_wiped_when_closed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
