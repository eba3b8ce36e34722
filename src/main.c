// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm - a virtual machine monitor for confidential guests on Linux/KVM.
 * The subcommands are the rows of cli_commands[] (src/cli/commands.c).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#ifdef CVMM_STATIC_LIBC
#include <nss.h>
#endif

#include "cli/cli.h"
#include "util/log.h"

/*
 * Process-wide set-up before any command runs.
 *
 * A static cvmm (-Dstatic_libc, the default) cannot load NSS modules: glibc
 * would dlopen() libnss_systemd.so & co. with a second libc that does not
 * work in a static process.  User and group names (--user) therefore come
 * from /etc/passwd and /etc/group only, glibc's built-in "files" service;
 * numeric ids always work (docs/startup.md).
 *
 * glibc's malloc is left at its defaults: no top pad and a lower trim
 * threshold gave back 90-210 KiB of heap but cost ~20 page faults and
 * measurable CPU time per boot in trim and regrow (docs/startup.md).
 */
static void process_init(void)
{
#ifdef CVMM_STATIC_LIBC
	__nss_configure_lookup("passwd", "files");
	__nss_configure_lookup("group", "files");
#endif
}

int main(int argc, char **argv)
{
	const struct cli_command *c;
	const char *arg = argc > 1 ? argv[1] : NULL;

	process_init();

	/*
	 * A reader that went away (`cvmm boot | head`) is EPIPE on write, not
	 * a signal that kills cvmm with the terminal left in raw mode.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (!arg) {
		cli_print_commands(stderr);
		return ARGS_EXIT_USAGE;
	}
	if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
		cli_print_commands(stdout);
		return 0;
	}
	if (!strcmp(arg, "-V") || !strcmp(arg, "--version") || !strcmp(arg, "version")) {
		cli_print_version(stdout);
		return 0;
	}
	c = cli_command_find(arg);
	if (c)
		return c->run(argc - 1, argv + 1);
	log_usage_begin("");
	if (arg[0] == '-')
		log_err(arg, "unknown option: cvmm takes a command first (see 'cvmm --help')");
	else
		cli_unknown_command(arg);
	log_usage_end();
	return ARGS_EXIT_USAGE;
}
