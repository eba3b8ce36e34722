// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory map, as stage0 builds it (stage0/src/zero_page.rs):
 * etc/e820 (or, without it, the RAM sizes in CMOS), sorted, with the entry
 * that spans [512 KiB, 1 MiB) split into RAM below 512 KiB, ACPI
 * [0x80000, 0xa0000), RESERVED [0xa0000, 0x100000) and RAM above 1 MiB.
 */
#include "fw.h"
#include "fw_cfg.h"

#define E820_FILE_ENTRY	20	/* QEMU struct e820_entry, packed */

static const char *type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return "RAM";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI";
	case E820_NVS:
		return "NVS";
	}
	return "other";
}

void e820_print(const struct e820_map *m)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		printf("cvmm-testfw: e820 [mem 0x%016llx-0x%016llx] %s (%u)\n",
		       (unsigned long long)m->e[i].addr,
		       (unsigned long long)(m->e[i].addr + m->e[i].size - 1),
		       type_name(m->e[i].type), m->e[i].type);
}

static void sort(struct e820_entry *e, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct e820_entry t = e[i];

		for (j = i; j > 0 && e[j - 1].addr > t.addr; j--)
			e[j] = e[j - 1];
		e[j] = t;
	}
}

static void append(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size)
		return;
	if (m->n == BP_E820_MAX)
		fatal(FAIL_E820, "more than %d e820 entries", BP_E820_MAX);
	m->e[m->n].addr = addr;
	m->e[m->n].size = size;
	m->e[m->n].type = type;
	m->n++;
}

static unsigned int cmos_read(uint8_t index)
{
	outb(0x70, index | 0x80);	/* NMI disabled, as stage0 */
	return inb(0x71);
}

/* stage0's build_e820_from_nvram (after SeaBIOS) */
static unsigned int e820_from_cmos(struct e820_entry *e)
{
	uint64_t low, high;
	unsigned int n = 2;

	if (fw_cfg_read_u32(FW_CFG_E820_TABLE))
		fatal(FAIL_E820, "no etc/e820 and the legacy E820 reservation table "
		      "(0x8003) is not empty (stage0 does not support it)");
	low = (uint64_t)cmos_read(0x34) << 16 | (uint64_t)cmos_read(0x35) << 24;
	if (low) {
		low += 16 << 20;
	} else {
		low = (uint64_t)cmos_read(0x30) << 10 | (uint64_t)cmos_read(0x31) << 18;
		low += 1 << 20;
	}
	high = (uint64_t)cmos_read(0x5b) << 16 | (uint64_t)cmos_read(0x5c) << 24 |
	       (uint64_t)cmos_read(0x5d) << 32;
	if (low <= 0x100000)
		fatal(FAIL_E820, "CMOS reports only 0x%llx bytes of RAM",
		      (unsigned long long)low);
	if (low > 0xfffbc000)
		low = 0xfffbc000;
	e[0] = (struct e820_entry){ 0, low, E820_RAM };
	e[1] = (struct e820_entry){ 0xfffbc000, 0x100000000ULL - 0xfffbc000, E820_RESERVED };
	if (high)
		e[n++] = (struct e820_entry){ 0x100000000ULL, high, E820_RAM };
	printf("cvmm-testfw: no etc/e820: memory sizes from CMOS\n");
	return n;
}

