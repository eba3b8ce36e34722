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
 *       [,certs=DIR]                 the VCEK/ASK/ARK for guests' extended
 *                                    report requests (real hosts; coco/certs.h)
 *       [,platform=sim[,sim-ca=DIR]] the simulated platform: the launch runs
 *                                    on src/sim, the guest on plain KVM
 *                                    (machine/coco.h), reports signed by the
 *                                    test VCEK of DIR (sim/sim_ca.h)
 *   tdx,attr=0x10000000[,qgs=PATH]
 */
enum coco_type {
	COCO_NONE = 0,
	COCO_SEV,
	COCO_SEV_ES,
	COCO_SNP,
	COCO_TDX,
};

/* Where the launch runs: KVM's confidential VM types, or the simulated platform. */
enum coco_platform_kind {
	COCO_PLATFORM_KVM = 0,
	COCO_PLATFORM_SIM,
};

struct coco_config {
	enum coco_type type;
	enum coco_platform_kind platform;	/* platform=kvm|sim (SNP only for sim) */
	char *sim_ca_dir;		/* platform=sim: sim-ca=DIR, optional */
	char *certs_dir;		/* SNP on KVM: certs=DIR, optional */
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
	/*
	 * Set by the machine only, never parsed: platform=sim's plain VM has
	 * type COCO_NONE and here the type its launch ran as, so that it is
	 * built as that confidential VM was (RAM split, fw_cfg, virtio).
	 */
	enum coco_type launched_as;
};

/* The confidential type whose machine layout a VM gets (COCO_NONE: none). */
static inline enum coco_type coco_layout_type(const struct coco_config *c)
{
	return c->type != COCO_NONE ? c->type : c->launched_as;
}

/* Parse a --coco spec; prints "cvmm: --coco: ..." and returns -EINVAL on error. */
int coco_config_parse(struct coco_config *cfg, const char *spec);
void coco_config_free(struct coco_config *cfg);
const char *coco_type_name(enum coco_type type);

#endif
