/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_EVIDENCE_H
#define CVMM_AGENT_EVIDENCE_H

/*
 * Evidence providers: a report (SEV-SNP) or quote (TDX) whose 64-byte
 * REPORT_DATA is the caller's, plus what a verifier needs beside it.
 *
 *   tsm        Linux >= 6.7 configfs-tsm, /sys/kernel/config/tsm/report:
 *              SNP outblob (report) + auxblob (certificate table), TDX
 *              outblob (quote; the kernel asks the host's quoting service)
 *   sev-guest  /dev/sev-guest: SNP_GET_EXT_REPORT (report + certificate
 *              table), falling back to SNP_GET_REPORT (Linux >= 5.19)
 *   tdx-guest  /dev/tdx_guest: TDX_CMD_GET_REPORT0 (TDREPORT, Linux >= 6.2),
 *              then a quote from the host's quote generation service over
 *              vsock (CID 2, port 4050; DCAP's QGS message protocol)
 *   sim        cvmm's simulated SEV-SNP platform over vsock (simtee.h)
 *   auto       tsm, else sev-guest, else tdx-guest (sim only when asked)
 *
 * TDX evidence also carries the confidential-computing event log from ACPI
 * (/sys/firmware/acpi/tables/CCEL and data/CCEL) when the guest has one.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "agent/config.h"

enum agent_tee {
	AGENT_TEE_SNP,
	AGENT_TEE_TDX,
};

#define EVIDENCE_MAX_QUOTE	(1u << 20)
#define EVIDENCE_MAX_CERTS	(1u << 20)
#define EVIDENCE_MAX_LOG	(16u << 20)

struct evidence {
	enum agent_tee tee;
	const char *provider;		/* "tsm", "sev-guest", ... */
	uint8_t *report;		/* SNP report (1184) or TDX quote */
	size_t report_len;
	uint8_t *certs;			/* SNP certificate table, or NULL */
	size_t certs_len;
	uint8_t *eventlog;		/* TDX CCEL (trimmed, 8 x 0xFF), or NULL */
	size_t eventlog_len;
};

/* The protocol's name of @tee: "snp", "tdx". */
const char *agent_tee_name(enum agent_tee tee);

/*
 * Which TEE the configured provider gives evidence for (before any
 * report is requested: the broker's auth step needs it).  Returns 0 or a
 * negative errno with @why (no provider found, unknown configfs-tsm
 * provider).
 */
int evidence_probe(const struct agent_config *c, enum agent_tee *tee,
		   const char **provider, char *why, size_t whylen);

/*
 * Collect evidence with @report_data from @provider (as probed), waiting
 * until @deadline at most.  Returns 0 (free with evidence_free()) or a
 * negative errno with @why.
 */
int evidence_collect(const struct agent_config *c, const char *provider,
		     const uint8_t report_data[64], uint64_t deadline,
		     struct evidence *ev, char *why, size_t whylen);

void evidence_free(struct evidence *ev);

/* The providers (ev_*.c); same contract as evidence_collect(). */
int ev_tsm_probe(const char *root, enum agent_tee *tee, char *why, size_t whylen);
int ev_tsm_collect(const char *root, const struct agent_config *c,
		   const uint8_t report_data[64], struct evidence *ev,
		   char *why, size_t whylen);
int ev_sev_guest_collect(const char *dev, const struct agent_config *c,
			 const uint8_t report_data[64], struct evidence *ev,
			 char *why, size_t whylen);
int ev_tdx_guest_collect(const char *dev, const uint8_t report_data[64],
			 uint64_t deadline, struct evidence *ev,
			 char *why, size_t whylen);
int ev_sim_collect(const struct agent_config *c, const uint8_t report_data[64],
		   uint64_t deadline, struct evidence *ev, char *why, size_t whylen);

/*
 * The CCEL of this guest (@table, @data: the sysfs files) trimmed to its
 * used part, followed by 8 bytes of 0xFF as Trustee's attester sends it.
 * Returns 0 (*log NULL when the guest has no CCEL) or -errno with @why.
 */
int ev_ccel_read(const char *table, const char *data, uint8_t **log,
		 size_t *len, char *why, size_t whylen);

/*
 * DCAP QGS protocol: a GET_QUOTE request for a 1024-byte TDREPORT (with
 * the 4-byte big-endian length prefix used on sockets), and the quote
 * from a response.  Returns 0 or -EBADMSG with @why.
 */
int qgs_quote_request(const uint8_t tdreport[1024], uint8_t *out, size_t outlen,
		      size_t *len);
int qgs_quote_response(const uint8_t *msg, size_t len, const uint8_t **quote,
		       size_t *quote_len, char *why, size_t whylen);

/*
 * The broker protocol's primary evidence: SNP
 * {"attestation_report":{serde fields},"cert_chain":[...]|null} or TDX
 * {"quote":"<base64>","cc_eventlog":"<base64>"|null}.  Returns 0 or
 * -EINVAL / -ENOMEM with @why.
 */
int evidence_to_json(const struct evidence *ev, json_t **out,
		     char *why, size_t whylen);

/*
 * The Trustee serde form of a binary SNP report (-EINVAL: not 1184 bytes,
 * -EPROTONOSUPPORT: a version other than 2, 3, 5) and of a certificate
 * table (-EINVAL: malformed).
 */
int snp_report_to_serde(const uint8_t *report, size_t len, json_t **out,
			char *why, size_t whylen);
int snp_certs_to_chain(const uint8_t *table, size_t len, json_t **chain,
		       char *why, size_t whylen);

#endif
