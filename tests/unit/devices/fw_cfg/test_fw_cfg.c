// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg traditional interface: probe, features, the file directory parsed
 * the way Oak stage0 parses it, item reads across boundaries, the item API
 * and the bzImage helper.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/layout.h"
#include "harness.h"

static void test_probe(void **state)
{
	struct rig r;
	uint8_t sig[6];
	uint8_t id[4];

	rig_init(&r, 1);
	fw_select(&r, FW_CFG_SIGNATURE);
	fw_read(&r, sig, sizeof(sig));
	assert_memory_equal(sig, "QEMU\0\0", 6);	/* then zeros */
	fw_select(&r, FW_CFG_ID);
	fw_read(&r, id, 4);
	assert_memory_equal(id, "\x03\0\0\0", 4);	/* traditional + DMA */
	/* The DMA register reads back "QEMU CFG" (big-endian u64). */
	assert_int_equal(inl(&r, PORT_FW_CFG_DMA), 0x554d4551);	/* "QEMU" */
	assert_int_equal(inl(&r, PORT_FW_CFG_DMA + 4), 0x47464320);
	rig_free(&r);

	/* Without guest memory: no DMA bit and no DMA port. */
	rig_init(&r, 0);
	fw_select(&r, FW_CFG_ID);
	fw_read(&r, id, 4);
	assert_memory_equal(id, "\x01\0\0\0", 4);
	assert_null(io_bus_find(&r.pio, PORT_FW_CFG_DMA));
	rig_free(&r);
}

struct dirent_t {
	uint32_t size;
	uint16_t select;
	char name[57];
};

/* Read the directory exactly as stage0's FwCfg::dir(): a BE count, then
 * 64-byte entries through the data port. */
static unsigned int read_dir(struct rig *r, struct dirent_t *out,
			     unsigned int max)
{
	uint8_t cnt[4], e[64];
	uint32_t n, i;

	fw_select(r, FW_CFG_FILE_DIR);
	fw_read(r, cnt, 4);
	n = get_be32(cnt);
	assert_true(n <= max);
	for (i = 0; i < n; i++) {
		fw_read(r, e, 64);
		out[i].size = get_be32(e);
		out[i].select = get_be16(e + 4);
		assert_int_equal(get_be16(e + 6), 0);
		assert_non_null(memchr(e + 8, 0, 56));
		memcpy(out[i].name, e + 8, 56);
		out[i].name[56] = 0;
	}
	return n;
}

static const struct dirent_t *find(const struct dirent_t *d, unsigned int n,
				   const char *name)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(d[i].name, name))
			return &d[i];
	return NULL;
}

static void test_directory(void **state)
{
	static const char *names[] = {
		"etc/table-loader", "bootorder", "etc/e820", "etc/acpi/rsdp",
		"etc/acpi/tables", "etc/boot-fail-wait",
	};
	struct dirent_t d[16];
	struct rig r;
	unsigned int i, n;
	uint16_t key;

	rig_init(&r, 1);
	assert_int_equal(read_dir(&r, d, 16), 0);
	for (i = 0; i < 6; i++) {
		char content[64];

		memset(content, 'a' + (int)i, sizeof(content));
		assert_int_equal(fw_cfg_add_file(r.fc, names[i], content,
						 10 + i), 0);
	}
	n = read_dir(&r, d, 16);
	assert_int_equal(n, 6);
	/* Sorted by name, keys consecutive from 0x20 */
	for (i = 0; i < n; i++) {
		assert_int_equal(d[i].select, FW_CFG_FILE_FIRST + i);
		if (i)
			assert_true(strcmp(d[i - 1].name, d[i].name) < 0);
		assert_int_equal(fw_cfg_file_key(r.fc, d[i].name, &key), 0);
		assert_int_equal(key, d[i].select);
	}
	for (i = 0; i < 6; i++) {
		const struct dirent_t *e = find(d, n, names[i]);
		uint8_t buf[32];
		unsigned int k;

		assert_non_null(e);
		assert_int_equal(e->size, 10 + i);
		fw_select(&r, e->select);
		fw_read(&r, buf, e->size);
		for (k = 0; k < e->size; k++)
			assert_int_equal(buf[k], 'a' + i);
	}
	assert_int_equal(fw_cfg_file_key(r.fc, "nope", &key), -ENOENT);
	rig_free(&r);
}

