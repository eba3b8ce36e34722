/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ACPI_CHECK_H
#define CVMM_TESTS_ACPI_CHECK_H

/*
 * Independent checkers for the ACPI tests: they read tables the way an OS
 * does (offsets from the ACPI spec, not from the builder) and parse the
 * DSDT's AML with their own small walker.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

uint64_t le(const uint8_t *p, unsigned int n);
uint8_t sum8(const uint8_t *p, size_t len);

/* Physical address -> host pointer for [addr, addr + len), or NULL. */
typedef const uint8_t *(*phys_map_fn)(void *ctx, uint64_t addr, uint64_t len);

#define MAX_TABLES 16

struct walked_tables {
	uint64_t rsdp, xsdt;
	unsigned int nr;
	char sig[MAX_TABLES][5];
	uint64_t addr[MAX_TABLES];
	const uint8_t *ptr[MAX_TABLES];
	uint32_t len[MAX_TABLES];
	/* From the FADT */
	uint64_t dsdt_addr, facs_addr;
	const uint8_t *dsdt, *facs;
	uint32_t dsdt_len;
};

/*
 * Walk RSDP -> XSDT -> tables -> FADT -> DSDT/FACS, asserting signatures,
 * lengths and every checksum (cmocka asserts).
 */
void walk_acpi(phys_map_fn map, void *ctx, uint64_t rsdp_addr,
	       struct walked_tables *out);
/* The table with signature @sig, or NULL. */
const uint8_t *walked_find(const struct walked_tables *w, const char *sig);

/* ---- AML ---- */

enum aml_obj_type {
	OBJ_INT, OBJ_STR, OBJ_BUF, OBJ_PKG, OBJ_SCOPE, OBJ_DEVICE, OBJ_METHOD,
};

#define AML_MAX_OBJS	64
#define AML_MAX_ELEMS	160

struct aml_obj {
	char path[64];			/* "\\_SB_.COM1._CRS" */
	enum aml_obj_type type;
	uint64_t ival;			/* OBJ_INT */
	const uint8_t *data;		/* OBJ_STR / OBJ_BUF contents */
	size_t len;
	unsigned int nr_elems;		/* OBJ_PKG */
	struct aml_elem {
		enum aml_obj_type type;	/* OBJ_INT or OBJ_PKG */
		uint64_t ival;
		unsigned int nr_sub;	/* nested package of integers */
		uint64_t sub[8];
	} elems[AML_MAX_ELEMS];
};

struct aml_ns {
	unsigned int nr;
	struct aml_obj objs[AML_MAX_OBJS];
};

/* Parse a whole DSDT/SSDT body (after the 36-byte header); asserts. */
void aml_parse(const uint8_t *aml, size_t len, struct aml_ns *ns);
const struct aml_obj *aml_find(const struct aml_ns *ns, const char *path);

/* Resource descriptors inside a _CRS buffer. */
struct res_desc {
	uint8_t tag;			/* small: type << 3 | len; large: tag */
	const uint8_t *body;		/* after the tag (and length) */
	uint16_t len;
};

#define RES_MAX 16
/* Split a ResourceTemplate buffer; asserts it ends with an End Tag. */
unsigned int res_split(const uint8_t *buf, size_t len, struct res_desc *out);

#endif
