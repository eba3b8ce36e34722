// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm boot: run a virtual machine until it powers off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/vmconfig.h"
#include "cli/cli.h"
#include "machine/config.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

enum {
	OPT_DRY_RUN = 0x200,
	OPT_JSON,
	OPT_API_SOCKET,
	OPT_CONFIG,
};

static const struct arg_opt boot_opts[] = {
	{ "dry-run", 0, ARG_NONE, OPT_DRY_RUN, NULL,
	  "with --coco: build the VM on the simulated confidential platform,\n"
	  "print the launch (vCPU signature, SEV features, policy, component\n"
	  "hashes, the plan, the measurement and the `cvmm measure` line that\n"
	  "reproduces it), do not run (with --api-socket: run it there on the\n"
	  "simulated platform, its vCPUs idle)", 0 },
	{ "json", 0, ARG_NONE, OPT_JSON, NULL, "with --dry-run: print the launch as JSON", 0 },
	{ "api-socket", 0, ARG_REQUIRED, OPT_API_SOCKET, "PATH",
	  "serve the control API on the UNIX socket PATH\n"
	  "(docs/api.md; cvmm ctl is its command line)", 0 },
	{ "config", 0, ARG_REQUIRED, OPT_CONFIG, "FILE",
	  "the VM from FILE, a Cloud Hypervisor VmConfig as\n"
	  "vm.create takes it, read first; the other options add to it", 0 },
	ARG_END,
};

const struct arg_group boot_groups[] = {
	{ "machine options", config_opts },
	{ "boot options", boot_opts },
	{ "sandbox options", sandbox_arg_opts },
	{ "jail", sandbox_jail_opts },
	{ "general options", args_common_opts },
	{ NULL, NULL },
};

struct boot_args {
	struct vm_config cfg;
	const char *api_socket;
};

static void boot_usage(FILE *f)
{
	fputs("usage: cvmm boot [options]\n"
	      "\n"
	      "Boot a virtual machine on /dev/kvm.  Without --kernel or --firmware,\n"
	      "boot the built-in guest, which greets and powers off.\n", f);
	args_print_help(f, boot_groups);
	fputs("\n"
	      "Console: on a terminal, Ctrl-A x quits, Ctrl-A h lists the escape keys and\n"
	      "Ctrl-A Ctrl-A sends Ctrl-A; piped input reaches the guest as it is.\n"
	      "\n"
	      "exit status: 0 guest powered off, 1 the VM could not be set up or run,\n"
	      "2 usage error, 32 guest reset with --no-reboot, 33 guest triple fault,\n"
	      "34 KVM could not run the guest, 35 guest reported a fatal error, 38 a\n"
	      "system call the sandbox forbids, 128+N stopped by signal N, (V<<1)|1 guest\n"
	      "wrote V to --debug-exit.\n"
	      "\n", f);
	config_print_cpu_features(f);
}

static int boot_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct boot_args *a = ctx;
	int ret;

	if (o->id >= SANDBOX_OPT_SECCOMP && o->id <= SANDBOX_OPT_LAST)
		return sandbox_opt_apply(o->id, value);
	switch (o->id) {
	case OPT_DRY_RUN:
		a->cfg.dry_run = true;
		return 0;
	case OPT_JSON:
		a->cfg.json = true;
		return 0;
	case OPT_API_SOCKET:
		a->api_socket = value;
		return 0;
	case OPT_CONFIG:
		return 0;	/* read before the others: args_value() in cmd_boot() */
	}
	ret = config_parse_option(&a->cfg, o->id, value);
	return ret < 0 ? ret : 0;
}

/* Checks of boot's own flags against the machine (usage errors). */
static int boot_check(struct boot_args *a)
{
	struct vm_config *cfg = &a->cfg;

	if (cfg->dry_run && cfg->coco.type == COCO_NONE && !a->api_socket) {
		log_err("--dry-run", "runs a confidential launch: add --coco");
		return -EINVAL;
	}
	if (cfg->json && (!cfg->dry_run || a->api_socket)) {
		log_err("--json", a->api_socket ?
			"describes a --dry-run without --api-socket (ask the API for vm.coco)" :
			"describes a --dry-run (a running VM prints its launch with -v)");
		return -EINVAL;
	}
	return config_finish(cfg);
}

/* After the arguments are read: run, serve the API or (CVMM_ARGS_ONLY) nothing. */
static int boot_go(struct boot_args *a)
{
	log_usage_end();
	if (args_only())
		return 0;
	if (a->api_socket)
		return cli_serve_api(&a->cfg, a->api_socket, a->cfg.dry_run);
	return machine_run(&a->cfg);
}

int cmd_boot(int argc, char **argv)
{
	struct boot_args a = { 0 };
	struct args_parser p = {
		.cmd = "boot", .groups = boot_groups, .option = boot_option, .ctx = &a,
	};
	const char *config = args_value(boot_groups, argc, argv, "config");
	int ret, status;

	sandbox_enable();
	config_init(&a.cfg);
	/* a file's contents are input, not usage: a bad one is status 1 */
	if (config && vmconfig_load_file(config, &a.cfg)) {
		config_free(&a.cfg);
		return EXIT_ERROR;
	}
	ret = args_parse(&p, argc, argv);
	if (ret == ARGS_HELP) {
		boot_usage(stdout);
		status = 0;
	} else if (ret || boot_check(&a)) {
		status = ARGS_EXIT_USAGE;
	} else {
		status = boot_go(&a);
	}
	log_usage_end();
	config_free(&a.cfg);
	return status;
}
