// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "coco/fw/snp_cpuid.h"
#include "util/bytes.h"

int snp_cpuid_page_build(const struct snp_cpuid_in *e, unsigned int n,
			 uint8_t page[4096], struct err_msg *err)
{
	unsigned int i;

	if (n > SNP_CPUID_MAX) {
		err_set(err, "%u CPUID entries do not fit the SNP CPUID page (at "
			"most %d)", n, SNP_CPUID_MAX);
		return -E2BIG;
	}
	memset(page, 0, 4096);
	put_le(page, n, 4);
	for (i = 0; i < n; i++) {
		uint8_t *d = page + SNP_CPUID_HDR_LEN + i * SNP_CPUID_ENTRY_LEN;
		uint32_t ebx = e[i].ebx;
		uint64_t xcr0_in = 0;

		put_le(d, e[i].function, 4);
		if (e[i].significant_index)
			put_le(d + 4, e[i].index, 4);
		if (e[i].function == 0xd && (e[i].index == 0 || e[i].index == 1)) {
			ebx = 0x240;
			xcr0_in = 1;
		}
		put_le(d + 8, xcr0_in, 8);
		/* xss_in (d + 16) stays 0 */
		put_le(d + 24, e[i].eax, 4);
		put_le(d + 28, ebx, 4);
		put_le(d + 32, e[i].ecx, 4);
		put_le(d + 36, e[i].edx, 4);
	}
	return 0;
}
