/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_PCK_H
#define CVMM_ATTEST_TDX_PCK_H

/*
 * Intel PCK certificates: the SGX extension (OID 1.2.840.113741.1.13.1,
 * Intel "SGX PCK Certificate and CRL Profile"): PPID, TCB (16 component
 * SVNs, PCESVN, CPUSVN), PCE-ID, FMSPC, SGX type, and for platform CA
 * issued certificates the platform instance ID and configuration.
 */
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

struct tdx_pck_info {
	uint8_t ppid[16];
	uint8_t comp_svn[16];
	uint16_t pcesvn;
	uint8_t cpusvn[16];
	uint8_t pceid[2];
	uint8_t fmspc[6];
	int sgx_type;			/* 0 standard, 1 scalable, 2 scalable+integrity */
	bool has_platform_instance_id;
	uint8_t platform_instance_id[16];
	int dynamic_platform, cached_keys, smt_enabled;	/* -1 absent */
};

/*
 * Decode the SGX extension of a PCK certificate.  PPID, TCB, PCE-ID, FMSPC
 * and SGX type are required.  Returns 0, -ENOENT (no extension) or
 * -EINVAL (malformed, duplicated or missing fields).
 */
int tdx_pck_parse(X509 *pck, struct tdx_pck_info *out);

/* Same, from the DER contents of the extension (for fuzzing). */
int tdx_pck_parse_ext(const uint8_t *der, size_t len, struct tdx_pck_info *out);

json_t *tdx_pck_claims(const struct tdx_pck_info *p);

#endif
