// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "attest/snp_policy.h"

static void check_min(int min, unsigned val, const char *name, struct verdict *v)
{
	if (min >= 0 && val < (unsigned)min)
		verdict_fail(v, "policy.min_tcb",
			     "reported TCB %s SPL %u is below the minimum %d",
			     name, val, min);
}

void snp_policy_check(const struct policy *p, const struct snp_report *r,
		      enum snp_product product, struct verdict *v)
{
	const struct policy_snp *s = &p->snp;
	struct snp_tcb tcb;

	if (!p->allow_debug && (r->policy & SNP_POLICY_DEBUG))
		verdict_fail(v, "policy.debug",
			     "guest policy 0x%llx allows debugging (bit 19)",
			     (unsigned long long)r->policy);
	if (p->has_report_data && memcmp(p->report_data, r->report_data, 64))
		verdict_fail(v, "policy.report_data",
			     "REPORT_DATA does not match the expected value");
	policy_values_check(&s->measurement, r->measurement, "policy.measurement",
		     "MEASUREMENT", v);
	policy_values_check(&s->host_data, r->host_data, "policy.host_data",
		     "HOST_DATA", v);
	policy_values_check(&s->family_id, r->family_id, "policy.family_id",
		     "FAMILY_ID", v);
	policy_values_check(&s->image_id, r->image_id, "policy.image_id", "IMAGE_ID", v);
	policy_values_check(&s->id_key_digest, r->id_key_digest, "policy.id_key_digest",
		     "ID_KEY_DIGEST", v);
	policy_values_check(&s->author_key_digest, r->author_key_digest,
		     "policy.author_key_digest", "AUTHOR_KEY_DIGEST", v);
	policy_values_check(&s->chip_id, r->chip_id, "policy.chip_id", "CHIP_ID", v);
	snp_tcb_decode(r->reported_tcb, product, &tcb);
	check_min(s->min_bootloader, tcb.bootloader, "bootloader", v);
	check_min(s->min_tee, tcb.tee, "TEE", v);
	check_min(s->min_snp, tcb.snp, "SNP", v);
	check_min(s->min_microcode, tcb.microcode, "microcode", v);
	if (s->min_fmc >= 0) {
		if (!tcb.has_fmc)
			verdict_fail(v, "policy.min_tcb",
				     "the policy sets a minimum FMC SPL but %s has no FMC",
				     snp_product_name(product));
		else
			check_min(s->min_fmc, tcb.fmc, "FMC", v);
	}
	if (s->min_guest_svn >= 0 && r->guest_svn < s->min_guest_svn)
		verdict_fail(v, "policy.guest_svn",
			     "GUEST_SVN %u is below the minimum %lld", r->guest_svn,
			     (long long)s->min_guest_svn);
	if (s->vmpl >= 0 && r->vmpl != s->vmpl)
		verdict_fail(v, "policy.vmpl", "VMPL %u, the policy requires %lld",
			     r->vmpl, (long long)s->vmpl);
	if (s->allow_smt == 0 && (r->policy & SNP_POLICY_SMT))
		verdict_fail(v, "policy.smt",
			     "guest policy allows SMT (bit 16), the policy forbids it");
	if (s->allow_migration_agent == 0 && (r->policy & SNP_POLICY_MIGRATE_MA))
		verdict_fail(v, "policy.migration_agent",
			     "guest policy allows a migration agent (bit 18), the policy forbids it");
	if (s->signing_key >= 0 && (int)snp_report_signing_key(r) != s->signing_key)
		verdict_fail(v, "policy.signing_key",
			     "the report is signed by the %s, the policy requires the %s",
			     snp_report_signing_key(r) == SNP_SIGNING_KEY_VLEK ? "VLEK" : "VCEK",
			     s->signing_key ? "VLEK" : "VCEK");
}
