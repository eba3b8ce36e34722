/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_REFVAL_H
#define CVMM_BROKER_REFVAL_H

/*
 * Reference values: named sets of (kind, hex value) that policies refer to
 * with "reference_values".  Kinds are the policy allow-lists they extend:
 * snp.measurement, snp.host_data, snp.family_id, snp.image_id,
 * snp.id_key_digest, snp.author_key_digest, snp.chip_id, tdx.mrtd,
 * tdx.rtmr0..tdx.rtmr3, tdx.mrconfigid, tdx.mrowner, tdx.mrownerconfig,
 * tdx.mrseam.
 *
 * Import (`cvmm-broker admin add-reference NAME FILE`) takes either
 *  - an explicit document {"<kind>": "<hex>" | ["<hex>", ...], ...}, or
 *  - the JSON `cvmm measure --json` prints: the platform from "coco",
 *    "type" or "platform" (a string containing "snp" or "tdx"), and the
 *    members "measurement" (SNP), "mrtd", "rtmr0".."rtmr3" or "rtmr"
 *    [4], "host_data", "mrconfigid", "family_id", "image_id",
 *    "id_key_digest", "author_key_digest", at the top level or inside
 *    "snp", "tdx", "id_block" or "measurements" objects; other members
 *    are ignored.
 * Values must be hex of the kind's length; nothing found is an error.
 */
#include <stddef.h>

#include <jansson.h>

#include "broker/store.h"
#include "util/err.h"

/* Byte length of a kind's values, or 0 for an unknown kind. */
size_t refval_kind_len(const char *kind);

/* Parse an import document into {"<kind>": ["hex", ...]} (new reference). */
int refval_import(const char *text, size_t len, json_t **values,
		  struct err_msg *why);

/*
 * Append the values of each set named in @refs (string or list of
 * strings) to the allow-lists of the policy object @policy.  -EINVAL
 * (with @why) for a missing or empty set or a bad @refs.
 */
int refval_expand(struct store *st, const json_t *refs, json_t *policy,
		  struct err_msg *why);

#endif
