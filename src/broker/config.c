// SPDX-License-Identifier: GPL-2.0-only
/* `serve` options and the --config file (see config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/config.h"
#include "broker/session.h"
#include "broker/store.h"
#include "util/file.h"
#include "broker/blog.h"
#include "util/num.h"

#define CONFIG_MAX	(64u << 10)
#define NAME_SHOWN	32	/* the longest option name a message repeats */

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

/*
 * Is @s (@len bytes) shaped like an option name (a letter, then letters,
 * digits, '-' and '_')?  Only such a name is repeated in a message: what
 * else a mistyped argument or line holds may be a secret (a store URI).
 */
static bool name_shaped(const char *s, size_t len)
{
	size_t i;

	if (!len || len > NAME_SHOWN || !isalpha((unsigned char)s[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

bool config_arg_what(const char *arg, int i, char *buf, size_t size)
{
	size_t len;

	if (!strncmp(arg, "--", 2)) {
		len = strcspn(arg + 2, "=");
		if (name_shaped(arg + 2, len)) {
			snprintf(buf, size, "--%.*s", (int)len, arg + 2);
			return true;
		}
	}
	snprintf(buf, size, "argument %d", i);
	return false;
}

/* A string option's old value: it may be the store URI, password and all. */
static void wipe_free(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

/*
 * Set @o from @val; @cmdline options replace earlier (file) values.  A
 * message names @where (the file's line; NULL: the command line) and the
 * option, never the value.
 */
static int set(struct serve_config *c, const struct opt *o, const char *val,
	       const char *where)
{
	void *p = (char *)c + o->off;
	char what[320];
	uint64_t n;

	snprintf(what, sizeof(what), "%s%s--%s", where ? where : "", where ? ": " : "",
		 o->name);
	switch (o->type) {
	case STR:
		if (!val || !*val)
			goto needs;
		wipe_free(*(char **)p);
		*(char **)p = strdup(val);
		return *(char **)p ? 0 : -ENOMEM;
	case FLAG:
		if (val && bool_parse(val, (bool *)p)) {
			berr(what, "expected a boolean");
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
			berr(what, "expected a number from 1 to %llu",
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
	berr(what, "needs a value");
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

/*
 * Cut @line at its comment: a '#' at the start of the line or after a space
 * or tab.  A '#' inside a value ("u:ab#cd@h") is the value's.
 */
static void cut_comment(char *line)
{
	char *p;

	for (p = line; (p = strchr(p, '#')); p++) {
		if (p == line || p[-1] == ' ' || p[-1] == '\t') {
			*p = 0;
			return;
		}
	}
}

/* One "name = value" line (@n of the file shown as @shown); 0 or -errno. */
static int load_line(struct serve_config *c, char *line, const char *shown, int n)
{
	const struct opt *o;
	char where[300];
	size_t len;
	char *val;

	cut_comment(line);
	line = trim(line);
	if (!*line)
		return 0;
	len = strcspn(line, " \t=");
	val = line + len;
	if (*val) {
		*val++ = 0;
		val = trim(val);
		if (*val == '=')
			val = trim(val + 1);
	}
	snprintf(where, sizeof(where), "%s:%d", shown, n);
	o = find(line);
	if (o && strcmp(line, "config"))
		return set(c, o, *val ? val : NULL, where);
	/* the line may be a value alone (a store URI): only a name is repeated */
	if (name_shaped(line, len))
		berr(where, "unknown option \"%s\"", line);
	else
		berr(where, "not an option line (expected \"name = value\")");
	return -EINVAL;
}

static int load_file(struct serve_config *c, const char *path)
{
	char *line, *next, shown[256];
	uint8_t *buf;
	size_t len;
	int ret, n = 0;

	store_uri_redact(path, shown, sizeof(shown));	/* --config postgresql://… */
	ret = file_read(path, CONFIG_MAX, &buf, &len);
	if (ret)
		return berr(shown, "%s", strerror(-ret)), ret;
	/* every line counts, blank ones too: messages give line numbers */
	for (line = (char *)buf; line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		ret = load_line(c, line, shown, ++n);
	}
	explicit_bzero(buf, len);	/* the store URI's password */
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

/*
 * The value of option @i (argv[@i] without "=value") taken from the next
 * argument, or NULL (message printed): an option there means the value is
 * missing, and whatever follows must not become a value quoted later.
 */
static const char *next_value(int argc, char **argv, int i, const char *what)
{
	if (i + 1 >= argc || !strncmp(argv[i + 1], "--", 2)) {
		berr(what, "needs a value");
		return NULL;
	}
	return argv[i + 1];
}

/* First pass: --config (applied before the other options). */
static int config_first(int argc, char **argv, struct serve_config *c)
{
	const char *path;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config")) {
			path = next_value(argc, argv, i, "--config");
			return path ? load_file(c, path) : -EINVAL;
		}
		if (!strncmp(argv[i], "--config=", 9))
			return load_file(c, argv[i] + 9);
	}
	return 0;
}

int config_parse_args(int argc, char **argv, struct serve_config *c)
{
	const struct opt *o;
	char name[64], what[64];
	const char *val, *eq;
	int i, ret;

	defaults(c);
	ret = config_first(argc, argv, c);
	for (i = 1; i < argc && !ret; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		config_arg_what(argv[i], i, what, sizeof(what));
		if (strncmp(argv[i], "--", 2)) {
			berr(what, "not an option (try 'cvmm-broker serve --help')");
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
			berr(what, "unknown option (try 'cvmm-broker serve --help')");
			return -EINVAL;
		}
		val = eq ? eq + 1 : NULL;
		if (!val && o->type != FLAG) {
			val = next_value(argc, argv, i++, what);
			if (!val)
				return -EINVAL;
		}
		ret = set(c, o, val, NULL);
	}
	return ret;
}

void config_free(struct serve_config *c)
{
	wipe_free(c->listen);
	wipe_free(c->tls_cert);
	wipe_free(c->tls_key);
	wipe_free(c->store);	/* the store URI may hold a password */
	wipe_free(c->kek);
	wipe_free(c->admin_key);
	wipe_free(c->test_roots);
	wipe_free(c->certs);
	wipe_free(c->token_key);
	wipe_free(c->kds_url);
	wipe_free(c->replica_name);
	memset(c, 0, sizeof(*c));
}
