// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV-SNP firmware's ATTESTATION_REPORT (SEV-SNP firmware
 * ABI, "ATTESTATION_REPORT Structure"), signed by the test VCEK.
 */
#include <errno.h>
#include <string.h>

#include "measure/id_block.h"
#include "sim/sim_tee.h"
#include "util/bytes.h"

/* offsets */
#define R_VERSION		0x000
#define R_GUEST_SVN		0x004
#define R_POLICY		0x008
#define R_FAMILY_ID		0x010
#define R_IMAGE_ID		0x020
#define R_VMPL			0x030
#define R_SIG_ALGO		0x034
#define R_CURRENT_TCB		0x038
#define R_PLATFORM_INFO		0x040
#define R_KEY_INFO		0x048
#define R_REPORT_DATA		0x050
#define R_MEASUREMENT		0x090
#define R_HOST_DATA		0x0c0
#define R_ID_KEY_DIGEST		0x0e0
#define R_AUTHOR_KEY_DIGEST	0x110
#define R_REPORT_ID		0x140
#define R_REPORT_ID_MA		0x160
#define R_REPORTED_TCB		0x180
#define R_CPUID_FAM		0x188
#define R_CHIP_ID		0x1a0
#define R_COMMITTED_TCB		0x1e0
#define R_CURRENT_VERSION	0x1e8	/* build, minor, major */
#define R_COMMITTED_VERSION	0x1ec
#define R_LAUNCH_TCB		0x1f0
#define R_SIGNATURE		0x2a0
#define R_SIGNED_LEN		0x2a0

#define SIG_ALGO_ECDSA_P384	1
#define PLATFORM_SMT_EN		(1u << 0)
#define PLATFORM_TSME_EN	(1u << 1)
#define KEY_INFO_AUTHOR_KEY_EN	(1u << 0)
/* Milan B1, the product of the test VCEK ("Milan-B0" is KDS's name for all Milan) */
#define MILAN_FAMILY		0x19
#define MILAN_MODEL		0x01
#define MILAN_STEPPING		0x01
/* the simulated firmware's version: 1.55 build 3 */
#define FW_BUILD		3
#define FW_MINOR		55
#define FW_MAJOR		1

static void put_tcbs(uint8_t *r, uint64_t tcb)
{
	static const unsigned int at[] = {
		R_CURRENT_TCB, R_REPORTED_TCB, R_COMMITTED_TCB, R_LAUNCH_TCB,
	};
	unsigned int i;

	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		put_le(r + at[i], tcb, 8);
}

static void put_launch(uint8_t *r, const struct sim_launch *l)
{
	put_le(r + R_GUEST_SVN, l->guest_svn, 4);
	put_le(r + R_POLICY, l->policy, 8);
	memcpy(r + R_FAMILY_ID, l->family_id, 16);
	memcpy(r + R_IMAGE_ID, l->image_id, 16);
	put_le(r + R_KEY_INFO, l->author_key_en ? KEY_INFO_AUTHOR_KEY_EN : 0, 4);
	memcpy(r + R_MEASUREMENT, l->digest, 48);
	memcpy(r + R_HOST_DATA, l->host_data, 32);
	memcpy(r + R_ID_KEY_DIGEST, l->id_key_digest, 48);
	memcpy(r + R_AUTHOR_KEY_DIGEST, l->author_key_digest, 48);
}

int sim_snp_report(const struct sim_report_in *in, uint8_t out[SIMTEE_REPORT_SIZE])
{
	uint8_t sig[SNP_SIG_LEN];
	int ret;

	if ((in->version != 3 && in->version != 5) || in->vmpl > SIMTEE_MAX_VMPL ||
	    in->launch->type != COCO_SNP || in->launch->len != 48)
		return -EINVAL;
	memset(out, 0, SIMTEE_REPORT_SIZE);
	put_le(out + R_VERSION, in->version, 4);
	put_launch(out, in->launch);
	put_le(out + R_VMPL, in->vmpl, 4);
	put_le(out + R_SIG_ALGO, SIG_ALGO_ECDSA_P384, 4);
	put_le(out + R_PLATFORM_INFO, PLATFORM_SMT_EN | PLATFORM_TSME_EN, 8);
	memcpy(out + R_REPORT_DATA, in->report_data, 64);
	memcpy(out + R_REPORT_ID, in->report_id, 32);
	memset(out + R_REPORT_ID_MA, 0xff, 32);
	put_tcbs(out, in->ca->tcb);
	out[R_CPUID_FAM] = MILAN_FAMILY;
	out[R_CPUID_FAM + 1] = MILAN_MODEL;
	out[R_CPUID_FAM + 2] = MILAN_STEPPING;
	memcpy(out + R_CHIP_ID, in->ca->chip_id, 64);
	out[R_CURRENT_VERSION] = out[R_COMMITTED_VERSION] = FW_BUILD;
	out[R_CURRENT_VERSION + 1] = out[R_COMMITTED_VERSION + 1] = FW_MINOR;
	out[R_CURRENT_VERSION + 2] = out[R_COMMITTED_VERSION + 2] = FW_MAJOR;
	/* version 5's LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR stay 0: none */
	ret = snp_sign(in->ca->vcek_key, out, R_SIGNED_LEN, sig);
	if (ret)
		return -EIO;
	memcpy(out + R_SIGNATURE, sig, 2 * 72);		/* R, S: 72 bytes LE each */
	return 0;
}
