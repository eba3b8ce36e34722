// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "attest/snp/policy.h"

static void check_min(int min, unsigned val, const char *name, struct verdict *v)
{
	if (min >= 0 && val < (unsigned)min)
		verdict_fail(v, "policy.min_tcb",
			     "reported TCB %s SPL %u is below the minimum %d",
			     name, val, min);
}

static void check_min_tcb(const struct policy_snp *s, const struct snp_report *r,
			  enum snp_product product, struct verdict *v)
{
	struct snp_tcb tcb;

	if (s->min_bootloader < 0 && s->min_tee < 0 && s->min_snp < 0 &&
	    s->min_microcode < 0 && s->min_fmc < 0) {
		verdict_skip(v, "policy.min_tcb", "the policy sets no minimum TCB");
		return;
	}
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
	verdict_pass(v, "policy.min_tcb");
}

static void check_vmpl(const struct policy_snp *s, const struct snp_report *r,
		       struct verdict *v)
{
	char allowed[16] = "";
	size_t n = 0;
	int i;

	if (r->vmpl < 4 && (s->vmpl_mask & (1u << r->vmpl))) {
		verdict_pass(v, "policy.vmpl");
		return;
	}
	for (i = 0; i < 4; i++)
		if (s->vmpl_mask & (1u << i))
			n += (size_t)snprintf(allowed + n, sizeof(allowed) - n, "%s%d",
					      n ? "/" : "", i);
	verdict_fail(v, "policy.vmpl", "VMPL is %u, the policy expects %s", r->vmpl,
		     s->vmpl_mask == 1 ? "0 (the default: the most privileged level only)"
				       : allowed);
}

/* POLICY bits the appraisal policy may forbid: debug, SMT, migration agent. */
static void check_policy_bits(const struct policy *p, const struct snp_report *r,
			      struct verdict *v)
{
	const struct policy_snp *s = &p->snp;

	if (p->allow_debug)
		verdict_skip(v, "policy.debug", "the policy allows debug guests");
	else if (r->policy & SNP_POLICY_DEBUG)
		verdict_fail(v, "policy.debug",
			     "guest policy 0x%llx allows debugging (bit 19)",
			     (unsigned long long)r->policy);
	else
		verdict_pass(v, "policy.debug");
	if (s->allow_smt < 0)
		verdict_skip(v, "policy.smt", "the policy does not restrict SMT");
	else if (!s->allow_smt && (r->policy & SNP_POLICY_SMT))
		verdict_fail(v, "policy.smt",
			     "guest policy allows SMT (bit 16), the policy forbids it");
	else
		verdict_pass(v, "policy.smt");
	if (s->allow_migration_agent > 0)
		verdict_skip(v, "policy.migration_agent",
			     "the policy allows a migration agent");
	else if (r->policy & SNP_POLICY_MIGRATE_MA)
		verdict_fail(v, "policy.migration_agent",
			     "guest policy 0x%llx allows a migration agent (MIGRATE_MA, bit 18), the policy forbids it",
			     (unsigned long long)r->policy);
	else
		verdict_pass(v, "policy.migration_agent");
}

void snp_policy_check(const struct policy *p, const struct snp_report *r,
		      enum snp_product product, struct verdict *v)
{
	const struct policy_snp *s = &p->snp;

	check_policy_bits(p, r, v);
	policy_report_data_check(p, r->report_data, "REPORT_DATA", v);
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
	check_min_tcb(s, r, product, v);
	if (s->min_guest_svn < 0)
		verdict_skip(v, "policy.guest_svn", "the policy sets no minimum GUEST_SVN");
	else if (r->guest_svn < s->min_guest_svn)
		verdict_fail(v, "policy.guest_svn",
			     "GUEST_SVN %u is below the minimum %lld", r->guest_svn,
			     (long long)s->min_guest_svn);
	else
		verdict_pass(v, "policy.guest_svn");
	check_vmpl(s, r, v);
	if (s->signing_key < 0)
		verdict_skip(v, "policy.signing_key", "the policy accepts a VCEK or a VLEK");
	else if ((int)snp_report_signing_key(r) != s->signing_key)
		verdict_fail(v, "policy.signing_key",
			     "the report is signed by the %s, the policy requires the %s",
			     snp_report_signing_key(r) == SNP_SIGNING_KEY_VLEK ? "VLEK" : "VCEK",
			     s->signing_key ? "VLEK" : "VCEK");
	else
		verdict_pass(v, "policy.signing_key");
}
