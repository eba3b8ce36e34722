// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm api: a VMM with no VM, driven through the control API (docs/api.md);
 * and what `cvmm boot --api-socket` shares with it.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "cli/cli.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

enum {
	OPT_API_SOCKET = 0x300,
	OPT_DRY_RUN,
};

static void api_usage(FILE *f)
{
	fputs("usage: cvmm api --api-socket PATH [--dry-run] [-v] [-q]\n"
	      "\n"
	      "Start with no VM and serve the control API (Cloud Hypervisor's endpoints for\n"
	      "what Kata Containers uses, and vm.coco) on the UNIX socket PATH; a VM comes\n"
	      "with PUT /api/v1/vm.create and vm.boot, the VMM ends with vmm.shutdown.\n"
	      "\n"
	      "options:\n"
	      "      --api-socket PATH   the socket (created mode 0600; a stale one is replaced)\n"
	      "      --dry-run           run the VMs created on the simulated confidential\n"
	      "                          platform (their vCPUs execute nothing)\n"
	      "  -v, --verbose           more messages\n"
	      "  -q, --quiet             only errors\n"
	      "  -h, --help              this help\n"
	      "\n"
	      "exit status: 0 after vmm.shutdown, else as cvmm boot's (the guest's power-off,\n"
	      "reset with --no-reboot, fatal errors, 128+N for signal N).\n", f);
}

int cli_serve_api(struct vm_config *cfg, const char *socket, bool dry_run)
{
	struct api_opts ao = { .socket = socket, .dry_run = dry_run };
	struct machine_serve_opts o = {
		.cfg = cfg, .boot = cfg != NULL,
		.ctl_start = api_ctl_start, .ctl_stop = api_ctl_stop,
	};
	struct api *a;
	int status;

	if (api_open(&ao, &a))
		return EXIT_ERROR;
	sandbox_add_path(socket, SANDBOX_REMOVE);	/* removed at exit */
	json_object_seed(0);	/* from /dev/urandom, before the sandbox closes it */
	o.opaque = a;
	if (cfg)
		cfg->pci_bus = true;	/* devices may be added while it runs */
	status = machine_serve(&o);
	api_close(a);
	return status;
}

int cmd_api(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api-socket", required_argument, NULL, OPT_API_SOCKET },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *socket = NULL;
	bool dry_run = false;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+vqh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_API_SOCKET:
			socket = optarg;
			break;
		case OPT_DRY_RUN:
			dry_run = true;
			break;
		case 'v':
			log_level = log_level < LOG_INFO ? LOG_INFO : LOG_DEBUG;
			break;
		case 'q':
			log_level = LOG_QUIET;
			break;
		case 'h':
			api_usage(stdout);
			return 0;
		default:
			log_err("api", "unknown option or missing value '%s' (see 'cvmm api --help')",
				argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc || !socket) {
		log_err("api", optind < argc ? "unexpected argument (see 'cvmm api --help')" :
			"--api-socket PATH is required");
		return 2;
	}
	return cli_serve_api(NULL, socket, dry_run);
}
