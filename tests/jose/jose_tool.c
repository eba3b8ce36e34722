// SPDX-License-Identifier: GPL-2.0-only
/*
 * jose_tool: a thin command line over src/jose for the cross-checks
 * against independent JOSE implementations (crosscheck.py) and for rough
 * timings.  A test tool: not installed; private keys are unencrypted PEM.
 *
 *   jose_tool genkey KIND PRIV.pem PUB.jwk [ALG]
 *   jose_tool encrypt PUB.jwk ALG IN OUT         flattened JWE to OUT
 *   jose_tool decrypt PRIV.pem IN OUT [--allow-rsa1_5]   IN: JSON or compact
 *   jose_tool sign PRIV.pem ALG CLAIMS.json OUT [--embed-jwk]
 *   jose_tool verify TOKEN-FILE [PUB.jwk]        {"header","claims"} to stdout
 *   jose_tool jcs IN | jcs-sha384 IN | thumbprint JWK
 *   jose_tool numbers IN      one 16-hex-digit IEEE bit pattern per line in,
 *                             its ECMAScript string per line out
 *   jose_tool bench [SECONDS]
 *
 * Exit status 0, or 1 with one line "jose_tool: <what>: <why>".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>

#include "jose/jcs.h"
#include "jose/jwe.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose_tool.h"
#include "util/err.h"
#include "util/file.h"

int tool_fail(const char *what, const char *why)
{
	fprintf(stderr, "jose_tool: %s: %s\n", what, why);
	return 1;
}

char *tool_read(const char *path, size_t *len)
{
	uint8_t *d = NULL;
	size_t n = 0;
	int ret = file_read(path, 64 << 20, &d, &n);

	if (ret) {
		tool_fail(path, strerror(-ret));
		return NULL;
	}
	if (len)
		*len = n;
	return (char *)d;
}

json_t *tool_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES |
				   JSON_DECODE_ANY, &e);

	if (!j)
		tool_fail(path, e.text);
	return j;
}

EVP_PKEY *tool_priv(const char *path)
{
	BIO *b = BIO_new_file(path, "r");
	EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;

	BIO_free(b);
	if (!k)
		tool_fail(path, "not a PEM private key");
	return k;
}

EVP_PKEY *tool_pub(const char *path)
{
	json_t *j = tool_json(path);
	EVP_PKEY *k = NULL;
	struct err_msg why = { "" };

	if (j && jwk_to_pkey(j, &k, &why))
		tool_fail(path, why.msg);
	json_decref(j);
	return k;
}

static int write_out(const char *path, const void *d, size_t n)
{
	int ret = file_write_atomic(path, d, n);

	return ret ? tool_fail(path, strerror(-ret)) : 0;
}

static int cmd_genkey(int argc, char **argv)
{
	EVP_PKEY *k;
	json_t *pub;
	char *s;
	BIO *b;
	int ret = 1;

	if (argc < 4)
		return tool_fail("genkey", "KIND PRIV.pem PUB.jwk [ALG]");
	k = jwk_generate(argv[1]);
	if (!k)
		return tool_fail(argv[1], "unknown kind");
	pub = jwk_from_pkey(k, argc > 4 ? argv[4] : NULL);
	s = pub ? json_dumps(pub, JSON_COMPACT) : NULL;
	b = BIO_new_file(argv[2], "w");
	if (b && PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL) &&
	    s && !write_out(argv[3], s, strlen(s)))
		ret = 0;
	else if (!b)
		tool_fail(argv[2], "cannot write");
	BIO_free(b);
	free(s);
	json_decref(pub);
	EVP_PKEY_free(k);
	return ret;
}

static int cmd_encrypt(int argc, char **argv)
{
	EVP_PKEY *k;
	enum jwe_alg alg;
	json_t *f = NULL;
	size_t n = 0;
	char *pt, *s = NULL;
	int ret;

	if (argc < 5)
		return tool_fail("encrypt", "PUB.jwk ALG IN OUT");
	if (jwe_alg_from_name(argv[2], &alg))
		return tool_fail(argv[2], "unknown JWE alg");
	k = tool_pub(argv[1]);
	pt = k ? tool_read(argv[3], &n) : NULL;
	if (!pt) {
		EVP_PKEY_free(k);
		return 1;
	}
	ret = jwe_encrypt(k, alg, (const uint8_t *)pt, n, &f);
	if (ret)
		ret = tool_fail("jwe_encrypt", strerror(-ret));
	else if (!(s = json_dumps(f, JSON_COMPACT)))
		ret = tool_fail("json", "out of memory");
	else
		ret = write_out(argv[4], s, strlen(s));
	free(s);
	free(pt);
	json_decref(f);
	EVP_PKEY_free(k);
	return ret;
}

static int cmd_decrypt(int argc, char **argv)
{
	unsigned flags = argc > 4 && !strcmp(argv[4], "--allow-rsa1_5") ?
			 JWE_ALLOW_RSA1_5 : 0;
	EVP_PKEY *k;
	json_t *jwe;
	uint8_t *pt = NULL;
	size_t n = 0, len;
	struct err_msg why = { "" };
	char *text;
	int ret;

	if (argc < 4)
		return tool_fail("decrypt", "PRIV.pem IN OUT [--allow-rsa1_5]");
	text = tool_read(argv[2], &len);
	if (!text)
		return 1;
	jwe = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	if (!jwe) {	/* the compact serialization, one line */
		len = strcspn(text, "\r\n");
		jwe = json_stringn(text, len);
	}
	free(text);
	k = tool_priv(argv[1]);
	if (!k || !jwe) {
		json_decref(jwe);
		EVP_PKEY_free(k);
		return 1;
	}
	ret = jwe_decrypt_ex(k, jwe, flags, &pt, &n, &why);
	ret = ret ? tool_fail("jwe_decrypt", why.msg) : write_out(argv[3], pt, n);
	jose_free_secret(pt, n);
	json_decref(jwe);
	EVP_PKEY_free(k);
	return ret;
}

