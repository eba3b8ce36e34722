/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ATTEST_HELPERS_H
#define CVMM_TESTS_ATTEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/rfc3339.h"
#include "attest/verdict.h"

/* Read $CVMM_TEST_DATA/attest/<rel>; fails the test when missing. */
uint8_t *td_read(const char *rel, size_t *len);
/* A text file of hex digits (whitespace ignored) as bytes. */
uint8_t *td_read_hex(const char *rel, size_t *len);
/* Certificates / CRLs from a data file. */
STACK_OF(X509) *td_certs(const char *rel);
STACK_OF(X509_CRL) *td_crls(const char *rel);
/* base64url (no padding) to bytes. */
uint8_t *b64url_decode(const char *s, size_t *len);
/* RFC 3339 to seconds; fails the test on bad input. */
int64_t t_at(const char *s);
/* Path of a data file (static buffer). */
const char *td_path(const char *rel);
/* Write @len bytes to a fresh temporary file; returns its path (static). */
const char *tmp_write(const char *name, const void *data, size_t len);
/* A private temporary directory, created once. */
const char *tmp_dir(void);

/* ---- verdicts ---- */

/* The verdict has no failure (then freed). */
void expect_ok(struct verdict *v);
/* Exactly the checks in @list (NULL-terminated) failed (then freed). */
void expect_only(struct verdict *v, const char *const *list);

#define EXPECT_ONLY(v, ...) do {					\
	static const char *const l_[] = { __VA_ARGS__, NULL };		\
	struct verdict v_ = (v);					\
	expect_only(&v_, l_);						\
} while (0)

/* @check was recorded with status @want. */
void expect_status(const struct verdict *v, const char *check,
		   enum verdict_status want);
/* The detail of @check's first failure contains @part. */
void expect_detail(const struct verdict *v, const char *check, const char *part);

/* A member by dotted path ("quote.td.mrtd"; numbers index arrays), or NULL. */
json_t *jget(json_t *o, const char *path);

#endif
