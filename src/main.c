// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm - a virtual machine monitor for confidential guests on Linux/KVM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

#ifndef CVMM_VERSION
#define CVMM_VERSION "0.1.0"
#endif

static int cmd_jail(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "boot", cmd_boot, "boot a virtual machine (default: the built-in guest)" },
	{ "measure", cmd_measure, "print the launch measurement a confidential launch will produce" },
	{ "verify", cmd_verify, "verify an SEV-SNP attestation report or a TDX quote" },
	{ "api", cmd_api, "serve the control API with no VM yet (Cloud Hypervisor's, for Kata)" },
	{ "ctl", cmd_ctl, "drive a cvmm through its control API (info, coco, pause, ...)" },
	{ "jail", cmd_jail, "boot a VM as boot does, in a mount namespace holding only its files" },
};

/* The VMMs (boot, api) take the sandbox's options too (docs/sandbox.md). */
static int vmm_command(int (*fn)(int, char **), int argc, char **argv)
{
	if (sandbox_opts_take(&argc, argv))
		return fn == cmd_api ? 2 : 1;
	return fn(argc, argv);
}

/* cvmm jail boot ...: boot, jailed (src/sandbox/jail.c) */
static int cmd_jail(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "boot")) {
		fprintf(stderr,
			"usage: cvmm jail boot [boot's options]\n"
			"  after set-up the VM's cvmm moves into a mount namespace whose root holds\n"
			"  only the files and sockets it was given (needs root; docs/sandbox.md)\n");
		return 2;
	}
	sandbox_opts.jail = true;
	return vmm_command(cmd_boot, argc - 1, argv + 1);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: cvmm <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'cvmm <command> --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	/*
	 * A reader that went away (`cvmm boot | head`) is EPIPE on write, not
	 * a signal that kills cvmm with the terminal left in raw mode.
	 */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("cvmm %s\n", CVMM_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (commands[i].fn == cmd_boot || commands[i].fn == cmd_api)
			return vmm_command(commands[i].fn, argc - 1, argv + 1);
		return commands[i].fn(argc - 1, argv + 1);
	}
	log_err(argv[1], "unknown command (try 'cvmm --help')");
	return 2;
}
