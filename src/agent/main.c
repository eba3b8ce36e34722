// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm-agent: attest this confidential guest to a key broker, receive its
 * disk key, open the LUKS2 disk and mount it (docs/agent.md).
 *
 *   cvmm-agent [unlock] [--format-empty] [options]
 *   cvmm-agent check-key [options]        attest, fetch the key and check that
 *                                         it opens the device's LUKS header
 *                                         (nothing is opened or mounted)
 *   cvmm-agent close [options]            unmount and close what unlock opened
 *   cvmm-agent check-config [options]     print the configuration in effect
 *   cvmm-agent snp-serde REPORT [CERTS]   a binary SNP report (and
 *                                         certificate table) as the broker
 *                                         protocol's evidence JSON
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>

#include "agent/alog.h"
#include "agent/client.h"
#include "agent/config.h"
#include "agent/evidence.h"
#include "agent/net.h"
#include "agent/unlock.h"
#include "util/file.h"

struct opts {
	const char *config;
	bool config_given;
	const char *cmdline;
	bool format_empty;
	bool insecure_http;
	char *sets[32];
	int nsets;
};

static void usage(FILE *f)
{
	fputs("usage: cvmm-agent [unlock|check-key|close] [options]\n"
	      "       cvmm-agent check-config [options]\n"
	      "       cvmm-agent snp-serde REPORT [CERT-TABLE]\n"
	      "options:\n"
	      "  --config FILE     configuration file (default " AGENT_CONF_PATH ", may be absent)\n"
	      "  --cmdline FILE    kernel command line (default /proc/cmdline)\n"
	      "  --set KEY=VALUE   set a key (after the file and the command line)\n"
	      "  --format-empty    a blank device may be formatted (LUKS2 + file system)\n"
	      "  --insecure-http   allow a plain-http broker (TESTS ONLY: no TLS, no pin)\n"
	      "  -v, --verbose     more messages (-vv: libcurl's too);  -q, --quiet: errors only\n"
	      "exit status: 0 unlocked, 1 usage/configuration, 2 the broker refused,\n"
	      "  3 no key by the deadline, 4 no evidence, 5 unlock/mount failed, 6 TLS/pin\n", f);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "cmdline", required_argument, NULL, 'k' },
		{ "set", required_argument, NULL, 's' },
		{ "format-empty", no_argument, NULL, 'f' },
		{ "insecure-http", no_argument, NULL, 'I' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "vqh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o->config = optarg; o->config_given = true; break;
		case 'k': o->cmdline = optarg; break;
		case 's':
			if (o->nsets == 32)
				return -EINVAL;
			o->sets[o->nsets++] = optarg;
			break;
		case 'f': o->format_empty = true; break;
		case 'I': o->insecure_http = true; break;
		case 'v': alog_level++; break;
		case 'q': alog_level = 0; break;
		case 'h': usage(stdout); exit(0);
		default: return -EINVAL;
		}
	}
	return 0;
}

static int load_source(struct agent_config *c, const char *path, bool is_cmdline,
		       bool must_exist)
{
	uint8_t *d;
	size_t n;
	char why[300];
	int err = file_read(path, is_cmdline ? AGENT_CMDLINE_MAX : AGENT_CONF_MAX, &d, &n);

	if (err == -ENOENT && !must_exist)
		return 0;
	if (err)
		return alog_errno(path, err);
	err = is_cmdline ? agent_config_parse_cmdline(c, (char *)d, n, why, sizeof(why)) :
			   agent_config_parse_file(c, (char *)d, n, why, sizeof(why));
	free(d);
	if (err)
		alog_err(path, "%s", why);
	return err;
}

static int load_config(const struct opts *o, struct agent_config *c)
{
	char why[300];
	int i;

	agent_config_init(c);
	if (load_source(c, o->config, false, o->config_given) ||
	    load_source(c, o->cmdline, true, true))
		return -EINVAL;
	for (i = 0; i < o->nsets; i++) {
		char *eq = strchr(o->sets[i], '=');

		if (!eq) {
			alog_err("--set", "%s: no '='", o->sets[i]);
			return -EINVAL;
		}
		*eq = 0;
		if (agent_config_set(c, o->sets[i], eq + 1, why, sizeof(why))) {
			alog_err("--set", "%s", why);
			return -EINVAL;
		}
		*eq = '=';
	}
	if (o->format_empty)
		c->format_empty = true;
	return 0;
}

static double uptime(void)
{
	uint8_t *d;
	size_t n;
	double v = 0;

	if (!file_read("/proc/uptime", 128, &d, &n)) {
		v = strtod((char *)d, NULL);
		free(d);
	}
	return v;
}

