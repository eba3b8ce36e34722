// SPDX-License-Identifier: GPL-2.0-only
/*
 * bzImage header parsing and the 64-bit Linux boot protocol loader
 * (Documentation/arch/x86/boot.rst): synthetic headers with every field
 * under control, the header of a real Linux 6.1 bzImage and cvmm's own
 * built-in guest, and the malformed inputs a user may hand us.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "boot/builtin.h"
#include "boot/bzimage.h"
#include "mem/guest_mem.h"
#include "tdata.h"

#define MiB		(1ULL << 20)
#define SETUP_SECTS	4
#define SETUP_SIZE	((SETUP_SECTS + 1) * 512)
#define KERNEL_LEN	0x10000
#define IMG_LEN		(SETUP_SIZE + KERNEL_LEN)

/* A well-formed 2.15 header: relocatable, 64-bit, preferred at 16 MiB. */
static uint8_t *make_bz(size_t len)
{
	uint8_t *p = calloc(1, len);
	size_t i;

	assert_non_null(p);
	p[BP_SETUP_SECTS] = SETUP_SECTS;
	le16(p, BP_BOOT_FLAG, 0xaa55);
	p[BP_JUMP] = 0xeb;
	p[BP_JUMP + 1] = 0x66;			/* header ends at 0x268 */
	memcpy(p + BP_HEADER, "HdrS", 4);
	le16(p, BP_VERSION, 0x020f);
	p[BP_LOADFLAGS] = BZ_LOADED_HIGH;
	le32(p, BP_INITRD_ADDR_MAX, 0x7fffffff);
	le32(p, BP_KERNEL_ALIGNMENT, 0x200000);
	p[BP_RELOCATABLE] = 1;
	le16(p, BP_XLOADFLAGS, BZ_XLF_KERNEL_64 | 0x2);
	le32(p, BP_CMDLINE_SIZE, 2047);
	le64(p, BP_PREF_ADDRESS, 0x1000000);
	le32(p, BP_INIT_SIZE, 0x800000);
	for (i = SETUP_SIZE; i < len; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	return p;
}

static int parse(const uint8_t *p, size_t len, struct bzimage_info *info,
		 const char **why)
{
	*why = NULL;
	return bzimage_parse(p, len, info, why);
}

static void expect_parse_error(const uint8_t *p, size_t len, const char *msg)
{
	struct bzimage_info info;
	const char *why;

	assert_int_equal(parse(p, len, &info, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, msg);
}

static void test_parse_valid(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_info info;
	const char *why;

	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.setup_sects, SETUP_SECTS);
	assert_int_equal(info.version, 0x020f);
	assert_int_equal(info.loadflags, BZ_LOADED_HIGH);
	assert_int_equal(info.xloadflags, 0x3);
	assert_int_equal(info.relocatable, 1);
	assert_int_equal(info.kernel_alignment, 0x200000);
	assert_int_equal(info.initrd_addr_max, 0x7fffffff);
	assert_int_equal(info.cmdline_size, 2047);
	assert_int_equal(info.pref_address, 0x1000000);
	assert_int_equal(info.init_size, 0x800000);
	assert_int_equal(info.setup_size, SETUP_SIZE);
	assert_int_equal(info.kernel_offset, SETUP_SIZE);
	assert_int_equal(info.kernel_size, KERNEL_LEN);
	free(p);
}

static void test_parse_setup_sects_zero_means_four(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_info info;
	const char *why;

	p[BP_SETUP_SECTS] = 0;
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.setup_sects, 4);
	assert_int_equal(info.setup_size, 5 * 512);

	p[BP_SETUP_SECTS] = 0x1f;
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.setup_sects, 0x1f);
	assert_int_equal(info.setup_size, 0x20 * 512);
	assert_int_equal(info.kernel_offset, 0x4000);
	assert_int_equal(info.kernel_size, IMG_LEN - 0x4000);
	free(p);
}

