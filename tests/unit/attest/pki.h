/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ATTEST_PKI_H
#define CVMM_TESTS_ATTEST_PKI_H

/*
 * Private test hierarchies built in memory at test time (nothing is
 * committed): an AMD-style one (ARK → ASK / ASVK in RSA-PSS SHA-384, P-384
 * VCEKs and VLEKs with the 1.3.6.1.4.1.3704.1 extensions) and an
 * Intel-style one (P-256 root → PCK Platform CA → PCK with the SGX
 * extension, TCB Signing), plus signers for SNP reports, TDX quotes and
 * PCS documents.  The keys live only in this process.  Every helper fails
 * the running test on an OpenSSL error.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "attest/snp/report.h"
#include "attest/tdx/quote.h"

/* ---- AMD ---- */

struct amd_pki {
	char product[16];		/* "Milan", "Genoa", "Turin" */
	EVP_PKEY *ark_key, *ask_key, *asvk_key;	/* shared RSA keys, not owned */
	X509 *ark, *ask, *asvk;		/* ARK-<p>, SEV-<p>, SEV-VLEK-<p> */
};

void amd_pki_init(struct amd_pki *p, const char *product);
void amd_pki_free(struct amd_pki *p);
/* ARK, ASK and ASVK: what snp_trust_init() takes as --ca. */
STACK_OF(X509) *amd_pki_ca(const struct amd_pki *p);

struct vek_spec {
	bool vlek;			/* CN SEV-VLEK (and a CSP_ID), else SEV-VCEK */
	const char *product_name;	/* extension .2, e.g. "Milan-B0" */
	uint8_t bl, tee, snp, ucode, fmc;
	bool has_fmc;
	uint8_t hwid[64];
	size_t hwid_len;		/* 0: no HWID extension */
};

/* A VEK for @key issued by @issuer (signed with @issuer_key, RSA-PSS). */
X509 *amd_vek(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *key,
	      const struct vek_spec *s);
/* A CRL issued under the name @issuer_cn, signed by @key (RSA-PSS). */
X509_CRL *amd_crl(const char *issuer_cn, EVP_PKEY *key, long revoked_serial);
/* Sign bytes 0..0x29F of @r with @key (P-384) into its SIGNATURE field. */
void snp_report_sign(uint8_t r[SNP_REPORT_SIZE], EVP_PKEY *key);
/* Put a TCB_VERSION in @p's layout at @at (8 bytes). */
void snp_put_tcb(uint8_t *at, enum snp_product p, const struct snp_tcb *t);

EVP_PKEY *pki_p384(void);
EVP_PKEY *pki_p256(void);

/* ---- Intel ---- */

struct intel_pki {
	EVP_PKEY *root_key, *ca_key, *pck_key, *tcb_key, *att_key;
	X509 *root, *ca, *pck, *tcb;
	uint8_t fmspc[6], pceid[2];
	uint8_t comp_svn[16];
	uint16_t pcesvn;
};

/* A hierarchy whose PCK certifies @comp_svn / @pcesvn for FMSPC @fmspc. */
void intel_pki_init(struct intel_pki *p, const uint8_t comp_svn[16], uint16_t pcesvn,
		    const uint8_t fmspc[6]);
void intel_pki_free(struct intel_pki *p);
/* The root alone (--ca); the TCB Signing chain (--tcb-chain). */
STACK_OF(X509) *intel_pki_ca(const struct intel_pki *p);
STACK_OF(X509) *intel_pki_tcb_chain(const struct intel_pki *p);

/* Intel's TD quoting enclave, as its PCS QE identity describes it. */
extern const uint8_t pki_td_qe_mrsigner[32];

struct td_quote_spec {
	uint16_t version;		/* 4 or 5 (v5: body type 2) */
	uint8_t reserved[4];		/* header bytes 8..11 */
	uint8_t tee_tcb_svn[16];
	uint8_t td_attributes[8];
	uint8_t mrtd[48];
	uint8_t report_data[64];
	/* the QE report */
	uint8_t qe_mrsigner[32];
	uint16_t qe_isvprodid, qe_isvsvn;
	uint8_t qe_attributes[16];
	/* QE REPORTDATA bytes 32..63 (zero in a genuine quote) */
	uint8_t qe_report_data_hi[32];
};

/* Defaults: v4, Intel's TD QE (ISVPRODID 2, ISVSVN 4, attributes 0x11). */
void td_quote_spec_init(struct td_quote_spec *s);
/* A signed quote carrying the PEM chain PCK ‖ CA ‖ root; free() it. */
uint8_t *td_quote_build(const struct intel_pki *p, const struct td_quote_spec *s,
			size_t *len);

/*
 * A PCS response {"<key>":<body>,"signature":"<hex r‖s>"} signed by the
 * TCB Signing key over the exact bytes of @body; free() it.
 */
char *pcs_doc(const struct intel_pki *p, const char *key, const char *body);
/*
 * TDX TCB info v3 for @p's FMSPC with one level: SGX components and PCESVN
 * as @p's PCK, TDX components all @tdx_svn, status @status.  Valid
 * 2024-12-01..2025-02-01.
 */
char *pcs_tcb_info(const struct intel_pki *p, unsigned tdx_svn, const char *status);
/* A TD_QE identity (Intel's values) with one level: isvsvn 4, @status. */
char *pcs_qe_identity(const struct intel_pki *p, const char *status);

#endif