static void test_item_reads(void **state)
{
	struct rig r;
	uint8_t buf[16];
	const uint8_t ten[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_item(r.fc, FW_CFG_KERNEL_CMDLINE, ten, 10),
			 0);
	/* Split reads continue where the last one stopped. */
	fw_select(&r, FW_CFG_KERNEL_CMDLINE);
	fw_read(&r, buf, 3);
	assert_memory_equal(buf, ten, 3);
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, ten + 3, 4);
	/* Across the end: the rest reads as zeros. */
	fw_read(&r, buf, 8);
	assert_memory_equal(buf, ten + 7, 3);
	assert_memory_equal(buf + 3, "\0\0\0\0\0", 5);
	/* Selecting again rewinds. */
	fw_select(&r, FW_CFG_KERNEL_CMDLINE);
	fw_read(&r, buf, 2);
	assert_memory_equal(buf, ten, 2);
	/* Data-port writes and odd-sized selector writes are ignored (a byte
	 * write selecting key 0 would read 'Q' next). */
	buf[0] = buf[1] = 0;
	io_bus_dispatch(&r.pio, PORT_FW_CFG + 1, buf, 1, true);
	io_bus_dispatch(&r.pio, PORT_FW_CFG, buf, 1, true);
	fw_read(&r, buf, 1);
	assert_int_equal(buf[0], 3);
	/* The write-channel alias bit selects the same item. */
	fw_select(&r, FW_CFG_KERNEL_CMDLINE | FW_CFG_WRITE_CHANNEL);
	fw_read(&r, buf, 1);
	assert_int_equal(buf[0], 1);
	/* Unknown keys and empty file slots read as zeros. */
	fw_select(&r, 0x1234);
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	fw_select(&r, FW_CFG_FILE_FIRST);
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	fw_select(&r, 0xffff);
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	rig_free(&r);
}

