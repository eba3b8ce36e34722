// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host-independent checks of SEV/SNP policies, SEV features and TD
 * attributes (see coco_policy.h), and the names of their bits.
 *
 * Bits: SEV policy (SEV API 0.24, LAUNCH_START): 0 NODBG, 1 NOKS, 2 ES,
 * 3 NOSEND, 4 DOMAIN, 5 SEV, 6-15 reserved, 16-23 API major, 24-31 API
 * minor.  SNP guest policy (SNP firmware ABI 1.57, 4.3): 0-7 ABI minor,
 * 8-15 ABI major, 16 SMT, 17 reserved (must be one), 18 MIGRATE_MA,
 * 19 DEBUG, 20 SINGLE_SOCKET, 21 CXL_ALLOW, 22 MEM_AES_256_XTS,
 * 23 RAPL_DIS, 24 CIPHERTEXT_HIDING, 25 PAGE_SWAP_DISABLE, 26-63
 * reserved.  SEV_FEATURES (APM vol. 2, 15.35.9, the VMSA's 0x3b0):
 * 0 SNPActive, 1 vTOM, 2 ReflectVC, 3 RestrictedInjection,
 * 4 AlternateInjection, 5 DebugSwap, 6 PreventHostIBS, 7 BTBIsolation,
 * 8 VmplSSS, 9 SecureTSC, 10 VmgexitParameter, 12 IbsVirtualization,
 * 14 VmsaRegProt, 15 SmtProtection.  TD attributes (TDX module ABI,
 * TDCS.ATTRIBUTES): 0 DEBUG, 27 LASS, 28 SEPT_VE_DISABLE, 29 MIGRATABLE,
 * 30 PKS, 31 KL, 62 TPA, 63 PERFMON; the rest reserved.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "coco/coco_policy.h"
#include "util/log.h"

#define SEV_POLICY_RESERVED	0xffc0ULL
#define SNP_POLICY_MBO		((uint64_t)1 << 17)
#define SNP_POLICY_RESERVED	(~(uint64_t)0 << 26)
#define SEV_FEAT_SNP_ACTIVE	1ULL
#define TDX_ATTR_KNOWN		((uint64_t)0xc0000000f8000001ULL)

struct bit_name {
	unsigned int bit;
	const char *name;
};

static const struct bit_name snp_policy_bits[] = {
	{ 16, "SMT" }, { 17, "bit17" }, { 18, "MIGRATE_MA" }, { 19, "DEBUG" },
	{ 20, "SINGLE_SOCKET" }, { 21, "CXL_ALLOW" }, { 22, "MEM_AES_256_XTS" },
	{ 23, "RAPL_DIS" }, { 24, "CIPHERTEXT_HIDING" }, { 25, "PAGE_SWAP_DISABLE" },
};

static const struct bit_name sev_feature_bits[] = {
	{ 0, "SNPActive" }, { 1, "vTOM" }, { 2, "ReflectVC" }, { 3, "RestrictedInjection" },
	{ 4, "AlternateInjection" }, { 5, "DebugSwap" }, { 6, "PreventHostIBS" },
	{ 7, "BTBIsolation" }, { 8, "VmplSSS" }, { 9, "SecureTSC" },
	{ 10, "VmgexitParameter" }, { 12, "IbsVirtualization" }, { 14, "VmsaRegProt" },
	{ 15, "SmtProtection" },
};

static const struct bit_name tdx_attr_bits[] = {
	{ 0, "DEBUG" }, { 27, "LASS" }, { 28, "SEPT_VE_DISABLE" }, { 29, "MIGRATABLE" },
	{ 30, "PKS" }, { 31, "KL" }, { 62, "TPA" }, { 63, "PERFMON" },
};

static void names(uint64_t v, const struct bit_name *t, size_t n, char *buf, size_t len)
{
	size_t i, used = 0;
	uint64_t known = 0;
	int k;

	buf[0] = 0;
	for (i = 0; i < n; i++) {
		known |= 1ULL << t[i].bit;
		if (!(v & (1ULL << t[i].bit)) || used >= len)
			continue;
		k = snprintf(buf + used, len - used, "%s%s", used ? "|" : "", t[i].name);
		used += k > 0 ? (size_t)k : 0;
	}
	if (v & ~known && used < len)
		snprintf(buf + used, len - used, "%s0x%" PRIx64, used ? "|" : "", v & ~known);
}

void coco_snp_policy_names(uint64_t policy, char *buf, size_t len)
{
	char rest[160];

	names(policy & ~0xffffULL, snp_policy_bits, sizeof(snp_policy_bits) /
	      sizeof(snp_policy_bits[0]), rest, sizeof(rest));
	snprintf(buf, len, "ABI %u.%u%s%s", (unsigned int)(policy >> 8 & 0xff),
		 (unsigned int)(policy & 0xff), rest[0] ? ", " : "", rest);
}

void coco_sev_feature_names(uint64_t features, char *buf, size_t len)
{
	names(features, sev_feature_bits, sizeof(sev_feature_bits) / sizeof(sev_feature_bits[0]),
	      buf, len);
}

void coco_tdx_attr_names(uint64_t attr, char *buf, size_t len)
{
	names(attr, tdx_attr_bits, sizeof(tdx_attr_bits) / sizeof(tdx_attr_bits[0]), buf, len);
}

static int check_sev(const struct coco_config *cfg)
{
	if (cfg->policy > 0xffffffffULL || cfg->policy & SEV_POLICY_RESERVED) {
		log_err("--coco", "policy=0x%" PRIx64 ": an SEV policy is 32 bits with bits 6-15 "
			"reserved (bit 0 NODBG, 1 NOKS, 2 ES, 3 NOSEND, 4 DOMAIN, 5 SEV, 16-31 "
			"the minimum API version); e.g. policy=0x1 (SEV) or 0x5 (SEV-ES)",
			cfg->policy);
		return -EINVAL;
	}
	return 0;
}

static int check_snp(const struct coco_config *cfg)
{
	char n[64];

	if (!(cfg->policy & SNP_POLICY_MBO)) {
		log_err("--coco", "policy=0x%" PRIx64 ": SNP policy bit 17 is reserved and must "
			"be set; e.g. policy=0x30000 (SMT allowed) or 0x%" PRIx64, cfg->policy,
			cfg->policy | SNP_POLICY_MBO);
		return -EINVAL;
	}
	if (cfg->policy & SNP_POLICY_RESERVED) {
		log_err("--coco", "policy=0x%" PRIx64 ": bits 0x%" PRIx64 " are reserved in an SNP "
			"policy (bits 26-63 must be zero)", cfg->policy,
			cfg->policy & SNP_POLICY_RESERVED);
		return -EINVAL;
	}
	if (!(cfg->sev_features & SEV_FEAT_SNP_ACTIVE)) {
		coco_sev_feature_names(cfg->sev_features, n, sizeof(n));
		log_err("--coco", "sev-features=0x%" PRIx64 " (%s): an SNP VMSA has bit 0 "
			"(SNPActive) set; did you mean sev-features=0x%" PRIx64 "?",
			cfg->sev_features, n[0] ? n : "none", cfg->sev_features | 1);
		return -EINVAL;
	}
	return 0;
}

static int check_tdx(const struct coco_config *cfg)
{
	if (cfg->tdx_attr & ~TDX_ATTR_KNOWN) {
		log_err("--coco", "attr=0x%" PRIx64 ": bits 0x%" PRIx64 " are reserved TD "
			"attributes (known: 0 DEBUG, 27 LASS, 28 SEPT_VE_DISABLE, 29 MIGRATABLE, "
			"30 PKS, 31 KL, 62 TPA, 63 PERFMON); e.g. attr=0x10000000", cfg->tdx_attr,
			cfg->tdx_attr & ~TDX_ATTR_KNOWN);
		return -EINVAL;
	}
	return 0;
}

int coco_config_validate(const struct coco_config *cfg)
{
	switch (cfg->type) {
	case COCO_SEV:
	case COCO_SEV_ES:
		return check_sev(cfg);
	case COCO_SNP:
		return check_snp(cfg);
	case COCO_TDX:
		return check_tdx(cfg);
	case COCO_NONE:
		break;
	}
	return 0;
}