static void test_parse_truncated(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	size_t len;

	expect_parse_error(p, 0, "not a bzImage: file too small");
	expect_parse_error(p, 0x200, "not a bzImage: file too small");
	expect_parse_error(p, BP_INIT_SIZE + 3, "not a bzImage: file too small");
	/* Long enough for the header, but not for the setup sectors. */
	expect_parse_error(p, BP_INIT_SIZE + 4,
			   "truncated: setup sectors run past the end of the file");
	expect_parse_error(p, SETUP_SIZE,
			   "truncated: setup sectors run past the end of the file");
	/* setup_sects = 255: 128 KiB of setup in a 66 KiB file */
	p[BP_SETUP_SECTS] = 0xff;
	expect_parse_error(p, IMG_LEN,
			   "truncated: setup sectors run past the end of the file");
	p[BP_SETUP_SECTS] = SETUP_SECTS;
	/* One byte of kernel is enough for the parser. */
	for (len = SETUP_SIZE + 1; len < SETUP_SIZE + 3; len++) {
		struct bzimage_info info;
		const char *why;

		assert_int_equal(parse(p, len, &info, &why), 0);
		assert_int_equal(info.kernel_size, len - SETUP_SIZE);
		/* init_size (8 MiB) is kept: larger than the file part */
		assert_int_equal(info.init_size, 0x800000);
	}
	free(p);
}

static void test_parse_bad_magic(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);

	memcpy(p + BP_HEADER, "HdrT", 4);
	expect_parse_error(p, IMG_LEN, "not a bzImage: no HdrS signature");
	memcpy(p + BP_HEADER, "HdrS", 4);
	le16(p, BP_BOOT_FLAG, 0x55aa);
	expect_parse_error(p, IMG_LEN, "not a bzImage: bad boot flag");
	free(p);
}

static void test_parse_old_protocol(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_info info;
	const char *why;

	le16(p, BP_VERSION, 0x020b);
	expect_parse_error(p, IMG_LEN,
			   "boot protocol older than 2.12 has no 64-bit entry point");
	le16(p, BP_VERSION, 0x0100);
	expect_parse_error(p, IMG_LEN,
			   "boot protocol older than 2.12 has no 64-bit entry point");
	le16(p, BP_VERSION, 0x020c);
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.version, 0x020c);
	free(p);
}

static void test_parse_flags(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);

	le16(p, BP_XLOADFLAGS, 0x2);		/* XLF_CAN_BE_LOADED_ABOVE_4G only */
	expect_parse_error(p, IMG_LEN,
			   "kernel has no 64-bit entry point (XLF_KERNEL_64 unset)");
	le16(p, BP_XLOADFLAGS, BZ_XLF_KERNEL_64);
	p[BP_LOADFLAGS] = 0x80;			/* CAN_USE_HEAP, not LOADED_HIGH */
	expect_parse_error(p, IMG_LEN,
			   "zImage (loaded low) kernels are not supported");
	free(p);
}

static void test_parse_kernel_alignment(void **state)
{
	static const uint32_t bad[] = { 0, 1, 0x800, 0xfff, 0x3000, 0x300000,
					0x80000001 };
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_info info;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		le32(p, BP_KERNEL_ALIGNMENT, bad[i]);
		expect_parse_error(p, IMG_LEN, "bad kernel_alignment in the setup header");
	}
	le32(p, BP_KERNEL_ALIGNMENT, 0x1000);
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	le32(p, BP_KERNEL_ALIGNMENT, 0x80000000);
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	/* A kernel that is not relocatable never uses its alignment. */
	p[BP_RELOCATABLE] = 0;
	le32(p, BP_KERNEL_ALIGNMENT, 0);
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.relocatable, 0);
	free(p);
}

