// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm boot: run a virtual machine until it powers off.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/vmconfig.h"
#include "cli/cli.h"
#include "machine/config.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

enum {
	OPT_HELP = 0x200,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_DRY_RUN,
	OPT_API_SOCKET,
	OPT_CONFIG,
};

static void boot_usage(FILE *f)
{
	fputs("usage: cvmm boot [options]\n"
	      "\n"
	      "Boot a virtual machine on /dev/kvm.  Without --kernel or --firmware,\n"
	      "boot the built-in guest, which greets and powers off.\n"
	      "\n"
	      "options:\n", f);
	config_print_help(f);
	fputs(sandbox_opts_help, f);	/* taken by main.c */
	fputs("      --dry-run           build the VM on the simulated confidential platform,\n"
	      "                          print the launch plan and measurement, do not run\n"
	      "                          (with --api-socket: run it there, its vCPUs idle)\n"
	      "      --api-socket PATH   serve the control API on the UNIX socket PATH\n"
	      "                          (docs/api.md; cvmm ctl is its command line)\n"
	      "      --config FILE       the VM from FILE, a Cloud Hypervisor VmConfig as\n"
	      "                          vm.create takes it; other options add to it\n"
	      "  -v, --verbose           more messages (the e820 map, load addresses; twice: debug)\n"
	      "  -q, --quiet             only errors\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "Console: on a terminal, Ctrl-A x quits and Ctrl-A Ctrl-A sends Ctrl-A.\n"
	      "\n"
	      "exit status: 0 guest powered off, 1 error, 32 guest reset with --no-reboot,\n"
	      "33 guest triple fault, 34 KVM could not run the guest, 35 guest reported a\n"
	      "fatal error, 38 a system call the sandbox forbids, 128+N stopped by signal N,\n"
	      "(V<<1)|1 guest wrote V to --debug-exit.\n"
	      "\n", f);
	config_print_cpu_features(f);
}

int cmd_boot(int argc, char **argv)
{
	static const struct option boot_options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "api-socket", required_argument, NULL, OPT_API_SOCKET },
		{ "config", required_argument, NULL, OPT_CONFIG },
	};
	const unsigned int nb = sizeof(boot_options) / sizeof(boot_options[0]);
	struct option *opts;
	struct vm_config cfg;
	const char *api_socket = NULL, *config = cli_find_config(argc, argv);
	int c, ret, status;

	/* the shared machine flags, then boot's own, then the terminator */
	opts = calloc(config_nr_options + nb + 1, sizeof(*opts));
	if (!opts) {
		log_errno("boot", -ENOMEM);
		return EXIT_ERROR;
	}
	memcpy(opts, config_options, config_nr_options * sizeof(*opts));
	memcpy(opts + config_nr_options, boot_options, sizeof(boot_options));

	config_init(&cfg);
	status = EXIT_ERROR;
	if (config && vmconfig_load_file(config, &cfg))
		goto out;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+" CONFIG_SHORT_OPTS "hvq", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			boot_usage(stdout);
			status = 0;
			goto out;
		case 'v':
			log_level = log_level < LOG_INFO ? LOG_INFO : LOG_DEBUG;
			continue;
		case 'q':
			log_level = LOG_QUIET;
			continue;
		case OPT_DRY_RUN:
			cfg.dry_run = true;
			continue;
		case OPT_API_SOCKET:
			api_socket = optarg;
			continue;
		case OPT_CONFIG:
			continue;	/* read first, cli_find_config() */
		case '?':
			if (optopt)
				log_err("boot", "option -%c: unknown or missing its value", optopt);
			else
				log_err("boot", "unknown option '%s' (see 'cvmm boot --help')",
					argv[optind - 1]);
			goto out;
		}
		ret = config_parse_option(&cfg, c, optarg);
		if (ret < 0)
			goto out;
	}
	if (optind < argc) {
		log_err("boot", "unexpected argument '%s' (see 'cvmm boot --help')",
			argv[optind]);
		goto out;
	}
	if (config_finish(&cfg))
		goto out;
	status = api_socket ? cli_serve_api(&cfg, api_socket, cfg.dry_run) : machine_run(&cfg);
out:
	config_free(&cfg);
	free(opts);
	return status;
}