static void test_item_api(void **state)
{
	struct rig r;
	uint8_t buf[8];
	char name[80];
	unsigned int i;
	uint8_t *taken;
	static uint8_t borrowed[4] = { 9, 8, 7, 6 };

	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_u64(r.fc, FW_CFG_RAM_SIZE, 0x123456789aULL),
			 0);
	assert_int_equal(fw_cfg_add_u16(r.fc, FW_CFG_NB_CPUS, 4), 0);
	assert_int_equal(fw_cfg_add_u16(r.fc, FW_CFG_MAX_CPUS, 4), 0);
	assert_int_equal(fw_cfg_add_u32(r.fc, FW_CFG_E820_TABLE, 0), 0);
	fw_select(&r, FW_CFG_RAM_SIZE);
	fw_read(&r, buf, 8);
	assert_memory_equal(buf, "\x9a\x78\x56\x34\x12\0\0\0", 8);
	fw_select(&r, FW_CFG_NB_CPUS);
	fw_read(&r, buf, 2);
	assert_memory_equal(buf, "\x04\0", 2);
	fw_select(&r, FW_CFG_E820_TABLE);	/* arch-local key */
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);

	/* Reserved, file-range and duplicate keys */
	assert_int_equal(fw_cfg_add_u32(r.fc, FW_CFG_SIGNATURE, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_u32(r.fc, FW_CFG_ID, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_u32(r.fc, FW_CFG_FILE_DIR, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_u32(r.fc, FW_CFG_FILE_FIRST, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_u32(r.fc, 0x4005, 1), -EINVAL);
	assert_int_equal(fw_cfg_add_u16(r.fc, FW_CFG_NB_CPUS, 2), -EEXIST);
	/* Bad flags; TAKE frees the buffer even on failure (ASan checks). */
	taken = malloc(4);
	assert_int_equal(fw_cfg_add_item_ex(r.fc, FW_CFG_NB_CPUS, taken, 4,
					    FW_CFG_F_TAKE, NULL, NULL),
			 -EEXIST);
	taken = malloc(4);
	assert_int_equal(fw_cfg_add_item_ex(r.fc, 0x0c, taken, 4,
					    FW_CFG_F_TAKE | FW_CFG_F_BORROW,
					    NULL, NULL), -EINVAL);
	taken = malloc(4);
	memcpy(taken, "take", 4);
	assert_int_equal(fw_cfg_add_item_ex(r.fc, 0x0c, taken, 4,
					    FW_CFG_F_TAKE, NULL, NULL), 0);
	assert_int_equal(fw_cfg_add_item_ex(r.fc, 0x0d, borrowed, 4,
					    FW_CFG_F_BORROW, NULL, NULL), 0);
	fw_select(&r, 0x0d);
	fw_read(&r, buf, 4);
	assert_memory_equal(buf, borrowed, 4);
	assert_int_equal(fw_cfg_add_item(r.fc, 0x0e, NULL, 4), -EINVAL);
	assert_int_equal(fw_cfg_add_item(r.fc, 0x0e, NULL, 0), 0);

	/* File names: 1..55 bytes, unique, at most FW_CFG_MAX_FILES */
	memset(name, 'x', sizeof(name));
	name[55] = 0;
	assert_int_equal(fw_cfg_add_file(r.fc, name, "a", 1), 0);
	name[55] = 'x';
	name[56] = 0;
	assert_int_equal(fw_cfg_add_file(r.fc, name, "a", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(r.fc, "", "a", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(r.fc, NULL, "a", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(r.fc, "bootorder", "a", 1), 0);
	assert_int_equal(fw_cfg_add_file(r.fc, "bootorder", "b", 1), -EEXIST);
	for (i = 2; i < FW_CFG_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f/%04u", i);
		assert_int_equal(fw_cfg_add_file(r.fc, name, NULL, 0), 0);
	}
	assert_int_equal(fw_cfg_add_file(r.fc, "one-too-many", "a", 1),
			 -ENOSPC);
	rig_free(&r);
}

static void test_kernel(void **state)
{
	struct rig r;
	size_t len = 5 * 512 + 1000, i;
	uint8_t *img = malloc(len), *buf = malloc(len), sz[4];
	static const uint8_t initrd[300] = { 0x11, [299] = 0x22 };
	struct fw_cfg_kernel k = {
		.image = img, .image_len = len, .setup_sects = 0,
		.initrd = initrd, .initrd_len = sizeof(initrd),
		.cmdline = "console=ttyS0 init=/init",
		.kernel_addr = 0x100000, .setup_addr = 0x10000,
		.cmdline_addr = 0x20000, .initrd_addr = 0x7000000,
	};

	for (i = 0; i < len; i++)
		img[i] = (uint8_t)(i * 7);
	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), 0);
	/* setup_sects 0 means 4: setup is 5 sectors, the kernel the rest */
	fw_select(&r, FW_CFG_SETUP_SIZE);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\x00\x0a\0\0", 4);	/* 2560 */
	fw_select(&r, FW_CFG_SETUP_DATA);
	fw_read(&r, buf, 2560);
	assert_memory_equal(buf, img, 2560);
	fw_select(&r, FW_CFG_KERNEL_SIZE);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\xe8\x03\0\0", 4);	/* 1000 */
	fw_select(&r, FW_CFG_KERNEL_DATA);
	fw_read(&r, buf, 1001);
	assert_memory_equal(buf, img + 2560, 1000);
	assert_int_equal(buf[1000], 0);
	fw_select(&r, FW_CFG_KERNEL_ADDR);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\0\0\x10\0", 4);
	fw_select(&r, FW_CFG_CMDLINE_SIZE);
	fw_read(&r, sz, 4);
	assert_int_equal(sz[0], strlen(k.cmdline) + 1);
	fw_select(&r, FW_CFG_CMDLINE_DATA);
	fw_read(&r, buf, strlen(k.cmdline) + 1);
	assert_string_equal((char *)buf, k.cmdline);
	fw_select(&r, FW_CFG_INITRD_SIZE);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\x2c\x01\0\0", 4);	/* 300 */
	fw_select(&r, FW_CFG_INITRD_DATA);
	fw_read(&r, buf, 300);
	assert_memory_equal(buf, initrd, 300);
	/* Twice: the items exist already */
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), -EEXIST);
	rig_free(&r);

	/* setup_sects 1: 1024 bytes of setup; no initrd, no cmdline */
	rig_init(&r, 1);
	k.setup_sects = 1;
	k.initrd = NULL;
	k.initrd_len = 0;
	k.cmdline = NULL;
	k.borrow = true;
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), 0);
	fw_select(&r, FW_CFG_SETUP_SIZE);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\x00\x04\0\0", 4);
	fw_select(&r, FW_CFG_KERNEL_SIZE);
	fw_read(&r, sz, 4);
	assert_int_equal(sz[0] | sz[1] << 8, len - 1024);
	fw_select(&r, FW_CFG_CMDLINE_SIZE);
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\x01\0\0\0", 4);	/* just the NUL */
	fw_select(&r, FW_CFG_INITRD_SIZE);		/* absent: zeros */
	fw_read(&r, sz, 4);
	assert_memory_equal(sz, "\0\0\0\0", 4);
	rig_free(&r);

	/* Image not longer than its setup; bad setup_sects */
	rig_init(&r, 1);
	k.image_len = 1024;
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), -EINVAL);
	k.image_len = len;
	k.setup_sects = 256;
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), -EINVAL);
	k.setup_sects = 1;
	k.initrd_len = 5;				/* length without data */
	assert_int_equal(fw_cfg_add_kernel(r.fc, &k), -EINVAL);
	rig_free(&r);
	free(img);
	free(buf);
}