static void test_parse_defaults(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_info info;
	const char *why;

	le32(p, BP_INITRD_ADDR_MAX, 0);
	le32(p, BP_CMDLINE_SIZE, 0);
	le32(p, BP_INIT_SIZE, 0x100);		/* smaller than the kernel */
	assert_int_equal(parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(info.initrd_addr_max, 0x37ffffff);
	assert_int_equal(info.cmdline_size, 255);
	assert_int_equal(info.init_size, KERNEL_LEN);
	free(p);
}

/* The setup header of the Linux 6.1 test kernel (first 20 KiB). */
static void test_parse_linux(void **state)
{
	struct bzimage_info info;
	const char *why;
	size_t len;
	uint8_t *p = boot_tdata("linux-6.1-head.bzImage", &len);

	assert_int_equal(len, 20480);
	assert_int_equal(parse(p, len, &info, &why), 0);
	assert_int_equal(info.version, 0x020f);
	assert_int_equal(info.setup_sects, 31);
	assert_int_equal(info.setup_size, 16384);
	assert_int_equal(info.kernel_size, 4096);
	assert_int_equal(info.loadflags & BZ_LOADED_HIGH, BZ_LOADED_HIGH);
	assert_int_equal(info.xloadflags, 0x21);
	assert_int_equal(info.relocatable, 0);
	assert_int_equal(info.kernel_alignment, 0x200000);
	assert_int_equal(info.initrd_addr_max, 0x7fffffff);
	assert_int_equal(info.cmdline_size, 2047);
	assert_int_equal(info.pref_address, 0x1000000);
	assert_int_equal(info.init_size, 0xfea000);

	/* Cut inside the setup code: rejected, not read past the end. */
	expect_parse_error(p, 16384,
			   "truncated: setup sectors run past the end of the file");
	expect_parse_error(p, 4096,
			   "truncated: setup sectors run past the end of the file");
	free(p);
}

/* ---- loading -------------------------------------------------------- */

struct ram {
	struct guest_mem mem;
	struct e820_map e820;
	uint64_t size;
};

static void ram_init(struct ram *r, uint64_t gpa, uint64_t size)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(guest_mem_add_ram(&r->mem, gpa, size, GUEST_MEM_ANON,
					   false, "ram"), 0);
	r->size = gpa + size;
	e820_build_direct(&r->e820, r->size);
	/* garbage everywhere: the loader must write what it promises */
	memset(guest_mem_ptr(&r->mem, gpa, size), 0x5a, size);
}

static int load(struct ram *r, const uint8_t *p, size_t len,
		const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		struct bzimage_load *out, const char **why)
{
	struct bzimage_info info;

	assert_int_equal(bzimage_parse(p, len, &info, why), 0);
	*why = NULL;
	return bzimage_load(&r->mem, r->size, p, len, &info, initrd, initrd_len,
			    cmdline, &r->e820, out, why);
}

static const uint8_t *gp(struct ram *r, uint64_t gpa, uint64_t len)
{
	const uint8_t *p = guest_mem_ptr(&r->mem, gpa, len);

	assert_non_null(p);
	return p;
}

