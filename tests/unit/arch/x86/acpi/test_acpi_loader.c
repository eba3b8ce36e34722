// SPDX-License-Identifier: GPL-2.0-only
/*
 * Both consumers of the builder, checked end to end:
 *  - the "etc/table-loader" stream, executed here the way firmware does
 *    (OVMF's checksum semantics, SeaBIOS's zones), then RSDP -> XSDT ->
 *    tables walked from the result;
 *  - acpi_install() into a real guest_mem, with the RSDP found by scanning
 *    0xe0000..0xfffff on 16-byte boundaries like Linux.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acpi_check.h"
#include "arch/x86/acpi/acpi.h"
#include "arch/x86/layout.h"
#include "mem/guest_mem.h"

/* ---- a tiny firmware-side loader ---- */

#define FW_MAX_FILES 4

struct fw_file {
	char name[57];
	uint8_t *data;
	uint64_t size;
	uint64_t addr;		/* simulated guest physical address */
};

struct fw {
	const struct acpi_tables *src;	/* plays the fw_cfg file store */
	struct fw_file files[FW_MAX_FILES];
	unsigned int nr;
	uint64_t fseg_next, high_next;
};

static const uint8_t *fw_map(void *ctx, uint64_t addr, uint64_t len)
{
	struct fw *fw = ctx;
	unsigned int i;

	for (i = 0; i < fw->nr; i++) {
		struct fw_file *f = &fw->files[i];

		if (addr >= f->addr && addr - f->addr <= f->size &&
		    len <= f->size - (addr - f->addr))
			return f->data + (addr - f->addr);
	}
	return NULL;
}

static struct fw_file *fw_find(struct fw *fw, const uint8_t *name)
{
	unsigned int i;

	/* File names must be NUL-terminated inside their 56 bytes. */
	if (!memchr(name, 0, 56))
		return NULL;
	for (i = 0; i < fw->nr; i++)
		if (!strcmp(fw->files[i].name, (const char *)name))
			return &fw->files[i];
	return NULL;
}

/* Execute the loader script; returns 0 or -1 on a malformed command. */
static int fw_run(struct fw *fw, const uint8_t *script, size_t len)
{
	size_t off;

	if (len % 128)
		return -1;
	for (off = 0; off < len; off += 128) {
		const uint8_t *c = script + off, *b = c + 4;
		uint32_t cmd = (uint32_t)le(c, 4);

		if (cmd == 1) {			/* ALLOCATE */
			uint32_t align = (uint32_t)le(b + 56, 4);
			uint8_t zone = b[60];
			const struct acpi_file *src = NULL;
			struct fw_file *f;
			uint64_t *next;
			unsigned int i;

			if (fw_find(fw, b) || fw->nr == FW_MAX_FILES ||
			    !align || (align & (align - 1)) || align > 4096)
				return -1;
			for (i = 0; i < ACPI_NR_FILES; i++)
				if (!strcmp(fw->src->files[i].name,
					    (const char *)b))
					src = &fw->src->files[i];
			if (!src)
				return -1;
			if (zone == 2)
				next = &fw->fseg_next;
			else if (zone == 1)
				next = &fw->high_next;
			else
				return -1;
			f = &fw->files[fw->nr++];
			memcpy(f->name, b, 56);
			f->name[56] = 0;
			f->size = src->len;
			f->data = malloc(src->len);
			memcpy(f->data, src->data, src->len);
			*next = (*next + align - 1) & ~(uint64_t)(align - 1);
			f->addr = *next;
			*next += src->len;
		} else if (cmd == 2) {		/* ADD_POINTER */
			struct fw_file *d = fw_find(fw, b);
			struct fw_file *s = fw_find(fw, b + 56);
			uint32_t po = (uint32_t)le(b + 112, 4);
			uint8_t size = b[116];
			uint64_t v;

			if (!d || !s || (size != 1 && size != 2 && size != 4 &&
					 size != 8) ||
			    d->size < size || d->size - size < po)
				return -1;
			v = le(d->data + po, size);
			if (v >= s->size)
				return -1;
			v += s->addr;
			if (size < 8 && (v >> (size * 8)))
				return -1;
			for (unsigned int k = 0; k < size; k++)
				d->data[po + k] = (uint8_t)(v >> (8 * k));
		} else if (cmd == 3) {		/* ADD_CHECKSUM */
			struct fw_file *f = fw_find(fw, b);
			uint32_t res = (uint32_t)le(b + 56, 4);
			uint32_t start = (uint32_t)le(b + 60, 4);
			uint32_t n = (uint32_t)le(b + 64, 4);

			if (!f || f->size <= res || f->size < n ||
			    f->size - n < start)
				return -1;
			/* OVMF: the result byte is *set* to -sum(range). */
			f->data[res] = (uint8_t)(0 - sum8(f->data + start, n));
		} else {
			return -1;
		}
	}
	return 0;
}

