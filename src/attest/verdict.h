/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_VERDICT_H
#define CVMM_ATTEST_VERDICT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "util/compiler.h"

/*
 * The outcome of a verification: the list of checks that failed.  Each
 * failure is a dotted check name ("snp.signature", "policy.debug", ...)
 * and a human-readable detail.  The count is kept apart from the JSON
 * list so that an allocation failure can never turn a failure into a
 * pass.
 */
struct verdict {
	size_t nfailed;
	json_t *failed;		/* [ { "check": ..., "detail": ... } ] */
};

void verdict_init(struct verdict *v);
void verdict_free(struct verdict *v);
void verdict_fail(struct verdict *v, const char *check, const char *fmt, ...)
	__printf(3, 4);
static inline bool verdict_ok(const struct verdict *v)
{
	return v->nfailed == 0;
}
/* Did check @check (exact name) fail? */
bool verdict_has(const struct verdict *v, const char *check);
/* { "ok": bool, "failed": [...] } (a new reference). */
json_t *verdict_json(const struct verdict *v);

#endif
