// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cvmm-broker admin`: the admin API client (libcurl).  Every request is
 * signed with a fresh one-request admin token (admin_auth.h).
 *
 *   cvmm-broker admin --url URL --admin-key PRIV.pem [--cacert PEM] COMMAND ARGS
 *   put-secret R/T/G FILE | delete-secret R/T/G | list
 *   set-policy PATTERN POLICY.json | get-policy PATTERN | delete-policy PATTERN
 *   list-policies | add-reference NAME FILE.json | get-reference NAME
 *   delete-reference NAME | rotate-kek
 *
 * URL: https://HOST:PORT, http://HOST:PORT or unix:PATH.  The response
 * body (JSON) goes to stdout.  Exit 0 success, 1 refused or failed (one
 * "cvmm-broker: admin: …" line), 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "broker/admin_auth.h"
#include "broker/blog.h"
#include "broker/cli.h"
#include "broker/pem.h"
#include "broker/secret.h"
#include "util/file.h"

#define FILE_MAX	(16u << 20)

struct cmd {
	const char *name;
	const char *method;
	const char *prefix;		/* URL path before the argument */
	int nargs;			/* 0, 1 (URL arg) or 2 (URL arg + body file) */
	bool secret;			/* the body file is a secret */
};

static const struct cmd cmds[] = {
	{ "put-secret", "POST", "/kbs/v0/resource/", 2, true },
	{ "delete-secret", "DELETE", "/kbs/v0/resource/", 1, false },
	{ "list", "GET", "/kbs/v0/admin/resources", 0, false },
	{ "set-policy", "POST", "/kbs/v0/resource-policy/", 2, false },
	{ "get-policy", "GET", "/kbs/v0/resource-policy/", 1, false },
	{ "delete-policy", "DELETE", "/kbs/v0/resource-policy/", 1, false },
	{ "list-policies", "GET", "/kbs/v0/resource-policy", 0, false },
	{ "add-reference", "POST", "/kbs/v0/reference-value/", 2, false },
	{ "get-reference", "GET", "/kbs/v0/reference-value/", 1, false },
	{ "delete-reference", "DELETE", "/kbs/v0/reference-value/", 1, false },
	{ "rotate-kek", "POST", "/kbs/v0/admin/rotate-kek", 0, false },
};

struct buf {
	char *p;
	size_t len;
};

static size_t on_data(char *d, size_t sz, size_t n, void *ctx)
{
	struct buf *b = ctx;
	char *p;

	if (b->len + sz * n > (1u << 24))
		return 0;
	p = realloc(b->p, b->len + sz * n + 1);
	if (!p)
		return 0;
	memcpy(p + b->len, d, sz * n);
	b->p = p;
	b->len += sz * n;
	b->p[b->len] = 0;
	return sz * n;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm-broker admin --url URL --admin-key PRIVKEY.pem [--cacert PEM]\n"
		"                         COMMAND [ARGS]\n"
		"commands: put-secret REPO/TYPE/TAG FILE   delete-secret REPO/TYPE/TAG   list\n"
		"          set-policy PATTERN POLICY.json  get-policy PATTERN\n"
		"          delete-policy PATTERN           list-policies\n"
		"          add-reference NAME FILE.json    get-reference NAME\n"
		"          delete-reference NAME           rotate-kek\n"
		"URL: https://HOST:PORT, http://HOST:PORT or unix:PATH.  PATTERN: REPO/TYPE/TAG,\n"
		"REPO/TYPE/*, REPO/* or *.  FILE '-' reads standard input.\n");
}

static EVP_PKEY *load_priv(const char *path)
{
	struct err_msg why;
	EVP_PKEY *k;

	if (pem_key_load(path, true, &k, &why))
		berr(path, "%s", why.msg);
	return k;
}

static int read_body(const char *path, bool secret, struct secret *s)
{
	uint8_t *buf;
	size_t len;
	int ret = file_read(strcmp(path, "-") ? path : "/dev/stdin", FILE_MAX, &buf, &len);

	if (ret) {
		berr(path, "%s", strerror(-ret));
		return ret;
	}
	ret = len ? secret_dup(s, buf, len) : -EINVAL;
	if (ret == -EINVAL)
		berr(path, "empty file");
	if (secret)
		explicit_bzero(buf, len);
	free(buf);
	return ret;
}

