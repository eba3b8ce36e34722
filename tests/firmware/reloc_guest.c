// SPDX-License-Identifier: GPL-2.0-only
/*
 * A relocatable Linux-boot-protocol payload for the firmware check: it
 * prints where the firmware entered it and what it handed over, then
 * leaves through isa-debug-exit with 0x20 (status 65).  Position
 * independent (-fpie, hidden symbols): it runs wherever it was loaded.
 */
#include <stdint.h>

void reloc_main(const uint8_t *bp, uint64_t entry, uint64_t segs, uint64_t rflags);

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void putc_(char c)
{
	outb(0x3f8, (uint8_t)c);
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v)
{
	char buf[17];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	puts_("0x");
	while (n)
		putc_(buf[--n]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void reloc_main(const uint8_t *bp, uint64_t entry, uint64_t segs, uint64_t rflags)
{
	const char *cl = (const char *)(uintptr_t)rd32(bp + 0x228);

	puts_("reloc: 64-bit entry at ");
	puthex(entry);
	puts_("\nreloc: cs ");
	puthex(segs >> 32);
	puts_(" ds ");
	puthex((segs >> 16) & 0xffff);
	puts_(" ss ");
	puthex(segs & 0xffff);
	puts_(" if ");
	puthex((rflags >> 9) & 1);
	puts_("\nreloc: boot_params ");
	puthex((uintptr_t)bp);
	puts_(" e820 entries ");
	puthex(bp[0x1e8]);
	puts_(" loader ");
	puthex(bp[0x210]);
	puts_("\nreloc: cmdline '");
	puts_(cl ? cl : "");
	puts_("'\n");
	outb(0xf4, 0x20);
	for (;;)
		__asm__ volatile("cli; hlt");
}
