// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"

static struct guest_boot boot_info;

static uint64_t rd64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

void guest_entry(const uint8_t *info, int kind);

void guest_entry(const uint8_t *info, int kind)
{
	struct guest_boot *b = &boot_info;
	unsigned int i, n;

	b->kind = kind;
	if (kind == BOOT_LINUX) {
		/* struct boot_params: e820_entries at 0x1e8, table at 0x2d0 */
		n = info[0x1e8];
		if (n > 32)
			n = 32;
		for (i = 0; i < n; i++) {
			const uint8_t *e = info + 0x2d0 + i * 20;

			b->e820[i].addr = rd64(e);
			b->e820[i].size = rd64(e + 8);
			b->e820[i].type = rd32(e + 16);
		}
		b->nr_e820 = n;
		b->cmdline = (const char *)(uintptr_t)rd32(info + 0x228);
	} else {
		/* struct hvm_start_info */
		const uint8_t *mm = (const uint8_t *)(uintptr_t)rd64(info + 0x28);

		n = rd32(info + 0x30);
		if (n > 32)
			n = 32;
		for (i = 0; i < n; i++) {
			b->e820[i].addr = rd64(mm + i * 24);
			b->e820[i].size = rd64(mm + i * 24 + 8);
			b->e820[i].type = rd32(mm + i * 24 + 16);
		}
		b->nr_e820 = n;
		b->cmdline = (const char *)(uintptr_t)rd64(info + 0x18);
	}
	if (!b->cmdline)
		b->cmdline = "";
	guest_main(b);
	guest_exit(GUEST_FAIL);
}

uint64_t boot_ram_total(const struct guest_boot *boot)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < boot->nr_e820; i++)
		if (boot->e820[i].type == E820_RAM)
			total += boot->e820[i].size;
	return total;
}

uint64_t boot_ram_end(const struct guest_boot *boot)
{
	uint64_t end = 0;
	unsigned int i;

	for (i = 0; i < boot->nr_e820; i++)
		if (boot->e820[i].type == E820_RAM &&
		    boot->e820[i].addr + boot->e820[i].size > end)
			end = boot->e820[i].addr + boot->e820[i].size;
	return end;
}