static void report_error(long status, const struct buf *resp)
{
	json_t *j = resp->p ? json_loads(resp->p, 0, NULL) : NULL;
	const char *d = json_string_value(json_object_get(j, "detail"));

	berr("admin", "HTTP %ld: %s", status, d ? d : resp->p ? resp->p : "no body");
	json_decref(j);
}

static int perform(const char *url, const char *cacert, const struct cmd *c,
		   const char *path, const struct secret *body, EVP_PKEY *key)
{
	struct curl_slist *h = NULL;
	struct buf resp = { 0 };
	char *token = NULL, *auth = NULL, *full = NULL;
	long status = 0;
	CURLcode rc;
	CURL *cu;
	int ret = -EIO;

	if (admin_token_make(key, c->method, path, body->data ? body->data : (const uint8_t *)"",
			     body->len, (int64_t)time(NULL), &token) ||
	    asprintf(&auth, "Authorization: Bearer %s", token) < 0) {
		berr("admin", "cannot sign the admin token");
		goto out;
	}
	cu = curl_easy_init();
	if (!cu)
		goto out;
	if (!strncmp(url, "unix:", 5)) {
		curl_easy_setopt(cu, CURLOPT_UNIX_SOCKET_PATH, url + 5);
		ret = asprintf(&full, "http://localhost%s", path);
	} else {
		ret = asprintf(&full, "%s%s", url, path);
	}
	h = curl_slist_append(h, auth);
	h = curl_slist_append(h, "Content-Type: application/octet-stream");
	curl_easy_setopt(cu, CURLOPT_URL, full);
	curl_easy_setopt(cu, CURLOPT_CUSTOMREQUEST, c->method);
	curl_easy_setopt(cu, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(cu, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(cu, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(cu, CURLOPT_WRITEDATA, &resp);
	if (cacert)
		curl_easy_setopt(cu, CURLOPT_CAINFO, cacert);
	if (body->data) {
		curl_easy_setopt(cu, CURLOPT_POSTFIELDS, body->data);
		curl_easy_setopt(cu, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
	}
	rc = curl_easy_perform(cu);
	curl_easy_getinfo(cu, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(cu);
	ret = -EIO;
	if (rc != CURLE_OK)
		berr(url, "%s", curl_easy_strerror(rc));
	else if (status != 200)
		report_error(status, &resp);
	else
		ret = 0;
	if (!ret && resp.p)
		printf("%s\n", resp.p);
out:
	curl_slist_free_all(h);
	free(resp.p);
	free(full);
	free(auth);
	free(token);
	return ret;
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

int admin_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "admin-key", required_argument, NULL, 'k' },
		{ "cacert", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { 0 } };
	const char *url = NULL, *keyf = NULL, *cacert = NULL;
	struct secret body = { 0 };
	const struct cmd *c;
	char *path = NULL;
	EVP_PKEY *key = NULL;
	int o, ret = 2;

	optind = 1;
	while ((o = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (o == 'u')
			url = optarg;
		else if (o == 'k')
			keyf = optarg;
		else if (o == 'c')
			cacert = optarg;
		else
			return usage(o == 'h' ? stdout : stderr), o == 'h' ? 0 : 2;
	}
	if (!url || !keyf || optind >= argc)
		return usage(stderr), 2;
	c = find_cmd(argv[optind]);
	if (!c || argc - optind - 1 != c->nargs) {
		berr(argv[optind], c ? "wrong number of arguments" : "unknown admin command");
		return 2;
	}
	if (asprintf(&path, "%s%s", c->prefix, c->nargs ? argv[optind + 1] : "") < 0)
		return 1;
	key = load_priv(keyf);
	if (!key || (c->nargs == 2 && read_body(argv[optind + 2], c->secret, &body))) {
		ret = 1;
		goto out;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	ret = perform(url, cacert, c, path, &body, key) ? 1 : 0;
	curl_global_cleanup();
out:
	secret_free(&body);
	EVP_PKEY_free(key);
	free(path);
	return ret;
}
