// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cvmm-broker serve` options and its --config file (config.c), and the
 * option errors of `cvmm-broker audit`, which name arguments the same way
 * (config_arg_what()): a store URI typed in the wrong place carries its
 * password, and no message repeats it; a '#' inside a value is the
 * value's; the URI is wiped before its memory is freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "broker/audit.h"
#include "broker/config.h"
#include "../machine/stderr_capture.h"
#include "freed_secret.h"

#define SECRET	"hunter2-Zq9"
#define URI	"postgresql://u:" SECRET "@h/db"
#define SERVE_HELP	" (try 'cvmm-broker serve --help')\n"
#define AUDIT_HELP	" (try 'cvmm-broker audit --help')\n"

static char dir[] = "/tmp/cvmm-broker-config-XXXXXX";

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

/* A config file @name in the test's directory holding @text; its path in @path. */
static void write_conf(const char *name, const char *text, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* serve --config @text [extra]: the result, what it printed in @cap. */
static int parse_conf(const char *text, const char *extra, struct serve_config *c,
		      struct capture *cap)
{
	char path[256];
	char *argv[] = { (char *)"serve", (char *)"--config", path, (char *)extra, NULL };
	int ret;

	write_conf("broker.conf", text, path, sizeof(path));
	capture_start(cap);
	ret = config_parse_args(extra ? 4 : 3, argv, c);
	capture_stop(cap);
	return ret;
}

/* '#' starts a comment at the start of a line or after a space or tab only. */
static void test_file_comments(void **state)
{
	struct serve_config c;
	struct capture cap;

	assert_int_equal(parse_conf("store = postgresql://u:ab#cd@h/db\n", NULL, &c, &cap), 0);
	assert_string_equal(cap.text, "");
	assert_string_equal(c.store, "postgresql://u:ab#cd@h/db");
	config_free(&c);
	assert_int_equal(parse_conf("# a comment line\n"
				    "   # an indented one\n"
				    "#threads = 2\n"
				    "threads = 8 # after a space\n"
				    "timeout = 9\t# after a tab\n"
				    "listen=unix:/run/b#1   # a socket\n"
				    "store postgresql:///db?password=p#w\n"
				    "insecure-http  # a bare flag\n", NULL, &c, &cap), 0);
	assert_string_equal(cap.text, "");
	assert_int_equal(c.threads, 8);
	assert_int_equal(c.timeout_s, 9);
	assert_string_equal(c.listen, "unix:/run/b#1");
	assert_string_equal(c.store, "postgresql:///db?password=p#w");
	assert_true(c.insecure_http);
	config_free(&c);
	/* glued to a number it is the number's: refused, not cut */
	assert_int_not_equal(parse_conf("threads = 8#9\n", NULL, &c, &cap), 0);
	assert_non_null(strstr(cap.text, "broker.conf:1: --threads: expected a number"));
	config_free(&c);
}

/* A line that is not "name = value" is named by its number, not quoted. */
static void test_file_bad_lines(void **state)
{
	struct serve_config c;
	struct capture cap;
	char want[512];

	/* blank lines count */
	assert_int_not_equal(parse_conf("threads = 2\n\n\n" URI "?sslmode\n", NULL, &c, &cap),
			     0);
	snprintf(want, sizeof(want), "cvmm-broker: %s/broker.conf:4: not an option line "
		 "(expected \"name = value\")\n", dir);
	assert_string_equal(cap.text, want);
	config_free(&c);
	assert_int_not_equal(parse_conf("stroe = " URI "\n", NULL, &c, &cap), 0);
	snprintf(want, sizeof(want), "cvmm-broker: %s/broker.conf:1: unknown option \"stroe\"\n",
		 dir);
	assert_string_equal(cap.text, want);
	config_free(&c);
	assert_int_not_equal(parse_conf("store:" URI "\n", NULL, &c, &cap), 0);
	assert_non_null(strstr(cap.text, "broker.conf:1: not an option line"));
	assert_null(strstr(cap.text, SECRET));
	config_free(&c);
	assert_int_not_equal(parse_conf("threads = " URI "\n", NULL, &c, &cap), 0);
	assert_null(strstr(cap.text, SECRET));
	config_free(&c);
}

/* The store URI, from the file and the command line, is wiped before it is freed. */
static void test_uri_wiped(void **state)
{
	struct serve_config c;
	struct capture cap;

	freed_secret_watch(SECRET);
	/* the file's value, replaced by the command line's, and the file's text */
	assert_int_equal(parse_conf("store = " URI "\n", "--store=" URI "2", &c, &cap), 0);
	assert_string_equal(c.store, URI "2");
	config_free(&c);
	assert_int_equal(freed_secret_hits(), 0);
	freed_secret_watch(NULL);
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[300];

	snprintf(path, sizeof(path), "%s/broker.conf", dir);
	unlink(path);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve_typos),
		cmocka_unit_test(test_audit_typos),
		cmocka_unit_test(test_file_comments),
		cmocka_unit_test(test_file_bad_lines),
		cmocka_unit_test(test_uri_wiped),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
