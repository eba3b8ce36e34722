/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_ARGS_H
#define CVMM_UTIL_ARGS_H

#include <stdbool.h>
#include <stdio.h>

/*
 * The command line of every cvmm command, from tables.  A command
 * describes its options as groups of struct arg_opt rows (one row per
 * option: its long and short name, whether it takes a value, the value's
 * syntax and a help text); args_parse() walks argv with them and calls
 * the command back once per option and per positional argument.  The
 * same rows give --help (args_print_help()), the man page and the lists
 * the bash completion and the usage-error tests read
 * (args_print_list()), so an option exists in one place.
 *
 * Every usage error is one line "cvmm <cmd>: <option as typed>: <why>"
 * (util/log.h's usage mode, on for the whole parse) and makes the command
 * exit with ARGS_EXIT_USAGE:
 *   unknown option        "cvmm boot: --memroy: unknown option; did you mean --memory?"
 *   missing value         "cvmm boot: --kernel: needs a value (PATH)"
 *   value not wanted      "cvmm boot: --dry-run=yes: takes no value"
 *   unexpected argument   "cvmm boot: vmlinuz: unexpected argument (...)"
 * and whatever the command's callbacks print (they name the option with
 * its canonical "--name"; the log shows it as typed).
 *
 * Long options match exactly ("--mem" is not "--memory": adding an option
 * never makes an old spelling ambiguous); "--name=VALUE" and "--name
 * VALUE" are the same; short options cluster ("-vv", "-m512M" is "-m
 * 512M"); "--" ends the options.  Options and positional arguments mix.
 */

#define ARGS_EXIT_USAGE		2

enum arg_kind {
	ARG_NONE,		/* --flag */
	ARG_REQUIRED,		/* --flag VALUE, --flag=VALUE */
	ARG_OPTIONAL,		/* --flag, --flag=VALUE (never the next word) */
};

/* struct arg_opt.flags */
#define ARG_BOOT_ONLY	(1u << 0)	/* machine option that is not part of a launch
					   measurement: `cvmm measure` refuses it */
#define ARG_HIDDEN	(1u << 1)	/* not in --help or the man page (benchmarks) */

/* Ids args_parse() handles itself (args_common_opts[]). */
enum {
	ARG_ID_HELP = -100,	/* -h, --help: args_parse() returns ARGS_HELP */
	ARG_ID_VERBOSE,		/* -v: one more level of log_level, up to debug */
	ARG_ID_QUIET,		/* -q: errors only */
};

struct arg_opt {
	const char *name;	/* long name without "--"; NULL ends a table */
	char short_name;	/* 0: none */
	enum arg_kind kind;
	int id;			/* handed to the command's callback */
	const char *value;	/* the value's syntax ("PATH", "size=N[K|M|G]"); help text */
	const char *help;	/* what it does; '\n' between lines */
	unsigned int flags;
};

/* The end of a table of struct arg_opt. */
#define ARG_END		{ NULL, 0, ARG_NONE, 0, NULL, NULL, 0 }

struct arg_group {
	const char *title;	/* NULL ends the list */
	const struct arg_opt *opts;
};

/* -h/--help, -v/--verbose, -q/--quiet */
extern const struct arg_opt args_common_opts[];
/* -h/--help only */
extern const struct arg_opt args_help_opt[];

struct args_parser {
	const char *cmd;		/* "boot", "verify": the messages' "cvmm <cmd>" */
	const struct arg_group *groups;	/* NULL: no options (the printers take NULL too) */
	/* Apply one option; 0, or negative errno after one log_err() line. */
	int (*option)(void *ctx, const struct arg_opt *o, const char *value);
	/* One positional argument; NULL: the command takes none. */
	int (*positional)(void *ctx, const char *arg);
	void *ctx;
};

#define ARGS_HELP	1

/*
 * Parse argv[1..argc-1] (argv[0] is the command's name).  Returns 0,
 * ARGS_HELP when -h/--help was given (nothing after it is read), or
 * -EINVAL after one usage line.  Leaves util/log.h's usage mode on: the
 * command's own checks after parsing are usage errors too, until it calls
 * log_usage_end().
 */
int args_parse(const struct args_parser *p, int argc, char **argv);

/*
 * The value of long option @name (without "--") in argv[1..argc-1], read
 * the way args_parse() reads it (a value that is another option's is not
 * one; the last one given wins), without calling anything or printing;
 * NULL if it is not given, or after an argument args_parse() would refuse.
 * For an option that must be read before the others (cvmm boot --config).
 */
const char *args_value(const struct arg_group *groups, int argc, char **argv,
		       const char *name);

/*
 * CVMM_ARGS_ONLY=1 in the environment: a command stops after reading and
 * checking its arguments and exits 0, doing nothing (tests/docs checks
 * every cvmm command line of the documentation this way).
 */
bool args_only(void);

/* The row of long option @name (without "--") in @groups, or NULL. */
const struct arg_opt *args_find(const struct arg_group *groups, const char *name);
/* The closest long option to the mistyped @name, or NULL. */
const char *args_suggest(const struct arg_group *groups, const char *name);

/* "  -m, --memory size=N    guest RAM" lines, by group. */
void args_print_help(FILE *f, const struct arg_group *groups);
/*
 * One line per visible option: "--name<TAB>none|required|optional<TAB>
 * VALUE<TAB>-x<TAB>boot-only" (short name or "-"; ARG_BOOT_ONLY or "-"),
 * for completion and tests.
 */
void args_print_list(FILE *f, const struct arg_group *groups);
/* The options as man(7) .TP paragraphs, by group (an italic title each). */
void args_print_man(FILE *f, const struct arg_group *groups);

#endif