static int cmd_unlock(const struct agent_config *c, bool insecure, bool test_only)
{
	struct keybuf key;
	char why[400];
	int st, err;

	if (agent_config_check(c, true, insecure, why, sizeof(why))) {
		alog_err("configuration", "%s", why);
		return AGENT_EXIT_USAGE;
	}
	if (insecure && !agent_url_is_https(c->url))
		alog_err("WARNING", "--insecure-http: plain http to %s, no TLS, no pin: "
			 "anyone on the path can read and replace the key (tests only)", c->url);
	alog_info("started at uptime %.2f s: resource %s for %s", uptime(), c->resource,
		  c->device);
	prctl(PR_SET_DUMPABLE, 0);
	/*
	 * Every page the agent touches stays in RAM (the decrypted JWE passes
	 * through OpenSSL's and libcurl's buffers).  MCL_ONFAULT: without it
	 * MCL_CURRENT would read in every page of every library now, which on
	 * a dm-verity image hashes megabytes for nothing.
	 */
	if (mlockall(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) < 0)
		alog_debug("mlockall: %s (the key page is locked anyway)", strerror(errno));
	err = keybuf_init(&key);
	if (err)
		return alog_errno("cannot lock memory for the key", err), AGENT_EXIT_UNLOCK;
	st = agent_fetch_key(c, insecure, agent_now_ms() + c->timeout * 1000ull, &key);
	if (st == AGENT_EXIT_OK) {
		alog_info("key received at uptime %.2f s", uptime());
		err = test_only ? unlock_test_key(c, &key, why, sizeof(why)) :
				  unlock_disk(c, &key, why, sizeof(why));
		if (err) {
			alog_err(test_only ? "check-key" : "unlock", "%s", why);
			st = AGENT_EXIT_UNLOCK;
		} else if (test_only) {
			alog_info("the key opens %s (nothing opened)", c->device);
		} else {
			alog_info("%s opened as /dev/mapper/%s%s%s at uptime %.2f s", c->device,
				  c->name, c->mount[0] ? " and mounted on " : "", c->mount,
				  uptime());
		}
	}
	keybuf_free(&key);
	return st;
}

static int cmd_check(const struct agent_config *c)
{
	static const char *const tees[] = { "auto", "tsm", "sev-guest", "tdx-guest", "sim" };

	char conn[128] = "", sim[128];

	if (c->has_connect)
		agent_addr_format(&c->connect, conn, sizeof(conn));
	agent_addr_format(&c->sim, sim, sizeof(sim));
	printf("url=%s\npin=%s\nconnect=%s\n", c->url, c->pin, conn);
	printf("resource=%s\ndevice=%s\nname=%s\nmount=%s\nfstype=%s\ntee=%s\n"
	       "sim=%s\nreport-version=%u\nvmpl=%u\nkey-type=%s\ntimeout=%u\n"
	       "format-empty=%s\nkeyslots-size=%u\n", c->resource, c->device, c->name, c->mount,
	       c->fstype, tees[c->tee], sim,
	       c->report_version ? c->report_version : 3, c->vmpl, c->key_type,
	       c->timeout, c->format_empty ? "yes" : "no", c->keyslots_kib);
	return 0;
}

static int cmd_close(const struct agent_config *c)
{
	char why[300];

	if (unlock_close(c, why, sizeof(why))) {
		alog_err("close", "%s", why);
		return AGENT_EXIT_UNLOCK;
	}
	return 0;
}

static int cmd_snp_serde(int argc, char **argv)
{
	struct evidence ev = { .tee = AGENT_TEE_SNP };
	json_t *j = NULL;
	char why[300];
	int err;

	if (argc < 1 || argc > 2) {
		usage(stderr);
		return AGENT_EXIT_USAGE;
	}
	err = file_read(argv[0], 1 << 16, &ev.report, &ev.report_len);
	if (err)
		return alog_errno(argv[0], err), AGENT_EXIT_USAGE;
	if (argc == 2 && (err = file_read(argv[1], EVIDENCE_MAX_CERTS, &ev.certs,
					  &ev.certs_len)))
		return alog_errno(argv[1], err), AGENT_EXIT_USAGE;
	err = evidence_to_json(&ev, &j, why, sizeof(why));
	evidence_free(&ev);
	if (err)
		return alog_err(argv[0], "%s", why), AGENT_EXIT_EVIDENCE;
	json_dumpf(j, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(j);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .config = AGENT_CONF_PATH, .cmdline = "/proc/cmdline" };
	struct agent_config c;
	const char *cmd = "unlock";

	if (argc > 1 && argv[1][0] != '-') {
		cmd = argv[1];
		argc--;
		argv++;
	}
	if (!strcmp(cmd, "snp-serde"))
		return cmd_snp_serde(argc - 1, argv + 1);
	if (strcmp(cmd, "unlock") && strcmp(cmd, "check-config") && strcmp(cmd, "check-key") &&
	    strcmp(cmd, "close")) {
		alog_err(cmd, "unknown command (see --help)");
		return AGENT_EXIT_USAGE;
	}
	if (parse_opts(argc, argv, &o) || optind != argc) {
		usage(stderr);
		return AGENT_EXIT_USAGE;
	}
	if (load_config(&o, &c))
		return AGENT_EXIT_USAGE;
	if (!strcmp(cmd, "check-config"))
		return cmd_check(&c);
	if (!strcmp(cmd, "close"))
		return cmd_close(&c);
	return cmd_unlock(&c, o.insecure_http, !strcmp(cmd, "check-key"));
}
