// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load a bzImage from fw_cfg and build its zero page, in stage0's order
 * (stage0/src/lib.rs rust64_start): memory map, setup header, command
 * line, kernel, ACPI, initrd; then jump to the 64-bit entry point.
 */
#include "fw.h"
#include "fw_cfg.h"

static struct e820_map map;

static void copy_setup_header(uint8_t *zp, uint8_t *setup, uint32_t *version)
{
	uint32_t size = fw_cfg_read_u32(FW_CFG_SETUP_SIZE), hdr_end;

	if (!size)
		fatal(FAIL_KERNEL, "no kernel in fw_cfg (SETUP_SIZE is 0): the firmware "
		      "boots a bzImage given with -kernel/--kernel");
	if (size < 0x400 || size > FW_SCRATCH_SIZE)
		fatal(FAIL_KERNEL, "kernel setup is %u bytes (expected 1 KiB to %d KiB)",
		      size, FW_SCRATCH_SIZE >> 10);
	fw_cfg_read_item(FW_CFG_SETUP_DATA, setup, size);
	if (get_le16(setup + BP_BOOT_FLAG) != 0xaa55 || memcmp(setup + BP_HEADER, "HdrS", 4))
		fatal(FAIL_KERNEL, "the kernel setup has no boot flag/\"HdrS\": not a bzImage");
	/* stage0: header bytes 0x1f1 .. 0x202 + byte[0x201], over the defaults */
	hdr_end = 0x202 + setup[BP_JUMP + 1];
	if (hdr_end > BP_HDR_MAX_END || hdr_end < BP_INIT_SIZE + 4)
		fatal(FAIL_KERNEL, "setup header ends at 0x%x (expected 0x%x to 0x%x)",
		      hdr_end, BP_INIT_SIZE + 4, BP_HDR_MAX_END);
	memcpy(zp + BP_HDR, setup + BP_HDR, hdr_end - BP_HDR);
	*version = get_le16(zp + BP_VERSION);
	printf("cvmm-testfw: setup: %u bytes, boot protocol %u.%02u, header to 0x%x\n",
	       size, *version >> 8, *version & 0xff, hdr_end);
}

static uint32_t load_cmdline(const uint8_t *zp)
{
	uint32_t size = fw_cfg_read_u32(FW_CFG_CMDLINE_SIZE), len;
	char *cl = phys(FW_CMDLINE);

	cl[0] = 0;
	if (size) {
		if (size > FW_CMDLINE_MAX)
			fatal(FAIL_CMDLINE, "command line is %u bytes (at most %u)", size,
			      FW_CMDLINE_MAX);
		fw_cfg_read_item(FW_CFG_CMDLINE_DATA, cl, size);
		if (cl[size - 1])
			fatal(FAIL_CMDLINE, "command line (%u bytes) is not NUL-terminated",
			      size);
		if (strlen(cl) != size - 1)
			fatal(FAIL_CMDLINE, "command line has a NUL byte at %u of %u",
			      (unsigned int)strlen(cl), size);
	}
	len = (uint32_t)strlen(cl);
	if (len > get_le32(zp + BP_CMDLINE_SIZE))
		fatal(FAIL_CMDLINE, "command line is %u bytes; the kernel takes at most %u",
		      len, get_le32(zp + BP_CMDLINE_SIZE));
	return len;
}

/*
 * stage0's setup_high_allocator: 1 MiB at the top of the highest RAM below
 * 1 GiB, page-aligned and wholly inside one RAM entry.
 */
static uint64_t acpi_high_zone(void)
{
	uint64_t zone = e820_find_top(&map, FW_ACPI_HIGH_SIZE);

	if (!zone)
		fatal(FAIL_PLACEMENT, "no 1 MiB of RAM below 1 GiB for the ACPI tables");
	return zone;
}

static void write_e820(uint8_t *zp)
{
	unsigned int i;

	zp[BP_E820_ENTRIES] = (uint8_t)map.n;
	for (i = 0; i < map.n; i++) {
		uint8_t *p = zp + BP_E820_TABLE + i * 20;

		put_le64(p, map.e[i].addr);
		put_le64(p + 8, map.e[i].size);
		put_le32(p + 16, map.e[i].type);
	}
}

