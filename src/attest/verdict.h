/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_VERDICT_H
#define CVMM_ATTEST_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/compiler.h"

/*
 * The outcome of a verification.
 *
 * Every check the verifier ran, or chose not to run, is recorded under a
 * dotted name ("snp.signature", "policy.debug", ...) as passed, failed or
 * skipped, with a human-readable detail; a check recorded more than once
 * keeps its worst status (failed > passed > skipped), so a check can be
 * marked passed after the code that may fail it has run.  Failures are
 * also kept in order in @failed (the stable list scripts read) and
 * counted in @nfailed, apart from any JSON, so that an allocation failure
 * can never turn a failure into a pass.  Warnings are free-text notes
 * about what the verdict does not cover (e.g. TDX without collateral).
 */
#define VERDICT_MAX_CHECKS	64	/* distinct names listed; failures are never dropped */
#define VERDICT_NAME_LEN	32

enum verdict_status {
	VERDICT_SKIPPED = 0,
	VERDICT_PASSED,
	VERDICT_FAILED,
};

struct verdict_check {
	uint32_t hash;		/* of the name: most lookups miss */
	char name[VERDICT_NAME_LEN];
	enum verdict_status status;
	char *detail;		/* NULL, or the first note of its status */
};

struct verdict {
	size_t nfailed;
	json_t *failed;		/* [ { "check": ..., "detail": ... } ] */
	json_t *warnings;	/* [ "..." ] */
	size_t nchecks;
	struct verdict_check checks[VERDICT_MAX_CHECKS];
};

void verdict_init(struct verdict *v);
void verdict_free(struct verdict *v);
/* A deep copy of @from into @to (which is not initialised); -ENOMEM. */
int verdict_copy(struct verdict *to, const struct verdict *from);

void verdict_fail(struct verdict *v, const char *check, const char *fmt, ...)
	__printf(3, 4);
/* @check ran and found nothing wrong (unless it already failed). */
void verdict_pass(struct verdict *v, const char *check);
void verdict_passf(struct verdict *v, const char *check, const char *fmt, ...)
	__printf(3, 4);
/* @check was not run, and why ("no CRL given"). */
void verdict_skip(struct verdict *v, const char *check, const char *fmt, ...)
	__printf(3, 4);
void verdict_warn(struct verdict *v, const char *fmt, ...) __printf(2, 3);

static inline bool verdict_ok(const struct verdict *v)
{
	return v->nfailed == 0;
}
/* Did check @check (exact name) fail? */
bool verdict_has(const struct verdict *v, const char *check);
/* The recorded status of @check; false when it was never recorded. */
bool verdict_status(const struct verdict *v, const char *check,
		    enum verdict_status *status);
/*
 * { "ok": bool, "failed": [...], "checks": [ {"check", "status", "detail"} ],
 *   "warnings": [...] } (a new reference).
 */
json_t *verdict_json(const struct verdict *v);

#endif
