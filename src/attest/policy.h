/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_POLICY_H
#define CVMM_ATTEST_POLICY_H

/*
 * The appraisal policy: one small JSON file shared by SEV-SNP and TDX
 * (format in docs/verify.md).  Everything is optional.  The default policy
 * (docs/verify.md has the table) rejects debug guests, requires SEV-SNP
 * VMPL 0 and no migration agent, and requires TDX collateral with the TCB
 * status UpToDate.  policy_parse() is a pure function of the text: one
 * policy per resource is just one more parse.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest/tcb_status.h"
#include "attest/verdict.h"
#include "util/err.h"

#define POLICY_MAX_VALUES	64	/* entries in one allow-list */

/* An allow-list of byte strings of one length ("any of"). */
struct policy_values {
	size_t n;
	size_t len;
	uint8_t (*v)[64];
};

struct policy_snp {
	struct policy_values measurement;	/* 48 */
	struct policy_values host_data;		/* 32 */
	struct policy_values family_id;		/* 16 */
	struct policy_values image_id;		/* 16 */
	struct policy_values id_key_digest;	/* 48 */
	struct policy_values author_key_digest;	/* 48 */
	struct policy_values chip_id;		/* 64 */
	/* minimum reported TCB components; -1 = no minimum */
	int min_bootloader, min_tee, min_snp, min_microcode, min_fmc;
	int64_t min_guest_svn;			/* -1 = none */
	unsigned vmpl_mask;			/* bit n: VMPL n allowed; default 1 */
	int allow_smt;				/* -1 unset (not checked), 0, 1 */
	int allow_migration_agent;		/* default 0: POLICY bit 18 rejected */
	int signing_key;			/* -1 any, 0 VCEK, 1 VLEK */
};

struct policy_tdx {
	struct policy_values mrtd;		/* 48 */
	struct policy_values rtmr[4];		/* 48 */
	struct policy_values mrconfigid;	/* 48 */
	struct policy_values mrowner;		/* 48 */
	struct policy_values mrownerconfig;	/* 48 */
	struct policy_values mrseam;		/* 48 */
	struct policy_values xfam;		/* 8 */
	struct policy_values td_attributes;	/* 8 */
	enum tcb_status min_tcb_status;		/* default UpToDate */
	bool has_min_tcb_status;		/* set by the policy file */
	int require_collateral;			/* -1 unset (required), 0, 1 */
	uint8_t min_tee_tcb_svn[16];
	bool has_min_tee_tcb_svn;
	int64_t min_qe_isvsvn;			/* -1 = none */
	int64_t min_pce_svn;			/* -1 = none */
};

struct policy {
	bool allow_debug;
	bool has_report_data;
	uint8_t report_data[64];	/* zero-padded */
	size_t report_data_len;		/* bytes given */
	struct policy_snp snp;
	struct policy_tdx tdx;
};

/* The default policy (what runs without --policy). */
void policy_default(struct policy *p);

/*
 * Parse a policy file.  Unknown keys, wrong types and malformed hex are
 * errors (-EINVAL) described in @why: a typo must never weaken a policy.
 */
int policy_parse(const char *text, size_t len, struct policy *p,
		 struct err_msg *why);
void policy_free(struct policy *p);

/* Does @v (of v->len bytes) appear in the list?  An empty list allows all. */
bool policy_values_allow(const struct policy_values *pv, const uint8_t *v);
/*
 * Record @check ("policy.mrtd"): skipped when the list is empty, failed
 * naming @what ("MRTD"), its value and the allowed ones when @val is not
 * in it, passed otherwise.
 */
void policy_values_check(const struct policy_values *pv, const uint8_t *val,
			 const char *check, const char *what, struct verdict *v);

/* policy.report_data: @rd (the report's @what) against the policy's. */
void policy_report_data_check(const struct policy *p, const uint8_t rd[64],
			      const char *what, struct verdict *v);

#endif
