// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm ctl: the command line over the control API (docs/api.md).
 */
#include <errno.h>
#include <getopt.h>
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
	      "  shutdown-vmm   PUT vmm.shutdown: the VMM exits\n"
	      "\n"
	      "exit status: 0 done, 1 the VMM refused (one line with its status and reason)\n"
	      "or cannot be reached, 2 usage.\n", f);
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

static int ctl_command(const char *sock, int timeout_ms, int argc, char **argv)
{
	unsigned int k;
	uint8_t *data = NULL;
	size_t len;
	int ret;

	for (k = 0; k < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); k++)
		if (!strcmp(argv[0], ctl_cmds[k].cmd))
			break;
	if (k == sizeof(ctl_cmds) / sizeof(ctl_cmds[0])) {
		log_err("ctl", "unknown command '%s' (see 'cvmm ctl --help')", argv[0]);
		return 2;
	}
	if (argc != (strcmp(argv[0], "create") ? 1 : 2)) {
		log_err("ctl", "%s: wrong number of arguments (see 'cvmm ctl --help')", argv[0]);
		return 2;
	}
	if (argc == 2) {
		ret = file_read(argv[1], CREATE_MAX, &data, &len);
		if (ret) {
			log_err(argv[1], "cannot read the VM configuration: %s", strerror(-ret));
			return 1;
		}
	}
	ret = ctl_run(sock, timeout_ms, k, (const char *)data);
	free(data);
	return ret;
}

int cmd_ctl(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "api-socket", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *sock = NULL;
	uint64_t secs = 30;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			ctl_usage(stdout);
			return 0;
		}
		if (c == 's') {
			sock = optarg;
		} else if (c != 't' || num_parse_u64(optarg, &secs) || !secs || secs > 3600) {
			log_err("ctl", "bad option or value '%s' (see 'cvmm ctl --help')",
				argv[optind - 1]);
			return 2;
		}
	}
	if (!sock || optind >= argc) {
		log_err("ctl", !sock ? "--api-socket PATH is required" :
			"a command is required (see 'cvmm ctl --help')");
		return 2;
	}
	return ctl_command(sock, (int)secs * 1000, argc - optind, argv + optind);
}
