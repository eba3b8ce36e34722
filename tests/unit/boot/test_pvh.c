// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF64 parsing, the XEN_ELFNOTE_PHYS32_ENTRY note walk, segment loading
 * and hvm_start_info for PVH boots: synthetic ELF files with every field
 * under control, a skeleton of the Linux 6.1 test vmlinux (its real
 * program headers and note segment) and malformed files.
 */
#include <elf.h>
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
#include "boot/pvh.h"
#include "mem/guest_mem.h"
#include "tdata.h"

#define MiB		(1ULL << 20)
#define ELF_LEN		0x3000
#define NOTE_OFF	0x200
#define PVH_ENTRY	0x100040

static Elf64_Ehdr *ehdr(uint8_t *p)
{
	return (Elf64_Ehdr *)p;
}

static Elf64_Phdr *phdr(uint8_t *p, unsigned int i)
{
	return (Elf64_Phdr *)(p + ehdr(p)->e_phoff + i * sizeof(Elf64_Phdr));
}

/* Append one note at @off; returns the offset after it. */
static size_t put_note(uint8_t *p, size_t off, const char *name, uint32_t namesz,
		       uint32_t type, const void *desc, uint32_t descsz)
{
	Elf64_Nhdr nh = { .n_namesz = namesz, .n_descsz = descsz, .n_type = type };

	memcpy(p + off, &nh, sizeof(nh));
	off += sizeof(nh);
	memcpy(p + off, name, namesz);
	off += (namesz + 3) & ~3U;
	memcpy(p + off, desc, descsz);
	return off + ((descsz + 3) & ~3U);
}

/*
 * Two PT_LOADs (0x100000: 0x800 bytes of file, 0x2000 in memory;
 * 0x200000: 0x1000 bytes) and a PT_NOTE with a GNU build-id note, a Linux
 * note with an odd size and the PVH note, as in a real vmlinux.
 */
static uint8_t *make_elf(void)
{
	static const uint8_t build_id[20] = { 1, 2, 3, 4, 5 };
	uint8_t *p = calloc(1, ELF_LEN), one = 0;
	uint32_t entry = PVH_ENTRY;
	Elf64_Ehdr *eh = ehdr(p);
	size_t off, i;

	assert_non_null(p);
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = 0x100000;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;

	*phdr(p, 0) = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0x1000,
		.p_vaddr = 0xffffffff80100000ULL, .p_paddr = 0x100000,
		.p_filesz = 0x800, .p_memsz = 0x2000, .p_align = 0x1000,
	};
	off = put_note(p, NOTE_OFF, "GNU", 4, NT_GNU_BUILD_ID, build_id, 20);
	off = put_note(p, off, "Linux", 6, 0x101, &one, 1);
	off = put_note(p, off, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &entry, 4);
	*phdr(p, 1) = (Elf64_Phdr){
		.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = NOTE_OFF,
		.p_filesz = off - NOTE_OFF, .p_memsz = off - NOTE_OFF, .p_align = 4,
	};
	*phdr(p, 2) = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2000,
		.p_paddr = 0x200000, .p_filesz = 0x1000, .p_memsz = 0x1000,
		.p_align = 0x1000,
	};
	for (i = 0x1000; i < ELF_LEN; i++)
		p[i] = (uint8_t)(i * 13 + 1);
	return p;
}

static int parse(const uint8_t *p, size_t len, struct pvh_info *info,
		 const char **why)
{
	*why = NULL;
	return pvh_parse(p, len, info, why);
}

