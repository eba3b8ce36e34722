// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm - a virtual machine monitor for confidential guests on Linux/KVM.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"

#ifndef CVMM_VERSION
#define CVMM_VERSION "0.1.0"
#endif

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "boot", cmd_boot, "boot a virtual machine (default: the built-in guest)" },
	{ "measure", cmd_measure, "print the launch measurement a confidential launch will produce" },
	{ "verify", cmd_verify, "verify an SEV-SNP attestation report or a TDX quote" },
	{ "sim-ca", cmd_simca, "make the test certificate chain of the simulated SEV-SNP platform" },
	{ "api", cmd_api, "serve the control API with no VM yet (Cloud Hypervisor's, for Kata)" },
	{ "ctl", cmd_ctl, "drive a cvmm through its control API (info, coco, pause, ...)" },
};

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
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	log_err(argv[1], "unknown command (try 'cvmm --help')");
	return 2;
}
