/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_EVIDENCE_SNP_H
#define CVMM_BROKER_EVIDENCE_SNP_H

/*
 * SEV-SNP evidence as the KBS protocol carries it in "primary_evidence":
 *
 *  - Trustee's serde form {"attestation_report": {named fields, byte arrays
 *    as lists of integers, TCBs as {fmc,bootloader,tee,snp,microcode},
 *    versions as {major,minor,build}, signature {r[72],s[72]}},
 *    "cert_chain": [{"cert_type":"VCEK"|"VLEK"|"ASK"|"ASVK"|"ARK"|"CRL",
 *    "data":[DER bytes]}] | null}: re-encoded into the 1184-byte ABI
 *    layout with every reserved byte zero (a field that was signed but is
 *    not carried makes the signature fail, so nothing unsigned is ever
 *    trusted);
 *  - cvmm's raw form {"report":"<base64 of the 1184 bytes>",
 *    "cert_table":"<base64 of the extended-report certificate table>"?}
 *    (what configfs-tsm outblob/auxblob hold).
 *
 * A TCB with a non-null "fmc" is encoded in the Turin layout
 * (FMC BL TEE SNP - - - UCODE), otherwise Milan/Genoa (BL TEE - - - - SNP
 * UCODE).  Unknown members are ignored (they cannot change the signed
 * bytes); a missing or out-of-range member is an error.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/snp/report.h"
#include "util/err.h"

#define SNP_EVIDENCE_MAX_CERTS	16
#define SNP_EVIDENCE_MAX_CERT	(64u << 10)	/* bytes per certificate */

struct snp_evidence {
	uint8_t report[SNP_REPORT_SIZE];
	STACK_OF(X509) *certs;		/* untrusted: VCEK/VLEK (+ ASK, ARK) */
	STACK_OF(X509_CRL) *crls;
};

/* 0 or -EINVAL (reason in @why) / -ENOMEM.  @ev is freed on failure. */
int snp_evidence_parse(const json_t *primary, struct snp_evidence *ev,
		       struct err_msg *why);
void snp_evidence_free(struct snp_evidence *ev);

/*
 * The serde form of a binary report (no cert_chain member): the inverse of
 * the decoder, for tests and tools.  NULL on ENOMEM or a bad report.
 */
json_t *snp_report_to_serde(const uint8_t report[SNP_REPORT_SIZE]);

#endif
