/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_RPOLICY_H
#define CVMM_BROKER_RPOLICY_H

/*
 * Resource policies: which verified evidence may receive a resource.
 *
 * A policy is the `cvmm verify --policy` JSON (docs/verify.md) with one
 * broker extension, "reference_values": a set name or a list of names
 * whose stored values (refval.h) are appended to the matching allow-lists
 * (snp.measurement, tdx.mrtd, tdx.rtmr1, ...).  It is attached to a
 * pattern: an exact resource path "repo/type/tag", or a wildcard pattern
 * "repo/type/" + "*", "repo/" + "*" or "*"; the most specific pattern wins.
 * No policy: no release.
 *
 * The broker's defaults are stricter than `cvmm verify`'s where a key is
 * absent: snp.vmpl 0, snp.allow_migration_agent false, tdx.require_collateral
 * true (debug stays forbidden unless allow_debug is true).  A referenced
 * set that is empty or missing denies (an empty allow-list would allow
 * everything).
 */
#include <stdbool.h>
#include <stddef.h>

#include "attest/policy.h"
#include "attest/verdict.h"
#include "broker/attestation.h"
#include "broker/store.h"
#include "util/err.h"

/* A resource path: three segments of [A-Za-z0-9._-] (not "." or ".."). */
bool rpolicy_path_valid(const char *path);
/* A policy pattern: a resource path, or a prefix of 0-2 segments + "*". */
bool rpolicy_pattern_valid(const char *pattern);

/*
 * The policy text for @path (most specific pattern) into *json (free()),
 * and the pattern that matched.  0, -ENOENT (no policy), -EIO.
 */
int rpolicy_lookup(struct store *st, const char *path, char **json,
		   char pattern[STORE_PATH_MAX + 1]);

/*
 * Compile a policy text: broker defaults, reference values expanded,
 * then policy_parse().  0, -EINVAL (bad policy / missing references: @why),
 * -ENOMEM, -EIO.
 */
int rpolicy_compile(struct store *st, const char *json, struct policy *p,
		    struct err_msg *why);

/* Apply @p to the verified evidence of @a; failures to @v. */
int rpolicy_appraise(const struct policy *p, const struct attestation *a,
		     struct verdict *v);

#endif
