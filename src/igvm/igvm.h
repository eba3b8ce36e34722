/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_IGVM_IGVM_H
#define CVMM_IGVM_IGVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/compiler.h"
#include "util/err.h"

/*
 * IGVM files (Independent Guest Virtual Machine format, microsoft/igvm
 * igvm_defs): the reader.  docs/igvm.md describes what is supported.
 *
 * A file is a fixed header, a variable-header area of {u32 type, u32
 * length} records (8-byte aligned, zero padded) in three sections --
 * platform, initialization, directives -- and file data the records point
 * at by absolute file offset.  All integers are little-endian.
 *
 * igvm_parse() checks the whole file once: the fixed header (magic,
 * version 1 or 2 with x86-64 and 4 KiB pages, total size, CRC32), every
 * record (known type, exact length, zero padding and reserved fields,
 * section order), every offset and length against the file, every GPA
 * against alignment and the 52-bit physical address space, every
 * compatibility mask against the declared platforms, parameter-area
 * indices (declared before use, inserted once) and sizes (IGVM_AREA_MAX
 * bytes for all areas together: a load allocates every one), and per
 * platform: no two directives load the same page, at most one policy /
 * ID block / VP context per vCPU, SNP VMSAs at KVM's fixed GPA
 * 0xFFFFFFFFF000.
 * Unknown required records are refused; unknown optional ones (bit 31 of
 * the type) are skipped and counted.  Anything wrong gives -EINVAL and
 * one clause in @err ("header at 0x48 (PAGE_DATA): ..."); nothing aborts.
 *
 * The parsed file borrows @buf: file data (page contents, VMSAs, ...)
 * points into it, so @buf must outlive the file.
 */

#define IGVM_MAGIC		0x4d564749u	/* "IGVM" */
#define IGVM_PAGE_SIZE		4096ULL
#define IGVM_PAGE_2M		0x200000ULL
#define IGVM_GPA_LIMIT		(1ULL << 52)	/* x86-64 physical address space */
#define IGVM_SNP_VMSA_GPA	0xFFFFFFFFF000ULL
#define IGVM_AREA_MAX		(16ULL << 20)	/* parameter areas cvmm takes, all together */
#define IGVM_MAX_PLATFORMS	32

/* Variable header types; bit 31 marks a record a loader may skip. */
#define IGVM_VHT_OPTIONAL	(1u << 31)
enum igvm_vht {
	IGVM_VHT_SUPPORTED_PLATFORM	= 0x001,
	IGVM_VHT_GUEST_POLICY		= 0x101,
	IGVM_VHT_RELOCATABLE_REGION	= 0x102,
	IGVM_VHT_PAGE_TABLE_RELOCATION	= 0x103,
	IGVM_VHT_CORIM_DOCUMENT		= 0x104,
	IGVM_VHT_CORIM_SIGNATURE	= 0x105,
	IGVM_VHT_CCA_POLICY		= 0x106,
	IGVM_VHT_PARAMETER_AREA		= 0x301,
	IGVM_VHT_PAGE_DATA		= 0x302,
	IGVM_VHT_PARAMETER_INSERT	= 0x303,
	IGVM_VHT_VP_CONTEXT		= 0x304,
	IGVM_VHT_REQUIRED_MEMORY	= 0x305,
	IGVM_VHT_VP_COUNT		= 0x307,
	IGVM_VHT_SRAT			= 0x308,
	IGVM_VHT_MADT			= 0x309,
	IGVM_VHT_MMIO_RANGES		= 0x30a,
	IGVM_VHT_SNP_ID_BLOCK		= 0x30b,
	IGVM_VHT_MEMORY_MAP		= 0x30c,
	IGVM_VHT_ERROR_RANGE		= 0x30d,
	IGVM_VHT_COMMAND_LINE		= 0x30e,
	IGVM_VHT_SLIT			= 0x30f,
	IGVM_VHT_PPTT			= 0x310,
	IGVM_VHT_VBS_MEASUREMENT	= 0x311,
	IGVM_VHT_DEVICE_TREE		= 0x312,
	IGVM_VHT_ENVIRONMENT_INFO	= 0x313,
};

const char *igvm_vht_name(uint32_t type);

enum igvm_platform_type {
	IGVM_PLAT_NATIVE	= 0,
	IGVM_PLAT_VSM		= 1,	/* Hyper-V VSM isolation */
	IGVM_PLAT_SNP		= 2,
	IGVM_PLAT_TDX		= 3,
	IGVM_PLAT_SEV		= 4,
	IGVM_PLAT_SEV_ES	= 5,
	IGVM_PLAT_CCA		= 6,	/* Arm CCA */
};

struct igvm_platform {
	uint32_t mask;			/* its one compatibility-mask bit */
	uint8_t type;			/* enum igvm_platform_type */
	uint8_t highest_vtl;
	uint16_t version;
	uint64_t shared_gpa_boundary;
};

const char *igvm_platform_name(unsigned int type);