static void test_load_basic(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	const uint8_t *zp;
	struct ram r;
	unsigned int i;

	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "console=ttyS0 quiet",
			      &out, &why), 0);
	assert_int_equal(out.kernel_addr, 0x1000000);
	assert_int_equal(out.entry64, 0x1000200);
	assert_int_equal(out.initrd_addr, 0);
	assert_int_equal(out.initrd_size, 0);
	assert_int_equal(out.zero_page, BOOT_PARAMS_ADDR);

	/* the protected-mode kernel, byte for byte, at its address */
	assert_memory_equal(gp(&r, 0x1000000, KERNEL_LEN), p + SETUP_SIZE, KERNEL_LEN);
	/* the command line with its NUL */
	assert_string_equal((const char *)gp(&r, BOOT_CMDLINE_ADDR, 20),
			    "console=ttyS0 quiet");

	zp = gp(&r, BOOT_PARAMS_ADDR, BP_SIZE);
	/* nothing before the setup header: the loader cleared it */
	for (i = 0; i < BP_E820_ENTRIES; i++)
		assert_int_equal(zp[i], 0);
	/* the header as in the file (up to 0x202 + jump offset)... */
	assert_int_equal(zp[BP_SETUP_SECTS], SETUP_SECTS);
	assert_int_equal(rd16(zp, BP_BOOT_FLAG), 0xaa55);
	assert_memory_equal(zp + BP_HEADER, "HdrS", 4);
	assert_int_equal(rd16(zp, BP_VERSION), 0x020f);
	assert_int_equal(rd32(zp, BP_KERNEL_ALIGNMENT), 0x200000);
	assert_int_equal(rd64(zp, BP_PREF_ADDRESS), 0x1000000);
	assert_int_equal(rd32(zp, BP_INIT_SIZE), 0x800000);
	/* ...with the loader's fields */
	assert_int_equal(zp[BP_TYPE_OF_LOADER], 0xff);
	assert_int_equal(zp[BP_LOADFLAGS], BZ_LOADED_HIGH | BZ_CAN_USE_HEAP);
	assert_int_equal(rd16(zp, BP_HEAP_END_PTR), 0xfe00);
	assert_int_equal(rd32(zp, BP_CODE32_START), 0x1000000);
	assert_int_equal(rd32(zp, BP_CMD_LINE_PTR), BOOT_CMDLINE_ADDR);
	assert_int_equal(rd32(zp, BP_RAMDISK_IMAGE), 0);
	assert_int_equal(rd32(zp, BP_RAMDISK_SIZE), 0);
	/* the e820 map */
	assert_int_equal(zp[BP_E820_ENTRIES], 4);
	assert_memory_equal(zp + BP_E820_TABLE, r.e820.entries,
			    4 * sizeof(struct e820_entry));
	assert_int_equal(rd64(zp, BP_E820_TABLE + 3 * 20), HIMEM_START);
	assert_int_equal(rd64(zp, BP_E820_TABLE + 3 * 20 + 8), 63 * MiB);
	assert_int_equal(rd32(zp, BP_E820_TABLE + 3 * 20 + 16), E820_RAM);
	/* past the header and the map: zero */
	for (i = 0x268; i < BP_E820_TABLE; i++)
		assert_int_equal(zp[i], 0);
	for (i = BP_E820_TABLE + 4 * 20; i < BP_SIZE; i++)
		assert_int_equal(zp[i], 0);

	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_header_end(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	const uint8_t *zp;
	struct ram r;

	/*
	 * The largest header the jump can describe ends at 0x301, inside
	 * the e820 table (0x2d0): the file's bytes are copied up to there,
	 * the map then written over them.
	 */
	p[BP_JUMP + 1] = 0xff;
	p[0x0] = 0x11;		/* before the header: never copied */
	p[0x2cf] = 0xab;
	memset(p + BP_E820_TABLE, 0xcd, 0x301 - BP_E820_TABLE);
	p[0x301] = 0xef;
	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	zp = gp(&r, BOOT_PARAMS_ADDR, BP_SIZE);
	assert_int_equal(zp[0x0], 0);
	assert_int_equal(zp[0x2cf], 0xab);
	assert_int_equal(zp[BP_E820_ENTRIES], 4);
	assert_memory_equal(zp + BP_E820_TABLE, r.e820.entries,
			    4 * sizeof(struct e820_entry));
	assert_int_equal(zp[0x320], 0);
	assert_int_equal(*gp(&r, BOOT_CMDLINE_ADDR, 1), 0);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_initrd_high(void **state)
{
	uint8_t *p = make_bz(IMG_LEN), initrd[10000];
	struct bzimage_load out;
	const char *why;
	const uint8_t *zp;
	struct ram r;
	size_t i;

	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ 0x3c);
	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, initrd, sizeof(initrd), "x",
			      &out, &why), 0);
	/* as high as possible, page aligned: 64M - 10000 rounded down */
	assert_int_equal(out.initrd_addr, 0x3ffd000);
	assert_int_equal(out.initrd_size, 10000);
	assert_memory_equal(gp(&r, 0x3ffd000, sizeof(initrd)), initrd, sizeof(initrd));
	zp = gp(&r, BOOT_PARAMS_ADDR, BP_SIZE);
	assert_int_equal(rd32(zp, BP_RAMDISK_IMAGE), 0x3ffd000);
	assert_int_equal(rd32(zp, BP_RAMDISK_SIZE), 10000);
	guest_mem_free(&r.mem);

	/* initrd_addr_max = 48 MiB - 1: the initrd ends at 48 MiB at most */
	le32(p, BP_INITRD_ADDR_MAX, 0x2ffffff);
	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, initrd, sizeof(initrd), "x",
			      &out, &why), 0);
	assert_int_equal(out.initrd_addr, 0x2ffd000);
	assert_true(out.initrd_addr + out.initrd_size <= 0x3000000);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_initrd_does_not_fit(void **state)
{
	uint8_t *p = make_bz(IMG_LEN), *initrd;
	struct bzimage_load out;
	const char *why;
	struct ram r;

	/* kernel 16M..24M, RAM ends at 32M: 8 MiB left for the initrd */
	initrd = calloc(1, 8 * MiB + 1);
	assert_non_null(initrd);
	ram_init(&r, 0, 32 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, initrd, 8 * MiB, "", &out, &why), 0);
	assert_int_equal(out.initrd_addr, 24 * MiB);
	assert_int_equal(out.kernel_addr + 0x800000, out.initrd_addr);

	assert_int_equal(load(&r, p, IMG_LEN, initrd, 8 * MiB + 1, "", &out, &why),
			 -ENOSPC);
	assert_string_equal(why, "not enough memory for the initramfs (raise --memory size=)");
	assert_int_equal(out.initrd_addr, 0);

	/* larger than everything below the limit */
	le32(p, BP_INITRD_ADDR_MAX, 0xfff);
	assert_int_equal(load(&r, p, IMG_LEN, initrd, 8192, "", &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the initramfs (raise --memory size=)");
	guest_mem_free(&r.mem);
	free(initrd);
	free(p);
}

static void test_load_relocation(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 64 * MiB);
	/* a relocatable kernel runs at align_up(pref_address, alignment) */
	le64(p, BP_PREF_ADDRESS, 0x1234567);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 0x1400000);
	assert_int_equal(out.entry64, 0x1400200);
	assert_memory_equal(gp(&r, 0x1400000, KERNEL_LEN), p + SETUP_SIZE, KERNEL_LEN);
	assert_int_equal(rd32(gp(&r, BOOT_PARAMS_ADDR, BP_SIZE), BP_CODE32_START),
			 0x1400000);
	le32(p, BP_KERNEL_ALIGNMENT, 0x1000);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 0x1235000);

	/* below 1 MiB: moved to the lowest aligned address above it */
	le64(p, BP_PREF_ADDRESS, 0x1000);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, HIMEM_START);
	le32(p, BP_KERNEL_ALIGNMENT, 0x200000);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 2 * MiB);

	/* not relocatable: exactly where it asks, or nowhere */
	p[BP_RELOCATABLE] = 0;
	le64(p, BP_PREF_ADDRESS, 0x1234567);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 0x1234567);
	le64(p, BP_PREF_ADDRESS, 0x1000);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	assert_int_equal(out.kernel_addr, 0);
	assert_int_equal(out.entry64, 0);
	guest_mem_free(&r.mem);
	free(p);
}

