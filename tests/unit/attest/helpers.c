// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "attest/certs.h"
#include "helpers.h"
#include "util/file.h"

const char *td_path(const char *rel)
{
	static char path[4096];
	const char *base = getenv("CVMM_TEST_DATA");

	assert_non_null(base);
	snprintf(path, sizeof(path), "%s/attest/%s", base, rel);
	return path;
}

uint8_t *td_read(const char *rel, size_t *len)
{
	uint8_t *data = NULL;
	int ret = file_read(td_path(rel), 64 << 20, &data, len);

	if (ret)
		fprintf(stderr, "cannot read %s: %s\n", td_path(rel), strerror(-ret));
	assert_int_equal(ret, 0);
	return data;
}

uint8_t *td_read_hex(const char *rel, size_t *len)
{
	size_t n, i, o = 0;
	uint8_t *txt = td_read(rel, &n), *out = malloc(n / 2 + 1);
	int hi = -1;

	assert_non_null(out);
	for (i = 0; i < n; i++) {
		int c = txt[i], v;

		if (isspace(c))
			continue;
		assert_true(isxdigit(c));
		v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		if (hi < 0) {
			hi = v;
		} else {
			out[o++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	free(txt);
	*len = o;
	return out;
}

STACK_OF(X509) *td_certs(const char *rel)
{
	STACK_OF(X509) *sk = NULL;
	size_t len;
	uint8_t *d = td_read(rel, &len);

	assert_int_equal(certs_parse(d, len, &sk), 0);
	free(d);
	return sk;
}

STACK_OF(X509_CRL) *td_crls(const char *rel)
{
	STACK_OF(X509_CRL) *sk = NULL;
	size_t len;
	uint8_t *d = td_read(rel, &len);

	assert_int_equal(crls_parse(d, len, &sk), 0);
	free(d);
	return sk;
}

uint8_t *b64url_decode(const char *s, size_t *len)
{
	size_t n = strlen(s), i, padded = (n + 3) / 4 * 4;
	char *t = malloc(padded + 1);
	uint8_t *out = malloc(padded);
	int r;

	assert_non_null(t);
	assert_non_null(out);
	for (i = 0; i < n; i++)
		t[i] = s[i] == '-' ? '+' : s[i] == '_' ? '/' : s[i];
	for (; i < padded; i++)
		t[i] = '=';
	t[padded] = 0;
	r = EVP_DecodeBlock(out, (const unsigned char *)t, (int)padded);
	assert_true(r >= 0);
	*len = (size_t)r - (n % 4 ? 4 - n % 4 : 0);
	free(t);
	return out;
}

int64_t t_at(const char *s)
{
	int64_t t = 0;

	assert_int_equal(rfc3339_parse(s, &t), 0);
	return t;
}

static char tmp_dir_path[64];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	return remove(path);
}

static void tmp_dir_cleanup(void)
{
	if (tmp_dir_path[0])
		nftw(tmp_dir_path, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

const char *tmp_dir(void)
{
	if (!tmp_dir_path[0]) {
		snprintf(tmp_dir_path, sizeof(tmp_dir_path), "/tmp/cvmm-attest-XXXXXX");
		assert_non_null(mkdtemp(tmp_dir_path));
		atexit(tmp_dir_cleanup);
	}
	return tmp_dir_path;
}

const char *tmp_write(const char *name, const void *data, size_t len)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", tmp_dir(), name);
	assert_int_equal(file_write_atomic(path, data, len), 0);
	return path;
}

void expect_ok(struct verdict *v)
{
	if (!verdict_ok(v)) {
		char *s = json_dumps(v->failed, 0);

		fprintf(stderr, "unexpected failures: %s\n", s);
		free(s);
	}
	assert_true(verdict_ok(v));
	verdict_free(v);
}

void expect_only(struct verdict *v, const char *const *list)
{
	size_t i, n;

	for (i = 0; list[i]; i++) {
		if (!verdict_has(v, list[i])) {
			char *s = json_dumps(v->failed, 0);

			fprintf(stderr, "expected %s to fail; failures: %s\n", list[i], s);
			free(s);
		}
		assert_true(verdict_has(v, list[i]));
	}
	for (i = 0; i < json_array_size(v->failed); i++) {
		json_t *f = json_array_get(v->failed, i);
		const char *c = json_string_value(json_object_get(f, "check"));
		bool listed = false;

		for (n = 0; list[n]; n++)
			listed |= !strcmp(list[n], c);
		if (!listed)
			fprintf(stderr, "unexpected failure %s: %s\n", c,
				json_string_value(json_object_get(f, "detail")));
		assert_true(listed);
	}
	verdict_free(v);
}

json_t *jget(json_t *o, const char *path)
{
	char buf[128], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(tok))
				     : json_object_get(o, tok);
	return o;
}

void expect_status(const struct verdict *v, const char *check,
			  enum verdict_status want)
{
	enum verdict_status st = VERDICT_FAILED;

	if (!verdict_status(v, check, &st))
		fprintf(stderr, "%s was not recorded\n", check);
	else if (st != want)
		fprintf(stderr, "%s: status %d, expected %d\n", check, st, want);
	assert_true(verdict_status(v, check, &st));
	assert_int_equal(st, want);
}

/* The detail of @check's first failure contains @part. */
void expect_detail(const struct verdict *v, const char *check, const char *part)
{
	json_t *f;
	size_t i;

	json_array_foreach(v->failed, i, f) {
		const char *d = json_string_value(json_object_get(f, "detail"));

		if (strcmp(json_string_value(json_object_get(f, "check")), check))
			continue;
		if (!strstr(d, part))
			fprintf(stderr, "'%s' not in '%s'\n", part, d);
		assert_non_null(strstr(d, part));
		return;
	}
	fail_msg("%s did not fail", check);
}