/* PAGE_DATA flags and data types */
#define IGVM_PAGE_2MB		(1u << 0)
#define IGVM_PAGE_UNMEASURED	(1u << 1)
#define IGVM_PAGE_SHARED	(1u << 2)
enum igvm_page_type {
	IGVM_PAGE_NORMAL	= 0,
	IGVM_PAGE_SECRETS	= 1,
	IGVM_PAGE_CPUID		= 2,
	IGVM_PAGE_CPUID_XF	= 3,
};

/* Memory map entry types (IGVM_VHS_MEMORY_MAP_ENTRY) */
enum igvm_mem_type {
	IGVM_MEM_MEMORY			= 0,
	IGVM_MEM_PLATFORM_RESERVED	= 1,
	IGVM_MEM_PERSISTENT		= 2,
	IGVM_MEM_VTL2_PROTECTABLE	= 3,
};
#define IGVM_MEM_ENTRY_LEN	24

/* The native x86-64 VP context (IgvmNativeVpContextX64), 232 bytes. */
#define IGVM_NATIVE_CTX_LEN	0xe8

/* The SNP ID block as the file carries it (IGVM_VHS_SNP_ID_BLOCK). */
#define IGVM_ID_BLOCK_LEN	696
struct igvm_snp_id_block {
	uint8_t author_key_enabled;
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version;
	uint32_t guest_svn;
	uint32_t id_key_algorithm;
	uint32_t author_key_algorithm;
	uint8_t id_key_sig_r[72], id_key_sig_s[72];
	uint32_t id_key_curve;
	uint8_t id_key_qx[72], id_key_qy[72];
	uint8_t author_key_sig_r[72], author_key_sig_s[72];
	uint32_t author_key_curve;
	uint8_t author_key_qx[72], author_key_qy[72];
};

/* One initialization record. */
struct igvm_init {
	uint32_t type;			/* enum igvm_vht */
	uint32_t mask;			/* compatibility mask */
	uint32_t off;			/* file offset of the record */
	union {
		uint64_t policy;	/* GUEST_POLICY */
		struct {		/* RELOCATABLE_REGION */
			uint16_t vp_index;
			uint8_t vtl, flags;
			uint64_t align, gpa, size, min_gpa, max_gpa;
		} reloc;
		struct {		/* PAGE_TABLE_RELOCATION */
			uint16_t vp_index;
			uint8_t vtl;
			uint64_t gpa, size, used;
		} pt_reloc;
		struct {		/* CORIM_DOCUMENT / CORIM_SIGNATURE */
			const uint8_t *data;
			uint32_t len;
		} corim;
	} u;
};

/* One directive record. */
struct igvm_dir {
	uint32_t type;			/* enum igvm_vht */
	uint32_t mask;			/* compatibility mask; PARAMETER_AREA and the
					   parameters have none: IGVM_MASK_ALL */
	uint32_t off;			/* file offset of the record */
	union {
		struct {		/* PAGE_DATA */
			uint64_t gpa;
			uint32_t flags;		/* IGVM_PAGE_* */
			uint16_t data_type;	/* enum igvm_page_type */
			const uint8_t *data;	/* 4 KiB, or NULL: a page of zeros */
		} page;
		struct {		/* PARAMETER_AREA */
			uint64_t size;
			uint32_t index;
			const uint8_t *data;	/* initial contents (size bytes) or NULL */
		} area;
		struct {		/* PARAMETER_INSERT */
			uint64_t gpa;
			uint32_t index;
			uint64_t size;		/* the area's */
		} insert;
		struct {		/* VP_COUNT, MEMORY_MAP, COMMAND_LINE, ... */
			uint32_t index;
			uint32_t offset;
		} param;
		struct {		/* VP_CONTEXT */
			uint64_t gpa;
			uint16_t vp_index;
			uint8_t platform;	/* enum igvm_platform_type of its mask */
			const uint8_t *data;	/* 4 KiB (SNP/SEV-ES VMSA, native
						   context), or the start of an
						   opaque VSM/CCA context */
		} vp;
		struct {		/* REQUIRED_MEMORY, ERROR_RANGE */
			uint64_t gpa;
			uint32_t size;
			uint32_t flags;
		} range;
		const uint8_t *raw;	/* SNP_ID_BLOCK, VBS_MEASUREMENT: the record */
	} u;
};
#define IGVM_MASK_ALL		0xffffffffu

struct igvm_file {
	const uint8_t *buf;		/* borrowed */
	size_t len;
	uint32_t version;		/* 1 or 2 */
	uint32_t data_off;		/* start of the file-data section */

	unsigned int nr_platforms;
	struct igvm_platform platforms[IGVM_MAX_PLATFORMS];
	unsigned int nr_inits;
	struct igvm_init *inits;
	unsigned int nr_dirs;
	struct igvm_dir *dirs;
	unsigned int nr_skipped;	/* unknown optional records skipped */
};

/* Parse and check @buf (see above).  Returns 0, -EINVAL (@err says why) or -ENOMEM. */
int igvm_parse(const uint8_t *buf, size_t len, struct igvm_file **out,
	       struct err_msg *err);
void igvm_free(struct igvm_file *f);

