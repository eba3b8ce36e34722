// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "proto/simtee.h"

#define CMDLINE_PREFIX	"cvmm.agent."

static int __attribute__((format(printf, 4, 5)))
cfail(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return err;
}

void agent_config_init(struct agent_config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->name, "cvmm-data");
	strcpy(c->fstype, "ext4");
	strcpy(c->key_type, "P-256");
	c->tee = AGENT_TEE_AUTO;
	c->sim.kind = ADDR_VSOCK;
	c->sim.cid = SIMTEE_HOST_CID;
	c->sim.port = SIMTEE_VSOCK_PORT;
	c->timeout = 300;
}

static int copy_value(char *dst, size_t size, const char *v)
{
	size_t n = strlen(v);

	if (n >= size)
		return -EINVAL;
	memcpy(dst, v, n + 1);
	return 0;
}

static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1]))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

static bool host_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '[' ||
	       ch == ']' || ch == ':';
}

/* http(s)://HOST[:PORT][/] and nothing else: no user info, path or query. */
static int check_url(const char *u)
{
	const char *h;
	size_t i;

	if (!strncmp(u, "https://", 8))
		h = u + 8;
	else if (!strncmp(u, "http://", 7))
		h = u + 7;
	else
		return -EINVAL;
	if (!*h || *h == '/' || *h == ':')
		return -EINVAL;
	for (i = 0; h[i]; i++) {
		if (h[i] == '/' && !h[i + 1])
			break;
		if (!host_char(h[i]))
			return -EINVAL;
	}
	return 0;
}

bool agent_url_is_https(const char *url)
{
	return !strncmp(url, "https://", 8);
}

static bool b64_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
}

/* sha256//<44 base64 chars>[;sha256//...] or an absolute path. */
static int check_pin(const char *p)
{
	if (*p == '/')
		return strstr(p, "..") || strchr(p, ';') ? -EINVAL : 0;
	for (;;) {
		int i;

		if (strncmp(p, "sha256//", 8))
			return -EINVAL;
		p += 8;
		for (i = 0; i < 43; i++)
			if (!b64_char(p[i]))
				return -EINVAL;
		if (p[43] != '=')
			return -EINVAL;
		p += 44;
		if (!*p)
			return 0;
		if (*p++ != ';')
			return -EINVAL;
	}
}

static bool seg_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
}

/* REPO/TYPE/TAG: three non-empty segments, no "." or "..". */
static int check_resource(const char *r)
{
	int segs = 0;

	while (*r) {
		const char *s = r;

		while (*r && *r != '/') {
			if (!seg_char(*r))
				return -EINVAL;
			r++;
		}
		if (r == s || (r - s == 1 && s[0] == '.') ||
		    (r - s == 2 && s[0] == '.' && s[1] == '.'))
			return -EINVAL;
		segs++;
		if (*r == '/' && !*++r)
			return -EINVAL;
	}
	return segs == 3 ? 0 : -EINVAL;
}

static int check_abs_path(const char *p, const char *prefix)
{
	if (strncmp(p, prefix, strlen(prefix)) || strlen(p) <= strlen(prefix) ||
	    strstr(p, "/../") || strstr(p, "//"))
		return -EINVAL;
	if (strlen(p) >= 3 && !strcmp(p + strlen(p) - 3, "/.."))
		return -EINVAL;
	return 0;
}

static int check_name(const char *n)
{
	size_t i;

	if (!*n || !strcmp(n, ".") || !strcmp(n, "..") || strlen(n) > 64)
		return -EINVAL;
	for (i = 0; n[i]; i++)
		if (!seg_char(n[i]))
			return -EINVAL;
	return 0;
}

static int set_tee(struct agent_config *c, const char *v)
{
	static const char *const names[] = { "auto", "tsm", "sev-guest",
					     "tdx-guest", "sim" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(v, names[i])) {
			c->tee = (enum agent_tee_src)i;
			return 0;
		}
	}
	return -EINVAL;
}

static int set_bool(bool *b, const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true"))
		*b = true;
	else if (!strcmp(v, "no") || !strcmp(v, "0") || !strcmp(v, "false"))
		*b = false;
	else
		return -EINVAL;
	return 0;
}

