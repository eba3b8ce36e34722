// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm help [COMMAND]: the command list, one command's --help, and what
 * is generated from the option tables: the option lists bash completion
 * and the usage-error test read (--list), the man page (--man).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"
#include "util/suggest.h"

enum {
	OPT_LIST = 0x200,
	OPT_MAN,
	OPT_COMMANDS,
};

static const struct arg_opt help_opts[] = {
	{ "list", 0, ARG_NONE, OPT_LIST, NULL,
	  "the options of COMMAND, one per line: --name, none|required|optional,\n"
	  "the value's syntax, the short name, boot-only (for completion and tests)", 0 },
	{ "commands", 0, ARG_NONE, OPT_COMMANDS, NULL, "the command names, one per line", 0 },
	{ "man", 0, ARG_NONE, OPT_MAN, NULL, "the cvmm(1) man page (man(7) source)", 0 },
	ARG_END,
};

const struct arg_group help_groups[] = {
	{ "help options", help_opts },
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

struct help_args {
	int what;		/* 0, OPT_LIST, OPT_MAN, OPT_COMMANDS */
	const char *command;
};

static int help_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct help_args *a = ctx;

	a->what = o->id;
	return 0;
}

static int help_positional(void *ctx, const char *arg)
{
	struct help_args *a = ctx;

	if (a->command) {
		log_err(arg, "unexpected argument: one COMMAND at most");
		return -EINVAL;
	}
	a->command = arg;
	return 0;
}

/* "cvmm help: bootx: unknown command; did you mean boot?" */
int cli_unknown_command(const char *name)
{
	const struct cli_command *c;
	struct suggest s;

	suggest_init(&s, name);
	for (c = cli_commands; c->name; c++)
		suggest_add(&s, c->name);
	if (suggest_best(&s))
		log_err(name, "unknown command; did you mean %s?", suggest_best(&s));
	else
		log_err(name, "unknown command (see 'cvmm --help')");
	return -EINVAL;
}

#ifndef CVMM_VERSION
#define CVMM_VERSION "0.1.0"
#endif

static const char man_head[] =
".TH CVMM 1 \"\" \"cvmm " CVMM_VERSION "\" \"User Commands\"\n"
".SH NAME\n"
"cvmm \\- a virtual machine monitor for confidential guests on Linux/KVM\n"
".SH SYNOPSIS\n";

static const char man_desc[] =
".SH DESCRIPTION\n"
"cvmm boots virtual machines on KVM, confidential ones (AMD SEV, SEV\\-ES,\n"
"SEV\\-SNP, Intel TDX) included; computes the launch measurement such a\n"
"launch produces (\\fBmeasure\\fR), which \\fBboot \\-\\-dry\\-run\\fR shows\n"
"the simulated platform agrees with; verifies the attestation evidence the\n"
"guest produces (\\fBverify\\fR); checks what this host offers\n"
"(\\fBhost\\-check\\fR); and serves a control API for Kata Containers\n"
"(\\fBapi\\fR, \\fBboot \\-\\-api\\-socket\\fR), which \\fBctl\\fR drives.\n"
".PP\n"
"Sub\\-options are written key=value,key=value; a literal comma in a value\n"
"is written ,, (as in QEMU).\n";

static const char man_tail[] =
".SH EXIT STATUS\n"
"0 success; 1 the work could not be done (for \\fBboot\\fR: the VM could\n"
"not be set up or run; for \\fBverify\\fR: the evidence or policy was\n"
"rejected); 2 a usage error, reported as one line\n"
"\\fBcvmm\\fR \\fIcommand\\fR\\fB:\\fR \\fIoption\\fR\\fB:\\fR \\fIwhy\\fR.\n"
"\\fBboot\\fR also exits 32 when the guest reset with \\-\\-no\\-reboot,\n"
"33 on a triple fault, 34 when KVM could not run the guest, 35 when the\n"
"guest reported a fatal error, 36 when a test guest reported success\n"
"(\\-\\-ucall), 128+N when stopped by signal N and (V<<1)|1 when the guest\n"
"wrote V to \\-\\-debug\\-exit.\n"
".SH CONSOLE\n"
"On a terminal, Ctrl\\-A x quits, Ctrl\\-A h lists the escape keys and\n"
"Ctrl\\-A Ctrl\\-A sends Ctrl\\-A; piped standard input reaches the guest\n"
"as it is.\n"
".SH EXAMPLES\n"
".nf\n"
"cvmm boot\n"
"cvmm measure \\-\\-coco snp \\-\\-firmware OVMF.fd \\-\\-cpu count=2,model=EPYC\\-Milan\n"
"cvmm boot \\-\\-dry\\-run \\-\\-coco snp \\-\\-firmware OVMF.fd \\-\\-cpu count=2,model=EPYC\\-Milan\n"
"cvmm verify snp report.bin \\-\\-certs certs/\n"
"cvmm host\\-check\n"
".fi\n"
".SH SEE ALSO\n"
"The README and docs/*.md of the cvmm sources: measure.md, coco.md,\n"
"verify.md, virtio.md, firmware.md, api.md; \\fBcvmm\\-broker\\fR, \\fBcvmm\\-agent\\fR.\n";

static void print_man(FILE *f)
{
	const struct cli_command *c;

	fputs(man_head, f);
	for (c = cli_commands; c->name; c++)
		fprintf(f, ".B cvmm %s\n%s\n.br\n", c->name, c->synopsis);
	fputs(man_desc, f);
	fputs(".SH COMMANDS\n", f);
	for (c = cli_commands; c->name; c++) {
		fprintf(f, ".SS cvmm %s\n%s.\n", c->name, c->summary);
		args_print_man(f, c->groups);
	}
	fputs(man_tail, f);
}

/* cvmm COMMAND --help */
static int command_help(const struct cli_command *c)
{
	char *argv[] = { (char *)c->name, (char *)"--help", NULL };

	return c->run(2, argv);
}

int cmd_help(int argc, char **argv)
{
	struct help_args a = { 0 };
	struct args_parser p = {
		.cmd = "help", .groups = help_groups, .option = help_option,
		.positional = help_positional, .ctx = &a,
	};
	const struct cli_command *c = NULL;
	int ret = args_parse(&p, argc, argv);

	if (ret == ARGS_HELP) {
		log_usage_end();
		printf("usage: cvmm help [COMMAND]\n");
		args_print_help(stdout, help_groups);
		return 0;
	}
	if (!ret && a.command && !(c = cli_command_find(a.command)))
		ret = cli_unknown_command(a.command);
	if (!ret && a.what == OPT_LIST && !c) {
		log_err("--list", "lists the options of one COMMAND: cvmm help --list boot");
		ret = -EINVAL;
	}
	log_usage_end();
	if (ret)
		return ARGS_EXIT_USAGE;
	switch (a.what) {
	case OPT_LIST:
		args_print_list(stdout, c->groups);
		return 0;
	case OPT_MAN:
		print_man(stdout);
		return 0;
	case OPT_COMMANDS:
		for (c = cli_commands; c->name; c++)
			printf("%s\n", c->name);
		return 0;
	}
	if (c)
		return command_help(c);
	cli_print_commands(stdout);
	return 0;
}