static void fw_free(struct fw *fw)
{
	unsigned int i;

	for (i = 0; i < fw->nr; i++)
		free(fw->files[i].data);
}

static void test_table_loader_roundtrip(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct walked_tables w;
	uint8_t *script;
	size_t len;
	struct fw fw = { .fseg_next = 0xf0000 + 4, .high_next = 0x7ffe0010 };
	struct fw_file *rsdp, *tables;

	acpi_config_init(&cfg, 8);
	cfg.pci = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_table_loader(&t, &script, &len), 0);
	/* 2 ALLOCATE + one command per link */
	assert_int_equal(len, (2 + t.nr_links) * 128);
	assert_int_equal(le(script, 4), 1);
	assert_string_equal((const char *)script + 4, "etc/acpi/rsdp");
	assert_int_equal(le(script + 60, 4), 16);
	assert_int_equal(script[64], 2);		/* FSEG */
	assert_int_equal(le(script + 128, 4), 1);
	assert_string_equal((const char *)script + 132, "etc/acpi/tables");
	assert_int_equal(le(script + 188, 4), 64);
	assert_int_equal(script[192], 1);		/* HIGH */

	fw.src = &t;
	assert_int_equal(fw_run(&fw, script, len), 0);
	rsdp = &fw.files[0];
	tables = &fw.files[1];
	assert_int_equal(rsdp->addr % 16, 0);
	assert_true(rsdp->addr >= 0xe0000 && rsdp->addr < 0x100000);
	assert_int_equal(tables->addr % 64, 0);

	walk_acpi(fw_map, &fw, rsdp->addr, &w);
	assert_int_equal(w.nr, 3);
	assert_non_null(walked_find(&w, "FACP"));
	assert_non_null(walked_find(&w, "APIC"));
	assert_non_null(walked_find(&w, "MCFG"));
	/* every table lives in the tables file */
	assert_true(w.xsdt >= tables->addr &&
		    w.xsdt < tables->addr + tables->size);
	assert_true(w.dsdt_addr >= tables->addr &&
		    w.dsdt_addr < tables->addr + tables->size);
	fw_free(&fw);
	free(script);
	acpi_tables_free(&t);
}

/* Every command's layout: a known command, names NUL-terminated inside
 * their 56 bytes, 8-byte pointers, zero padding. */
static void test_table_loader_layout(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	uint8_t *script;
	size_t len, off;

	acpi_config_init(&cfg, 2);
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_table_loader(&t, &script, &len), 0);
	for (off = 0; off < len; off += 128) {
		uint32_t cmd = (uint32_t)le(script + off, 4);
		const uint8_t *b = script + off + 4;

		assert_true(cmd >= 1 && cmd <= 3);
		/* file names NUL-terminated, padding zero */
		assert_non_null(memchr(b, 0, 56));
		if (cmd == 2) {
			assert_non_null(memchr(b + 56, 0, 56));
			assert_int_equal(b[116], 8);
			for (unsigned int k = 117; k < 124; k++)
				assert_int_equal(b[k], 0);
		} else if (cmd == 3) {
			for (unsigned int k = 68; k < 124; k++)
				assert_int_equal(b[k], 0);
		}
	}
	free(script);
	acpi_tables_free(&t);
}