/*
 * Regression: a relocatable kernel preferring 16 MiB with only 16 MiB of
 * RAM used to be loaded at 2 MiB and reported as fitting, but Linux moves
 * itself up to pref_address before decompressing, past the end of RAM;
 * the initrd could also land inside that area.
 */
static void test_load_relocatable_needs_pref_address(void **state)
{
	uint8_t *p = make_bz(IMG_LEN), initrd[4096] = { 0 };
	struct bzimage_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 16 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	guest_mem_free(&r.mem);

	/* 24 MiB + 4 KiB: the kernel fits, the initrd goes above 24 MiB */
	ram_init(&r, 0, 24 * MiB + 4096);
	assert_int_equal(load(&r, p, IMG_LEN, initrd, sizeof(initrd), "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 16 * MiB);
	assert_int_equal(out.initrd_addr, 24 * MiB);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_init_size_too_large(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 64 * MiB);
	le32(p, BP_INIT_SIZE, 0x7000000);	/* 112 MiB */
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	le32(p, BP_INIT_SIZE, 0xffffffff);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	/* exactly up to the end of RAM is fine */
	le32(p, BP_INIT_SIZE, 48 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 16 * MiB);
	le32(p, BP_INIT_SIZE, 48 * MiB + 1);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	/* not relocatable: the same */
	p[BP_RELOCATABLE] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
	le32(p, BP_INIT_SIZE, 48 * MiB);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_hostile_pref_address(void **state)
{
	static const uint64_t bad[] = {
		0x4000000,		/* at the end of RAM */
		0x3fff000,		/* 4 KiB before it */
		0xfffffffffff00000ULL,	/* wraps with init_size */
		0xffffffffffffffffULL,	/* wraps when aligned */
		0x8000000000000000ULL,
	};
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	struct ram r;
	size_t i;

	ram_init(&r, 0, 64 * MiB);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		le64(p, BP_PREF_ADDRESS, bad[i]);
		p[BP_RELOCATABLE] = 0;
		assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
		assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
		p[BP_RELOCATABLE] = 1;
		assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), -ENOSPC);
		assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	}
	/* no preferred address at all: the default 16 MiB */
	le64(p, BP_PREF_ADDRESS, 0);
	p[BP_RELOCATABLE] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	assert_int_equal(out.kernel_addr, KERNEL_DEFAULT_ADDR);
	guest_mem_free(&r.mem);
	free(p);
}

