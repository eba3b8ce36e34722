// SPDX-License-Identifier: GPL-2.0-only
/* --seccomp, --landlock, --user, --jail: the sandbox's option rows (src/sandbox/opts.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "sandbox/sandbox.h"
#include "util/args.h"
#include "util/log.h"

/* as the program started (the sanitizer builds default to --seccomp log) */
static struct sandbox_opts defaults;

static int setup(void **state)
{
	(void)state;
	sandbox_opts = defaults;
	return 0;
}

static const struct arg_group groups[] = {
	{ "sandbox options", sandbox_arg_opts },
	{ "jail", sandbox_jail_opts },
	{ NULL, NULL },
};

static int option(void *ctx, const struct arg_opt *o, const char *value)
{
	(void)ctx;
	return sandbox_opt_apply(o->id, value);
}

/* args_parse() over the rows, as cvmm boot does; 0 or -EINVAL */
static int parse(const char *const *in)
{
	struct args_parser p = { .cmd = "boot", .groups = groups, .option = option };
	char *argv[32];
	int argc = 0, ret;

	while (in[argc]) {
		argv[argc] = (char *)in[argc];
		argc++;
	}
	argv[argc] = NULL;
	ret = args_parse(&p, argc, argv);
	log_usage_end();
	return ret;
}

static void test_defaults(void **state)
{
	(void)state;
	assert_false(defaults.enabled);		/* a library caller is not sandboxed */
	assert_true(defaults.landlock);
	assert_false(defaults.landlock_set);
	assert_false(defaults.have_user);
	assert_false(defaults.jail);
	sandbox_enable();
	assert_true(sandbox_opts.enabled);	/* a VMM command is */
}

static void test_taken(void **state)
{
	const char *in[] = { "boot", "--seccomp", "log", "--landlock=off", "--user", "1000:100",
			     "--jail", NULL };

	(void)state;
	assert_int_equal(parse(in), 0);
	assert_int_equal(sandbox_opts.seccomp, SANDBOX_SECCOMP_LOG);
	assert_false(sandbox_opts.landlock);
	assert_true(sandbox_opts.landlock_set);
	assert_true(sandbox_opts.have_user);
	assert_int_equal(sandbox_opts.uid, 1000);
	assert_int_equal(sandbox_opts.gid, 100);
	assert_true(sandbox_opts.jail);
}

static void test_names(void **state)
{
	const char *in[] = { "boot", "--seccomp=off", "--user=root:root", NULL };

	(void)state;
	assert_int_equal(parse(in), 0);
	assert_int_equal(sandbox_opts.seccomp, SANDBOX_SECCOMP_OFF);
	assert_true(sandbox_opts.have_user);
	assert_int_equal(sandbox_opts.uid, 0);
	assert_int_equal(sandbox_opts.gid, 0);
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
		{ "boot", "--jail=yes", NULL },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sandbox_opts = defaults;
		assert_int_equal(parse(bad[i]), -EINVAL);
		assert_false(sandbox_opts.have_user);
	}
	assert_int_equal(sandbox_opt_apply(0x1234, "on"), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults, setup),
		cmocka_unit_test_setup(test_taken, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_refused, setup),
	};

	defaults = sandbox_opts;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
