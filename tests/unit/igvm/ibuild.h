/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_IGVM_IBUILD_H
#define CVMM_TESTS_IGVM_IBUILD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Builds IGVM files in memory for the unit tests, written from the
 * igvm_defs layouts independently of src/igvm: records are appended in
 * order, file data is appended to the data section, and ib_finish() lays
 * out header (v1, 24 bytes), variable headers and data, patches the file
 * offsets and computes the CRC32 (zlib).
 */
#define IB_MAX_VAR	(64 << 10)
#define IB_MAX_DATA	(256 << 10)
#define IB_MAX_PATCH	256

struct ib {
	uint8_t var[IB_MAX_VAR];
	size_t var_len;
	uint8_t data[IB_MAX_DATA];
	size_t data_len;
	struct { size_t at; uint32_t rel; } patch[IB_MAX_PATCH];
	unsigned int nr_patch;
};

void ib_init(struct ib *b);
/* Append a record; returns the offset of its content inside var[]. */
size_t ib_rec(struct ib *b, uint32_t type, const void *body, uint32_t len);
/* Append file data; returns its offset relative to the data section. */
uint32_t ib_data(struct ib *b, const void *p, size_t len);
/* The u32 at var[at] becomes the absolute file offset of data at @rel. */
void ib_patch(struct ib *b, size_t at, uint32_t rel);
/* Lay the file out into a fresh malloc'ed buffer. */
uint8_t *ib_finish(struct ib *b, size_t *len);
/* Recompute the CRC of a (modified) file. */
void ib_fix_crc(uint8_t *buf, size_t len);

/* Records (layouts of igvm_defs IGVM_VHS_*). */
void ib_platform(struct ib *b, uint32_t mask, uint8_t type);
void ib_policy(struct ib *b, uint32_t mask, uint64_t policy);
/* @data: 4 KiB or NULL (file offset 0) */
void ib_page(struct ib *b, uint32_t mask, uint64_t gpa, const uint8_t *data,
	     uint32_t flags, uint16_t type);
void ib_area(struct ib *b, uint32_t index, uint64_t size, const uint8_t *data);
void ib_param(struct ib *b, uint32_t type, uint32_t index, uint32_t offset);
void ib_insert(struct ib *b, uint32_t mask, uint64_t gpa, uint32_t index);
void ib_vp(struct ib *b, uint32_t mask, uint64_t gpa, uint16_t vp, const uint8_t *page);
void ib_required(struct ib *b, uint32_t mask, uint64_t gpa, uint32_t size, uint32_t flags);

/* QEMU's reset VMSA (the plan's BSP state) for the SNP tests. */
void ib_vmsa(uint8_t page[4096], uint32_t eip, uint64_t features);

#endif