static void expect_error(const uint8_t *p, size_t len, const char *msg)
{
	struct pvh_info info;
	const char *why;

	assert_int_equal(parse(p, len, &info, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, msg);
}

#define E_HDR	"malformed ELF program headers"
#define E_EOF	"ELF segment runs past the end of the file"
#define E_NOTE	"malformed ELF note"
#define E_LOAD	"malformed ELF load segment"
#define E_NOPVH	"no PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY): build the kernel with CONFIG_PVH=y"

static void test_is_elf(void **state)
{
	assert_true(pvh_is_elf((const uint8_t *)"\x7f" "ELF", 4));
	assert_true(pvh_is_elf((const uint8_t *)"\x7f" "ELF\x02\x01", 6));
	assert_false(pvh_is_elf((const uint8_t *)"\x7f" "EL", 3));
	assert_false(pvh_is_elf((const uint8_t *)"\x7f" "ELG", 4));
	assert_false(pvh_is_elf((const uint8_t *)"", 0));
	assert_false(pvh_is_elf((const uint8_t *)"MZ\x90\x00", 4));
}

static void test_parse_valid(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_info info;
	const char *why;

	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.entry, PVH_ENTRY);
	assert_int_equal(info.nr_segments, 2);
	assert_int_equal(info.segments[0].paddr, 0x100000);
	assert_int_equal(info.segments[0].filesz, 0x800);
	assert_int_equal(info.segments[0].memsz, 0x2000);
	assert_int_equal(info.segments[0].offset, 0x1000);
	assert_int_equal(info.segments[1].paddr, 0x200000);
	assert_int_equal(info.segments[1].filesz, 0x1000);
	assert_int_equal(info.segments[1].memsz, 0x1000);
	assert_int_equal(info.segments[1].offset, 0x2000);
	assert_int_equal(info.lowest, 0x100000);
	assert_int_equal(info.highest, 0x201000);
	free(p);
}

static void test_parse_not_elf(void **state)
{
	uint8_t *p = make_elf();

	expect_error(p, 0, "not an ELF file");
	expect_error(p, 4, "not an ELF file");
	expect_error(p, sizeof(Elf64_Ehdr) - 1, "not an ELF file");
	p[3] = 'G';
	expect_error(p, ELF_LEN, "not an ELF file");
	free(p);
}

static void test_parse_wrong_kind(void **state)
{
	uint8_t *p = make_elf();
	const char *msg = "not a 64-bit little-endian x86-64 ELF file";

	ehdr(p)->e_ident[EI_CLASS] = ELFCLASS32;
	expect_error(p, ELF_LEN, msg);
	ehdr(p)->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr(p)->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_error(p, ELF_LEN, msg);
	ehdr(p)->e_ident[EI_DATA] = ELFDATA2LSB;
	ehdr(p)->e_machine = EM_386;
	expect_error(p, ELF_LEN, msg);
	ehdr(p)->e_machine = EM_AARCH64;
	expect_error(p, ELF_LEN, msg);
	free(p);
}

static void test_parse_bad_program_headers(void **state)
{
	uint8_t *p = make_elf();
	Elf64_Ehdr *eh = ehdr(p);

	eh->e_phentsize = sizeof(Elf64_Phdr) - 1;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phentsize = sizeof(Elf64_Phdr) + 8;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phentsize = sizeof(Elf64_Phdr);

	eh->e_phnum = 0;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phnum = 0xffff;			/* 3.5 MiB of headers */
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phnum = 3;

	eh->e_phoff = ELF_LEN + 1;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phoff = ELF_LEN;			/* at EOF, 3 headers needed */
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phoff = ELF_LEN - 3 * sizeof(Elf64_Phdr) + 1;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phoff = 0xffffffffffffffffULL;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phoff = 0xfffffffffffff000ULL;
	expect_error(p, ELF_LEN, E_HDR);
	eh->e_phoff = sizeof(Elf64_Ehdr);

	/* the file cut inside the program headers */
	expect_error(p, sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr), E_HDR);
	free(p);
}

static void test_parse_segment_past_eof(void **state)
{
	uint8_t *p = make_elf();
	Elf64_Phdr *load = phdr(p, 0), *note = phdr(p, 1);

	load->p_offset = ELF_LEN + 1;
	expect_error(p, ELF_LEN, E_EOF);
	load->p_offset = ELF_LEN - 0x7ff;	/* 0x800 bytes needed */
	expect_error(p, ELF_LEN, E_EOF);
	load->p_offset = ELF_LEN - 0x800;	/* exactly fits */
	{
		struct pvh_info info;
		const char *why;

		assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	}
	/* offset + filesz wrapping around */
	load->p_offset = 0x1000;
	load->p_filesz = 0xfffffffffffff001ULL;
	load->p_memsz = 0xfffffffffffff001ULL;
	expect_error(p, ELF_LEN, E_EOF);
	load->p_offset = 0xffffffffffffff00ULL;
	load->p_filesz = 0x200;
	expect_error(p, ELF_LEN, E_EOF);
	load->p_offset = 0x1000;
	load->p_filesz = 0x800;
	load->p_memsz = 0x2000;

	/* the same for the note segment */
	note->p_filesz = ELF_LEN;
	expect_error(p, ELF_LEN, E_EOF);
	note->p_offset = 0xfffffffffffffff0ULL;
	note->p_filesz = 0x20;
	expect_error(p, ELF_LEN, E_EOF);
	/* and the file cut inside the first segment */
	free(p);
	p = make_elf();
	expect_error(p, 0x1400, E_EOF);
	free(p);
}

