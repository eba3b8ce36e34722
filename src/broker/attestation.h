/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_ATTESTATION_H
#define CVMM_BROKER_ATTESTATION_H

/*
 * The result of one successful /kbs/v0/attest: verified evidence, the key
 * it is bound to and what the audit log records.  Immutable once built and
 * reference-counted, so resource requests on any thread can appraise it
 * against a resource's policy while the session table changes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "broker/binding.h"

enum tee_type { TEE_SNP, TEE_TDX };

struct attestation {
	int refs;				/* atomic */
	enum tee_type tee;
	struct tee_key key;			/* the tee-pubkey secrets are sealed to */
	uint8_t *evidence;			/* the report or quote that verified */
	size_t evidence_len;
	json_t *claims;				/* the verifier's claims */
	char measurement[97];			/* MEASUREMENT / MRTD, hex */
	char evidence_digest[97];		/* SHA-384 of the evidence, hex */
	bool test_evidence;			/* verified against --test-roots */
	uint8_t report_data[64];		/* REPORT_DATA / REPORTDATA */
	uint8_t init_field[48];			/* HOST_DATA (32) / MRCONFIGID (48) */
	size_t init_len;
	bool has_init_data;
	char *token;				/* the EAR token returned */
};

struct attestation *attestation_new(void);
struct attestation *attestation_get(struct attestation *a);
void attestation_put(struct attestation *a);

const char *tee_name(enum tee_type t);
/* "snp" / "tdx" (KBS "tee" names) -> 0, else -EINVAL. */
int tee_parse(const char *name, enum tee_type *t);

#endif
