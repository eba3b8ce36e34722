/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_CLI_H
#define CVMM_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "util/args.h"

/*
 * One file per subcommand.  Each takes the arguments after "cvmm"
 * (argv[0] is the subcommand's name) and returns the process exit status:
 * ARGS_EXIT_USAGE (2) for every usage error (util/args.h), 1 when the
 * work could not be done, 0 on success (boot: its own statuses).
 *
 * A new subcommand plugs in with:
 *   1. src/cli/<name>.c: int cmd_<name>(int argc, char **argv), its
 *      options as struct arg_opt rows in a NULL-titled
 *      `const struct arg_group <name>_groups[]` (add args_common_opts or
 *      args_help_opt), parsed with args_parse(); ARGS_HELP prints its
 *      usage to stdout and returns 0; a parse error or a failed check
 *      before log_usage_end() returns ARGS_EXIT_USAGE;
 *   2. its declarations below and one row of cli_commands[] in
 *      src/cli/commands.c (name, function, one-line summary, groups,
 *      synopsis): `cvmm --help`, `cvmm help <name>`, "did you mean",
 *      the man page, bash completion and the usage-error test
 *      (tests/unit/cli/usage_check.py, which then wants a row for each
 *      of its value-taking options) pick it up from there;
 *   3. the file in src/cli/meson.build.
 */
int cmd_boot(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_host_check(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_simca(int argc, char **argv);
int cmd_api(int argc, char **argv);
int cmd_ctl(int argc, char **argv);

extern const struct arg_group boot_groups[];
extern const struct arg_group measure_groups[];
extern const struct arg_group verify_groups[];
extern const struct arg_group host_check_groups[];
extern const struct arg_group help_groups[];
extern const struct arg_group api_groups[];
extern const struct arg_group ctl_groups[];
extern const struct arg_group simca_groups[];

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;		/* one line, for `cvmm --help` */
	const struct arg_group *groups;	/* its options */
	const char *synopsis;		/* after "cvmm <name> " */
};

extern const struct cli_command cli_commands[];	/* ends with a NULL name */

/* The row of command @name, or NULL. */
const struct cli_command *cli_command_find(const char *name);
/* "<name>: unknown command; did you mean ...?" (usage mode); -EINVAL. */
int cli_unknown_command(const char *name);
/* `cvmm --help`: usage and the command list. */
void cli_print_commands(FILE *f);
/* `cvmm --version`: version and build features. */
void cli_print_version(FILE *f);

/*
 * Serve the control API on @socket with the VM @cfg booted at once (cvmm
 * boot --api-socket), or with none (NULL: cvmm api); cli/api.c.
 */
struct vm_config;
int cli_serve_api(struct vm_config *cfg, const char *socket, bool dry_run);

#endif