/* ---- platforms (platform.c) ------------------------------------------ */

/* The platform of type @type, or NULL. */
const struct igvm_platform *igvm_platform_find(const struct igvm_file *f,
					       unsigned int type);

/*
 * Platform selection as QEMU does it: the strongest platform the launch
 * can use wins -- SEV-SNP, then TDX (QEMU has no TDX IGVM support; a host
 * offers SNP or TDX, not both), then native.  @allowed is a bit mask of
 * (1u << IGVM_PLAT_*); only native, SNP and TDX are ever chosen.
 * Returns 0 with *@out set, or -ENOENT with @err naming the platforms the
 * file has.  igvm_select_reason() gives the one line cvmm prints.
 */
int igvm_select_platform(const struct igvm_file *f, unsigned int allowed,
			 const struct igvm_platform **out, struct err_msg *err);
void igvm_select_reason(const struct igvm_file *f, const struct igvm_platform *p,
			char *buf, size_t len);

/* Iterate over the directives that apply to @p, in file order. */
struct igvm_iter {
	const struct igvm_file *f;
	uint32_t mask;
	unsigned int next;
};
void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *f,
		    const struct igvm_platform *p);
const struct igvm_dir *igvm_iter_next(struct igvm_iter *it);

/* ---- typed accessors for one platform (access.c) ---------------------- */

/* The GUEST_POLICY for @p: 0, or -ENOENT when the file has none. */
int igvm_guest_policy(const struct igvm_file *f, const struct igvm_platform *p,
		      uint64_t *policy);
/* The SNP_ID_BLOCK for @p, decoded: 0 or -ENOENT. */
int igvm_snp_id_block(const struct igvm_file *f, const struct igvm_platform *p,
		      struct igvm_snp_id_block *out);
/*
 * The ID block and ID auth as SNP_LAUNCH_FINISH takes them (96 and 4096
 * bytes, QEMU's conversion: VERSION 1, POLICY = @policy, the signatures'
 * R and S at the start of the 512-byte fields, the keys' curve, Qx, Qy at
 * 0, 4, 76).  *@auth_key_en = the file's author_key_enabled.
 */
void igvm_id_block_to_psp(const struct igvm_snp_id_block *b, uint64_t policy,
			  uint8_t id_block[96], uint8_t id_auth[4096], bool *auth_key_en);
/* The VP_CONTEXT of vCPU @vp_index for @p, or NULL. */
const struct igvm_dir *igvm_vp_context(const struct igvm_file *f,
				       const struct igvm_platform *p,
				       unsigned int vp_index);
/* VP contexts of @p: their number; they cover vCPUs 0..n-1 or -EINVAL. */
int igvm_vp_count(const struct igvm_file *f, const struct igvm_platform *p,
		  unsigned int *n, struct err_msg *err);

/* ---- VP contexts (vp.c) ---------------------------------------------- */

struct vmsa_state;

/*
 * An SNP VMSA page as cvmm can launch it: every non-zero byte must be a
 * field of struct vmsa_state (measure/vmsa.h), which cvmm gives KVM
 * explicitly, so that vmsa_build(@out) is the page byte for byte; and the
 * values KVM would change must already be KVM's (EFER.SVME, CR4.MCE and
 * RFLAGS bit 1 set, CR0.CD/NW clear, no CR0.PG without PE, no DR7
 * breakpoints, 12-bit segment attributes, SS.DPL 0, GDTR/IDTR a base and
 * a 16-bit limit), and SEV_FEATURES must have SNPActive.  -EINVAL names
 * the first field that breaks a rule.
 */
int igvm_vmsa_decode(const uint8_t page[4096], struct vmsa_state *out,
		     struct err_msg *err);
/* SEV_FEATURES of an SNP VMSA page (offset 0x3b0). */
uint64_t igvm_vmsa_sev_features(const uint8_t page[4096]);

struct igvm_native_ctx {
	uint64_t rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags, idtr_base;
	uint16_t idtr_limit, gdtr_limit;
	uint64_t gdtr_base;
	uint16_t code_selector, code_attributes;
	uint32_t code_base, code_limit;
	uint16_t data_selector, data_attributes;
	uint32_t data_base, data_limit;
	uint64_t gs_base, cr0, cr3, cr4, efer;
};
void igvm_native_decode(const uint8_t data[IGVM_NATIVE_CTX_LEN],
			struct igvm_native_ctx *out);
/*
 * The native context as register state: CS from the code segment, DS, ES,
 * FS, GS, SS from the data segment (GS base = gs_base), attributes in
 * VMCB format, everything the context does not name at its reset value
 * (LDTR, TR, DR6, DR7, PAT, XCR0, MXCSR, FCW).  -EINVAL when R8-R15 are
 * set (struct vmsa_state has no room for them).
 */
int igvm_native_to_state(const struct igvm_native_ctx *c, struct vmsa_state *out,
			 struct err_msg *err);

/* ---- printing (print.c) ---------------------------------------------- */

/* Every record, one line each. */
void igvm_print(const struct igvm_file *f, FILE *out);

#endif
