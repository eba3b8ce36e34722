// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI through QEMU's bios-linker-loader (etc/table-loader): 128-byte
 * commands
 *   ALLOCATE      { char file[56]; u32 align; u8 zone; }       zone 1 HIGH, 2 FSEG
 *   ADD_POINTER   { char dest[56]; char src[56]; u32 offset; u8 size; }
 *   ADD_CHECKSUM  { char file[56]; u32 offset; u32 start; u32 length; }
 *   WRITE_POINTER { char dest[56]; char src[56]; u32 dst_off; u32 src_off; u8 size; }
 * run in order; unknown commands are skipped (as SeaBIOS and stage0 do).
 * As in stage0, the FSEG zone is the "EBDA" at 0x80000 (the RSDP lands
 * in its first KiB) and the HIGH zone is 1 MiB just below the top of RAM
 * under 1 GiB.  Every offset and size is checked against the files: a
 * bad command stops the boot with a message instead of writing anywhere.
 */
#include "fw.h"
#include "fw_cfg.h"

#define CMD_SIZE		128
#define CMD_ALLOCATE		1
#define CMD_ADD_POINTER		2
#define CMD_ADD_CHECKSUM	3
#define CMD_WRITE_POINTER	4
#define ZONE_HIGH		1
#define ZONE_FSEG		2
#define MAX_ALIGN		0x10000
#define MAX_FILES		32
#define FSEG_END		FW_MPTABLE	/* the MP table owns the last KiB */

struct acpi_file {
	char name[FW_CFG_NAME_LEN];
	uint64_t addr;
	uint32_t size;
};

struct zone {
	const char *name;
	uint64_t next, end;
};

static struct acpi_file files[MAX_FILES];
static unsigned int nr_files;

static const char *cmd_name(const uint8_t *p, unsigned int idx, const char *what)
{
	if (strnlen((const char *)p, FW_CFG_NAME_LEN) == FW_CFG_NAME_LEN)
		fatal(FAIL_ACPI, "table-loader command %u: %s file name is not "
		      "NUL-terminated", idx, what);
	return (const char *)p;
}

static struct acpi_file *lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_files; i++)
		if (!memcmp(files[i].name, name, strlen(name) + 1))
			return &files[i];
	return NULL;
}

static struct acpi_file *lookup_or_die(const char *name, unsigned int idx)
{
	struct acpi_file *f = lookup(name);

	if (!f)
		fatal(FAIL_ACPI, "table-loader command %u refers to '%s', which was not "
		      "allocated", idx, name);
	return f;
}

static void cmd_allocate(const uint8_t *c, unsigned int idx, struct zone *zones)
{
	const char *name = cmd_name(c + 4, idx, "ALLOCATE");
	uint32_t align = get_le32(c + 60);
	uint8_t zone_id = c[64];
	struct fw_cfg_file f;
	struct acpi_file *a;
	struct zone *z;
	uint64_t addr;

	if (zone_id != ZONE_HIGH && zone_id != ZONE_FSEG)
		fatal(FAIL_ACPI, "table-loader command %u: '%s' asks for zone %u",
		      idx, name, zone_id);
	z = &zones[zone_id - 1];
	if (!align || (align & (align - 1)) || align > MAX_ALIGN)
		fatal(FAIL_ACPI, "table-loader command %u: '%s' alignment %u is not a "
		      "power of two up to %u", idx, name, align, MAX_ALIGN);
	if (lookup(name))
		fatal(FAIL_ACPI, "table-loader command %u: '%s' is allocated twice", idx, name);
	if (nr_files == MAX_FILES)
		fatal(FAIL_ACPI, "table-loader allocates more than %d files", MAX_FILES);
	if (!fw_cfg_find(name, &f))
		fatal(FAIL_ACPI, "table-loader command %u: no fw_cfg file '%s'", idx, name);
	if (!f.size)
		fatal(FAIL_ACPI, "table-loader command %u: fw_cfg file '%s' is empty", idx, name);
	addr = (z->next + align - 1) & ~(uint64_t)(align - 1);
	if (addr > z->end || z->end - addr < f.size)
		fatal(FAIL_ACPI, "table-loader command %u: '%s' (%u bytes, align %u) does "
		      "not fit the %s zone (0x%llx-0x%llx)", idx, name, f.size, align,
		      z->name, (unsigned long long)z->next, (unsigned long long)z->end);
	z->next = addr + f.size;
	a = &files[nr_files++];
	memcpy(a->name, name, strlen(name) + 1);
	a->addr = addr;
	a->size = f.size;
	fw_cfg_read_item(f.key, phys(addr), f.size);
	printf("cvmm-testfw: acpi: '%s' (%u bytes) at 0x%llx (%s)\n", name, f.size,
	       (unsigned long long)addr, z->name);
}

