// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>

#include <openssl/evp.h>

#include "measure/digest.h"

static EVP_MD *md_sha256_impl, *md_sha384_impl;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void md_fetch(void)
{
	md_sha256_impl = EVP_MD_fetch(NULL, "SHA256", NULL);
	md_sha384_impl = EVP_MD_fetch(NULL, "SHA384", NULL);
}

static const EVP_MD *md_get(enum md_alg alg)
{
	pthread_once(&md_once, md_fetch);
	return alg == MD_SHA256 ? md_sha256_impl : md_sha384_impl;
}

int md_digest(enum md_alg alg, const void *data, size_t len, uint8_t *out)
{
	const EVP_MD *md = md_get(alg);

	if (!md)
		return -EIO;
	if (!EVP_Digest(data, len, out, NULL, md, NULL))
		return -EIO;
	return 0;
}

int md_stream_init(struct md_stream *s, enum md_alg alg)
{
	const EVP_MD *md = md_get(alg);
	EVP_MD_CTX *ctx;

	s->ctx = NULL;
	s->alg = alg;
	if (!md)
		return -EIO;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (!EVP_DigestInit_ex2(ctx, md, NULL)) {
		EVP_MD_CTX_free(ctx);
		return -EIO;
	}
	s->ctx = ctx;
	return 0;
}

int md_stream_update(struct md_stream *s, const void *data, size_t len)
{
	if (!s->ctx)
		return -EINVAL;
	if (len && !EVP_DigestUpdate(s->ctx, data, len))
		return -EIO;
	return 0;
}

int md_stream_final(struct md_stream *s, uint8_t *out)
{
	if (!s->ctx)
		return -EINVAL;
	if (!EVP_DigestFinal_ex(s->ctx, out, NULL))
		return -EIO;
	if (!EVP_DigestInit_ex2(s->ctx, md_get(s->alg), NULL))
		return -EIO;
	return 0;
}

void md_stream_free(struct md_stream *s)
{
	EVP_MD_CTX_free(s->ctx);
	s->ctx = NULL;
}
