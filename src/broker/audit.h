/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_AUDIT_H
#define CVMM_BROKER_AUDIT_H

/*
 * The audit log: one row per decision (auth, attest, resource release or
 * denial, every admin change), appended to the store and echoed as a
 * structured log line.  Rows carry who (client address, session), what
 * (TEE, evidence digest, measurement, resource), the verdict and its
 * failed checks, and whether the evidence was test evidence — never key
 * bytes.  `cvmm-broker audit` prints the rows as JSON lines.
 */
#include <jansson.h>

#include "broker/store.h"

/* Append @r (time set here) and log it; a store failure is logged. */
int audit_write(struct store *st, struct audit_record *r);

/* The JSON object of a row (new reference). */
json_t *audit_record_json(const struct audit_record *r);

/* `cvmm-broker audit --store URI [--json] [filters]`: exit status. */
int audit_main(int argc, char **argv);

#endif