/* ram_low_end promises more than guest memory has: the writes fail cleanly */
static void test_load_ram_smaller_than_claimed(void **state)
{
	uint8_t *p = make_bz(IMG_LEN), initrd[64] = { 1 };
	struct bzimage_info info;
	struct bzimage_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 8 * MiB);
	assert_int_equal(bzimage_parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(bzimage_load(&r.mem, 64 * MiB, p, IMG_LEN, &info, NULL, 0,
				      "", &r.e820, &out, &why), -ENOSPC);
	assert_string_equal(why, "kernel does not fit in guest RAM");

	/* the kernel fits (relocated), the initrd near 64M does not */
	p[BP_RELOCATABLE] = 1;
	le32(p, BP_INIT_SIZE, 0x10000);
	le64(p, BP_PREF_ADDRESS, 2 * MiB);
	assert_int_equal(bzimage_parse(p, IMG_LEN, &info, &why), 0);
	assert_int_equal(bzimage_load(&r.mem, 64 * MiB, p, IMG_LEN, &info, initrd,
				      sizeof(initrd), "", &r.e820, &out, &why), -ENOSPC);
	assert_string_equal(why, "initramfs does not fit in guest RAM");
	guest_mem_free(&r.mem);

	/* no RAM below 1 MiB: nowhere for the command line */
	ram_init(&r, HIMEM_START, 63 * MiB);
	assert_int_equal(bzimage_load(&r.mem, 64 * MiB, p, IMG_LEN, &info, NULL, 0,
				      "", &r.e820, &out, &why), -ENOSPC);
	assert_string_equal(why, "no room for the command line");
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_cmdline_limits(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	struct ram r;
	char *cmd = malloc(BOOT_CMDLINE_MAX + 2);

	assert_non_null(cmd);
	ram_init(&r, 0, 64 * MiB);
	/* cmdline_size 2047 is the length without the NUL (boot.rst) */
	memset(cmd, 'a', 2047);
	cmd[2047] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, cmd, &out, &why), 0);
	assert_memory_equal(gp(&r, BOOT_CMDLINE_ADDR, 2048), cmd, 2048);
	cmd[2047] = 'b';
	cmd[2048] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, cmd, &out, &why), -E2BIG);
	assert_string_equal(why, "command line longer than the kernel accepts");

	/* a kernel that accepts anything is still bounded by our buffer */
	le32(p, BP_CMDLINE_SIZE, 0xffffffff);
	memset(cmd, 'c', BOOT_CMDLINE_MAX - 1);
	cmd[BOOT_CMDLINE_MAX - 1] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, cmd, &out, &why), 0);
	cmd[BOOT_CMDLINE_MAX - 1] = 'c';
	cmd[BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, cmd, &out, &why), -E2BIG);
	assert_string_equal(why, "command line longer than the kernel accepts");
	guest_mem_free(&r.mem);
	free(cmd);
	free(p);
}