static bool size_ok(uint8_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static uint64_t get_n(const uint8_t *p, uint8_t size)
{
	uint64_t v = 0;
	int i;

	for (i = size - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_n(uint8_t *p, uint8_t size, uint64_t v)
{
	int i;

	for (i = 0; i < size; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static bool fits(uint64_t v, uint8_t size)
{
	return size == 8 || !(v >> (size * 8));
}

static void cmd_add_pointer(const uint8_t *c, unsigned int idx)
{
	struct acpi_file *dst = lookup_or_die(cmd_name(c + 4, idx, "ADD_POINTER dest"), idx);
	struct acpi_file *src = lookup_or_die(cmd_name(c + 60, idx, "ADD_POINTER src"), idx);
	uint32_t off = get_le32(c + 116);
	uint8_t size = c[120];
	uint8_t *p;
	uint64_t v;

	if (!size_ok(size) || off > dst->size || dst->size - off < size)
		fatal(FAIL_ACPI, "table-loader command %u: ADD_POINTER of %u bytes at "
		      "offset %u is outside '%s' (%u bytes)", idx, size, off,
		      dst->name, dst->size);
	p = phys(dst->addr + off);
	v = get_n(p, size);
	if (v >= src->size)
		fatal(FAIL_ACPI, "table-loader command %u: ADD_POINTER offset 0x%llx is "
		      "outside '%s' (%u bytes)", idx, (unsigned long long)v, src->name,
		      src->size);
	v += src->addr;
	if (!fits(v, size))
		fatal(FAIL_ACPI, "table-loader command %u: address 0x%llx does not fit "
		      "a %u-byte pointer", idx, (unsigned long long)v, size);
	put_n(p, size, v);
}

static void cmd_add_checksum(const uint8_t *c, unsigned int idx)
{
	struct acpi_file *f = lookup_or_die(cmd_name(c + 4, idx, "ADD_CHECKSUM"), idx);
	uint32_t off = get_le32(c + 60), start = get_le32(c + 64), len = get_le32(c + 68);
	uint8_t *p = phys(f->addr);

	if (off >= f->size || start > f->size || f->size - start < len)
		fatal(FAIL_ACPI, "table-loader command %u: ADD_CHECKSUM (offset %u, range "
		      "%u+%u) is outside '%s' (%u bytes)", idx, off, start, len,
		      f->name, f->size);
	p[off] = (uint8_t)(p[off] - sum8(p + start, len));
}

static void cmd_write_pointer(const uint8_t *c, unsigned int idx)
{
	const char *dname = cmd_name(c + 4, idx, "WRITE_POINTER dest");
	struct acpi_file *src = lookup_or_die(cmd_name(c + 60, idx, "WRITE_POINTER src"), idx);
	uint32_t doff = get_le32(c + 116), soff = get_le32(c + 120);
	uint8_t size = c[124], buf[8];
	struct fw_cfg_file f;
	uint64_t v;

	if (!fw_cfg_find(dname, &f))
		fatal(FAIL_ACPI, "table-loader command %u: no fw_cfg file '%s'", idx, dname);
	if (!size_ok(size) || doff > f.size || f.size - doff < size || soff >= src->size)
		fatal(FAIL_ACPI, "table-loader command %u: WRITE_POINTER (%u bytes at %u of "
		      "'%s', source offset %u of '%s') is out of bounds", idx, size, doff,
		      dname, soff, src->name);
	v = src->addr + soff;
	if (!fits(v, size))
		fatal(FAIL_ACPI, "table-loader command %u: address 0x%llx does not fit "
		      "a %u-byte pointer", idx, (unsigned long long)v, size);
	put_n(buf, size, v);
	fw_cfg_write(f.key, doff, buf, size);
}

/* The whole [addr, addr + len) inside one allocated file. */
static bool in_files(uint64_t addr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < nr_files; i++)
		if (addr >= files[i].addr && len <= files[i].size &&
		    addr - files[i].addr <= files[i].size - len)
			return true;
	return false;
}

/* An ACPI table header at @addr: inside the files, with a good checksum. */
static const uint8_t *table_at(uint64_t addr, const char *from)
{
	const uint8_t *t = phys(addr);
	uint32_t len;

	if (!in_files(addr, 36))
		fatal(FAIL_ACPI, "%s points to 0x%llx, outside the ACPI files", from,
		      (unsigned long long)addr);
	len = get_le32(t + 4);
	if (len < 36 || !in_files(addr, len))
		fatal(FAIL_ACPI, "table %c%c%c%c at 0x%llx: length %u runs outside the "
		      "ACPI files", t[0], t[1], t[2], t[3], (unsigned long long)addr, len);
	if (sum8(t, len))
		fatal(FAIL_ACPI, "table %c%c%c%c at 0x%llx: bad checksum", t[0], t[1],
		      t[2], t[3], (unsigned long long)addr);
	return t;
}

static void print_sig(const uint8_t *t)
{
	printf(" %c%c%c%c", t[0], t[1], t[2], t[3]);
}

/* The table behind XSDT/RSDT entry @i; its DSDT through @dsdt (FADT only). */
static const uint8_t *sdt_entry(const uint8_t *sdt, unsigned int esize, unsigned int i,
				const uint8_t **dsdt)
{
	uint64_t a = esize == 8 ? get_le64(sdt + 36 + i * 8) : get_le32(sdt + 36 + i * 4);
	const uint8_t *t = table_at(a, "the XSDT/RSDT");
	uint64_t d;

	*dsdt = NULL;
	if (!memcmp(t, "FACP", 4) && get_le32(t + 4) >= 44) {
		d = get_le32(t + 40);
		if (get_le32(t + 4) >= 148 && get_le64(t + 140))
			d = get_le64(t + 140);
		if (d)
			*dsdt = table_at(d, "the FADT");
	}
	return t;
}

/* Check the RSDP and every table reachable from it, then list them. */
static void check_tables(uint64_t rsdp_addr, uint32_t rsdp_size)
{
	const uint8_t *r = phys(rsdp_addr), *sdt, *t, *dsdt;
	uint64_t sdt_addr;
	unsigned int i, n, esize;
	uint32_t len;

	if (rsdp_size < 20 || memcmp(r, "RSD PTR ", 8))
		fatal(FAIL_ACPI, "acpi/rsdp at 0x%llx has no \"RSD PTR \" signature",
		      (unsigned long long)rsdp_addr);
	if (sum8(r, 20))
		fatal(FAIL_ACPI, "RSDP checksum is wrong");
	sdt_addr = 0;
	esize = 4;
	if (r[15] >= 2) {
		if (rsdp_size < 36)
			fatal(FAIL_ACPI, "RSDP revision %u needs 36 bytes; its file has %u",
			      r[15], rsdp_size);
		len = get_le32(r + 20);
		if (len < 36 || len > rsdp_size)
			fatal(FAIL_ACPI, "RSDP length %u does not fit its %u-byte file",
			      len, rsdp_size);
		if (sum8(r, len))
			fatal(FAIL_ACPI, "RSDP extended checksum is wrong");
		sdt_addr = get_le64(r + 24);
		esize = 8;
	}
	if (!sdt_addr) {
		sdt_addr = get_le32(r + 16);
		esize = 4;
	}
	sdt = table_at(sdt_addr, "the RSDP");
	n = (get_le32(sdt + 4) - 36) / esize;
	for (i = 0; i < n; i++)
		sdt_entry(sdt, esize, i, &dsdt);
	printf("cvmm-testfw: acpi: RSDP rev %u at 0x%llx -> %c%c%c%c at 0x%llx:",
	       r[15], (unsigned long long)rsdp_addr, sdt[0], sdt[1], sdt[2], sdt[3],
	       (unsigned long long)sdt_addr);
	for (i = 0; i < n; i++) {
		t = sdt_entry(sdt, esize, i, &dsdt);
		print_sig(t);
		if (dsdt)
			print_sig(dsdt);
	}
	printf(" (checksums ok)\n");
}

uint64_t acpi_install(uint64_t high_zone)
{
	struct zone zones[2] = {
		{ "HIGH", high_zone, high_zone + FW_ACPI_HIGH_SIZE },
		{ "FSEG", FW_EBDA_START, FSEG_END },
	};
	const uint8_t *loader = phys(FW_SCRATCH);
	struct fw_cfg_file f;
	struct acpi_file *rsdp = NULL;
	unsigned int i, n;

	if (!fw_cfg_find("etc/table-loader", &f)) {
		printf("cvmm-testfw: no etc/table-loader: booting without ACPI tables "
		       "(stage0 would stop here)\n");
		return 0;
	}
	if (f.size % CMD_SIZE || f.size > FW_SCRATCH_SIZE)
		fatal(FAIL_ACPI, "etc/table-loader is %u bytes: not a multiple of %d up "
		      "to %d", f.size, CMD_SIZE, FW_SCRATCH_SIZE);
	fw_cfg_read_item(f.key, phys(FW_SCRATCH), f.size);
	n = f.size / CMD_SIZE;
	nr_files = 0;
	for (i = 0; i < n; i++) {
		const uint8_t *c = loader + i * CMD_SIZE;

		switch (get_le32(c)) {
		case CMD_ALLOCATE:
			cmd_allocate(c, i, zones);
			break;
		case CMD_ADD_POINTER:
			cmd_add_pointer(c, i);
			break;
		case CMD_ADD_CHECKSUM:
			cmd_add_checksum(c, i);
			break;
		case CMD_WRITE_POINTER:
			cmd_write_pointer(c, i);
			break;
		default:
			break;
		}
	}
	/* stage0: the RSDP is the allocated file whose name ends in "acpi/rsdp" */
	for (i = 0; i < nr_files; i++) {
		size_t len = strlen(files[i].name);

		if (len >= 9 && !memcmp(files[i].name + len - 9, "acpi/rsdp", 9))
			rsdp = &files[i];
	}
	if (!rsdp)
		fatal(FAIL_ACPI, "etc/table-loader (%u commands) allocated no acpi/rsdp", n);
	check_tables(rsdp->addr, rsdp->size);
	printf("cvmm-testfw: acpi: %u table-loader commands, %u files, RSDP at 0x%llx\n",
	       n, nr_files, (unsigned long long)rsdp->addr);
	return rsdp->addr;
}
