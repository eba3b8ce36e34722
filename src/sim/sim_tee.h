/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SIM_SIM_TEE_H
#define CVMM_SIM_SIM_TEE_H

/*
 * The simulated SEV-SNP firmware's guest requests: `cvmm boot --coco
 * snp,…,platform=sim` answers the guest's report requests itself, on
 * vsock port 4051 (the sim-TEE protocol, proto/simtee.h; the machine
 * hands each connection's socket to sim_tee_serve()).  A report is the
 * SEV-SNP ABI's ATTESTATION_REPORT (version 3 or 5 as asked) of the launch
 * the simulated platform ran for this boot:
 *
 *   MEASUREMENT    the launch digest (= cvmm measure, = --dry-run)
 *   POLICY         SNP_LAUNCH_START's policy (--coco policy=)
 *   HOST_DATA      SNP_LAUNCH_FINISH's (--coco host-data=)
 *   FAMILY_ID, IMAGE_ID, GUEST_SVN, ID_KEY_DIGEST, AUTHOR_KEY_DIGEST,
 *   KEY_INFO.AUTHOR_KEY_EN   from the ID block and ID auth (id-block=,
 *                  id-auth=; zero without)
 *   REPORT_DATA, VMPL        as requested
 *   REPORT_ID      random, one per launch; REPORT_ID_MA all ones (no
 *                  migration agent)
 *   CHIP_ID, CURRENT/REPORTED/COMMITTED/LAUNCH_TCB   the test VCEK's HWID
 *                  and TCB SPLs (sim_ca.h), so a verifier's chain, TCB and
 *                  HWID checks pass
 *   CPUID_FAM_ID/MOD_ID/STEP  Milan (0x19, 0x01, 0x01): the VCEK's product
 *   PLATFORM_INFO  SMT and TSME enabled; firmware 1.55 build 3
 *   SIGNATURE      ECDSA P-384 / SHA-384 by the test VCEK over 0x000-0x29F
 * and, when asked, the certificate table (VCEK, ASK, ARK; coco/certs.h).
 *
 * Without a test CA (no sim-ca=) or before a launch finished every
 * request gets SIMTEE_ERR_INTERNAL: there is nothing to sign with or for.
 */
#include <stddef.h>
#include <stdint.h>

#include "proto/simtee.h"
#include "sim/sim.h"
#include "sim/sim_ca.h"

/* ---- the report (sim_report.c) ---- */

struct sim_report_in {
	const struct sim_launch *launch;	/* SNP, finished */
	const struct sim_ca *ca;
	const uint8_t *report_id;		/* 32 bytes */
	uint32_t version;			/* 3 or 5 */
	uint32_t vmpl;
	const uint8_t *report_data;		/* 64 bytes */
};

/* Lay out and sign one report.  0, -EINVAL (version, VMPL), -EIO (signing). */
int sim_snp_report(const struct sim_report_in *in, uint8_t out[SIMTEE_REPORT_SIZE]);

/* ---- the service (sim_tee.c) ---- */

struct sim_tee;

/* @ca: taken over (freed with the service); NULL: every request is refused. */
int sim_tee_create(struct sim_ca *ca, struct sim_tee **out);
void sim_tee_destroy(struct sim_tee *t);
/* The launch this boot's reports describe (each boot; copied; new REPORT_ID). */
int sim_tee_set_launch(struct sim_tee *t, const struct sim_launch *l);
/*
 * The answer to one request's bytes: 0 with a malloc'd answer in *@out,
 * or -EBADMSG for a malformed request (no answer owed: close).
 */
int sim_tee_answer(struct sim_tee *t, const uint8_t *req, size_t len, uint8_t **out,
		   size_t *out_len);
/*
 * Serve one connection (vsock_serve_fn): read one request (waiting at most
 * SIM_TEE_TIMEOUT_MS), write the answer; the caller closes @fd.
 */
#define SIM_TEE_TIMEOUT_MS	30000
void sim_tee_serve(void *opaque, int fd);
/* Reports signed so far. */
unsigned long sim_tee_reports(struct sim_tee *t);

#endif
