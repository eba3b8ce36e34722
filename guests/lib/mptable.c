// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"

static const uint8_t *scan(uint64_t start, uint64_t len)
{
	uint64_t a;

	for (a = start; a + 16 <= start + len; a += 16) {
		const uint8_t *p = (const uint8_t *)(uintptr_t)a;
		uint8_t sum = 0;
		int i;

		if (memcmp(p, "_MP_", 4))
			continue;
		for (i = 0; i < 16; i++)
			sum += p[i];
		if (!sum)
			return p;
	}
	return NULL;
}

int mp_find_cpus(uint8_t *apic_ids, int max)
{
	const uint8_t *mpf = scan(0x9fc00, 0x400);
	const uint8_t *mpc, *p, *end;
	uint32_t phys;
	uint16_t len;
	int n = 0;

	if (!mpf)
		mpf = scan(0xf0000, 0x10000);
	if (!mpf)
		return -1;
	memcpy(&phys, mpf + 4, 4);
	mpc = (const uint8_t *)(uintptr_t)phys;
	if (memcmp(mpc, "PCMP", 4))
		return -1;
	memcpy(&len, mpc + 4, 2);
	end = mpc + len;
	for (p = mpc + 44; p < end;) {
		if (p[0] == 0) {		/* processor, 20 bytes */
			if ((p[3] & 1) && n < max)
				apic_ids[n++] = p[1];
			p += 20;
		} else {
			p += 8;
		}
	}
	return n;
}
