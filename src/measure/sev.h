/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_SEV_H
#define CVMM_MEASURE_SEV_H

#include <stddef.h>
#include <stdint.h>

#include "measure/digest.h"

/*
 * SEV and SEV-ES launch digest: SHA-256 over the bytes of every
 * LAUNCH_UPDATE_DATA in order, then (SEV-ES) every LAUNCH_UPDATE_VMSA page
 * in vCPU order.
 */
#define SEV_LD_LEN	SHA256_LEN

struct sev_ld {
	struct md_stream md;
};

int sev_ld_init(struct sev_ld *l);
int sev_ld_update(struct sev_ld *l, const void *data, size_t len);
/* Fold @len zero bytes (an update of a zero-filled region). */
int sev_ld_update_zero(struct sev_ld *l, uint64_t len);
int sev_ld_final(struct sev_ld *l, uint8_t out[SEV_LD_LEN]);
void sev_ld_free(struct sev_ld *l);

/*
 * The value LAUNCH_MEASURE returns for SEV/SEV-ES:
 *   HMAC-SHA256(TIK, 0x04 | api_major | api_minor | build | policy (u32 LE)
 *                    | LD[32] | MNONCE[16])
 */
int sev_launch_measure(const uint8_t tik[16], uint8_t api_major,
		       uint8_t api_minor, uint8_t build, uint32_t policy,
		       const uint8_t ld[SEV_LD_LEN], const uint8_t mnonce[16],
		       uint8_t out[32]);

#endif
