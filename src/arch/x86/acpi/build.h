/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_ACPI_BUILD_H
#define CVMM_ARCH_X86_ACPI_BUILD_H

/* Internal to the ACPI builder: shared by tables.c, dsdt.c and link.c. */

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/acpi/buf.h"

#define ACPI_HEADER_SIZE	36
#define ACPI_HDR_LENGTH		4
#define ACPI_HDR_CHECKSUM	9

struct acpi_builder {
	struct acpi_buf files[ACPI_NR_FILES];
	struct acpi_link *links;
	unsigned int nr_links;
	unsigned int cap_links;
	int err;
};

/* First error of the builder or any of its buffers. */
int acpi_builder_err(const struct acpi_builder *bld);

void acpi_add_pointer(struct acpi_builder *bld, enum acpi_file_id file,
		      uint32_t offset, enum acpi_file_id target, uint8_t size);
void acpi_add_checksum(struct acpi_builder *bld, enum acpi_file_id file,
		       uint32_t offset, uint32_t start, uint32_t length);

/*
 * Append a standard table header (length and checksum 0) to @file;
 * returns the table's offset.  acpi_table_end() sets the length and adds
 * the checksum link; add the table's pointer links before ending it.
 */
uint32_t acpi_table_begin(struct acpi_builder *bld, enum acpi_file_id file,
			  const char sig[4], uint8_t revision);
void acpi_table_end(struct acpi_builder *bld, enum acpi_file_id file,
		    uint32_t table);

/* Append the DSDT (a whole table) to the tables file. */
uint32_t acpi_build_dsdt(struct acpi_builder *bld,
			 const struct acpi_config *cfg);

#endif