/* ---- direct boot into guest RAM ---- */

static const uint8_t *mem_map(void *ctx, uint64_t addr, uint64_t len)
{
	return guest_mem_ptr(ctx, addr, len);
}

/* Linux's acpi_scan_rsdp: 16-byte steps over the BIOS area. */
static uint64_t scan_rsdp(const struct guest_mem *mem)
{
	uint64_t a;

	for (a = 0xe0000; a < 0x100000; a += 16) {
		const uint8_t *p = guest_mem_ptr(mem, a, 20);

		if (p && !memcmp(p, "RSD PTR ", 8) && sum8(p, 20) == 0)
			return a;
	}
	return 0;
}

static void test_install_direct(void **state)
{
	struct guest_mem mem = { 0 };
	struct acpi_config cfg;
	struct acpi_tables t;
	struct walked_tables w;
	uint64_t rsdp = 0;
	const uint8_t *madt;
	unsigned int i;

	assert_int_equal(guest_mem_add_ram(&mem, 0, 2 << 20, GUEST_MEM_ANON,
					   false, "ram"), 0);
	acpi_config_init(&cfg, 64);
	cfg.pci = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_install(&t, &mem, ACPI_TABLES_START,
				      ACPI_TABLES_MAX, &rsdp), 0);
	assert_int_equal(rsdp, ACPI_TABLES_START);
	assert_int_equal(scan_rsdp(&mem), rsdp);

	walk_acpi(mem_map, &mem, rsdp, &w);
	assert_int_equal(w.nr, 3);
	for (i = 0; i < w.nr; i++) {
		assert_true(w.addr[i] >= ACPI_TABLES_START);
		assert_true(w.addr[i] + w.len[i] <=
			    ACPI_TABLES_START + ACPI_TABLES_MAX);
	}
	madt = walked_find(&w, "APIC");
	/* 64 Local APIC entries (8 bytes) after the 44-byte head */
	assert_true(le(madt + 4, 4) >= 44 + 64 * 8);
	acpi_tables_free(&t);
	guest_mem_free(&mem);
}

static void test_install_errors(void **state)
{
	struct guest_mem mem = { 0 };
	struct acpi_config cfg;
	struct acpi_tables t;
	uint64_t rsdp = 0x1234;
	uint8_t probe[16];

	assert_int_equal(guest_mem_add_ram(&mem, 0, 0x80000, GUEST_MEM_ANON,
					   false, "low"), 0);
	acpi_config_init(&cfg, ACPI_MAX_VCPUS);
	assert_int_equal(acpi_build(&cfg, &t), 0);
	/* Does not fit a small window: nothing written. */
	assert_int_equal(acpi_install(&t, &mem, 0x10000, 0x100, &rsdp),
			 -ENOSPC);
	assert_int_equal(guest_mem_read(&mem, 0x10000, probe, 16), 0);
	for (unsigned int i = 0; i < 16; i++)
		assert_int_equal(probe[i], 0);
	/* Misaligned RSDP */
	assert_int_equal(acpi_install(&t, &mem, 0x10008, 0x10000, &rsdp),
			 -EINVAL);
	/* Not RAM (0xe0000 is beyond this 512K guest) */
	assert_int_equal(acpi_install(&t, &mem, ACPI_TABLES_START,
				      ACPI_TABLES_MAX, &rsdp), -EFAULT);
	/* Window wrapping the address space */
	assert_int_equal(acpi_install(&t, &mem, 0xfffffffffffffff0ULL, 0x100,
				      &rsdp), -EINVAL);
	assert_int_equal(rsdp, 0x1234);
	/* 1024 vCPUs still fit the 64K direct-boot window. */
	assert_int_equal(acpi_install(&t, &mem, 0x10000, ACPI_TABLES_MAX,
				      &rsdp), 0);
	assert_int_equal(rsdp, 0x10000);
	acpi_tables_free(&t);
	guest_mem_free(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_loader_roundtrip),
		cmocka_unit_test(test_table_loader_layout),
		cmocka_unit_test(test_install_direct),
		cmocka_unit_test(test_install_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
