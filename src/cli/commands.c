// SPDX-License-Identifier: GPL-2.0-only
/*
 * The subcommands of cvmm, one row each (see cli.h for how a new one
 * plugs in), and what `cvmm --help` and `cvmm --version` print.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>

#include "cli/cli.h"

#ifndef CVMM_VERSION
#define CVMM_VERSION "0.1.0"
#endif
#ifndef CVMM_SANITIZE
#define CVMM_SANITIZE "none"
#endif
#ifndef CVMM_BUILDTYPE
#define CVMM_BUILDTYPE "unknown"
#endif

const struct cli_command cli_commands[] = {
	{ "boot", cmd_boot, "boot a virtual machine (default: the built-in guest)",
	  boot_groups, "[options]" },
	{ "measure", cmd_measure,
	  "print the launch measurement a confidential launch will produce",
	  measure_groups, "--coco SPEC --firmware PATH [options]" },
	{ "verify", cmd_verify, "verify an SEV-SNP attestation report or a TDX quote",
	  verify_groups, "snp|tdx|tdx-eventlog EVIDENCE... [options]" },
	{ "host-check", cmd_host_check,
	  "check what a confidential launch on this host needs (SEV-SNP, TDX)",
	  host_check_groups, "[--json] [--qgs PATH]" },
	{ "sim-ca", cmd_simca,
	  "make the test certificate chain of the simulated SEV-SNP platform",
	  simca_groups, "init DIR [--rsa-bits 2048|3072|4096]" },
	{ "api", cmd_api,
	  "serve the control API with no VM yet (Cloud Hypervisor's, for Kata)",
	  api_groups, "--api-socket PATH [--dry-run]" },
	{ "ctl", cmd_ctl, "drive a cvmm through its control API (info, coco, pause, ...)",
	  ctl_groups, "--api-socket PATH [--timeout SECONDS] COMMAND [FILE]" },
	{ "help", cmd_help, "describe cvmm or one of its commands", help_groups,
	  "[COMMAND]" },
	{ NULL },
};

const struct cli_command *cli_command_find(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

void cli_print_commands(FILE *f)
{
	const struct cli_command *c;

	fprintf(f, "usage: cvmm <command> [options]\n       cvmm -V|--version\n\ncommands:\n");
	for (c = cli_commands; c->name; c++)
		fprintf(f, "  %-11s %s\n", c->name, c->summary);
	fprintf(f, "\n'cvmm help <command>' (or 'cvmm <command> --help') describes a command.\n"
		"exit status: 0 success, 1 the work could not be done, 2 usage error\n"
		"(cvmm boot adds its own, see 'cvmm help boot').\n");
}

void cli_print_version(FILE *f)
{
	fprintf(f, "cvmm %s\n", CVMM_VERSION);
	fprintf(f, "build: %s, compiler %s\n", CVMM_BUILDTYPE, __VERSION__);
	fprintf(f, "OpenSSL: %s (built with %s)\n", OpenSSL_version(OPENSSL_VERSION),
		OPENSSL_VERSION_TEXT);
	fprintf(f, "jansson: %s\n", JANSSON_VERSION);
#ifdef CVMM_FUZZING
	fprintf(f, "fuzzing: libFuzzer instrumentation (-Dfuzz=true)\n");
#else
	fprintf(f, "fuzzing: off (fuzz targets are corpus replayers)\n");
#endif
	fprintf(f, "sanitizers: %s\n", CVMM_SANITIZE);
}
