/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_MEASURE_INTERNAL_H
#define CVMM_CLI_MEASURE_INTERNAL_H

/*
 * Private to cvmm measure: measure.c reads the command line, resolves the
 * vCPU identity and computes the digest; measure_id.c takes the SNP ID
 * block options and signs the ID block.
 */
#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "coco/plan/plan.h"
#include "igvm/load.h"
#include "machine/config.h"

#define MEASURE_MAX_IMAGE	(1ULL << 30)	/* kernel, initrd */
#define MEASURE_MAX_SMALL	(1ULL << 20)	/* keys, ID block files */

enum measure_format { FORMAT_HEX, FORMAT_BASE64 };

struct measure_args {
	struct vm_config cfg;
	/* sev-snp-measure's spellings of the vCPU identity (--cpu model=/sig= are cfg's) */
	const char *vcpu_type;
	bool have_vcpu_sig;
	uint32_t vcpu_sig;
	int64_t family, model, stepping;
	bool have_guest_features;
	uint64_t guest_features;
	/* the launch model */
	enum plan_vmm vmm;
	bool ovmf_hash_only;
	bool have_ovmf_hash;
	uint8_t ovmf_hash[48];
	const char *svsm;
	bool have_vars_size;
	uint64_t vars_size;
	enum tdx_page_order tdx_order;
	bool print_plan;
	bool have_zero_pages;		/* --zero-pages (with --igvm) */
	enum igvm_zero_pages zero_pages;
	/* output */
	bool json;
	enum measure_format format;
	/* SNP ID block */
	bool id_block;
	const char *id_key, *author_key;
	uint8_t family_id[16], image_id[16];
	uint64_t guest_svn;
	bool have_measurement;
	uint8_t measurement[48];
	const char *id_block_out, *id_auth_out;
	/* resolved */
	uint32_t sig;			/* the vCPU signature, when have_sig */
	bool have_sig;
};

/* A whole regular file (or any file with @flags 0); one line on failure. */
int measure_read_file(const char *what, const char *path, size_t max, unsigned int flags,
		      uint8_t **data, size_t *len);

/*
 * The SNP ID block and ID auth binding @ld and the --coco snp policy,
 * signed with --id-key and --author-key; written to --id-block-out and
 * --id-auth-out when given.  Prints them (sev-snp-measure's lines), or
 * with --json adds them to @json's "id_block" object.  0 or negative
 * errno after one line.
 */
int measure_id_block(const struct measure_args *a, const uint8_t ld[48], json_t *json);

/* @len bytes of hex for option @flag; 0 or -EINVAL after one line. */
int measure_parse_hex(const char *flag, const char *arg, uint8_t *out, size_t len);

/* measure_id.c's rows: --id-block ... --id-auth-out (ids from MEASURE_OPT_ID_BLOCK) */
#define MEASURE_OPT_ID_BLOCK	0x400
extern const struct arg_opt measure_id_opts[];
/* One of measure_id_opts' options; 0 or -EINVAL after one line. */
int measure_id_option(struct measure_args *a, int id, const char *arg);

/* measure_igvm.c's rows: --zero-pages (id MEASURE_OPT_ZERO_PAGES) */
#define MEASURE_OPT_ZERO_PAGES	0x300
extern const struct arg_opt measure_igvm_opts[];
/* --zero-pages VALUE; 0 or -EINVAL after one line. */
int measure_igvm_zero_pages(struct measure_args *a, const char *arg);
/* --igvm (or --zero-pages): the options that do not go with it (usage errors). */
int measure_igvm_check(const struct measure_args *a);
/* --igvm: the SNP digest of the file's launch plan, printed; 0 or negative errno. */
int measure_igvm(const struct measure_args *a);

/* @d as the chosen --output-format, with a newline. */
void measure_print_digest(const struct measure_args *a, const uint8_t *d, size_t len);

#endif