/* The ACPI files, found through the directory as firmware finds them. */
static void test_acpi_files(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct dirent_t d[8];
	const struct dirent_t *e;
	uint8_t *loader, *buf;
	size_t loader_len;
	unsigned int n, i;
	struct rig r;

	acpi_config_init(&cfg, 2);
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_table_loader(&t, &loader, &loader_len), 0);
	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_acpi_files(r.fc, &t), 0);
	n = read_dir(&r, d, 8);
	assert_int_equal(n, 3);
	for (i = 0; i < ACPI_NR_FILES; i++) {
		e = find(d, n, t.files[i].name);
		assert_non_null(e);
		assert_int_equal(e->size, t.files[i].len);
		buf = malloc(e->size);
		fw_select(&r, e->select);
		fw_read(&r, buf, e->size);
		assert_memory_equal(buf, t.files[i].data, e->size);
		free(buf);
	}
	e = find(d, n, "etc/table-loader");
	assert_non_null(e);
	assert_int_equal(e->size, loader_len);
	assert_int_equal(e->size % 128, 0);
	buf = malloc(e->size);
	fw_select(&r, e->select);
	fw_read(&r, buf, e->size);
	assert_memory_equal(buf, loader, loader_len);
	free(buf);
	/* A second time: the names are taken */
	assert_int_equal(fw_cfg_add_acpi_files(r.fc, &t), -EEXIST);
	free(loader);
	acpi_tables_free(&t);
	rig_free(&r);
}

/* Rebuilt ACPI tables replace the three files in place. */
static void test_acpi_update(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t, t2;
	struct dirent_t d[8];
	const struct dirent_t *e;
	uint8_t *buf;
	unsigned int n;
	struct rig r;

	acpi_config_init(&cfg, 2);
	cfg.pci = true;
	cfg.ecam_off = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_tables_pad(&t, 0x10000), 0);
	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_acpi_files(r.fc, &t), 0);
	cfg.ecam_off = false;
	cfg.ecam_base = 0xb0000000;
	assert_int_equal(acpi_build(&cfg, &t2), 0);
	assert_int_equal(acpi_tables_pad(&t2, 0x10000), 0);
	assert_int_equal(fw_cfg_update_acpi_files(r.fc, &t2), 0);
	n = read_dir(&r, d, 8);
	e = find(d, n, ACPI_TABLES_FILE_NAME);
	assert_non_null(e);
	assert_int_equal(e->size, 0x10000);
	buf = malloc(e->size);
	fw_select(&r, e->select);
	fw_read(&r, buf, e->size);
	assert_memory_equal(buf, t2.files[ACPI_FILE_TABLES].data, e->size);
	assert_memory_not_equal(buf, t.files[ACPI_FILE_TABLES].data, e->size);
	free(buf);
	/* the loader keeps its size: the same commands, other offsets */
	e = find(d, n, ACPI_LOADER_FILE_NAME);
	assert_non_null(e);
	assert_int_equal(e->size, 128 * (2 + t.nr_links));
	/* an unknown file cannot be updated */
	assert_int_equal(fw_cfg_update_file(r.fc, "etc/nothing", "x", 1), -ENOENT);
	assert_int_equal(fw_cfg_update_file(r.fc, NULL, "x", 1), -ENOENT);
	acpi_tables_free(&t);
	acpi_tables_free(&t2);
	rig_free(&r);
}

/* SEV/SNP launches reserve etc/boot/: AmdSev OVMF dies on unknown blobs. */
static void test_reserved_prefix(void **state)
{
	struct rig r;
	uint8_t *taken = malloc(4);

	rig_init(&r, 1);
	assert_int_equal(fw_cfg_add_file(r.fc, "etc/boot/kernel", "k", 1), 0);
	assert_int_equal(fw_cfg_reserve_prefix(r.fc, "etc/boot/"), 0);
	assert_int_equal(fw_cfg_add_file(r.fc, "etc/boot/initrd", "i", 1), -EPERM);
	/* TAKE still frees (ASan checks) */
	assert_int_equal(fw_cfg_add_file_ex(r.fc, "etc/boot/x", taken, 4, FW_CFG_F_TAKE,
					    NULL, NULL), -EPERM);
	/* names merely like it are fine */
	assert_int_equal(fw_cfg_add_file(r.fc, "etc/boot-menu-wait", "\0\0", 2), 0);
	assert_int_equal(fw_cfg_add_file(r.fc, "etc/boot", "x", 1), 0);
	/* lifted */
	assert_int_equal(fw_cfg_reserve_prefix(r.fc, ""), 0);
	assert_int_equal(fw_cfg_add_file(r.fc, "etc/boot/initrd", "i", 1), 0);
	{
		char longp[80];

		memset(longp, 'p', sizeof(longp));
		longp[56] = 0;
		assert_int_equal(fw_cfg_reserve_prefix(r.fc, longp), -EINVAL);
	}
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_item_reads),
		cmocka_unit_test(test_item_api),
		cmocka_unit_test(test_kernel),
		cmocka_unit_test(test_acpi_files),
		cmocka_unit_test(test_acpi_update),
		cmocka_unit_test(test_reserved_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
