/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SIM_SIM_CA_H
#define CVMM_SIM_SIM_CA_H

/*
 * The simulated SEV-SNP platform's *test* PKI: an AMD-shaped chain
 * ARK → ASK → VCEK that `cvmm sim-ca init DIR` makes and
 * `--coco snp,…,platform=sim,sim-ca=DIR` signs reports with.
 *
 *   ARK   RSA (4096 bits as AMD's; --rsa-bits), self-signed, CN ARK-Milan
 *   ASK   RSA, issued by the ARK, CN SEV-Milan
 *   VCEK  ECDSA P-384, issued by the ASK, CN SEV-VCEK, with AMD's
 *         extensions 1.3.6.1.4.1.3704.1.x: structVersion 1, productName
 *         "Milan-B0", the TCB SPLs (bl, tee, snp, ucode; .3.4-.3.7 zero)
 *         and the HWID (= the CHIP_ID of every report: 64 random bytes)
 * The ARK and ASK sign with RSASSA-PSS, SHA-384, salt 48, as AMD's do.
 * Everything carries O = "cvmm test PKI (untrusted)".
 *
 * DIR holds
 *   ark.der ask.der vcek.der      the chain
 *   vcek.key                      the VCEK's PRIVATE key (PKCS#8 PEM, 0600):
 *                                 anyone who reads it can sign "reports"
 *   test-roots.pem                ASK then ARK (cvmm-broker --test-roots,
 *                                 cvmm verify snp --ca)
 *   vcek/v1/Milan/<HWID>?blSPL=…  the VCEK in AMD KDS layout (cvmm-broker
 *   vcek/v1/Milan/cert_chain      --certs DIR; coco/certs.h)
 *   README                        what this directory is
 * The ARK's and ASK's private keys are not kept: the chain is made once.
 * Nothing trusts it unless told to (cvmm-broker --test-roots).
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "coco/certs.h"
#include "util/err.h"

struct sim_ca_params {
	unsigned int rsa_bits;		/* 0: 4096 */
	unsigned int days;		/* validity; 0: 3650 */
	uint8_t bl, tee, snp, ucode;	/* the TCB the VCEK certifies */
};

/* The TCB of sim_ca_init() when params are zero: Milan bl 3, tee 0, snp 8, ucode 115 */
#define SIM_CA_TCB_BL		3
#define SIM_CA_TCB_TEE		0
#define SIM_CA_TCB_SNP		8
#define SIM_CA_TCB_UCODE	115

/*
 * Make the chain and write DIR (created 0700 if absent; an existing
 * DIR/vcek.key is never overwritten: -EEXIST).  0, or -errno with one
 * clause in @why.
 */
int sim_ca_init(const char *dir, const struct sim_ca_params *p, struct err_msg *why);

/* What the simulated firmware needs to sign reports. */
struct sim_ca {
	EVP_PKEY *vcek_key;
	uint8_t chip_id[64];
	uint64_t tcb;			/* TCB_VERSION (Milan layout) of the VCEK */
	struct coco_certs certs;	/* VCEK, ASK, ARK as the GHCB table */
};

/*
 * Load DIR: the VCEK key must match vcek.der, whose extensions give the
 * CHIP_ID and TCB of the reports.  0, or -errno with one clause in @why.
 */
int sim_ca_load(const char *dir, struct sim_ca *ca, struct err_msg *why);
void sim_ca_free(struct sim_ca *ca);

#endif
