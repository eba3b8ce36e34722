/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_LAUNCH_REPORT_H
#define CVMM_MACHINE_LAUNCH_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "coco/plan/plan.h"
#include "machine/config.h"

/*
 * What a confidential launch is, as one record that `cvmm measure`,
 * `cvmm boot --dry-run` and `cvmm boot -v` all print from: the vCPU
 * signature (with its QEMU model name), the SEV features, the policy or
 * TD attributes, the kernel/initrd/cmdline hashes, the measurement (and
 * the plan's prediction, the SEV LAUNCH_MEASURE blob of a dry run), the
 * ID block's digests, and the `cvmm measure` command line that
 * reproduces the measurement from the same files.
 *
 * The JSON form (launch_report_json()) is what `cvmm measure --json` and
 * `cvmm boot --dry-run --json` print and what `cvmm-broker admin
 * add-reference` imports (docs/measure.md lists every member).
 */
struct launch_report {
	const struct vm_config *cfg;	/* paths, cmdline, memory, vCPU count */
	const struct launch_plan *plan;	/* type, policy, SEV features, TD attributes */
	enum plan_vmm vmm;
	uint32_t vcpu_sig;		/* RDX of every VMSA (SEV-ES/SNP); 0: not known */
	bool firmware_only;		/* measure --ovmf-hash-only */

	const uint8_t *kernel;		/* NULL: no measured direct boot */
	size_t kernel_len;
	const uint8_t *initrd;		/* NULL: none */
	size_t initrd_len;
	const char *cmdline;		/* NULL: none */

	const uint8_t *digest;		/* the measurement */
	size_t digest_len;
	const uint8_t *predicted;	/* dry run: the plan's prediction (NULL: none) */
	const uint8_t *launch_measure;	/* dry run, SEV: the LAUNCH_MEASURE blob */
	size_t launch_measure_len;

	const uint8_t *id_block;	/* SNP: 96 bytes, or NULL */
	const uint8_t *id_auth;		/* with id_block: 4096 bytes */
	bool author_key;		/* id_auth carries an author key */
};

/* The "vcpu:", "sev-features:", "policy:", hash lines (no plan, no digest). */
void launch_report_text(FILE *f, const struct launch_report *r);
/* The `cvmm measure ...` line (with its newline), ready to paste. */
void launch_report_command(FILE *f, const struct launch_report *r);
/* Everything as one JSON object (NULL on allocation failure). */
json_t *launch_report_json(const struct launch_report *r);
/* Print launch_report_json() on @f, indented; 0 or -EIO. */
int launch_report_print_json(FILE *f, const struct launch_report *r);

/* "0x00a00f11 (EPYC-Milan)": the signature and its model, if known. */
void launch_report_sig(uint32_t sig, char *buf, size_t len);

#endif
