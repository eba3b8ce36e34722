/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_SEV_HASHES_H
#define CVMM_MEASURE_SEV_HASHES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The SEV kernel-hashes table of measured direct boot, byte for byte as
 * QEMU writes it for OVMF (and Oak stage0) to check:
 *
 *   GUID 9438d606-4f22-4cc9-b479-a793d411fd21 | u16 len = 168 |
 *   { GUID | u16 len = 50 | SHA-256[32] } x 3 (cmdline, initrd, kernel)
 *
 * zero-padded to a multiple of 16 bytes (176).  cmdline is hashed with its
 * terminating NUL (no command line hashes a single NUL byte), a missing
 * initrd hashes as the empty string, the kernel is the whole bzImage file.
 */
#define SEV_HASHES_TABLE_LEN	168
#define SEV_HASHES_PADDED_LEN	176

struct sev_hashes_input {
	const uint8_t *kernel;
	size_t kernel_len;
	const uint8_t *initrd;	/* NULL: no initrd */
	size_t initrd_len;
	const char *cmdline;	/* NULL: no command line */
};

int sev_hashes_table(const struct sev_hashes_input *in,
		     uint8_t out[SEV_HASHES_PADDED_LEN]);

/* The 4 KiB SNP page holding the table at @offset (the rest is zero). */
int sev_hashes_page(const uint8_t table[SEV_HASHES_PADDED_LEN], unsigned int offset,
		    uint8_t page[4096]);

#endif
