// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cvmm-broker serve` options (config.c), and the option errors of
 * `cvmm-broker audit`, which name arguments the same way
 * (config_arg_what()): a store URI typed in the wrong place carries its
 * password, and no message repeats it.
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

#include "broker/audit.h"
#include "broker/config.h"
#include "../machine/stderr_capture.h"

#define SECRET	"hunter2-Zq9"
#define URI	"postgresql://u:" SECRET "@h/db"
#define SERVE_HELP	" (try 'cvmm-broker serve --help')\n"
#define AUDIT_HELP	" (try 'cvmm-broker audit --help')\n"

struct bad_args {
	const char *argv[6];	/* NULL-terminated */
	const char *msg;	/* exactly what is printed */
};

static int argv_of(const char *const *args, char **argv)
{
	int n;

	for (n = 0; args[n]; n++)
		argv[n] = (char *)args[n];
	argv[n] = NULL;
	return n;
}

/* @args fail through @fn with exactly @msg, the password nowhere in it. */
static void check_bad(const struct bad_args *b, int (*fn)(int, char **, void *), void *ctx)
{
	struct capture cap;
	char *argv[8];
	int argc = argv_of(b->argv, argv), ret;

	capture_start(&cap);
	ret = fn(argc, argv, ctx);
	capture_stop(&cap);
	if (strstr(cap.text, SECRET) || strcmp(cap.text, b->msg))
		fail_msg("%s %s: printed \"%s\", expected \"%s\"", b->argv[0], b->argv[1],
			 cap.text, b->msg);
	assert_true(ret != 0 && ret != 1);
}

static int serve_args(int argc, char **argv, void *ctx)
{
	struct serve_config *c = ctx;
	int ret = config_parse_args(argc, argv, c);

	config_free(c);
	return ret;
}

static int audit_args(int argc, char **argv, void *ctx)
{
	return audit_main(argc, argv);
}

static void test_serve_typos(void **state)
{
	static const struct bad_args bad[] = {
		{ { "serve", "--stor=" URI }, "cvmm-broker: --stor: unknown option" SERVE_HELP },
		{ { "serve", "--" URI }, "cvmm-broker: argument 1: unknown option" SERVE_HELP },
		{ { "serve", "--listen", "unix:/s", URI },
		  "cvmm-broker: argument 3: not an option" SERVE_HELP },
		{ { "serve", "--threads", "--store=" URI }, "cvmm-broker: --threads: needs a value\n" },
		{ { "serve", "--kek", "--store=" URI }, "cvmm-broker: --kek: needs a value\n" },
		{ { "serve", "--threads=" URI },
		  "cvmm-broker: --threads: expected a number from 1 to 256\n" },
		{ { "serve", "--insecure-http=" URI },
		  "cvmm-broker: --insecure-http: expected a boolean\n" },
		{ { "serve", "--config", "--store=" URI }, "cvmm-broker: --config: needs a value\n" },
		{ { "serve", "--config", URI },
		  "cvmm-broker: postgresql://u:***@h/db: No such file or directory\n" },
		{ { "serve", "--store" }, "cvmm-broker: --store: needs a value\n" },
	};
	struct serve_config c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad(&bad[i], serve_args, &c);
}

static void test_audit_typos(void **state)
{
	static const struct bad_args bad[] = {
		{ { "audit", "--stre=" URI }, "cvmm-broker: --stre: unknown option" AUDIT_HELP },
		{ { "audit", "--s=" URI }, "cvmm-broker: --s: ambiguous option" AUDIT_HELP },
		{ { "audit", "--" URI }, "cvmm-broker: audit: unknown option" AUDIT_HELP },
		{ { "audit", "-x" }, "cvmm-broker: -x: unknown option" AUDIT_HELP },
		{ { "audit", "--json=" URI }, "cvmm-broker: --json: takes no value\n" },
		{ { "audit", "--limit", "--store=" URI }, "cvmm-broker: --limit: needs a value\n" },
		{ { "audit", "--since", URI }, "cvmm-broker: --since: expected an RFC 3339 time\n" },
		{ { "audit", "--after-id=" URI }, "cvmm-broker: --after-id: expected a number\n" },
		{ { "audit", "--store=sqlite:/nonexistent/db", URI },
		  "cvmm-broker: audit: 1 argument is not an option" AUDIT_HELP },
		{ { "audit", "--store" }, "cvmm-broker: --store: needs a value\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad(&bad[i], audit_args, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve_typos),
		cmocka_unit_test(test_audit_typos),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
