/* SPDX-License-Identifier: GPL-2.0-only */
/* Test helpers: data files under $CVMM_TEST_DATA, hex and base64. */
#ifndef CVMM_TESTS_TDATA_H
#define CVMM_TESTS_TDATA_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "util/file.h"
#include "util/num.h"

static inline char *tdata_path(const char *rel)
{
	const char *base = getenv("CVMM_TEST_DATA");
	char *p;

	if (!base)
		base = "tests/data";
	p = malloc(strlen(base) + strlen(rel) + 2);
	if (p)
		sprintf(p, "%s/%s", base, rel);
	return p;
}

/* Read $CVMM_TEST_DATA/@rel; aborts the test run if missing. */
static inline uint8_t *tdata_read(const char *rel, size_t *len)
{
	char *path = tdata_path(rel);
	uint8_t *data = NULL;

	if (!path || file_read(path, 64 << 20, &data, len)) {
		fprintf(stderr, "test data %s missing\n", path ? path : rel);
		exit(1);
	}
	free(path);
	return data;
}

static inline void tdata_hex(const char *hex, uint8_t *out, size_t len)
{
	if (hex_decode(hex, out, len)) {
		fprintf(stderr, "bad hex in test: %s\n", hex);
		exit(1);
	}
}

static inline char *tdata_tohex(const uint8_t *d, size_t len)
{
	static char buf[2 * 512 + 1];

	hex_encode(d, len, buf);
	return buf;
}

/* Base64 decode; returns bytes written. */
static inline size_t tdata_b64(const char *b64, uint8_t *out, size_t max)
{
	size_t l = strlen(b64), pad = 0;
	unsigned char *tmp = malloc(l);
	int n;

	if (l >= 1 && b64[l - 1] == '=')
		pad++;
	if (l >= 2 && b64[l - 2] == '=')
		pad++;
	n = EVP_DecodeBlock(tmp, (const unsigned char *)b64, (int)l);
	if (n < 0 || (size_t)n - pad > max) {
		fprintf(stderr, "bad base64 in test\n");
		exit(1);
	}
	memcpy(out, tmp, (size_t)n - pad);
	free(tmp);
	return (size_t)n - pad;
}

#endif
