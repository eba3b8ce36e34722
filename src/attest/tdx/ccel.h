/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_CCEL_H
#define CVMM_ATTEST_TDX_CCEL_H

/*
 * The confidential-computing event log: the ACPI "CCEL" table (UEFI 2.10
 * / ACPI 6.5: header ‖ u8 CC type ‖ u8 subtype ‖ u16 reserved ‖ u64 log
 * area minimum length ‖ u64 log area start) and the TCG2 crypto-agile
 * event log it points to (TCG PC Client Platform Firmware Profile: a
 * TCG_PCR_EVENT "Spec ID Event03" header, then TCG_PCR_EVENT2 records).
 * For TDX the record's index is the MR: 0 = MRTD, 1..4 = RTMR0..3, and
 * replay extends RTMR[i] = SHA-384(RTMR[i] ‖ digest) from zero.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attest/verdict.h"
#include "util/err.h"

#define CCEL_TABLE_SIZE		56
#define CCEL_MAX_EVENTS		65536
#define CCEL_MAX_ALGS		8
#define CCEL_EV_NO_ACTION	0x3

struct ccel_table {
	uint8_t revision;
	char oem_id[7];
	char oem_table_id[9];
	uint8_t cc_type;		/* 1 SEV, 2 TDX */
	uint8_t cc_subtype;
	uint64_t laml;			/* log area minimum length */
	uint64_t lasa;			/* log area start address */
};

/* Parse and checksum the table.  0 or -EINVAL. */
int ccel_table_parse(const uint8_t *buf, size_t len, struct ccel_table *t);

struct ccel_event {
	size_t offset;			/* in the log */
	uint32_t mr_index;
	uint32_t type;
	bool has_sha384;
	uint8_t sha384[48];
	uint32_t data_len;
	const uint8_t *data;		/* points into the log */
};

struct ccel_log {
	uint16_t alg_ids[CCEL_MAX_ALGS];
	uint16_t alg_sizes[CCEL_MAX_ALGS];
	unsigned nalgs;
	struct ccel_event *events;
	size_t nevents;
	size_t end;			/* bytes used by the log */
	uint8_t rtmr[4][48];		/* replayed */
	unsigned extends[4];		/* events extended into each RTMR */
};

/*
 * Parse @buf (the log area) and replay it.  Parsing stops at the end of
 * the area or at the first record whose header is all 0xFF or all zero
 * (unused log space).  Returns 0, -EINVAL (malformed, or no SHA-384 bank)
 * or -ENOMEM; @why says where.
 */
int ccel_log_replay(const uint8_t *buf, size_t len, struct ccel_log *log,
		    struct err_msg *why);
void ccel_log_free(struct ccel_log *log);

json_t *ccel_table_claims(const struct ccel_table *t);
json_t *ccel_log_claims(const struct ccel_log *log);

/*
 * Check a CCEL table (ccel.table: valid, CC type TDX) and its log
 * (ccel.log), and compare the replayed RTMRs with a quote's @rtmr
 * (ccel.rtmr0..3; ccel.quote fails when @rtmr is NULL, the quote did not
 * decode).  Claims go to @out ("table", "log", "rtmr_match"); @table_name
 * and @log_name name the inputs in failures.  Returns 0 or -ENOMEM.
 */
int ccel_verify(const uint8_t *table, size_t tlen, const uint8_t *log, size_t llen,
		const uint8_t (*rtmr)[48], const char *table_name, const char *log_name,
		json_t *out, struct verdict *v);

#endif
