// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm ctl: the command line over the control API (docs/api.md).
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/client.h"
#include "api/http.h"
#include "cli/cli.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"
#include "util/suggest.h"

#define CREATE_MAX	(128 * 1024)

static const struct {
	const char *cmd, *method, *endpoint;
	bool prints;
} ctl_cmds[] = {
	{ "ping", "GET", "vmm.ping", true },
	{ "info", "GET", "vm.info", true },
	{ "coco", "GET", "vm.coco", true },
	{ "create", "PUT", "vm.create", false },
	{ "boot", "PUT", "vm.boot", false },
	{ "pause", "PUT", "vm.pause", false },
	{ "resume", "PUT", "vm.resume", false },
	{ "reboot", "PUT", "vm.reboot", false },
	{ "shutdown", "PUT", "vm.shutdown", false },
	{ "delete", "PUT", "vm.delete", false },
	{ "shutdown-vmm", "PUT", "vmm.shutdown", false },
};

enum {
	OPT_API_SOCKET = 0x200,
	OPT_TIMEOUT,
};

static const struct arg_opt ctl_opts[] = {
	{ "api-socket", 0, ARG_REQUIRED, OPT_API_SOCKET, "PATH",
	  "the socket of a cvmm started with --api-socket PATH; required", 0 },
	{ "timeout", 0, ARG_REQUIRED, OPT_TIMEOUT, "SECONDS",
	  "give up after this long (1-3600, default 30)", 0 },
	ARG_END,
};

const struct arg_group ctl_groups[] = {
	{ "ctl options", ctl_opts },
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

#define CTL_MAX_WORDS	2

struct ctl_args {
	const char *sock;
	uint64_t secs;
	const char *words[CTL_MAX_WORDS];	/* COMMAND [FILE] */
	unsigned int nr_words;
};

static void ctl_usage(FILE *f)
{
	fputs("usage: cvmm ctl --api-socket PATH [--timeout SECONDS] COMMAND [FILE]\n"
	      "\n"
	      "Drive a cvmm started with --api-socket PATH (cvmm boot, cvmm api).\n"
	      "\n"
	      "commands:\n"
	      "  info           GET vm.info: the VM's configuration and state (JSON)\n"
	      "  coco           GET vm.coco: the confidential launch and its measurement (JSON)\n"
	      "  ping           GET vmm.ping (JSON)\n"
	      "  create FILE    PUT vm.create with FILE (a Cloud Hypervisor VmConfig)\n"
	      "  boot, pause, resume, reboot, shutdown, delete\n"
	      "                 PUT vm.boot, vm.pause, ...\n"
	      "  shutdown-vmm   PUT vmm.shutdown: the VMM exits\n", f);
	args_print_help(f, ctl_groups);
	fputs("\n"
	      "exit status: 0 done, 1 the VMM refused (one line with its status and reason)\n"
	      "or cannot be reached, 2 usage error.\n", f);
}

static int ctl_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct ctl_args *a = ctx;

	if (o->id == OPT_API_SOCKET) {
		a->sock = value;
		return 0;
	}
	if (num_parse_u64(value, &a->secs) || !a->secs || a->secs > 3600) {
		log_err("--timeout", "'%s': expected 1 to 3600 seconds", value);
		return -EINVAL;
	}
	return 0;
}

static int ctl_positional(void *ctx, const char *arg)
{
	struct ctl_args *a = ctx;

	if (a->nr_words == CTL_MAX_WORDS) {
		log_err(arg, "unexpected argument (a COMMAND and, for create, a FILE)");
		return -EINVAL;
	}
	a->words[a->nr_words++] = arg;
	return 0;
}

/* The row of command @name; else a usage line with a suggestion and -1. */
static int ctl_find(const char *name)
{
	struct suggest sg;
	unsigned int k;

	suggest_init(&sg, name);
	for (k = 0; k < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); k++) {
		if (!strcmp(name, ctl_cmds[k].cmd))
			return (int)k;
		suggest_add(&sg, ctl_cmds[k].cmd);
	}
	if (suggest_best(&sg))
		log_err(name, "unknown command; did you mean %s?", suggest_best(&sg));
	else
		log_err(name, "unknown command (see 'cvmm ctl --help')");
	return -1;
}

/* The arguments after parsing: the socket, a known command with its FILE. */
static int ctl_check(const struct ctl_args *a, int *k)
{
	bool create;

	if (!a->sock) {
		log_err("--api-socket", "required: the socket of the cvmm to drive");
		return -EINVAL;
	}
	if (!a->nr_words) {
		log_err(NULL, "a COMMAND is required (see 'cvmm ctl --help')");
		return -EINVAL;
	}
	*k = ctl_find(a->words[0]);
	if (*k < 0)
		return -EINVAL;
	create = !strcmp(a->words[0], "create");
	if (create && a->nr_words != 2) {
		log_err(a->words[0], "needs a FILE, a Cloud Hypervisor VmConfig");
		return -EINVAL;
	}
	if (!create && a->nr_words != 1) {
		log_err(a->words[1], "unexpected argument ('%s' takes none)", a->words[0]);
		return -EINVAL;
	}
	return 0;
}

/* Print a JSON answer indented (or as it came, if it is not JSON). */
static void print_body(const char *body)
{
	json_t *j = json_loads(body, 0, NULL);

	if (j) {
		json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(j);
	} else if (*body) {
		puts(body);
	}
}

static int ctl_run(const char *sock, int timeout_ms, unsigned int k, const char *body)
{
	struct api_client_result r;
	char path[64], why[256];
	const char *msg;
	json_t *j;
	int ret;

	snprintf(path, sizeof(path), "/api/v1/%s", ctl_cmds[k].endpoint);
	ret = api_client_call(sock, ctl_cmds[k].method, path, body, NULL, 0, timeout_ms, &r,
			      why, sizeof(why));
	if (ret) {
		log_err("ctl", "%s: %s", sock, why);
		return 1;
	}
	if (r.status >= 300) {
		j = json_loads(r.body, 0, NULL);
		msg = json_string_value(json_object_get(j, "error"));
		log_err("ctl", "%s: %d %s%s%s", ctl_cmds[k].endpoint, r.status,
			http_status_text(r.status), msg ? ": " : "", msg ? msg : "");
		json_decref(j);
		api_client_result_free(&r);
		return 1;
	}
	if (ctl_cmds[k].prints)
		print_body(r.body);
	api_client_result_free(&r);
	return 0;
}

static int ctl_command(const struct ctl_args *a, unsigned int k)
{
	uint8_t *data = NULL;
	size_t len;
	int ret;

	if (a->nr_words == 2) {
		ret = file_read(a->words[1], CREATE_MAX, &data, &len);
		if (ret) {
			log_err(a->words[1], "cannot read the VM configuration: %s", strerror(-ret));
			return 1;
		}
	}
	ret = ctl_run(a->sock, (int)a->secs * 1000, k, (const char *)data);
	free(data);
	return ret;
}

int cmd_ctl(int argc, char **argv)
{
	struct ctl_args a = { .secs = 30 };
	struct args_parser p = {
		.cmd = "ctl", .groups = ctl_groups, .option = ctl_option,
		.positional = ctl_positional, .ctx = &a,
	};
	int ret = args_parse(&p, argc, argv), k = 0;

	if (ret == ARGS_HELP) {
		log_usage_end();
		ctl_usage(stdout);
		return 0;
	}
	if (!ret)
		ret = ctl_check(&a, &k);
	log_usage_end();
	if (ret)
		return ARGS_EXIT_USAGE;
	if (args_only())
		return 0;
	return ctl_command(&a, (unsigned int)k);
}