void e820_from_fw_cfg(struct e820_map *m)
{
	static uint8_t raw[BP_E820_MAX * E820_FILE_ENTRY];
	struct e820_entry in[BP_E820_MAX];
	struct fw_cfg_file f;
	unsigned int n, i;

	if (fw_cfg_find("etc/e820", &f)) {
		if (!f.size || f.size % E820_FILE_ENTRY ||
		    f.size > BP_E820_MAX * E820_FILE_ENTRY)
			fatal(FAIL_E820, "etc/e820 is %u bytes: not 1 to %d entries of %d bytes",
			      f.size, BP_E820_MAX, E820_FILE_ENTRY);
		fw_cfg_read_item(f.key, raw, f.size);
		n = f.size / E820_FILE_ENTRY;
		for (i = 0; i < n; i++) {
			const uint8_t *p = raw + i * E820_FILE_ENTRY;

			in[i].addr = get_le64(p);
			in[i].size = get_le64(p + 8);
			in[i].type = get_le32(p + 16);
			if (!in[i].size || in[i].addr + in[i].size < in[i].addr)
				fatal(FAIL_E820, "etc/e820 entry %u (0x%llx, 0x%llx bytes) is "
				      "empty or wraps", i, (unsigned long long)in[i].addr,
				      (unsigned long long)in[i].size);
		}
	} else {
		n = e820_from_cmos(in);
	}
	sort(in, n);
	for (i = 1; i < n; i++)
		if (in[i].addr < in[i - 1].addr + in[i - 1].size)
			fatal(FAIL_E820, "e820 entries at 0x%llx and 0x%llx overlap",
			      (unsigned long long)in[i - 1].addr,
			      (unsigned long long)in[i].addr);

	m->n = 0;
	for (i = 0; i < n; i++) {
		const struct e820_entry *e = &in[i];
		uint64_t end = e->addr + e->size;

		if (e->addr <= FW_EBDA_START && end >= FW_LOW_END) {
			append(m, e->addr, FW_EBDA_START - e->addr, e->type);
			append(m, FW_EBDA_START, FW_EBDA_END - FW_EBDA_START, E820_ACPI);
			append(m, FW_EBDA_END, FW_LOW_END - FW_EBDA_END, E820_RESERVED);
			append(m, FW_LOW_END, end - FW_LOW_END, e->type);
		} else {
			append(m, e->addr, e->size, e->type);
		}
	}
}

/*
 * stage0's insert_e820_entry: the new range takes its type over whatever
 * it overlaps (trimming or splitting those entries) and merges with
 * neighbours of the same type.
 */
void e820_insert(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	struct e820_map out = { 0 };
	uint64_t end = addr + size;
	unsigned int i, at;

	for (i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t eend = e->addr + e->size;

		if (!ranges_overlap(e->addr, e->size, addr, size)) {
			append(&out, e->addr, e->size, e->type);
			continue;
		}
		if (e->addr < addr)
			append(&out, e->addr, addr - e->addr, e->type);
		if (eend > end)
			append(&out, end, eend - end, e->type);
	}
	append(&out, addr, size, type);
	sort(out.e, out.n);
	for (at = 0; at < out.n; at++)
		if (out.e[at].addr == addr && out.e[at].type == type && out.e[at].size == size)
			break;
	if (at + 1 < out.n && out.e[at + 1].type == type && out.e[at + 1].addr == end) {
		out.e[at].size += out.e[at + 1].size;
		for (i = at + 1; i + 1 < out.n; i++)
			out.e[i] = out.e[i + 1];
		out.n--;
	}
	if (at > 0 && out.e[at - 1].type == type &&
	    out.e[at - 1].addr + out.e[at - 1].size == addr) {
		out.e[at - 1].size += out.e[at].size;
		for (i = at; i + 1 < out.n; i++)
			out.e[i] = out.e[i + 1];
		out.n--;
	}
	*m = out;
}

bool e820_contains(const struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type)
{
	unsigned int i;

	if (addr + size < addr)
		return false;
	for (i = 0; i < m->n; i++)
		if (m->e[i].type == type && addr >= m->e[i].addr &&
		    addr + size <= m->e[i].addr + m->e[i].size)
			return true;
	return false;
}

uint64_t e820_find_top(const struct e820_map *m, uint64_t size)
{
	uint64_t padded = (size + 0xfff) & ~0xfffULL, best = 0;
	unsigned int i;

	if (!size || padded < size)
		return 0;
	for (i = 0; i < m->n; i++) {
		const struct e820_entry *e = &m->e[i];
		uint64_t start = e->addr, end = e->addr + e->size, cand;

		if (e->type != E820_RAM)
			continue;
		if (end > FW_TOP_OF_MEMORY)
			end = FW_TOP_OF_MEMORY;
		if (start >= end || end - start < padded)
			continue;
		cand = (end - padded) & ~0xfffULL;
		if (cand >= start && cand > best)
			best = cand;
	}
	return best;
}
