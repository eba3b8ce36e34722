/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_FW_SNP_CPUID_H
#define CVMM_COCO_FW_SNP_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "util/err.h"

/*
 * The SNP CPUID page (SNP firmware ABI, CPUID_PAGE): u32 count, 12 bytes
 * reserved, then up to 64 entries of 48 bytes
 *   { u32 eax_in, ecx_in; u64 xcr0_in, xss_in; u32 eax, ebx, ecx, edx; u64 0 }
 * built from the same CPUID table the VMM passes to KVM_SET_CPUID2, as QEMU
 * does: ecx_in only for leaves whose index is significant, and leaf 0xD
 * subleaves 0 and 1 report EBX = 0x240 for XCR0_IN = 1 (x87 only).
 */
#define SNP_CPUID_MAX		64
#define SNP_CPUID_ENTRY_LEN	48
#define SNP_CPUID_HDR_LEN	16

struct snp_cpuid_in {
	uint32_t function, index;
	bool significant_index;
	uint32_t eax, ebx, ecx, edx;
};

/* -E2BIG (with @err) for more than 64 entries. */
int snp_cpuid_page_build(const struct snp_cpuid_in *e, unsigned int n,
			 uint8_t page[4096], struct err_msg *err);

#endif
