// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm api: a VMM with no VM, driven through the control API (docs/api.md);
 * and what `cvmm boot --api-socket` shares with it.
 */
#include <errno.h>
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
	OPT_API_SOCKET = 0x200,
	OPT_DRY_RUN,
};

static const struct arg_opt api_opts[] = {
	{ "api-socket", 0, ARG_REQUIRED, OPT_API_SOCKET, "PATH",
	  "the socket (created mode 0600; a stale one is replaced); required", 0 },
	{ "dry-run", 0, ARG_NONE, OPT_DRY_RUN, NULL,
	  "run the VMs created on the simulated confidential\n"
	  "platform (their vCPUs execute nothing)", 0 },
	ARG_END,
};

const struct arg_group api_groups[] = {
	{ "api options", api_opts },
	{ "sandbox options", sandbox_arg_opts },
	{ "general options", args_common_opts },
	{ NULL, NULL },
};

struct api_args {
	const char *socket;
	bool dry_run;
};

static void api_usage(FILE *f)
{
	fputs("usage: cvmm api --api-socket PATH [--dry-run] [sandbox options] [-v] [-q]\n"
	      "\n"
	      "Start with no VM and serve the control API (Cloud Hypervisor's endpoints for\n"
	      "what Kata Containers uses, and vm.coco) on the UNIX socket PATH; a VM comes\n"
	      "with PUT /api/v1/vm.create and vm.boot, the VMM ends with vmm.shutdown.\n", f);
	args_print_help(f, api_groups);
	fputs("\n"
	      "exit status: 0 after vmm.shutdown, 2 usage error, else as cvmm boot's (the\n"
	      "guest's power-off, reset with --no-reboot, fatal errors, 128+N for signal N).\n",
	      f);
}

static int api_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct api_args *a = ctx;

	if (o->id >= SANDBOX_OPT_SECCOMP && o->id <= SANDBOX_OPT_LAST)
		return sandbox_opt_apply(o->id, value);
	if (o->id == OPT_API_SOCKET)
		a->socket = value;
	else
		a->dry_run = true;
	return 0;
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
	struct api_args a = { 0 };
	struct args_parser p = {
		.cmd = "api", .groups = api_groups, .option = api_option, .ctx = &a,
	};
	int ret;

	sandbox_enable();
	ret = args_parse(&p, argc, argv);
	if (ret == ARGS_HELP) {
		log_usage_end();
		api_usage(stdout);
		return 0;
	}
	if (!ret && !a.socket) {
		log_err("--api-socket", "required: the socket to serve the API on");
		ret = -EINVAL;
	}
	log_usage_end();
	if (ret)
		return ARGS_EXIT_USAGE;
	if (args_only())
		return 0;
	return cli_serve_api(NULL, a.socket, a.dry_run);
}
