// SPDX-License-Identifier: GPL-2.0-only
/* jose_tool: JCS, thumbprints, number formatting, timings (see jose_tool.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jose/b64url.h"
#include "jose/jcs.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose_tool.h"

int tool_cmd_jcs(int argc, char **argv)
{
	json_t *j = argc > 1 ? tool_json(argv[1]) : NULL;
	char *s = NULL;
	size_t n;
	int ret;

	if (!j)
		return argc > 1 ? 1 : tool_fail("jcs", "IN");
	ret = jcs_serialize(j, &s, &n);
	if (ret)
		ret = tool_fail("jcs_serialize", strerror(-ret));
	else
		fwrite(s, 1, n, stdout);
	free(s);
	json_decref(j);
	return ret;
}

int tool_cmd_jcs_sha384(int argc, char **argv)
{
	json_t *j = argc > 1 ? tool_json(argv[1]) : NULL;
	uint8_t d[48];
	int ret, i;

	if (!j)
		return argc > 1 ? 1 : tool_fail("jcs-sha384", "IN");
	ret = jcs_sha384(j, d);
	json_decref(j);
	if (ret)
		return tool_fail("jcs_sha384", strerror(-ret));
	for (i = 0; i < 48; i++)
		printf("%02x", d[i]);
	printf("\n");
	return 0;
}

int tool_cmd_thumbprint(int argc, char **argv)
{
	json_t *j = argc > 1 ? tool_json(argv[1]) : NULL;
	uint8_t t[32];
	char *s;
	int ret;

	if (!j)
		return argc > 1 ? 1 : tool_fail("thumbprint", "JWK");
	ret = jwk_thumbprint(j, t);
	json_decref(j);
	if (ret)
		return tool_fail("jwk_thumbprint", strerror(-ret));
	s = b64url_encode(t, 32);
	printf("%s\n", s);
	free(s);
	return 0;
}

int tool_cmd_numbers(int argc, char **argv)
{
	char line[64], buf[JCS_NUM_MAX];
	FILE *f;

	if (argc < 2)
		return tool_fail("numbers", "IN");
	f = fopen(argv[1], "r");
	if (!f)
		return tool_fail(argv[1], strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		uint64_t bits = strtoull(line, NULL, 16);
		double d;

		memcpy(&d, &bits, sizeof(d));
		if (jcs_format_double(d, buf, sizeof(buf)) < 0)
			strcpy(buf, "error");
		printf("%s\n", buf);
	}
	fclose(f);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct bench_ctx {
	EVP_PKEY *key;
	enum jwe_alg alg;
	const char *jws_alg;
	json_t *jwe, *claims;
	char *token;
};

static int op_encrypt(struct bench_ctx *c)
{
	json_t *f = NULL;
	int ret = jwe_encrypt(c->key, c->alg, (const uint8_t *)"0123456789abcdef"
			      "0123456789abcdef", 32, &f);

	json_decref(f);
	return ret;
}

static int op_decrypt(struct bench_ctx *c)
{
	uint8_t *pt = NULL;
	size_t n = 0;
	int ret = jwe_decrypt(c->key, c->jwe, &pt, &n, NULL);

	jose_free_secret(pt, n);
	return ret;
}

static int op_sign(struct bench_ctx *c)
{
	char *t = NULL;
	int ret = jws_sign(c->key, c->jws_alg, NULL, c->claims, &t);

	free(t);
	return ret;
}

static int op_verify(struct bench_ctx *c)
{
	return jws_verify(c->token, c->key, NULL, NULL, NULL);
}

static int op_jcs(struct bench_ctx *c)
{
	uint8_t d[48];

	return jcs_sha384(c->claims, d);
}

/* Run @op for about @secs seconds; print one JSON line. */
static int bench_run(const char *name, int (*op)(struct bench_ctx *),
		     struct bench_ctx *c, double secs)
{
	double t0 = now(), t;
	long n = 0;

	do {
		if (op(c))
			return tool_fail(name, "operation failed");
		n++;
		t = now() - t0;
	} while (t < secs);
	printf("{\"op\":\"%s\",\"per_s\":%.0f}\n", name, (double)n / t);
	return 0;
}

int tool_cmd_bench(int argc, char **argv)
{
	static const struct {
		const char *kind, *label;
		enum jwe_alg alg;
	} jwe[] = {
		{ "P-256", "ECDH-ES+A256KW P-256", JWE_ECDH_ES_A256KW },
		{ "P-521", "ECDH-ES+A256KW P-521", JWE_ECDH_ES_A256KW },
		{ "RSA-3072", "RSA-OAEP-256 3072", JWE_RSA_OAEP_256 },
	};
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	struct bench_ctx c = { 0 };
	char name[96];
	size_t i;
	int ret = 0;

	c.claims = json_pack("{s:s, s:s, s:{s:s}}", "nonce", "MTIzNDU2Nzg5MDEy",
			     "additional-evidence", "", "tee-pubkey", "kty", "EC");
	for (i = 0; i < 3 && !ret; i++) {
		c.key = jwk_generate(jwe[i].kind);
		c.alg = jwe[i].alg;
		ret = !c.key || jwe_encrypt(c.key, c.alg, (const uint8_t *)"k", 1,
					    &c.jwe);
		snprintf(name, sizeof(name), "jwe_encrypt %s", jwe[i].label);
		ret = ret ? 1 : bench_run(name, op_encrypt, &c, secs);
		snprintf(name, sizeof(name), "jwe_decrypt %s", jwe[i].label);
		ret = ret ? 1 : bench_run(name, op_decrypt, &c, secs);
		json_decref(c.jwe);
		EVP_PKEY_free(c.key);
	}
	for (i = 0; i < 2 && !ret; i++) {
		c.key = jwk_generate(i ? "Ed25519" : "P-256");
		c.jws_alg = i ? "EdDSA" : "ES256";
		ret = !c.key || jws_sign(c.key, c.jws_alg, NULL, c.claims, &c.token);
		snprintf(name, sizeof(name), "jws_sign %s", c.jws_alg);
		ret = ret ? 1 : bench_run(name, op_sign, &c, secs);
		snprintf(name, sizeof(name), "jws_verify %s", c.jws_alg);
		ret = ret ? 1 : bench_run(name, op_verify, &c, secs);
		free(c.token);
		EVP_PKEY_free(c.key);
	}
	if (!ret)
		ret = bench_run("jcs_sha384 runtime-data", op_jcs, &c, secs);
	json_decref(c.claims);
	return ret;
}
