// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm boot: run a virtual machine until it powers off.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "machine/config.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "util/log.h"

enum {
	OPT_DRY_RUN = 0x200,
	OPT_JSON,
};

static const struct arg_opt boot_opts[] = {
	{ "dry-run", 0, ARG_NONE, OPT_DRY_RUN, NULL,
	  "with --coco: build the VM on the simulated confidential platform,\n"
	  "print the launch (vCPU signature, SEV features, policy, component\n"
	  "hashes, the plan, the measurement and the `cvmm measure` line that\n"
	  "reproduces it), do not run", 0 },
	{ "json", 0, ARG_NONE, OPT_JSON, NULL, "with --dry-run: print the launch as JSON", 0 },
	ARG_END,
};

const struct arg_group boot_groups[] = {
	{ "machine options", config_opts },
	{ "boot options", boot_opts },
	{ "general options", args_common_opts },
	{ NULL, NULL },
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
	      "34 KVM could not run the guest, 35 guest reported a fatal error, 128+N\n"
	      "stopped by signal N, (V<<1)|1 guest wrote V to --debug-exit.\n"
	      "\n", f);
	config_print_cpu_features(f);
}

static int boot_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct vm_config *cfg = ctx;
	int ret;

	switch (o->id) {
	case OPT_DRY_RUN:
		cfg->dry_run = true;
		return 0;
	case OPT_JSON:
		cfg->json = true;
		return 0;
	}
	ret = config_parse_option(cfg, o->id, value);
	return ret < 0 ? ret : 0;
}

/* Checks of boot's own flags against the machine (usage errors). */
static int boot_check(struct vm_config *cfg)
{
	if (cfg->dry_run && cfg->coco.type == COCO_NONE) {
		log_err("--dry-run", "runs a confidential launch: add --coco");
		return -EINVAL;
	}
	if (cfg->json && !cfg->dry_run) {
		log_err("--json", "describes a --dry-run (a running VM prints its launch with -v)");
		return -EINVAL;
	}
	return config_finish(cfg);
}

int cmd_boot(int argc, char **argv)
{
	struct vm_config cfg;
	struct args_parser p = {
		.cmd = "boot", .groups = boot_groups, .option = boot_option, .ctx = &cfg,
	};
	int ret, status;

	config_init(&cfg);
	ret = args_parse(&p, argc, argv);
	if (ret == ARGS_HELP) {
		boot_usage(stdout);
		status = 0;
	} else if (ret || boot_check(&cfg)) {
		status = ARGS_EXIT_USAGE;
	} else if (args_only()) {
		status = 0;
	} else {
		log_usage_end();
		status = machine_run(&cfg);
	}
	log_usage_end();
	config_free(&cfg);
	return status;
}
