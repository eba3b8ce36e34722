/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SNP_REPORT_H
#define CVMM_ATTEST_SNP_REPORT_H

/*
 * SEV-SNP ATTESTATION_REPORT (SEV-SNP firmware ABI, table "ATTESTATION_
 * REPORT Structure"): 1184 bytes, versions 2 to 5.  Version 3 adds
 * CPUID_FAM_ID/MOD_ID/STEP at 0x188 (version 4, which Turin firmware may
 * emit, has the same layout), version 5 LAUNCH_MIT_VECTOR and
 * CURRENT_MIT_VECTOR at 0x1F8/0x200; earlier versions have zeros there.
 * Signed with ECDSA P-384/SHA-384 over bytes 0x000-0x29F; R and S are
 * 72-byte little-endian.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define SNP_REPORT_SIZE		0x4A0
#define SNP_REPORT_SIGNED_LEN	0x2A0
#define SNP_SIG_COMPONENT_LEN	72
#define SNP_REPORT_VERSION_MIN	2
#define SNP_REPORT_VERSION_MAX	5

/* POLICY bits */
#define SNP_POLICY_SMT			(1ULL << 16)
#define SNP_POLICY_RESERVED1		(1ULL << 17)
#define SNP_POLICY_MIGRATE_MA		(1ULL << 18)
#define SNP_POLICY_DEBUG		(1ULL << 19)
#define SNP_POLICY_SINGLE_SOCKET	(1ULL << 20)
#define SNP_POLICY_CXL_ALLOW		(1ULL << 21)
#define SNP_POLICY_MEM_AES_256_XTS	(1ULL << 22)
#define SNP_POLICY_RAPL_DIS		(1ULL << 23)
#define SNP_POLICY_CIPHERTEXT_HIDING	(1ULL << 24)
#define SNP_POLICY_PAGE_SWAP_DISABLE	(1ULL << 25)

/* KEY_INFO.SIGNING_KEY */
enum snp_signing_key {
	SNP_SIGNING_KEY_VCEK = 0,
	SNP_SIGNING_KEY_VLEK = 1,
	SNP_SIGNING_KEY_NONE = 7,
};

enum snp_product {
	SNP_PRODUCT_UNKNOWN = 0,
	SNP_PRODUCT_MILAN,
	SNP_PRODUCT_GENOA,
	SNP_PRODUCT_TURIN,
	SNP_PRODUCT_COUNT,
};

/* A TCB_VERSION split into components (layout depends on the product). */
struct snp_tcb {
	uint8_t bootloader, tee, snp, microcode, fmc;
	bool has_fmc;		/* Turin and later */
};

struct snp_report {
	uint32_t version;
	uint32_t guest_svn;
	uint64_t policy;
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t vmpl;
	uint32_t signature_algo;
	uint64_t current_tcb;
	uint64_t platform_info;
	uint32_t key_info;
	uint8_t report_data[64];
	uint8_t measurement[48];
	uint8_t host_data[32];
	uint8_t id_key_digest[48];
	uint8_t author_key_digest[48];
	uint8_t report_id[32];
	uint8_t report_id_ma[32];
	uint64_t reported_tcb;
	uint8_t cpuid_fam_id, cpuid_mod_id, cpuid_step;	/* v3+ */
	uint8_t chip_id[64];
	uint64_t committed_tcb;
	uint8_t current_build, current_minor, current_major;
	uint8_t committed_build, committed_minor, committed_major;
	uint64_t launch_tcb;
	uint64_t launch_mit_vector, current_mit_vector;		/* v5 */
	uint8_t sig_r[SNP_SIG_COMPONENT_LEN];
	uint8_t sig_s[SNP_SIG_COMPONENT_LEN];
	uint8_t raw[SNP_REPORT_SIZE];
};

/*
 * Decode a binary report.  Returns 0, -EINVAL when @len is not 1184, or
 * -EPROTONOSUPPORT for a version outside 2..5 (r->version says which).
 */
int snp_report_parse(const uint8_t *buf, size_t len, struct snp_report *r);

static inline enum snp_signing_key snp_report_signing_key(const struct snp_report *r)
{
	return (enum snp_signing_key)((r->key_info >> 2) & 7);
}

/* The product from CPUID fields of a v3+ report (UNKNOWN for v2). */
enum snp_product snp_report_product(const struct snp_report *r);

const char *snp_product_name(enum snp_product p);
/* "Milan", "Milan-B0", "SEV-Milan", "ARK-Milan", "SEV-VLEK-Milan"... */
enum snp_product snp_product_from_name(const char *name);

void snp_tcb_decode(uint64_t raw, enum snp_product p, struct snp_tcb *out);

/* All fields, decoded (@p selects the TCB layout; UNKNOWN = Milan/Genoa). */
json_t *snp_report_claims(const struct snp_report *r, enum snp_product p);
json_t *snp_tcb_claims(uint64_t raw, enum snp_product p);

#endif