static int cmd_sign(int argc, char **argv)
{
	int embed = argc > 5 && !strcmp(argv[5], "--embed-jwk");
	EVP_PKEY *k;
	json_t *claims, *extra = NULL;
	char *tok = NULL;
	int ret;

	if (argc < 5)
		return tool_fail("sign", "PRIV.pem ALG CLAIMS.json OUT [--embed-jwk]");
	k = tool_priv(argv[1]);
	claims = k ? tool_json(argv[3]) : NULL;
	if (!claims) {
		EVP_PKEY_free(k);
		return 1;
	}
	if (embed)
		extra = json_pack("{s:s, s:o}", "typ", "JWT", "jwk",
				  jwk_from_pkey(k, NULL));
	ret = jws_sign(k, argv[2], extra, claims, &tok);
	ret = ret ? tool_fail("jws_sign", strerror(-ret)) :
	      write_out(argv[4], tok, strlen(tok));
	free(tok);
	json_decref(extra);
	json_decref(claims);
	EVP_PKEY_free(k);
	return ret;
}

static int cmd_verify(int argc, char **argv)
{
	EVP_PKEY *k = NULL;
	json_t *h = NULL, *c = NULL, *out;
	struct err_msg why = { "" };
	char *tok, *s;
	int ret;

	if (argc < 2)
		return tool_fail("verify", "TOKEN-FILE [PUB.jwk]");
	if (argc > 2 && !(k = tool_pub(argv[2])))
		return 1;
	tok = tool_read(argv[1], NULL);
	if (!tok) {
		EVP_PKEY_free(k);
		return 1;
	}
	tok[strcspn(tok, "\r\n")] = 0;
	ret = jws_verify(tok, k, &h, &c, &why);
	if (ret) {
		ret = tool_fail("jws_verify", why.msg);
	} else {
		out = json_pack("{s:o, s:o}", "header", h, "claims", c);
		s = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
		printf("%s\n", s);
		free(s);
		json_decref(out);
	}
	free(tok);
	EVP_PKEY_free(k);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "genkey", cmd_genkey }, { "encrypt", cmd_encrypt },
		{ "decrypt", cmd_decrypt }, { "sign", cmd_sign },
		{ "verify", cmd_verify }, { "jcs", tool_cmd_jcs },
		{ "jcs-sha384", tool_cmd_jcs_sha384 },
		{ "thumbprint", tool_cmd_thumbprint },
		{ "numbers", tool_cmd_numbers }, { "bench", tool_cmd_bench },
	};
	size_t i;

	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	return tool_fail(argc > 1 ? argv[1] : "usage", "genkey|encrypt|decrypt|"
			 "sign|verify|jcs|jcs-sha384|thumbprint|numbers|bench");
}
