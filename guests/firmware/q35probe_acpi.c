// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Q35 probe's look at the ACPI tables once the chipset is programmed:
 * firmware reads them after PlatformPei placed the ECAM and the PM block,
 * so they must say where those are now (QEMU builds them when the firmware
 * first selects one of the files; cvmm rebuilds them when the guest moves
 * either).  The fields read are at fixed offsets of MCFG and FACP, and the
 * DSDT's \_S5 package.  Also the legacy kernel items, as OVMF's
 * QemuKernelLoaderFsDxe reads them, and the etc/boot/ files an AmdSev
 * build must not be shown.
 */
#include "fw_cfg.h"
#include "q35probe.h"

#define TABLES_BUF	0x300000ULL	/* RAM the probe reads the tables into */
#define TABLES_MAX	0x100000u

/* A table with signature @sig in the unlinked tables blob, or NULL. */
static const uint8_t *find_table(const uint8_t *t, uint32_t len, const char *sig)
{
	uint32_t i;

	for (i = 0; i + 36 <= len; i++) {
		uint32_t tlen;

		if (memcmp(t + i, sig, 4))
			continue;
		tlen = get_le32(t + i + 4);
		if (tlen >= 36 && tlen <= len - i)
			return t + i;
	}
	return NULL;
}

/* The SLP_TYP a \_S5 package's first element holds, or -1. */
static int s5_typ(const uint8_t *dsdt, uint32_t len)
{
	uint32_t i;

	for (i = 0; i + 8 <= len; i++) {
		const uint8_t *p = dsdt + i;

		if (memcmp(p, "_S5_", 4) || p[4] != 0x12 || (p[5] & 0xc0))
			continue;
		/* Package: PkgLength (one byte here), NumElements, element 0 */
		switch (p[7]) {
		case 0x00:
			return 0;
		case 0x01:
			return 1;
		case 0x0a:
			return p[8];
		}
		return -1;
	}
	return -1;
}

void probe_acpi(void)
{
	uint8_t *t = phys(TABLES_BUF);
	const uint8_t *mcfg, *fadt, *dsdt;
	struct fw_cfg_file f;

	if (!fw_cfg_find("etc/acpi/tables", &f) || f.size > TABLES_MAX) {
		printf(PR "acpi: no etc/acpi/tables\n");
		return;
	}
	fw_cfg_read_item(f.key, t, f.size);
	mcfg = find_table(t, f.size, "MCFG");
	fadt = find_table(t, f.size, "FACP");
	dsdt = find_table(t, f.size, "DSDT");
	if (mcfg && get_le32(mcfg + 4) >= 60)
		printf(PR "acpi: MCFG ECAM 0x%llx, buses %u-%u\n",
		       (unsigned long long)get_le64(mcfg + 44), mcfg[54], mcfg[55]);
	else
		printf(PR "acpi: NO MCFG entry\n");
	if (fadt)
		printf(PR "acpi: FACP SCI %u, PM1a_EVT 0x%x, PM1a_CNT 0x%x, PM_TMR 0x%x\n",
		       get_le16(fadt + 46), get_le32(fadt + 56), get_le32(fadt + 64),
		       get_le32(fadt + 76));
	else
		printf(PR "acpi: NO FACP\n");
	printf(PR "acpi: DSDT \\_S5 SLP_TYP %d\n", dsdt ? s5_typ(dsdt, get_le32(dsdt + 4)) : -1);
}

/* FNV-1a over 32-bit words, then the tail bytes (every instruction may be emulated). */
static uint32_t fnv(const uint8_t *p, uint32_t len)
{
	const uint32_t *w = (const uint32_t *)p;
	uint32_t h = 2166136261u, i;

	for (i = 0; i < len / 4; i++)
		h = (h ^ w[i]) * 16777619u;
	for (i = len & ~3u; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static uint32_t item_hash(uint16_t size_key, uint16_t data_key, uint32_t *size)
{
	uint8_t *buf = phys(TABLES_BUF);

	*size = fw_cfg_read_u32(size_key);
	if (!*size || *size > 0x4000000)
		return 0;
	fw_cfg_read_item(data_key, buf, *size);
	return fnv(buf, *size);
}

void probe_kernel_items(void)
{
	uint32_t setup = fw_cfg_read_u32(0x17), kernel, initrd, cmdline, hk, hi;
	char cl[128] = { 0 };
	uint8_t b[4], e[64];
	unsigned int boot = 0, i, n;

	hk = item_hash(0x08, 0x11, &kernel);
	hi = item_hash(0x0b, 0x12, &initrd);
	cmdline = fw_cfg_read_u32(0x14);
	if (cmdline && cmdline <= sizeof(cl))
		fw_cfg_read_item(0x15, cl, cmdline);
	cl[sizeof(cl) - 1] = 0;
	/* the setup sectors: no hash, QEMU rewrites a few header fields in them */
	printf(PR "fw_cfg kernel: setup %u bytes, kernel %u bytes (fnv 0x%08x), initrd %u bytes "
	       "(fnv 0x%08x), cmdline %u bytes '%s'\n", setup, kernel, hk, initrd, hi, cmdline, cl);
	fw_cfg_select(0x19);
	fw_cfg_read_bytes(b, 4);
	n = get_be32(b);
	for (i = 0; i < n && i < 4096; i++) {
		fw_cfg_read_bytes(e, sizeof(e));
		boot += !memcmp(e + 8, "etc/boot/", 9);
	}
	printf(PR "fw_cfg: %u etc/boot/ files\n", boot);
}