static void test_parse_bad_load_segment(void **state)
{
	uint8_t *p = make_elf();
	Elf64_Phdr *load = phdr(p, 0);
	struct pvh_info info;
	const char *why;

	load->p_memsz = 0x7ff;			/* memsz < filesz */
	expect_error(p, ELF_LEN, E_LOAD);
	load->p_memsz = 0x800;			/* equal: fine */
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.segments[0].memsz, 0x800);

	load->p_paddr = 0xfffffffffffff900ULL;	/* wraps */
	expect_error(p, ELF_LEN, E_LOAD);
	load->p_paddr = 0xfffffffffffff000ULL;	/* fits in 64 bits: parsed */
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.highest, 0xfffffffffffff800ULL);
	load->p_paddr = 0xfffffffffffff800ULL;	/* ends at 2^64 exactly */
	expect_error(p, ELF_LEN, E_LOAD);
	load->p_paddr = 0x100000;

	/* an empty PT_LOAD is skipped, whatever its fields say */
	load->p_memsz = 0;
	load->p_filesz = 0;
	load->p_paddr = 0xffffffffffffffffULL;
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.nr_segments, 1);
	assert_int_equal(info.lowest, 0x200000);
	assert_int_equal(info.highest, 0x201000);

	/* only empty ones: nothing to load */
	phdr(p, 2)->p_memsz = 0;
	phdr(p, 2)->p_filesz = 0;
	expect_error(p, ELF_LEN, "ELF file has nothing to load");
	free(p);
}

static void test_parse_segment_limit(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_info info;
	const char *why;
	unsigned int i;

	/* the note first, then PVH_MAX_SEGMENTS (+ 1) loads, at 0x800 */
	memcpy(p + 0x800, phdr(p, 1), sizeof(Elf64_Phdr));
	ehdr(p)->e_phoff = 0x800;
	for (i = 1; i <= PVH_MAX_SEGMENTS + 1; i++)
		*phdr(p, i) = (Elf64_Phdr){
			.p_type = PT_LOAD, .p_offset = 0x1000, .p_filesz = 0x10,
			.p_memsz = 0x1000, .p_paddr = 0x100000 + i * 0x1000ULL,
		};
	ehdr(p)->e_phnum = PVH_MAX_SEGMENTS + 1;
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.nr_segments, PVH_MAX_SEGMENTS);
	assert_int_equal(info.lowest, 0x101000);
	assert_int_equal(info.highest, 0x101000 + PVH_MAX_SEGMENTS * 0x1000ULL);
	ehdr(p)->e_phnum = PVH_MAX_SEGMENTS + 2;
	expect_error(p, ELF_LEN, "too many ELF load segments");
	free(p);
}

/* Rewrite the note area with the given notes. */
static void set_notes(uint8_t *p, size_t end)
{
	phdr(p, 1)->p_filesz = end - NOTE_OFF;
	phdr(p, 1)->p_memsz = end - NOTE_OFF;
}