static void test_load_e820_full(void **state)
{
	uint8_t *p = make_bz(IMG_LEN);
	struct bzimage_load out;
	const char *why;
	const uint8_t *zp;
	struct ram r;
	unsigned int i;

	ram_init(&r, 0, 64 * MiB);
	r.e820.nr = 0;
	for (i = 0; i < E820_MAX_ENTRIES; i++)
		assert_int_equal(e820_add(&r.e820, i * 0x10000ULL, 0x1000, 1 + i % 5), 0);
	assert_int_equal(load(&r, p, IMG_LEN, NULL, 0, "", &out, &why), 0);
	zp = gp(&r, BOOT_PARAMS_ADDR, BP_SIZE);
	assert_int_equal(zp[BP_E820_ENTRIES], E820_MAX_ENTRIES);
	for (i = 0; i < E820_MAX_ENTRIES; i++) {
		assert_int_equal(rd64(zp, BP_E820_TABLE + i * 20), i * 0x10000ULL);
		assert_int_equal(rd64(zp, BP_E820_TABLE + i * 20 + 8), 0x1000);
		assert_int_equal(rd32(zp, BP_E820_TABLE + i * 20 + 16), 1 + i % 5);
	}
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_linux(void **state)
{
	struct bzimage_load out;
	const char *why;
	struct ram r;
	size_t len;
	uint8_t *p = boot_tdata("linux-6.1-head.bzImage", &len);

	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, len, NULL, 0, "console=ttyS0", &out, &why), 0);
	assert_int_equal(out.kernel_addr, 0x1000000);
	assert_int_equal(out.entry64, 0x1000200);
	assert_memory_equal(gp(&r, 0x1000000, 4096), p + 16384, 4096);
	/* the whole 6.1 header (to 0x26c) is in the zero page */
	assert_memory_equal(gp(&r, BOOT_PARAMS_ADDR + BP_SETUP_SECTS,
			       BP_TYPE_OF_LOADER - BP_SETUP_SECTS),
			    p + BP_SETUP_SECTS, BP_TYPE_OF_LOADER - BP_SETUP_SECTS);
	assert_int_equal(rd32(gp(&r, BOOT_PARAMS_ADDR, BP_SIZE), 0x268),
			 rd32(p, 0x268));
	guest_mem_free(&r.mem);

	/* init_size is ~16 MiB at 16 MiB, not relocatable: 24 MiB is short */
	ram_init(&r, 0, 24 * MiB);
	assert_int_equal(load(&r, p, len, NULL, 0, "", &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	guest_mem_free(&r.mem);
	free(p);
}

static void test_builtin_guest(void **state)
{
	struct bzimage_info info;
	struct bzimage_load out;
	const char *why;
	struct ram r;
	size_t len = 0;
	const uint8_t *img = builtin_guest_image(&len);

	assert_non_null(img);
	assert_true(len > 4096);
	assert_int_equal(bzimage_parse(img, len, &info, &why), 0);
	assert_true(info.version >= 0x020c);
	assert_int_equal(info.xloadflags & BZ_XLF_KERNEL_64, BZ_XLF_KERNEL_64);
	assert_int_equal(info.pref_address, HIMEM_START);
	assert_int_equal(info.kernel_offset, info.setup_size);
	assert_int_equal(info.kernel_size, len - info.setup_size);
	assert_true(info.init_size >= info.kernel_size);

	ram_init(&r, 0, 16 * MiB);
	assert_int_equal(bzimage_load(&r.mem, r.size, img, len, &info, NULL, 0,
				      "", &r.e820, &out, &why), 0);
	assert_int_equal(out.kernel_addr, HIMEM_START);
	assert_int_equal(out.entry64, HIMEM_START + 0x200);
	assert_memory_equal(gp(&r, HIMEM_START, info.kernel_size),
			    img + info.setup_size, info.kernel_size);
	guest_mem_free(&r.mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_setup_sects_zero_means_four),
		cmocka_unit_test(test_parse_truncated),
		cmocka_unit_test(test_parse_bad_magic),
		cmocka_unit_test(test_parse_old_protocol),
		cmocka_unit_test(test_parse_flags),
		cmocka_unit_test(test_parse_kernel_alignment),
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_linux),
		cmocka_unit_test(test_load_basic),
		cmocka_unit_test(test_load_header_end),
		cmocka_unit_test(test_load_initrd_high),
		cmocka_unit_test(test_load_initrd_does_not_fit),
		cmocka_unit_test(test_load_relocation),
		cmocka_unit_test(test_load_relocatable_needs_pref_address),
		cmocka_unit_test(test_load_init_size_too_large),
		cmocka_unit_test(test_load_hostile_pref_address),
		cmocka_unit_test(test_load_ram_smaller_than_claimed),
		cmocka_unit_test(test_load_cmdline_limits),
		cmocka_unit_test(test_load_e820_full),
		cmocka_unit_test(test_load_linux),
		cmocka_unit_test(test_builtin_guest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
