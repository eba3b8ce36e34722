// SPDX-License-Identifier: GPL-2.0-only
/* `serve` options and the --config file (see config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/config.h"
#include "broker/session.h"
#include "util/file.h"
#include "broker/blog.h"
#include "util/num.h"

#define CONFIG_MAX	(64u << 10)

enum otype { STR, FLAG, UINT, SIZE };

struct opt {
	const char *name;
	enum otype type;
	size_t off;
	uint64_t max;
};

#define O(n, t, f, m) { n, t, offsetof(struct serve_config, f), m }
static const struct opt opts[] = {
	O("listen", STR, listen, 0), O("tls-cert", STR, tls_cert, 0),
	O("tls-key", STR, tls_key, 0), O("insecure-http", FLAG, insecure_http, 0),
	O("store", STR, store, 0), O("kek", STR, kek, 0), O("admin-key", STR, admin_key, 0),
	O("test-roots", STR, test_roots, 0), O("certs", STR, certs, 0),
	O("token-key", STR, token_key, 0), O("kds-url", STR, kds_url, 0), O("allow-rsa1_5", FLAG, allow_rsa1_5, 0),
	O("replica-name", STR, replica_name, 0),
	O("threads", UINT, threads, 256), O("timeout", UINT, timeout_s, 3600),
	O("max-connections", UINT, max_conns, 65536), O("grace-ms", UINT, grace_ms, 600000),
	O("session-ttl", UINT, session_ttl_s, 86400),
	O("max-body", SIZE, max_body, 64u << 20),
	O("max-sessions", SIZE, max_sessions, 10000000),
};

static const struct opt *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

/* Set @o from @val; @cmdline options replace earlier (file) values. */
static int set(struct serve_config *c, const struct opt *o, const char *val,
	       const char *where)
{
	void *p = (char *)c + o->off;
	uint64_t n;

	switch (o->type) {
	case STR:
		if (!val || !*val)
			goto needs;
		free(*(char **)p);
		*(char **)p = strdup(val);
		return *(char **)p ? 0 : -ENOMEM;
	case FLAG:
		if (val && bool_parse(val, (bool *)p)) {
			berr(where, "--%s: expected a boolean", o->name);
			return -EINVAL;
		}
		if (!val)
			*(bool *)p = true;
		return 0;
	case UINT:
	case SIZE:
		if (!val)
			goto needs;
		if ((o->type == UINT ? num_parse_u64(val, &n) : size_parse(val, &n)) ||
		    !n || n > o->max) {
			berr(where, "--%s: expected a number from 1 to %llu", o->name,
				(unsigned long long)o->max);
			return -EINVAL;
		}
		if (o->type == UINT)
			*(unsigned *)p = (unsigned)n;
		else
			*(size_t *)p = (size_t)n;
		return 0;
	}
needs:
	berr(where, "--%s needs a value", o->name);
	return -EINVAL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int load_file(struct serve_config *c, const char *path)
{
	char *text, *line, *save = NULL, *val, where[300];
	const struct opt *o;
	uint8_t *buf;
	size_t len;
	int ret, n = 0;

	ret = file_read(path, CONFIG_MAX, &buf, &len);
	if (ret)
		return berr(path, "%s", strerror(-ret)), ret;
	text = (char *)buf;
	for (line = strtok_r(text, "\n", &save); line && !ret;
	     line = strtok_r(NULL, "\n", &save)) {
		n++;
		if (strchr(line, '#'))
			*strchr(line, '#') = 0;
		line = trim(line);
		if (!*line)
			continue;
		val = line + strcspn(line, " \t=");
		if (*val) {
			*val++ = 0;
			val = trim(val);
			if (*val == '=')
				val = trim(val + 1);
		}
		snprintf(where, sizeof(where), "%s:%d", path, n);
		o = find(line);
		if (!o || !strcmp(line, "config")) {
			berr(where, "unknown option \"%s\"", line);
			ret = -EINVAL;
		} else {
			ret = set(c, o, *val ? val : NULL, where);
		}
	}
	free(buf);
	return ret;
}

static void defaults(struct serve_config *c)
{
	memset(c, 0, sizeof(*c));
	c->threads = 4;
	c->timeout_s = 30;
	c->max_conns = 1024;
	c->grace_ms = 10000;
	c->session_ttl_s = SESSION_TTL_MS / 1000;
	c->max_body = 1u << 20;
	c->max_sessions = 100000;
}

/* First pass: --config (applied before the other options). */
static int config_first(int argc, char **argv, struct serve_config *c)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			return load_file(c, argv[i + 1]);
		if (!strncmp(argv[i], "--config=", 9))
			return load_file(c, argv[i] + 9);
	}
	return 0;
}

int config_parse_args(int argc, char **argv, struct serve_config *c)
{
	const struct opt *o;
	char name[64];
	const char *val, *eq;
	int i, ret;

	defaults(c);
	ret = config_first(argc, argv, c);
	for (i = 1; i < argc && !ret; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (strncmp(argv[i], "--", 2)) {
			berr(argv[i], "unexpected argument (try 'cvmm-broker serve --help')");
			return -EINVAL;
		}
		eq = strchr(argv[i], '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - argv[i] - 2) :
			 (int)strlen(argv[i] + 2), argv[i] + 2);
		if (!strcmp(name, "config")) {
			i += !eq;
			continue;
		}
		o = find(name);
		if (!o) {
			berr(argv[i], "unknown option (try 'cvmm-broker serve --help')");
			return -EINVAL;
		}
		val = eq ? eq + 1 : NULL;
		if (!val && o->type != FLAG) {
			if (i + 1 >= argc)
				return berr(argv[i], "needs a value"), -EINVAL;
			val = argv[++i];
		}
		ret = set(c, o, val, argv[i]);
	}
	return ret;
}

void config_free(struct serve_config *c)
{
	free(c->listen);
	free(c->tls_cert);
	free(c->tls_key);
	free(c->store);
	free(c->kek);
	free(c->admin_key);
	free(c->test_roots);
	free(c->certs);
	free(c->token_key);
	free(c->kds_url);
	free(c->replica_name);
	memset(c, 0, sizeof(*c));
}
