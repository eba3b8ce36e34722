/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_CERTS_H
#define CVMM_COCO_CERTS_H

/*
 * The SEV-SNP endorsement certificates a host hands its guests with their
 * attestation reports (SNP Extended Guest Request, GHCB 2.0): the VCEK (or
 * VLEK), the ASK (ASVK) and the ARK, as the GHCB certificate table —
 * 24-byte entries {GUID in RFC 4122 byte order, u32 offset, u32 length}
 * ending with an all-zero entry, then the DER certificates.  Linux gives
 * the same bytes to the guest's user space as configfs-tsm's auxblob and
 * SNP_GET_EXT_REPORT's certificate buffer.
 *
 * Served by cvmm on real SNP hosts (--coco snp,…,certs=DIR: the
 * KVM_EXIT_SNP_REQ_CERTS exit, coco/kvm/kvm_snp.c) and by the simulated
 * platform (--coco snp,…,platform=sim,sim-ca=DIR: sim/sim_tee.h).
 *
 * DIR is in AMD KDS layout, what `wget -x` of the KDS URLs writes and what
 * `cvmm-broker --certs` reads:
 *   DIR/vcek/v1/<Milan|Genoa|Turin>/<HWID>?blSPL=…   the VCEK (DER or PEM)
 *   DIR/vcek/v1/<product>/cert_chain                 ASK then ARK (PEM)
 * (or vlek/v1/… for a VLEK and its ASVK).  Exactly one VCEK (or VLEK) file
 * for exactly one product: a host has one chip, and several files would
 * leave cvmm guessing which matches the firmware's current TCB.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>
#include "util/err.h"

#define COCO_CERTS_MAX_TABLE	(64u << 10)	/* the guest's buffer is a few pages */
#define COCO_CERTS_MAX_FILE	(64u << 10)

struct coco_certs {
	uint8_t *table;			/* the GHCB certificate table */
	size_t len;
	char product[16];		/* "Milan", "Genoa", "Turin" */
	bool vlek;
};

/*
 * Load DIR (above) into @out.  0, or -errno with one clause in @why
 * ("DIR/vcek/v1/Milan/cert_chain: no ARK (self-signed certificate)").
 */
int coco_certs_load(const char *dir, struct coco_certs *out, struct err_msg *why);
void coco_certs_free(struct coco_certs *c);

/*
 * Lay out the table for @vek (a VLEK when @vlek), @ask and @ark (any may
 * be NULL: left out).  0, -ENOMEM, -E2BIG beyond COCO_CERTS_MAX_TABLE.
 */
int coco_certs_table(X509 *vek, bool vlek, X509 *ask, X509 *ark, uint8_t **out,
		     size_t *len);

#endif
