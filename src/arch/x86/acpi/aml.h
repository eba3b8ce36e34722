/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_ACPI_AML_H
#define CVMM_ARCH_X86_ACPI_AML_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/acpi/buf.h"

/*
 * A small AML (ACPI Machine Language) writer: just the objects a virtual
 * machine's DSDT needs.  Scoped objects (Scope, Device, Package) are
 * opened with aml_*_begin(), which returns a mark, and closed with
 * aml_end(mark), which inserts the PkgLength once the body is known
 * (minimal 1..4 byte encoding).  Close in LIFO order.
 *
 * Names are ASL-style paths: "\\_SB_.PCI0", "^FOO", "_S5" (segments
 * shorter than four characters are padded with '_').  Invalid names set
 * the buffer's sticky error to -EINVAL.
 */

/* Opcodes and prefixes (ACPI 6.4, 20.2). */
#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_STRING_PREFIX	0x0d
#define AML_QWORD_PREFIX	0x0e
#define AML_SCOPE_OP		0x10
#define AML_BUFFER_OP		0x11
#define AML_PACKAGE_OP		0x12
#define AML_DUAL_NAME_PREFIX	0x2e
#define AML_MULTI_NAME_PREFIX	0x2f
#define AML_EXT_OP_PREFIX	0x5b
#define AML_DEVICE_OP		0x82	/* after AML_EXT_OP_PREFIX */
#define AML_ROOT_CHAR		0x5c
#define AML_PARENT_PREFIX	0x5e

/* Largest value a PkgLength can encode. */
#define AML_PKGLEN_MAX		0x0fffffffu

void aml_name_string(struct acpi_buf *b, const char *path);
/* Shortest encoding: ZeroOp, OneOp or Byte/Word/DWord/QWord const. */
void aml_integer(struct acpi_buf *b, uint64_t v);
void aml_string(struct acpi_buf *b, const char *s);
/* A compressed EISA ID ("PNP0501") as a DWordConst. */
void aml_eisaid(struct acpi_buf *b, const char *id);
uint32_t aml_eisaid_value(const char *id, int *err);

/* Name (path, <object>): the caller appends the object. */
void aml_name(struct acpi_buf *b, const char *path);
void aml_name_integer(struct acpi_buf *b, const char *path, uint64_t v);
void aml_name_string_obj(struct acpi_buf *b, const char *path, const char *s);
void aml_name_eisaid(struct acpi_buf *b, const char *path, const char *id);

size_t aml_scope_begin(struct acpi_buf *b, const char *path);
size_t aml_device_begin(struct acpi_buf *b, const char *path);
size_t aml_package_begin(struct acpi_buf *b, unsigned int nr_elements);
void aml_end(struct acpi_buf *b, size_t mark);

/*
 * Resource descriptors (ACPI 6.4, 6.4), appended to a separate buffer that
 * aml_resource_template() then wraps in a Buffer with an End Tag.
 */
#define AML_RES_IO		0x47	/* small, length 7 */
#define AML_RES_IRQ_NOFLAGS	0x22	/* small, length 2 */
#define AML_RES_END_TAG		0x79	/* small, length 1 */
#define AML_RES_MEM32_FIXED	0x86	/* large */
#define AML_RES_DWORD		0x87	/* large */
#define AML_RES_WORD		0x88	/* large */
#define AML_RES_QWORD		0x8a	/* large */

#define AML_RES_TYPE_MEM	0
#define AML_RES_TYPE_IO		1
#define AML_RES_TYPE_BUS	2

void aml_res_io(struct acpi_buf *r, uint16_t min, uint16_t max,
		uint8_t align, uint8_t len);
void aml_res_irq_noflags(struct acpi_buf *r, uint16_t mask);
void aml_res_mem32_fixed(struct acpi_buf *r, bool rw, uint32_t base,
			 uint32_t len);
/*
 * Producer windows with fixed min/max and positive decode.  max < min, or
 * a window over the whole range (its length does not fit), sets -EINVAL.
 */
void aml_res_word_bus(struct acpi_buf *r, uint16_t min, uint16_t max);
void aml_res_word_io(struct acpi_buf *r, uint16_t min, uint16_t max);
void aml_res_dword_mem(struct acpi_buf *r, bool cacheable, uint32_t min,
		       uint32_t max);
void aml_res_qword_mem(struct acpi_buf *r, bool cacheable, uint64_t min,
		       uint64_t max);
/* ResourceTemplate () { <r> } as a Buffer object. */
void aml_resource_template(struct acpi_buf *b, const struct acpi_buf *r);

#endif
