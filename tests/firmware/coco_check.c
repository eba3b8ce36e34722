// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parse the test firmware ROM with cvmm's own firmware-metadata parsers
 * (src/coco) and check it has the shape the confidential launch plan
 * tests rely on:
 *   - the GUID table (footer 0x20 bytes before the end);
 *   - SEV metadata: SEC_MEM [0x20000, 0x80000), SECRETS 0x1000, CPUID
 *     0x2000, KERNEL_HASHES 0x10000 (one page each);
 *   - the SEV kernel-hashes table at 0x10c00 (0x400 bytes), inside the
 *     KERNEL_HASHES page;
 *   - the SEV-ES reset block: an AP address in the ROM's top 64 KiB whose
 *     first byte is cli (0xfa);
 *   - TDVF metadata: BFV = the whole ROM at 4 GiB - size with MR_EXTEND,
 *     TD_HOB 8 KiB at 1 MiB, TEMP_MEM sections.
 *
 * usage: coco_check ROM     exit 0 when all holds, 1 (with the reason) if not
 *
 * Built by tests/firmware/meson.build (the firmware-metadata test);
 * tests/firmware/qemu-check.sh runs it too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coco/fw/fw_table.h"
#include "coco/fw/sev_meta.h"
#include "coco/fw/tdvf.h"
#include "util/err.h"
#include "util/file.h"

#define FOUR_GB		0x100000000ULL
#define ROM_MAX		(16u << 20)

static int failures;

static void check(int ok, const char *what)
{
	printf("coco_check: %s: %s\n", ok ? "ok  " : "FAIL", what);
	if (!ok)
		failures++;
}

static const struct sev_section *sev_find(const struct sev_meta *m, uint32_t type)
{
	unsigned int i;

	for (i = 0; i < m->n; i++)
		if (m->s[i].type == type)
			return &m->s[i];
	return NULL;
}

static unsigned int tdvf_count(const struct tdvf *v, uint32_t type)
{
	unsigned int i, n = 0;

	for (i = 0; i < v->n; i++)
		n += v->s[i].type == type;
	return n;
}

static uint8_t *read_rom(const char *path, size_t *len)
{
	uint8_t *buf;
	int ret;

	ret = file_read(path, ROM_MAX, &buf, len);
	if (ret) {
		fprintf(stderr, "coco_check: %s: %s\n", path, strerror(-ret));
		return NULL;
	}
	if (*len == 0 || *len % 4096) {
		fprintf(stderr, "coco_check: %s: %zu bytes is not a ROM size\n", path, *len);
		free(buf);
		return NULL;
	}
	return buf;
}

int main(int argc, char **argv)
{
	struct err_msg err = { "" };
	static struct fw_table t;
	static struct sev_meta m;
	static struct tdvf v;
	const struct sev_section *s;
	uint32_t eip, gpa, size;
	uint64_t base;
	unsigned int i;
	uint8_t *rom;
	size_t len;
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: coco_check ROM\n");
		return 2;
	}
	rom = read_rom(argv[1], &len);
	if (!rom)
		return 1;
	base = FOUR_GB - len;

	ret = fw_table_parse(rom, len, &t, &err);
	check(!ret && t.n == 4, "GUID table parses with 4 entries");
	if (ret) {
		printf("coco_check: %s\n", err.msg);
		return 1;
	}

	ret = sev_meta_parse(rom, len, &t, &m, &err);
	check(!ret, "SEV metadata parses");
	if (ret)
		printf("coco_check: %s\n", err.msg);
	for (i = 0; i < m.n; i++)
		printf("coco_check:   SEV %-13s 0x%06x + 0x%x\n", sev_section_name(m.s[i].type),
		       m.s[i].gpa, m.s[i].size);
	s = sev_find(&m, SEV_SECTION_SEC_MEM);
	check(s && s->gpa == 0x20000 && s->size == 0x60000, "SEC_MEM is [0x20000, 0x80000)");
	s = sev_find(&m, SEV_SECTION_SECRETS);
	check(s && s->gpa == 0x1000 && s->size == 0x1000, "SECRETS page at 0x1000");
	s = sev_find(&m, SEV_SECTION_CPUID);
	check(s && s->gpa == 0x2000 && s->size == 0x1000, "CPUID page at 0x2000");
	s = sev_find(&m, SEV_SECTION_KERNEL_HASHES);
	check(s && s->gpa == 0x10000 && s->size == 0x1000, "KERNEL_HASHES page at 0x10000");
	check(m.n == 4, "exactly 4 SEV sections");

	ret = sev_hashes_location(&t, rom, &gpa, &size, &err);
	check(!ret && gpa == 0x10c00 && size == 0x400,
	      "SEV kernel-hashes table at 0x10c00, 0x400 bytes");

	ret = sev_reset_eip(&t, rom, &eip, &err);
	check(!ret && eip >= FOUR_GB - (len < 0x10000 ? len : 0x10000) &&
	      rom[eip - base] == 0xfa,
	      "SEV-ES AP reset address in the top 64 KiB, at a cli");
	if (!ret)
		printf("coco_check:   SEV-ES AP reset 0x%08x (CS base 0x%08x, IP 0x%04x)\n",
		       eip, eip & 0xffff0000u, eip & 0xffffu);

	ret = tdvf_parse(rom, len, &t, &v, &err);
	check(!ret, "TDVF metadata parses");
	if (ret)
		printf("coco_check: %s\n", err.msg);
	for (i = 0; i < v.n; i++)
		printf("coco_check:   TDVF %-8s data 0x%x+0x%x -> 0x%09llx + 0x%llx attr %u\n",
		       tdvf_section_name(v.s[i].type), v.s[i].data_offset, v.s[i].raw_size,
		       (unsigned long long)v.s[i].addr, (unsigned long long)v.s[i].size,
		       v.s[i].attr);
	ret = 0;
	for (i = 0; i < v.n; i++)
		if (v.s[i].type == TDVF_SECTION_BFV)
			ret = v.s[i].data_offset == 0 && v.s[i].raw_size == len &&
			      v.s[i].addr == base && v.s[i].size == len &&
			      v.s[i].attr == TDVF_ATTR_MR_EXTEND;
	check(ret && tdvf_count(&v, TDVF_SECTION_BFV) == 1,
	      "TDVF BFV is the whole ROM at 4 GiB - size, MR_EXTEND");
	ret = 0;
	for (i = 0; i < v.n; i++)
		if (v.s[i].type == TDVF_SECTION_TD_HOB)
			ret = v.s[i].addr == 0x100000 && v.s[i].size == 0x2000;
	check(ret && tdvf_count(&v, TDVF_SECTION_TD_HOB) == 1, "TDVF TD_HOB 8 KiB at 1 MiB");
	check(tdvf_count(&v, TDVF_SECTION_TEMP_MEM) == 2, "TDVF has 2 TEMP_MEM sections");
	check(rom[len - 16] == 0xe9 || rom[len - 16] == 0xeb, "a jmp at the reset vector");

	free(rom);
	printf("coco_check: %s (%s, %zu bytes)\n", failures ? "FAIL" : "PASS", argv[1], len);
	return failures ? 1 : 0;
}