static void test_parse_notes(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_info info;
	const char *why;
	uint64_t e64 = 0x1000200;
	uint32_t e32 = 0x123456;
	size_t end;

	/* 8-byte descriptor (Linux 6.1 uses _ASM_PTR) */
	end = put_note(p, NOTE_OFF, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e64, 8);
	set_notes(p, end);
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.entry, 0x1000200);

	/* ... but a 64-bit entry above 4 GiB cannot be entered in 32-bit mode */
	e64 = 0x100000000ULL;
	end = put_note(p, NOTE_OFF, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e64, 8);
	set_notes(p, end);
	expect_error(p, ELF_LEN, E_NOTE);

	/* descriptor of another size */
	end = put_note(p, NOTE_OFF, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e64, 2);
	set_notes(p, end);
	expect_error(p, ELF_LEN, E_NOTE);
	end = put_note(p, NOTE_OFF, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e64, 0);
	set_notes(p, end);
	expect_error(p, ELF_LEN, E_NOTE);

	/* other Xen notes and look-alikes are skipped */
	end = put_note(p, NOTE_OFF, "Xen", 4, 17, &e32, 4);
	end = put_note(p, end, "Xeo", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	end = put_note(p, end, "Xen\0\0", 5, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	end = put_note(p, end, "Xe", 3, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	set_notes(p, end);
	expect_error(p, ELF_LEN, E_NOPVH);

	/* ... and the real one after them is found */
	end = put_note(p, end, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	set_notes(p, end);
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.entry, 0x123456);

	/* trailing bytes too short for a note header are ignored */
	set_notes(p, end + 11);
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.entry, 0x123456);
	free(p);
}

static void test_parse_hostile_notes(void **state)
{
	uint8_t *p = make_elf();
	uint32_t e32 = PVH_ENTRY;
	Elf64_Nhdr nh;
	size_t end;

	/* namesz / descsz beyond the note area, or wrapping */
	static const uint32_t sizes[][2] = {
		{ 0xffffffff, 4 }, { 0xfffffffd, 4 }, { 4, 0xffffffff },
		{ 4, 0xfffffffc }, { 0x1000, 4 }, { 4, 0x1000 },
		{ 0xffffffff, 0xffffffff },
	};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		nh = (Elf64_Nhdr){ .n_namesz = sizes[i][0], .n_descsz = sizes[i][1],
				   .n_type = XEN_ELFNOTE_PHYS32_ENTRY };
		memcpy(p + NOTE_OFF, &nh, sizeof(nh));
		memcpy(p + NOTE_OFF + sizeof(nh), "Xen", 4);
		memcpy(p + NOTE_OFF + sizeof(nh) + 4, &e32, 4);
		set_notes(p, NOTE_OFF + 20);
		expect_error(p, ELF_LEN, E_NOTE);
	}
	/* a note ending exactly at the end of the area is fine */
	end = put_note(p, NOTE_OFF, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	set_notes(p, end);
	{
		struct pvh_info info;
		const char *why;

		assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
		/* one byte short: the descriptor is cut */
		set_notes(p, end - 1);
		assert_int_equal(parse(p, ELF_LEN, &info, &why), -EINVAL);
		assert_string_equal(why, E_NOTE);
	}
	/* an empty note segment has no notes */
	set_notes(p, NOTE_OFF);
	expect_error(p, ELF_LEN, E_NOPVH);
	free(p);
}

static void test_parse_missing_note(void **state)
{
	uint8_t *p = make_elf();

	phdr(p, 1)->p_type = PT_NULL;
	expect_error(p, ELF_LEN, E_NOPVH);
	/* a note segment without the PVH note */
	phdr(p, 1)->p_type = PT_NOTE;
	set_notes(p, NOTE_OFF + 36 + 24);	/* GNU and Linux notes only */
	expect_error(p, ELF_LEN, E_NOPVH);
	free(p);
}

/* Two PT_NOTE segments: the PVH note is in the second. */
static void test_parse_second_note_segment(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_info info;
	const char *why;
	uint32_t e32 = 0x200010;
	size_t end;

	set_notes(p, NOTE_OFF + 36);		/* the GNU note only */
	end = put_note(p, 0x400, "Xen", 4, XEN_ELFNOTE_PHYS32_ENTRY, &e32, 4);
	*phdr(p, 3) = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = 0x400,
				    .p_filesz = end - 0x400 };
	ehdr(p)->e_phnum = 4;
	assert_int_equal(parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(info.entry, 0x200010);
	assert_int_equal(info.nr_segments, 2);
	free(p);
}

static void test_parse_linux_skeleton(void **state)
{
	struct pvh_info info;
	const char *why;
	size_t len;
	uint8_t *p = boot_tdata("linux-6.1-vmlinux-skeleton.elf", &len);

	assert_int_equal(parse(p, len, &info, &why), 0);
	assert_int_equal(info.entry, 0x10004a0);
	assert_int_equal(info.nr_segments, 4);
	assert_int_equal(info.segments[0].paddr, 0x1000000);
	assert_int_equal(info.segments[0].memsz, 0x878e90);
	assert_int_equal(info.segments[2].paddr, 0x1aca000);
	assert_int_equal(info.segments[3].paddr, 0x1aeb000);
	assert_int_equal(info.segments[3].memsz, 0x12b000);
	assert_int_equal(info.lowest, 0x1000000);
	assert_int_equal(info.highest, 0x1c16000);
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
	memset(guest_mem_ptr(&r->mem, gpa, size), 0x5a, size);
}

static const uint8_t *gp(struct ram *r, uint64_t gpa, uint64_t len)
{
	const uint8_t *p = guest_mem_ptr(&r->mem, gpa, len);

	assert_non_null(p);
	return p;
}

static int load(struct ram *r, const uint8_t *p, size_t len,
		const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		uint64_t rsdp, struct pvh_load *out, const char **why)
{
	struct pvh_info info;

	assert_int_equal(pvh_parse(p, len, &info, why), 0);
	*why = NULL;
	return pvh_load(&r->mem, r->size, p, len, &info, initrd, initrd_len,
			cmdline, &r->e820, rsdp, out, why);
}

static void all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			fail_msg("byte %zu is 0x%02x, expected 0", i, p[i]);
}

