/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SNP_CERTS_H
#define CVMM_ATTEST_SNP_CERTS_H

/*
 * AMD SEV-SNP certificates: the VCEK/VLEK extensions (OIDs under
 * 1.3.6.1.4.1.3704.1) and the extended-report certificate table (GHCB
 * certificate blob, Linux configfs-tsm "auxblob").
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

struct snp_vek_info {
	bool is_vlek;			/* subject CN "SEV-VLEK" */
	bool is_vcek;			/* subject CN "SEV-VCEK" */
	bool has_struct_version;
	int64_t struct_version;
	char product[64];		/* "Milan-B0", "Genoa", "Turin", "" */
	bool has_bl, has_tee, has_snp, has_ucode, has_fmc;
	uint8_t bl, tee, snp, ucode, fmc;
	uint8_t hwid[64];
	size_t hwid_len;		/* 0 (absent), 8 (Turin) or 64 */
	bool has_csp_id;
	char csp_id[256];
};

/*
 * Decode the AMD extensions of a VCEK or VLEK.  A malformed or duplicated
 * extension is an error (-EINVAL); absent ones are reported as such.
 */
int snp_vek_parse(X509 *c, struct snp_vek_info *out);
json_t *snp_vek_claims(const struct snp_vek_info *v);

enum snp_cert_kind {
	SNP_CERT_ARK,
	SNP_CERT_ASK,		/* ASK or ASVK */
	SNP_CERT_VCEK,
	SNP_CERT_VLEK,
	SNP_CERT_CRL,
	SNP_CERT_OTHER,
};

/*
 * The GUID (RFC 4122 byte order, as a table stores it) of an entry of
 * @kind: VCEK, VLEK, ASK, ARK, CRL; NULL for SNP_CERT_OTHER.
 */
const uint8_t *snp_cert_guid(enum snp_cert_kind kind);

struct snp_cert_entry {
	enum snp_cert_kind kind;
	uint8_t guid[16];	/* as stored: RFC 4122 byte order */
	uint32_t offset;	/* from the start of the table */
	uint32_t length;
};

/*
 * The kind of a file in a certificate directory as snpguest writes it:
 * "vcek", "vlek", "ask", "asvk", "ark", "cert_chain" (optionally .pem,
 * .der, .crt, .cer) are certificates (SNP_CERT_OTHER: the file says
 * which), "crl" (same suffixes) SNP_CERT_CRL; anything else -1.
 */
int snp_cert_file_kind(const char *name);

#define SNP_CERT_TABLE_ENTRY	24
#define SNP_CERT_TABLE_MAX	32

/*
 * Parse a certificate table: 24-byte entries GUID ‖ u32 offset ‖ u32
 * length ending with an all-zero entry; every blob must lie inside @len
 * and after the table.  Returns 0, -EINVAL or -E2BIG.
 */
int snp_cert_table_parse(const uint8_t *buf, size_t len,
			 struct snp_cert_entry *entries, size_t max, size_t *n);

/*
 * Parse a certificate table and append its certificates to @certs and its
 * CRL (if any) to @crls.  Entries of unknown type are ignored.
 */
int snp_cert_table_load(const uint8_t *buf, size_t len, STACK_OF(X509) *certs,
			STACK_OF(X509_CRL) *crls);

#endif