enum {
	K_URL, K_PIN, K_CONNECT, K_RESOURCE, K_DEVICE, K_NAME, K_MOUNT,
	K_FSTYPE, K_TEE, K_SIM, K_REPORT_VERSION, K_VMPL, K_KEY_TYPE,
	K_TIMEOUT, K_FORMAT_EMPTY, K_KEYSLOTS_SIZE, K_COUNT
};

static const char *const key_names[K_COUNT] = {
	"url", "pin", "connect", "resource", "device", "name", "mount", "fstype",
	"tee", "sim", "report-version", "vmpl", "key-type", "timeout",
	"format-empty", "keyslots-size",
};

static int key_index(const char *key)
{
	int i;

	for (i = 0; i < K_COUNT; i++)
		if (!strcmp(key, key_names[i]))
			return i;
	return -1;
}

static int set_value(struct agent_config *c, int k, const char *v)
{
	uint32_t n;

	switch (k) {
	case K_URL:
		return check_url(v) ?: copy_value(c->url, sizeof(c->url), v);
	case K_PIN:
		return check_pin(v) ?: copy_value(c->pin, sizeof(c->pin), v);
	case K_CONNECT:
		c->has_connect = true;
		return agent_addr_parse(v, &c->connect);
	case K_RESOURCE:
		return check_resource(v) ?: copy_value(c->resource, sizeof(c->resource), v);
	case K_DEVICE:
		return check_abs_path(v, "/") ?: copy_value(c->device, sizeof(c->device), v);
	case K_NAME:
		return check_name(v) ?: copy_value(c->name, sizeof(c->name), v);
	case K_MOUNT:
		if (!*v)
			return copy_value(c->mount, sizeof(c->mount), v);
		return check_abs_path(v, "/") ?: copy_value(c->mount, sizeof(c->mount), v);
	case K_FSTYPE:
		if (strcmp(v, "ext2") && strcmp(v, "ext3") && strcmp(v, "ext4"))
			return -EINVAL;
		return copy_value(c->fstype, sizeof(c->fstype), v);
	case K_TEE:
		return set_tee(c, v);
	case K_SIM:
		return agent_addr_parse(v, &c->sim);
	case K_REPORT_VERSION:
		if (parse_u32(v, 5, &n) || (n != 3 && n != 5))
			return -EINVAL;
		c->report_version = n;
		return 0;
	case K_VMPL:
		return parse_u32(v, SIMTEE_MAX_VMPL, &c->vmpl);
	case K_KEY_TYPE:
		if (strcmp(v, "P-256") && strcmp(v, "P-521") && strcmp(v, "RSA"))
			return -EINVAL;
		return copy_value(c->key_type, sizeof(c->key_type), v);
	case K_TIMEOUT:
		if (parse_u32(v, 86400, &n) || !n)
			return -EINVAL;
		c->timeout = n;
		return 0;
	case K_FORMAT_EMPTY:
		return set_bool(&c->format_empty, v);
	case K_KEYSLOTS_SIZE:
		/* one 512-bit key's AF-split keyslot needs 250 KiB */
		if (parse_u32(v, 16384, &n) || n < 256 || n % 4)
			return -EINVAL;
		c->keyslots_kib = n;
		return 0;
	}
	return -EINVAL;
}

int agent_config_set(struct agent_config *c, const char *key,
		     const char *value, char *why, size_t whylen)
{
	int k = key_index(key);

	if (k < 0)
		return cfail(-ENOENT, why, whylen, "unknown key '%.64s'", key);
	if (set_value(c, k, value))
		return cfail(-EINVAL, why, whylen, "%s: bad value '%.128s'", key, value);
	c->given |= 1u << k;
	return 0;
}

