/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_CLAIMS_H
#define CVMM_ATTEST_CLAIMS_H

/*
 * Helpers that put decoded fields into the JSON claims object: byte
 * strings as lowercase hex, 64-bit registers as "0x%016x" strings (JSON
 * numbers lose precision above 2^53), small integers as numbers and times
 * as RFC 3339 strings.  An allocation failure only loses the claim.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

json_t *claims_hex(const uint8_t *p, size_t n);
void claims_set_hex(json_t *o, const char *key, const uint8_t *p, size_t n);
void claims_set_u64hex(json_t *o, const char *key, uint64_t v);
void claims_set_int(json_t *o, const char *key, int64_t v);
void claims_set_bool(json_t *o, const char *key, bool v);
void claims_set_str(json_t *o, const char *key, const char *s);
void claims_set_time(json_t *o, const char *key, int64_t t);

#endif
