// SPDX-License-Identifier: GPL-2.0-only
/* --seccomp, --landlock, --user taken out of a VMM command's argv (src/sandbox/opts.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/sandbox.h"

/* as the program started (the sanitizer builds default to --seccomp log) */
static struct sandbox_opts defaults;

static int setup(void **state)
{
	(void)state;
	sandbox_opts = defaults;
	return 0;
}

/* Take from a copy of @in (NULL-terminated); the rest, joined by spaces, in @rest. */
static int take(const char *const *in, char *rest, size_t len)
{
	char *argv[32];
	int argc = 0, ret, i;

	while (in[argc]) {
		argv[argc] = (char *)in[argc];
		argc++;
	}
	argv[argc] = NULL;
	ret = sandbox_opts_take(&argc, argv);
	rest[0] = '\0';
	for (i = 0; i < argc && !ret; i++) {
		strncat(rest, argv[i], len - strlen(rest) - 1);
		if (i + 1 < argc)
			strncat(rest, " ", len - strlen(rest) - 1);
	}
	assert_null(argv[argc]);
	return ret;
}

static void test_defaults_untouched(void **state)
{
	const char *in[] = { "boot", "--kernel", "k", "-v", NULL };
	char rest[256];

	(void)state;
	assert_false(defaults.enabled);		/* a library caller is not sandboxed */
	assert_int_equal(take(in, rest, sizeof(rest)), 0);
	assert_true(sandbox_opts.enabled);	/* a VMM command is */
	assert_string_equal(rest, "boot --kernel k -v");
	assert_int_equal(sandbox_opts.seccomp, defaults.seccomp);
	assert_true(sandbox_opts.landlock);
	assert_false(sandbox_opts.landlock_set);
	assert_false(sandbox_opts.have_user);
}

static void test_taken(void **state)
{
	const char *in[] = { "boot", "--seccomp", "log", "--kernel", "k", "--landlock=off",
			     "--user", "1000:100", NULL };
	char rest[256];

	(void)state;
	assert_int_equal(take(in, rest, sizeof(rest)), 0);
	assert_string_equal(rest, "boot --kernel k");
	assert_int_equal(sandbox_opts.seccomp, SANDBOX_SECCOMP_LOG);
	assert_false(sandbox_opts.landlock);
	assert_true(sandbox_opts.landlock_set);
	assert_true(sandbox_opts.have_user);
	assert_int_equal(sandbox_opts.uid, 1000);
	assert_int_equal(sandbox_opts.gid, 100);
}

static void test_names(void **state)
{
	const char *in[] = { "boot", "--seccomp=off", "--user=root:root", NULL };
	char rest[256];

	(void)state;
	assert_int_equal(take(in, rest, sizeof(rest)), 0);
	assert_string_equal(rest, "boot");
	assert_int_equal(sandbox_opts.seccomp, SANDBOX_SECCOMP_OFF);
	assert_int_equal(sandbox_opts.uid, 0);
	assert_int_equal(sandbox_opts.gid, 0);
}

static void test_after_dashdash(void **state)
{
	const char *in[] = { "boot", "--", "--seccomp", "off", NULL };
	char rest[256];

	(void)state;
	assert_int_equal(take(in, rest, sizeof(rest)), 0);
	assert_string_equal(rest, "boot -- --seccomp off");
	assert_int_equal(sandbox_opts.seccomp, defaults.seccomp);
}

static void test_not_a_prefix(void **state)
{
	const char *in[] = { "boot", "--seccompx", "--users", NULL };
	char rest[256];

	(void)state;
	assert_int_equal(take(in, rest, sizeof(rest)), 0);
	assert_string_equal(rest, "boot --seccompx --users");
}

static void test_refused(void **state)
{
	const char *bad[][4] = {
		{ "boot", "--seccomp", "yes", NULL },
		{ "boot", "--seccomp", NULL },
		{ "boot", "--landlock", "maybe", NULL },
		{ "boot", "--user", "1000", NULL },
		{ "boot", "--user", ":1", NULL },
		{ "boot", "--user", "1:", NULL },
		{ "boot", "--user", "no-such-user-xyz:1", NULL },
		{ "boot", "--user", "1:no-such-group-xyz", NULL },
	};
	char rest[256];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(take(bad[i], rest, sizeof(rest)), -22);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults_untouched, setup),
		cmocka_unit_test_setup(test_taken, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_after_dashdash, setup),
		cmocka_unit_test_setup(test_not_a_prefix, setup),
		cmocka_unit_test_setup(test_refused, setup),
	};

	defaults = sandbox_opts;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
