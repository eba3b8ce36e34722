/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_RFC3339_H
#define CVMM_ATTEST_RFC3339_H

#include <stddef.h>
#include <stdint.h>

/* "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
#define RFC3339_LEN 21

/*
 * Parse an RFC 3339 date-time ("2025-06-01T00:00:00Z", optional fraction,
 * "Z" or a "+hh:mm"/"-hh:mm" offset; 't', 'z' and a space separator are
 * accepted) into seconds since the epoch (UTC).  The whole string must be
 * consumed.  Returns 0 or -EINVAL.
 */
int rfc3339_parse(const char *s, int64_t *out);

/* Format @t as "YYYY-MM-DDTHH:MM:SSZ" (years 0..9999; clamped outside). */
void rfc3339_format(int64_t t, char out[RFC3339_LEN]);

/* Seconds since the epoch for a proleptic Gregorian UTC date and time. */
int64_t rfc3339_from_civil(int64_t year, unsigned mon, unsigned day,
			   unsigned hour, unsigned min, unsigned sec);

#endif
