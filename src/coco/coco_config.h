/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_COCO_CONFIG_H
#define CVMM_COCO_COCO_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/*
 * What the user asked for with --coco.  Parsed by coco_config_parse() from
 * the sub-option syntax (src/util/opts.h):
 *   sev,policy=0x1            SEV         (policy bit 2 set => SEV-ES)
 *   sev,policy=0x5            SEV-ES
 *   snp,policy=0x30000[,sev-features=0xHEX][,id-block=FILE,id-auth=FILE,host-data=HEX]
 *   tdx,attr=0x10000000[,qgs=PATH]
 */
enum coco_type {
	COCO_NONE = 0,
	COCO_SEV,
	COCO_SEV_ES,
	COCO_SNP,
	COCO_TDX,
};

struct coco_config {
	enum coco_type type;
	uint64_t policy;		/* SEV/SEV-ES/SNP guest policy */
	uint64_t sev_features;		/* SNP: every VMSA's SEV_FEATURES (default 0x1,
					   SNPActive; the rest is KVM_SEV_INIT2.vmsa_features) */
	bool have_sev_features;		/* sev-features= was given */
	uint64_t tdx_attr;		/* TD attributes */
	char *id_block_path;		/* SNP ID block (96 bytes), optional */
	char *id_auth_path;		/* SNP ID auth (4096 bytes), optional */
	bool have_host_data;
	uint8_t host_data[32];		/* SNP HOST_DATA */
	char *qgs_path;			/* TDX quote generation socket */
};

/* Parse a --coco spec; prints "cvmm: --coco: ..." and returns -EINVAL on error. */
int coco_config_parse(struct coco_config *cfg, const char *spec);
void coco_config_free(struct coco_config *cfg);
const char *coco_type_name(enum coco_type type);

#endif
