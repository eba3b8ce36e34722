/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_CERTS_OFFLINE_H
#define CVMM_BROKER_CERTS_OFFLINE_H

/*
 * Certificates and collateral without the network (--certs DIR):
 *
 *   DIR/vcek/v1/<Milan|Genoa|Turin>/<HWID>?blSPL=B&teeSPL=T&snpSPL=S&ucodeSPL=U
 *       (Turin: ?fmcSPL=F&blSPL=…) the VCEK for that chip and TCB, as AMD's
 *       KDS serves it (DER or PEM) — the file name is the KDS URL path and
 *       query, which is what `wget -x` of the KDS URL writes;
 *   DIR/vcek/v1/<product>/cert_chain, DIR/vlek/v1/<product>/cert_chain
 *       ASK/ASVK then ARK (only needed for roots other than AMD's);
 *   DIR/tdx/<fmspc, lowercase hex>/tcb_info.json   PCS TCB info response
 *   DIR/tdx/qe_identity.json                       PCS QE identity response
 *   DIR/tdx/tcb_chain.pem                          TCB-Info-Issuer-Chain
 *
 * Everything read is untrusted and goes through the same verification as
 * certificates carried in the evidence.  Missing files are not errors.
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "attest/snp/report.h"

#define OFFLINE_MAX_FILE	(1u << 20)

/* Append the VCEK (and cert chains) matching @report to @certs; 0 if any found. */
int certs_offline_snp(const char *dir, const uint8_t report[SNP_REPORT_SIZE],
		      STACK_OF(X509) *certs);

struct tdx_collateral_files {
	char *tcb_info;
	size_t tcb_info_len;
	char *qe_identity;
	size_t qe_identity_len;
	STACK_OF(X509) *tcb_chain;
};

/* Load the collateral for FMSPC @fmspc (12 hex digits); 0 if all found. */
int certs_offline_tdx(const char *dir, const char *fmspc,
		      struct tdx_collateral_files *out);
void tdx_collateral_files_free(struct tdx_collateral_files *c);

#endif