static void test_load_basic(void **state)
{
	uint8_t *p = make_elf();
	struct hvm_start_info si;
	struct hvm_memmap_table_entry mm[4];
	struct pvh_load out;
	const char *why;
	struct ram r;
	unsigned int i;

	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "console=ttyS0", 0xe0000,
			      &out, &why), 0);
	assert_int_equal(out.entry, PVH_ENTRY);
	assert_int_equal(out.start_info, BOOT_PARAMS_ADDR);
	assert_int_equal(out.initrd_addr, 0);
	assert_int_equal(out.initrd_size, 0);

	/* file bytes, then zeroes up to memsz */
	assert_memory_equal(gp(&r, 0x100000, 0x800), p + 0x1000, 0x800);
	all_zero(gp(&r, 0x100800, 0x1800), 0x1800);
	assert_int_equal(*gp(&r, 0x102000, 1), 0x5a);	/* untouched after it */
	assert_memory_equal(gp(&r, 0x200000, 0x1000), p + 0x2000, 0x1000);

	memcpy(&si, gp(&r, BOOT_PARAMS_ADDR, sizeof(si)), sizeof(si));
	assert_int_equal(si.magic, HVM_START_MAGIC);
	assert_int_equal(si.version, 1);
	assert_int_equal(si.flags, 0);
	assert_int_equal(si.nr_modules, 0);
	assert_int_equal(si.modlist_paddr, 0);
	assert_int_equal(si.cmdline_paddr, BOOT_CMDLINE_ADDR);
	assert_int_equal(si.rsdp_paddr, 0xe0000);
	assert_int_equal(si.memmap_paddr, BOOT_PVH_MEMMAP_ADDR);
	assert_int_equal(si.memmap_entries, 4);
	assert_int_equal(si.reserved, 0);
	assert_string_equal((const char *)gp(&r, BOOT_CMDLINE_ADDR, 14), "console=ttyS0");

	memcpy(mm, gp(&r, BOOT_PVH_MEMMAP_ADDR, sizeof(mm)), sizeof(mm));
	for (i = 0; i < 4; i++) {
		assert_int_equal(mm[i].addr, r.e820.entries[i].addr);
		assert_int_equal(mm[i].size, r.e820.entries[i].size);
		assert_int_equal(mm[i].type, r.e820.entries[i].type);
		assert_int_equal(mm[i].reserved, 0);
	}
	assert_int_equal(mm[3].addr, HIMEM_START);
	assert_int_equal(mm[3].size, 63 * MiB);
	assert_int_equal(mm[3].type, E820_RAM);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_initrd(void **state)
{
	uint8_t *p = make_elf(), initrd[5000];
	struct hvm_start_info si;
	struct hvm_modlist_entry mod;
	struct pvh_load out;
	const char *why;
	struct ram r;
	size_t i;

	for (i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 3);
	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, ELF_LEN, initrd, sizeof(initrd), "", 0,
			      &out, &why), 0);
	/* 64M - 5000 rounded down to a page */
	assert_int_equal(out.initrd_addr, 0x3ffe000);
	assert_int_equal(out.initrd_size, 5000);
	assert_memory_equal(gp(&r, 0x3ffe000, sizeof(initrd)), initrd, sizeof(initrd));
	memcpy(&si, gp(&r, BOOT_PARAMS_ADDR, sizeof(si)), sizeof(si));
	assert_int_equal(si.nr_modules, 1);
	assert_int_equal(si.modlist_paddr, BOOT_PARAMS_ADDR + sizeof(si));
	assert_int_equal(si.rsdp_paddr, 0);
	memcpy(&mod, gp(&r, si.modlist_paddr, sizeof(mod)), sizeof(mod));
	assert_int_equal(mod.paddr, 0x3ffe000);
	assert_int_equal(mod.size, 5000);
	assert_int_equal(mod.cmdline_paddr, 0);
	assert_int_equal(mod.reserved, 0);
	/* the module list stays clear of the memory map */
	assert_true(si.modlist_paddr + sizeof(mod) <= BOOT_PVH_MEMMAP_ADDR);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_initrd_does_not_fit(void **state)
{
	uint8_t *p = make_elf(), *initrd = calloc(1, 4 * MiB);
	struct pvh_load out;
	const char *why;
	struct ram r;

	assert_non_null(initrd);
	/* the kernel ends at 0x201000; 4 MiB of RAM leaves 0x1ff000 */
	ram_init(&r, 0, 4 * MiB);
	assert_int_equal(load(&r, p, ELF_LEN, initrd, 0x1ff000, "", 0, &out, &why), 0);
	assert_int_equal(out.initrd_addr, 0x201000);
	assert_int_equal(load(&r, p, ELF_LEN, initrd, 0x1ff001, "", 0, &out, &why),
			 -ENOSPC);
	assert_string_equal(why, "not enough memory for the initramfs (raise --memory size=)");
	assert_int_equal(out.initrd_addr, 0);
	/* larger than all of RAM */
	assert_int_equal(load(&r, p, ELF_LEN, initrd, 4 * MiB, "", 0, &out, &why), -ENOSPC);
	guest_mem_free(&r.mem);
	free(initrd);
	free(p);
}

