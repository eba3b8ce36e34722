/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ATTEST_SNP_COMMON_H
#define CVMM_TESTS_ATTEST_SNP_COMMON_H

/* Shared by the SEV-SNP test programs: the Milan report, runs, claims. */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/policy.h"
#include "attest/verdict.h"

/* virtee/sev's Milan report (tests/data/attest/sev/report_milan.hex). */
#define MILAN_MEASUREMENT "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f"

uint8_t *milan_report(size_t *len);
/* The first certificate of a data file (a new reference). */
X509 *one_cert(const char *rel);

/*
 * Verify a report; returns the verdict (caller frees) and optionally the
 * claims.  @ca NULL = built-in roots.
 */
struct verdict snp_verify_run(const uint8_t *rep, size_t len, STACK_OF(X509) *certs,
			      STACK_OF(X509) *ca, STACK_OF(X509_CRL) *crls,
			      const char *at, const struct policy *pol, json_t **claims);
/* The same with a report file and its VEK file. */
struct verdict snp_verify_file(const char *report, const char *vek, const char *at,
			       const struct policy *pol, json_t **claims);

/* A string / integer member by dotted path; fails the test when absent. */
const char *jstr(json_t *o, const char *path);
json_int_t jint(json_t *o, const char *path);

#endif
