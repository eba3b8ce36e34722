/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_ACPI_BUF_H
#define CVMM_ARCH_X86_ACPI_BUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * A growable little-endian byte buffer for building ACPI tables and AML.
 * Errors are sticky: after the first failed append (-ENOMEM, -E2BIG,
 * -EINVAL) every later call is a no-op and @err keeps the first error, so
 * builders check once at the end.
 */
#define ACPI_BUF_MAX	(16u << 20)

struct acpi_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int err;
};

void acpi_buf_init(struct acpi_buf *b);
void acpi_buf_free(struct acpi_buf *b);
void acpi_buf_fail(struct acpi_buf *b, int err);

/* Append @n zero bytes; returns a pointer to them or NULL on error. */
uint8_t *acpi_buf_grow(struct acpi_buf *b, size_t n);
void acpi_buf_put(struct acpi_buf *b, const void *p, size_t n);
void acpi_buf_u8(struct acpi_buf *b, uint8_t v);
void acpi_buf_u16(struct acpi_buf *b, uint16_t v);
void acpi_buf_u32(struct acpi_buf *b, uint32_t v);
void acpi_buf_u64(struct acpi_buf *b, uint64_t v);
/* Pad with zeros up to a multiple of @align (a power of two). */
void acpi_buf_align(struct acpi_buf *b, size_t align);
/* Insert @n bytes at @pos, moving the tail up. */
void acpi_buf_insert(struct acpi_buf *b, size_t pos, const void *p, size_t n);

/* Overwrite already-appended bytes (bounds-checked, sticky error). */
void acpi_buf_set_u8(struct acpi_buf *b, size_t off, uint8_t v);
void acpi_buf_set_u16(struct acpi_buf *b, size_t off, uint16_t v);
void acpi_buf_set_u32(struct acpi_buf *b, size_t off, uint32_t v);
void acpi_buf_set_u64(struct acpi_buf *b, size_t off, uint64_t v);

/* Little-endian helpers on raw memory. */
static inline void acpi_put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t acpi_get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* 8-bit sum of @len bytes. */
uint8_t acpi_sum8(const uint8_t *p, size_t len);

#endif