static void test_load_segment_placement(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 64 * MiB);
	/* below 1 MiB: would overwrite our boot structures */
	phdr(p, 0)->p_paddr = 0xff000;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "kernel segments overlap the low 1 MiB");
	phdr(p, 0)->p_paddr = 0;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "kernel segments overlap the low 1 MiB");
	phdr(p, 0)->p_paddr = BOOT_PARAMS_ADDR;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), -ENOSPC);

	/* beyond RAM */
	phdr(p, 0)->p_paddr = 64 * MiB - 0x1fff;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	phdr(p, 0)->p_paddr = 0xfffffffff0000000ULL;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	/* ending exactly at the end of RAM */
	phdr(p, 0)->p_paddr = 64 * MiB - 0x2000;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, "", 0, &out, &why), 0);
	all_zero(gp(&r, 64 * MiB - 0x1800, 0x1800), 0x1800);
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_ram_smaller_than_claimed(void **state)
{
	uint8_t *p = make_elf();
	struct pvh_info info;
	struct pvh_load out;
	const char *why;
	struct ram r;

	ram_init(&r, 0, 2 * MiB);		/* the second segment is at 2 MiB */
	assert_int_equal(pvh_parse(p, ELF_LEN, &info, &why), 0);
	assert_int_equal(pvh_load(&r.mem, 64 * MiB, p, ELF_LEN, &info, NULL, 0, "",
				  &r.e820, 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "kernel segment does not fit in guest RAM");
	guest_mem_free(&r.mem);

	/* bss crossing the end of RAM */
	ram_init(&r, 0, 0x101000);
	assert_int_equal(pvh_load(&r.mem, 64 * MiB, p, ELF_LEN, &info, NULL, 0, "",
				  &r.e820, 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "kernel segment does not fit in guest RAM");
	guest_mem_free(&r.mem);

	/* no RAM below 1 MiB: nowhere for the boot structures */
	ram_init(&r, HIMEM_START, 63 * MiB);
	assert_int_equal(pvh_load(&r.mem, 64 * MiB, p, ELF_LEN, &info, NULL, 0, "",
				  &r.e820, 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "no room for the boot structures");
	guest_mem_free(&r.mem);
	free(p);
}

static void test_load_cmdline_limit(void **state)
{
	uint8_t *p = make_elf();
	char *cmd = malloc(BOOT_CMDLINE_MAX + 1);
	struct pvh_load out;
	const char *why;
	struct ram r;

	assert_non_null(cmd);
	ram_init(&r, 0, 64 * MiB);
	memset(cmd, 'x', BOOT_CMDLINE_MAX - 1);
	cmd[BOOT_CMDLINE_MAX - 1] = 0;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, cmd, 0, &out, &why), 0);
	assert_memory_equal(gp(&r, BOOT_CMDLINE_ADDR, BOOT_CMDLINE_MAX), cmd,
			    BOOT_CMDLINE_MAX);
	cmd[BOOT_CMDLINE_MAX - 1] = 'x';
	cmd[BOOT_CMDLINE_MAX] = 0;
	assert_int_equal(load(&r, p, ELF_LEN, NULL, 0, cmd, 0, &out, &why), -E2BIG);
	assert_string_equal(why, "command line too long");
	guest_mem_free(&r.mem);
	free(cmd);
	free(p);
}

static void test_load_linux_skeleton(void **state)
{
	struct pvh_load out;
	const char *why;
	struct ram r;
	size_t len;
	uint8_t *p = boot_tdata("linux-6.1-vmlinux-skeleton.elf", &len);

	ram_init(&r, 0, 64 * MiB);
	assert_int_equal(load(&r, p, len, NULL, 0, "", 0, &out, &why), 0);
	assert_int_equal(out.entry, 0x10004a0);
	/* every segment is bss-like here: all zero */
	all_zero(gp(&r, 0x1000000, 0x878e90), 0x878e90);
	all_zero(gp(&r, 0x1aeb000, 0x12b000), 0x12b000);
	assert_int_equal(*gp(&r, 0x1c16000, 1), 0x5a);
	guest_mem_free(&r.mem);

	/* 28 MiB: the kernel ends at 0x1c16000, just above */
	ram_init(&r, 0, 28 * MiB);
	assert_int_equal(load(&r, p, len, NULL, 0, "", 0, &out, &why), -ENOSPC);
	assert_string_equal(why, "not enough memory for the kernel (raise --memory size=)");
	guest_mem_free(&r.mem);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_is_elf),
		cmocka_unit_test(test_parse_valid),
		cmocka_unit_test(test_parse_not_elf),
		cmocka_unit_test(test_parse_wrong_kind),
		cmocka_unit_test(test_parse_bad_program_headers),
		cmocka_unit_test(test_parse_segment_past_eof),
		cmocka_unit_test(test_parse_bad_load_segment),
		cmocka_unit_test(test_parse_segment_limit),
		cmocka_unit_test(test_parse_notes),
		cmocka_unit_test(test_parse_hostile_notes),
		cmocka_unit_test(test_parse_missing_note),
		cmocka_unit_test(test_parse_second_note_segment),
		cmocka_unit_test(test_parse_linux_skeleton),
		cmocka_unit_test(test_load_basic),
		cmocka_unit_test(test_load_initrd),
		cmocka_unit_test(test_load_initrd_does_not_fit),
		cmocka_unit_test(test_load_segment_placement),
		cmocka_unit_test(test_load_ram_smaller_than_claimed),
		cmocka_unit_test(test_load_cmdline_limit),
		cmocka_unit_test(test_load_linux_skeleton),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
