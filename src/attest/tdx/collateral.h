/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_COLLATERAL_H
#define CVMM_ATTEST_TDX_COLLATERAL_H

/*
 * Intel PCS collateral: TCB info (v2 and v3, with TDX components and TDX
 * module identities) and QE identity (v2).  A PCS response is
 * {"tcbInfo": {...}, "signature": "<r‖s hex>"}; the ECDSA P-256/SHA-256
 * signature covers the raw bytes of the inner object, which is also what
 * is parsed, so what is evaluated is exactly what was signed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "attest/tcb_status.h"
#include "util/err.h"

#define TCB_LEVELS_MAX		256
#define TDX_MODULE_IDS_MAX	32

/*
 * Split a PCS response: find the raw span of member @key ("tcbInfo",
 * "enclaveIdentity") and decode "signature".  The whole document must be
 * valid JSON without duplicate keys.  Returns 0 or -EINVAL with @why.
 */
int collateral_split(const char *text, size_t len, const char *key,
		     const char **body, size_t *body_len, uint8_t sig[64],
		     struct err_msg *why);

/* Verify @sig over @body with @key (ECDSA P-256, SHA-256). 0 / -EBADMSG. */
int collateral_verify(const char *body, size_t len, const uint8_t sig[64],
		      EVP_PKEY *key);

struct tcb_level {
	uint32_t sgx_svn[16];
	uint32_t pcesvn;
	bool has_tdx;
	uint32_t tdx_svn[16];
	int64_t date;
	enum tcb_status status;
	json_t *advisories;		/* array of strings, or NULL */
};

struct module_level {
	uint32_t isvsvn;
	int64_t date;
	enum tcb_status status;
	json_t *advisories;		/* array of strings, or NULL */
};

struct tdx_module_identity {
	char id[16];			/* "TDX_01" */
	uint8_t mrsigner[48];
	uint8_t attributes[8];
	uint8_t attributes_mask[8];
	size_t nlevels;
	struct module_level *levels;
};

struct tcb_info {
	char id[8];			/* "TDX", "SGX" or "" (v2) */
	int version;			/* 2 or 3 */
	int64_t issue_date, next_update;
	uint8_t fmspc[6];
	uint8_t pceid[2];
	int64_t tcb_type;
	int64_t tcb_eval_num;
	bool has_module;
	uint8_t module_mrsigner[48];
	uint8_t module_attributes[8];
	uint8_t module_attributes_mask[8];
	size_t nmodules;
	struct tdx_module_identity *modules;
	size_t nlevels;
	struct tcb_level *levels;
};

struct qe_identity {
	char id[8];			/* "TD_QE", "QE", "QVE" */
	int version;
	int64_t issue_date, next_update;
	int64_t tcb_eval_num;
	uint32_t miscselect, miscselect_mask;
	uint8_t attributes[16], attributes_mask[16];
	uint8_t mrsigner[32];
	uint32_t isvprodid;
	size_t nlevels;
	struct module_level *levels;
};

/* Parse the (signed) inner object.  Returns 0 or -EINVAL with @why. */
int tcb_info_parse(const char *body, size_t len, struct tcb_info *ti,
		   struct err_msg *why);
void tcb_info_free(struct tcb_info *ti);
json_t *tcb_info_claims(const struct tcb_info *ti);

int qe_identity_parse(const char *body, size_t len, struct qe_identity *qi,
		      struct err_msg *why);
void qe_identity_free(struct qe_identity *qi);
json_t *qe_identity_claims(const struct qe_identity *qi);

#endif