void linux_boot(void)
{
	uint8_t *zp = phys(FW_ZERO_PAGE), *setup = phys(FW_SCRATCH);
	uint32_t version, cmdline_len, kernel_size, init_size, initrd_size;
	uint64_t kaddr, kextent, high_zone, rsdp, initrd_addr = 0, initrd_max;
	uint16_t nr_cpus;

	e820_from_fw_cfg(&map);
	/* stage0's setup_low_allocator reserves its EBDA for ACPI */
	e820_insert(&map, FW_EBDA_START, FW_EBDA_END - FW_EBDA_START, E820_ACPI);

	/* stage0's ZeroPage::new defaults, then the kernel's own header */
	memset(zp, 0, BP_SIZE);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	put_le16(zp + BP_BOOT_FLAG, 0xaa55);
	memcpy(zp + BP_HEADER, "HdrS", 4);
	put_le32(zp + BP_KERNEL_ALIGNMENT, 0x1000000);
	copy_setup_header(zp, setup, &version);
	if (version < 0x20c || !(get_le16(zp + BP_XLOADFLAGS) & XLF_KERNEL_64))
		fatal(FAIL_KERNEL, "the kernel has no 64-bit entry point (boot protocol "
		      "0x%x, xloadflags 0x%x)", version, get_le16(zp + BP_XLOADFLAGS));

	cmdline_len = load_cmdline(zp);

	kernel_size = fw_cfg_read_u32(FW_CFG_KERNEL_SIZE);
	if (!kernel_size)
		fatal(FAIL_KERNEL, "no kernel in fw_cfg (KERNEL_SIZE is 0)");
	init_size = get_le32(zp + BP_INIT_SIZE);
	kextent = init_size > kernel_size ? init_size : kernel_size;
	if (zp[BP_RELOCATABLE])
		kaddr = FW_KERNEL_ADDR;
	else
		kaddr = get_le64(zp + BP_PREF_ADDRESS);
	if (kaddr < FW_LOW_END || kaddr & 0xfff || !e820_contains(&map, kaddr, kextent, E820_RAM))
		fatal(FAIL_PLACEMENT, "%s kernel needs RAM at [0x%llx, 0x%llx) (%u bytes, "
		      "init_size %u)", zp[BP_RELOCATABLE] ? "the relocatable" :
		      "the non-relocatable", (unsigned long long)kaddr,
		      (unsigned long long)(kaddr + kextent), kernel_size, init_size);
	fw_cfg_read_item(FW_CFG_KERNEL_DATA, phys(kaddr), kernel_size);
	printf("cvmm-testfw: kernel 0x%x bytes at 0x%llx (%s, init_size 0x%x)\n",
	       kernel_size, (unsigned long long)kaddr,
	       zp[BP_RELOCATABLE] ? "relocatable" : "pref_address", init_size);

	high_zone = acpi_high_zone();
	if (ranges_overlap(high_zone, FW_ACPI_HIGH_SIZE, kaddr, kextent))
		fatal(FAIL_PLACEMENT, "the ACPI area at 0x%llx overlaps the kernel",
		      (unsigned long long)high_zone);
	e820_insert(&map, high_zone, FW_ACPI_HIGH_SIZE, E820_ACPI);
	rsdp = acpi_install(high_zone);

	initrd_size = fw_cfg_read_u32(FW_CFG_INITRD_SIZE);
	if (initrd_size) {
		initrd_addr = e820_find_top(&map, initrd_size);
		initrd_max = get_le32(zp + BP_INITRD_ADDR_MAX);
		if (!initrd_addr)
			fatal(FAIL_PLACEMENT, "no RAM below 1 GiB for the %u-byte initrd",
			      initrd_size);
		if (ranges_overlap(initrd_addr, initrd_size, kaddr, kextent) ||
		    initrd_addr < FW_LOW_END)
			fatal(FAIL_PLACEMENT, "the initrd (%u bytes at 0x%llx) overlaps the "
			      "kernel or the firmware", initrd_size,
			      (unsigned long long)initrd_addr);
		if (initrd_addr + initrd_size - 1 > initrd_max)
			fatal(FAIL_PLACEMENT, "the initrd at 0x%llx ends above the kernel's "
			      "initrd_addr_max 0x%llx", (unsigned long long)initrd_addr,
			      (unsigned long long)initrd_max);
		fw_cfg_read_item(FW_CFG_INITRD_DATA, phys(initrd_addr), initrd_size);
		put_le32(zp + BP_RAMDISK_IMAGE, (uint32_t)initrd_addr);
		put_le32(zp + BP_RAMDISK_SIZE, initrd_size);
		printf("cvmm-testfw: initrd 0x%x bytes at 0x%llx\n", initrd_size,
		       (unsigned long long)initrd_addr);
	} else {
		printf("cvmm-testfw: no initrd\n");
	}

	nr_cpus = fw_cfg_read_u16(FW_CFG_NB_CPUS);
	if (nr_cpus)
		mptable_write(FW_MPTABLE, nr_cpus);
	/* the BDA's EBDA segment: the RSDP is in the first KiB of the EBDA */
	put_le16(phys(0x40e), FW_EBDA_START >> 4);

	zp[BP_TYPE_OF_LOADER] = 0xff;		/* stage0: BOOT_LOADER_TYPE_UNDEFINED */
	put_le32(zp + BP_CMD_LINE_PTR, FW_CMDLINE);
	put_le32(zp + BP_CMDLINE_SIZE, cmdline_len);	/* stage0's set_cmdline */
	put_le64(zp + BP_ACPI_RSDP_ADDR, rsdp);
	if (get_le64(zp + BP_SETUP_DATA))
		printf("cvmm-testfw: the setup header carries setup_data 0x%llx (passed on)\n",
		       (unsigned long long)get_le64(zp + BP_SETUP_DATA));
	write_e820(zp);
	e820_print(&map);
	printf("cvmm-testfw: cmdline '%s'\n", (const char *)phys(FW_CMDLINE));
	printf("cvmm-testfw: kernel 0x%x bytes at 0x%llx, initrd 0x%x bytes at 0x%llx, "
	       "e820 %u entries, ACPI RSDP at 0x%llx, %u CPUs\n", kernel_size,
	       (unsigned long long)kaddr, initrd_size, (unsigned long long)initrd_addr,
	       map.n, (unsigned long long)rsdp, nr_cpus);
	printf("cvmm-testfw: booting: 64-bit entry 0x%llx, zero page 0x%x\n",
	       (unsigned long long)(kaddr + 0x200), FW_ZERO_PAGE);
	jump_to_kernel(kaddr + 0x200, FW_ZERO_PAGE);
}
