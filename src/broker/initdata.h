/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_INITDATA_H
#define CVMM_BROKER_INITDATA_H

/*
 * Init-data (Trustee kbs/docs/initdata.md, version 0.1.0) in its TOML
 * encoding, the only one Trustee's attestation service takes:
 *
 *   version = "0.1.0"
 *   algorithm = "sha384"            # sha256 | sha384 | sha512
 *   [data]
 *   "name" = '''any string'''
 *
 * The digest is algorithm(the TOML bytes exactly as sent), bound into the
 * evidence as SNP HOST_DATA (32 bytes: truncated) or TDX MRCONFIGID (48
 * bytes: truncated or zero-padded).
 *
 * The parser takes the TOML subset this needs and refuses the rest: bare
 * or quoted keys (no dotted keys), the four string forms ("…", '…',
 * """…""", '''…'''), comments, the one table [data]; numbers, booleans,
 * dates, arrays, inline tables, other tables and duplicate keys are
 * errors.  Everything is hostile input: bounded (INITDATA_MAX bytes,
 * INITDATA_MAX_ENTRIES entries), never reads past @len.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define INITDATA_MAX		(256u << 10)
#define INITDATA_MAX_ENTRIES	64

struct initdata {
	char algorithm[16];		/* "sha256", "sha384", "sha512" */
	size_t ndata;			/* entries in [data] */
	uint8_t digest[64];
	size_t digest_len;		/* 32, 48 or 64 */
};

/* Parse and hash.  0 or -EINVAL with the reason (and line) in @why. */
int initdata_parse(const char *toml, size_t len, struct initdata *out,
		   struct err_msg *why);

/* The digest as @n bytes of a TEE field (truncated or zero-padded). */
void initdata_field(const struct initdata *d, uint8_t *field, size_t n);

#endif