/* One KEY=VALUE of a source; @seen catches a key given twice in it. */
static int apply(struct agent_config *c, uint32_t *seen, const char *key,
		 const char *value, char *why, size_t whylen)
{
	int k = key_index(key);

	if (k >= 0 && (*seen & (1u << k)))
		return cfail(-EINVAL, why, whylen, "%s given twice", key);
	if (k >= 0)
		*seen |= 1u << k;
	return agent_config_set(c, key, value, why, whylen) ? -EINVAL : 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

static int file_line(struct agent_config *c, uint32_t *seen, char *line,
		     char *why, size_t whylen)
{
	char *eq, *s = trim(line);

	if (!*s || *s == '#')
		return 0;
	eq = strchr(s, '=');
	if (!eq)
		return cfail(-EINVAL, why, whylen, "no '=' in '%.64s'", s);
	*eq = 0;
	return apply(c, seen, trim(s), trim(eq + 1), why, whylen);
}

int agent_config_parse_file(struct agent_config *c, const char *text,
			    size_t len, char *why, size_t whylen)
{
	char line[AGENT_VALUE_MAX + 64], sub[256];
	uint32_t seen = 0;
	size_t pos = 0, lineno = 0;

	if (len > AGENT_CONF_MAX)
		return cfail(-EINVAL, why, whylen, "larger than %u bytes", AGENT_CONF_MAX);
	while (pos < len) {
		size_t n = 0;

		lineno++;
		while (pos < len && text[pos] != '\n') {
			if (!text[pos] || n + 1 >= sizeof(line))
				return cfail(-EINVAL, why, whylen, "line %zu: %s", lineno,
					     text[pos] ? "too long" : "NUL byte");
			line[n++] = text[pos++];
		}
		line[n] = 0;
		pos++;
		if (file_line(c, &seen, line, sub, sizeof(sub)))
			return cfail(-EINVAL, why, whylen, "line %zu: %s", lineno, sub);
	}
	return 0;
}

/*
 * The next word of a kernel command line as the kernel's next_arg() splits
 * it: blanks separate words, double quotes protect blanks and are dropped.
 * Copies at most @wsize - 1 bytes to @w (NUL-terminated).  Returns 1 for a
 * word, 0 at the end, -E2BIG for a word cut short, -EINVAL for a word whose
 * quote is not closed.
 */
static int next_word(const char *s, size_t len, size_t *pos, char *w, size_t wsize)
{
	bool quoted = false, cut = false;
	size_t n = 0;

	while (*pos < len && (s[*pos] == ' ' || s[*pos] == '\t' || s[*pos] == '\n'))
		(*pos)++;
	if (*pos >= len || !s[*pos])
		return 0;
	while (*pos < len && s[*pos]) {
		char ch = s[(*pos)++];

		if (ch == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (ch == ' ' || ch == '\t' || ch == '\n'))
			break;
		if (n + 1 < wsize)
			w[n++] = ch;
		else
			cut = true;
	}
	w[n] = 0;
	if (quoted)
		return -EINVAL;
	return cut ? -E2BIG : 1;
}

static bool ours(const char *w)
{
	return !strncmp(w, CMDLINE_PREFIX, strlen(CMDLINE_PREFIX));
}

int agent_config_parse_cmdline(struct agent_config *c, const char *cmdline,
			       size_t len, char *why, size_t whylen)
{
	char w[AGENT_VALUE_MAX + 64];
	uint32_t seen = 0;
	size_t pos = 0;
	int n;

	if (len > AGENT_CMDLINE_MAX)
		return cfail(-EINVAL, why, whylen, "command line too long");
	while ((n = next_word(cmdline, len, &pos, w, sizeof(w))) != 0) {
		char *eq;

		if (n < 0 && (n == -EINVAL || ours(w)))
			return cfail(-EINVAL, why, whylen, "%.40s...: %s", w, n == -EINVAL ?
				     "a quote is not closed" : "too long");
		if (n < 0 || !ours(w))
			continue;
		eq = strchr(w, '=');
		if (!eq)
			return cfail(-EINVAL, why, whylen, "%.80s: no value", w);
		*eq = 0;
		if (apply(c, &seen, w + strlen(CMDLINE_PREFIX), eq + 1, why, whylen))
			return -EINVAL;
	}
	return 0;
}

int agent_config_check(const struct agent_config *c, bool need_device,
		       bool insecure_http, char *why, size_t whylen)
{
	if (!c->url[0])
		return cfail(-EINVAL, why, whylen, "no broker url (cvmm.agent.url=)");
	if (!agent_url_is_https(c->url) && !insecure_http)
		return cfail(-EINVAL, why, whylen,
			     "%s: plain http needs the agent's --insecure-http test flag", c->url);
	if (agent_url_is_https(c->url) && !c->pin[0])
		return cfail(-EINVAL, why, whylen,
			     "no broker public key pin (cvmm.agent.pin=): an https broker must be pinned");
	if (!c->resource[0])
		return cfail(-EINVAL, why, whylen, "no resource (cvmm.agent.resource=)");
	if (need_device && !c->device[0])
		return cfail(-EINVAL, why, whylen, "no device (cvmm.agent.device=)");
	return 0;
}
