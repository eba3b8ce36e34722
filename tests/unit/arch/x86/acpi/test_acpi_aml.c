// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AML writer (encodings checked against the ACPI spec's grammar) and
 * the generated DSDT, parsed back with an independent walker.
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

#include "acpi_check.h"
#include "arch/x86/acpi/acpi.h"
#include "arch/x86/acpi/aml.h"
#include "arch/x86/layout.h"

static void test_name_strings(void **state)
{
	struct acpi_buf b;

	acpi_buf_init(&b);
	aml_name_string(&b, "_S5");
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "_S5_", 4);
	acpi_buf_free(&b);

	aml_name_string(&b, "\\_SB.PCI0");
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, "\\\x2e_SB_PCI0", 10);
	acpi_buf_free(&b);

	aml_name_string(&b, "\\_SB.PCI0.S00");
	assert_int_equal(b.len, 15);
	assert_memory_equal(b.data, "\\\x2f\x03_SB_PCI0S00_", 15);
	acpi_buf_free(&b);

	aml_name_string(&b, "^^FOO");
	assert_memory_equal(b.data, "^^FOO_", 6);
	acpi_buf_free(&b);

	aml_name_string(&b, "\\");
	assert_memory_equal(b.data, "\\\0", 2);
	acpi_buf_free(&b);

	/* Invalid: lowercase, leading digit, too long, empty segment */
	aml_name_string(&b, "abc");
	assert_int_equal(b.err, -EINVAL);
	acpi_buf_free(&b);
	aml_name_string(&b, "1ABC");
	assert_int_equal(b.err, -EINVAL);
	acpi_buf_free(&b);
	aml_name_string(&b, "ABCDE");
	assert_int_equal(b.err, -EINVAL);
	acpi_buf_free(&b);
	aml_name_string(&b, "\\_SB..X");
	assert_int_equal(b.err, -EINVAL);
	acpi_buf_free(&b);
	aml_name_string(&b, "\\_SB.");
	assert_int_equal(b.err, -EINVAL);
	acpi_buf_free(&b);
}

static void test_integers(void **state)
{
	static const struct {
		uint64_t v;
		const char *enc;
		size_t len;
	} cases[] = {
		{ 0, "\x00", 1 },
		{ 1, "\x01", 1 },
		{ 2, "\x0a\x02", 2 },
		{ 0xff, "\x0a\xff", 2 },
		{ 0x100, "\x0b\x00\x01", 3 },
		{ 0xffff, "\x0b\xff\xff", 3 },
		{ 0x10000, "\x0c\x00\x00\x01\x00", 5 },
		{ 0x123456789aULL, "\x0e\x9a\x78\x56\x34\x12\x00\x00\x00", 9 },
	};
	struct acpi_buf b;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		acpi_buf_init(&b);
		aml_integer(&b, cases[i].v);
		assert_int_equal(b.len, cases[i].len);
		assert_memory_equal(b.data, cases[i].enc, cases[i].len);
		acpi_buf_free(&b);
	}
	acpi_buf_init(&b);
	aml_string(&b, "QEMU0002");
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, "\x0dQEMU0002\0", 10);
	acpi_buf_free(&b);
}

static void test_eisaid(void **state)
{
	int err;

	/* Well-known values (as iasl compiles them) */
	assert_int_equal(aml_eisaid_value("PNP0501", &err), 0x0105d041);
	assert_int_equal(err, 0);
	assert_int_equal(aml_eisaid_value("PNP0A03", &err), 0x030ad041);
	assert_int_equal(aml_eisaid_value("PNP0A08", &err), 0x080ad041);
	assert_int_equal(aml_eisaid_value("PNP0C02", &err), 0x020cd041);
	aml_eisaid_value("pnp0501", &err);
	assert_int_equal(err, -EINVAL);
	aml_eisaid_value("PNP050", &err);
	assert_int_equal(err, -EINVAL);
	aml_eisaid_value("PNP05G1", &err);
	assert_int_equal(err, -EINVAL);
}

/* PkgLength: 1 byte up to 63, then 2, 3 and 4 byte forms. */
static void test_pkglength(void **state)
{
	static const size_t bodies[] = { 0, 62, 63, 64, 4093, 4094,
					 0xffffc, 0xffffd, 0x100000 };
	static const unsigned int nbytes[] = { 1, 1, 2, 2, 2, 3, 3, 4, 4 };
	unsigned int i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		struct acpi_buf b;
		size_t mark, total;
		uint8_t lead;

		acpi_buf_init(&b);
		acpi_buf_u8(&b, AML_SCOPE_OP);
		mark = b.len;
		acpi_buf_grow(&b, bodies[i]);
		aml_end(&b, mark);
		assert_int_equal(b.err, 0);
		assert_int_equal(b.len, 1 + nbytes[i] + bodies[i]);
		lead = b.data[1];
		total = bodies[i] + nbytes[i];
		assert_int_equal((lead >> 6) + 1, nbytes[i]);
		if (nbytes[i] == 1) {
			assert_int_equal(lead, total);
		} else {
			size_t dec = lead & 0xf;
			unsigned int k;

			assert_int_equal(lead & 0x30, 0);
			for (k = 1; k < nbytes[i]; k++)
				dec |= (size_t)b.data[1 + k] << (4 + 8 * (k - 1));
			assert_int_equal(dec, total);
		}
		acpi_buf_free(&b);
	}
}

static void test_resource_descriptors(void **state)
{
	struct acpi_buf r, b;
	struct res_desc d[RES_MAX];

	acpi_buf_init(&r);
	acpi_buf_init(&b);
	aml_res_io(&r, 0x3f8, 0x3f8, 1, 8);
	aml_res_irq_noflags(&r, 1u << 4);
	aml_res_word_bus(&r, 0, 255);
	aml_res_dword_mem(&r, false, 0xc0000000, 0xdfffffff);
	aml_res_qword_mem(&r, true, 0x8000000000ULL, 0xffffffffffULL);
	aml_res_mem32_fixed(&r, true, 0xe0000000, 0x10000000);
	aml_resource_template(&b, &r);
	assert_int_equal(b.err, 0);
	/* Buffer: 0x11 PkgLength(2) BufferSize(word) ... */
	assert_int_equal(b.data[0], AML_BUFFER_OP);
	assert_int_equal(res_split(b.data + 5, b.len - 5, d), 6);
	assert_int_equal(d[0].tag, 0x47);
	assert_memory_equal(d[0].body, "\x01\xf8\x03\xf8\x03\x01\x08", 7);
	assert_int_equal(d[1].tag, 0x22);
	assert_memory_equal(d[1].body, "\x10\x00", 2);
	assert_int_equal(d[2].tag, 0x88);
	assert_int_equal(d[2].len, 13);
	assert_int_equal(d[2].body[0], 2);		/* bus number */
	assert_int_equal(le(d[2].body + 7, 2), 255);	/* max */
	assert_int_equal(le(d[2].body + 11, 2), 256);	/* length */
	assert_int_equal(d[3].tag, 0x87);
	assert_int_equal(d[3].len, 23);
	assert_int_equal(le(d[3].body + 7, 4), 0xc0000000);
	assert_int_equal(le(d[3].body + 19, 4), 0x20000000);
	assert_int_equal(d[4].tag, 0x8a);
	assert_int_equal(d[4].len, 43);
	assert_int_equal(le(d[4].body + 35, 8), 0x8000000000ULL);
	/* _GRA and _TRA 0, _MIN/_MAX as given, at every width */
	assert_int_equal(le(d[2].body + 3, 2), 0);
	assert_int_equal(le(d[2].body + 5, 2), 0);
	assert_int_equal(le(d[2].body + 9, 2), 0);
	assert_int_equal(le(d[3].body + 3, 4), 0);
	assert_int_equal(le(d[3].body + 11, 4), 0xdfffffff);
	assert_int_equal(le(d[3].body + 15, 4), 0);
	assert_int_equal(le(d[4].body + 3, 8), 0);
	assert_int_equal(le(d[4].body + 11, 8), 0x8000000000ULL);
	assert_int_equal(le(d[4].body + 19, 8), 0xffffffffffULL);
	assert_int_equal(le(d[4].body + 27, 8), 0);
	assert_int_equal(d[5].tag, 0x86);
	assert_int_equal(le(d[5].body + 5, 4), 0x10000000);
	acpi_buf_free(&r);
	acpi_buf_free(&b);

	/* max < min is refused */
	aml_res_dword_mem(&r, false, 2, 1);
	assert_int_equal(r.err, -EINVAL);
	acpi_buf_free(&r);
	/* So is a window over the whole range: its _LEN does not fit. */
	aml_res_word_io(&r, 0, 0xffff);
	assert_int_equal(r.err, -EINVAL);
	acpi_buf_free(&r);
	aml_res_dword_mem(&r, false, 0, UINT32_MAX);
	assert_int_equal(r.err, -EINVAL);
	acpi_buf_free(&r);
	aml_res_qword_mem(&r, true, 0, UINT64_MAX);
	assert_int_equal(r.err, -EINVAL);
	acpi_buf_free(&r);
	/* One less than the whole range still fits. */
	aml_res_word_io(&r, 1, 0xffff);
	assert_int_equal(r.err, 0);
	assert_int_equal(r.len, 16);
	assert_int_equal(le(r.data + 14, 2), 0xffff);	/* _LEN */
	acpi_buf_free(&r);
}

/* Parse the DSDT of a build with @cfg into @ns (heap). */
static struct aml_ns *parse_dsdt(const struct acpi_config *cfg,
				 struct acpi_tables *t)
{
	struct aml_ns *ns = calloc(1, sizeof(*ns));
	const uint8_t *dsdt;
	uint32_t len;

	assert_non_null(ns);
	assert_int_equal(acpi_build(cfg, t), 0);
	dsdt = t->files[ACPI_FILE_TABLES].data + t->layout.dsdt;
	assert_memory_equal(dsdt, "DSDT", 4);
	len = (uint32_t)le(dsdt + 4, 4);
	aml_parse(dsdt + 36, len - 36, ns);
	return ns;
}

static const uint8_t *crs(const struct aml_ns *ns, const char *dev,
			  size_t *len)
{
	char path[64];
	const struct aml_obj *o;

	snprintf(path, sizeof(path), "%s._CRS", dev);
	o = aml_find(ns, path);
	assert_non_null(o);
	assert_int_equal(o->type, OBJ_BUF);
	*len = o->len;
	return o->data;
}

static void test_dsdt_default(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct aml_ns *ns;
	const struct aml_obj *o;
	struct res_desc d[RES_MAX];
	const uint8_t *r;
	size_t len;

	acpi_config_init(&cfg, 1);
	ns = parse_dsdt(&cfg, &t);

	o = aml_find(ns, "\\_S5_");
	assert_non_null(o);
	assert_int_equal(o->type, OBJ_PKG);
	assert_int_equal(o->nr_elems, 4);
	assert_int_equal(o->elems[0].ival, ACPI_SLP_TYP_S5);
	assert_int_equal(o->elems[1].ival, ACPI_SLP_TYP_S5);
	assert_int_equal(o->elems[2].ival, 0);
	assert_int_equal(o->elems[3].ival, 0);

	assert_non_null(aml_find(ns, "\\_SB_"));
	o = aml_find(ns, "\\_SB_.COM1");
	assert_non_null(o);
	assert_int_equal(o->type, OBJ_DEVICE);
	o = aml_find(ns, "\\_SB_.COM1._HID");
	assert_non_null(o);
	assert_int_equal(o->ival, 0x0105d041);		/* PNP0501 */
	o = aml_find(ns, "\\_SB_.COM1._STA");
	assert_int_equal(o->ival, 0xf);
	assert_non_null(aml_find(ns, "\\_SB_.COM1._UID"));
	assert_int_equal(aml_find(ns, "\\_SB_.COM1._UID")->ival, 1);

	r = crs(ns, "\\_SB_.COM1", &len);
	assert_int_equal(res_split(r, len, d), 2);
	assert_int_equal(d[0].tag, 0x47);		/* IO */
	assert_int_equal(le(d[0].body + 1, 2), PORT_COM1);
	assert_int_equal(le(d[0].body + 3, 2), PORT_COM1);
	assert_int_equal(d[0].body[6], 8);
	assert_int_equal(d[1].tag, 0x22);		/* IRQNoFlags */
	assert_int_equal(le(d[1].body, 2), 1u << IRQ_COM1);

	/* No PCI and no fw_cfg device by default */
	assert_null(aml_find(ns, "\\_SB_.PCI0"));
	assert_null(aml_find(ns, "\\_SB_.FWCF"));
	free(ns);
	acpi_tables_free(&t);
}

static void test_dsdt_pci(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct aml_ns *ns;
	const struct aml_obj *o;
	struct res_desc d[RES_MAX];
	const uint8_t *r;
	unsigned int i;
	size_t len;

	acpi_config_init(&cfg, 4);
	cfg.pci = true;
	cfg.pci_mmio64_start = 0x8000000000ULL;
	cfg.pci_mmio64_size = 0x8000000000ULL;
	cfg.pci_intx = true;
	for (i = 0; i < 4; i++)
		cfg.pci_intx_gsi[i] = 16 + i;
	cfg.fw_cfg_port = PORT_FW_CFG;
	ns = parse_dsdt(&cfg, &t);

	o = aml_find(ns, "\\_SB_.PCI0._HID");
	assert_non_null(o);
	assert_int_equal(o->ival, 0x080ad041);		/* PNP0A08 */
	o = aml_find(ns, "\\_SB_.PCI0._CID");
	assert_int_equal(o->ival, 0x030ad041);		/* PNP0A03 */
	assert_int_equal(aml_find(ns, "\\_SB_.PCI0._SEG")->ival, 0);
	assert_int_equal(aml_find(ns, "\\_SB_.PCI0._BBN")->ival, 0);

	r = crs(ns, "\\_SB_.PCI0", &len);
	assert_int_equal(res_split(r, len, d), 5);
	/* buses 0-255 */
	assert_int_equal(d[0].tag, 0x88);
	assert_int_equal(d[0].body[0], 2);
	assert_int_equal(le(d[0].body + 5, 2), 0);
	assert_int_equal(le(d[0].body + 7, 2), 255);
	/* config ports */
	assert_int_equal(d[1].tag, 0x47);
	assert_int_equal(le(d[1].body + 1, 2), 0xcf8);
	assert_int_equal(d[1].body[6], 8);
	/* I/O window 0x1000-0xffff */
	assert_int_equal(d[2].tag, 0x88);
	assert_int_equal(d[2].body[0], 1);
	assert_int_equal(le(d[2].body + 5, 2), 0x1000);
	assert_int_equal(le(d[2].body + 7, 2), 0xffff);
	assert_int_equal(le(d[2].body + 11, 2), 0xf000);
	/* MMIO32 window */
	assert_int_equal(d[3].tag, 0x87);
	assert_int_equal(d[3].body[0], 0);
	assert_int_equal(le(d[3].body + 7, 4), PCI_MMIO32_START);
	assert_int_equal(le(d[3].body + 11, 4), PCI_MMIO32_END - 1);
	assert_int_equal(le(d[3].body + 19, 4),
			 PCI_MMIO32_END - PCI_MMIO32_START);
	/* MMIO64 window */
	assert_int_equal(d[4].tag, 0x8a);
	assert_int_equal(le(d[4].body + 11, 8), 0x8000000000ULL);
	assert_int_equal(le(d[4].body + 19, 8), 0xffffffffffULL);

	/* _PRT: 32 slots x 4 pins, swizzled onto the 4 GSIs */
	o = aml_find(ns, "\\_SB_.PCI0._PRT");
	assert_non_null(o);
	assert_int_equal(o->nr_elems, 128);
	for (i = 0; i < 128; i++) {
		const struct aml_elem *e = &o->elems[i];
		unsigned int slot = i / 4, pin = i % 4;

		assert_int_equal(e->type, OBJ_PKG);
		assert_int_equal(e->nr_sub, 4);
		assert_int_equal(e->sub[0], ((uint64_t)slot << 16) | 0xffff);
		assert_int_equal(e->sub[1], pin);
		assert_int_equal(e->sub[2], 0);
		assert_int_equal(e->sub[3], 16 + (slot + pin) % 4);
	}

	/* ECAM reserved as a motherboard resource */
	assert_int_equal(aml_find(ns, "\\_SB_.MRES._HID")->ival, 0x020cd041);
	assert_non_null(aml_find(ns, "\\_SB_.MRES._UID"));
	assert_int_equal(aml_find(ns, "\\_SB_.MRES._UID")->ival, 0);
	assert_non_null(aml_find(ns, "\\_SB_.MRES._STA"));
	assert_int_equal(aml_find(ns, "\\_SB_.MRES._STA")->ival, 0xf);
	r = crs(ns, "\\_SB_.MRES", &len);
	assert_int_equal(res_split(r, len, d), 1);
	assert_int_equal(d[0].tag, 0x86);
	assert_int_equal(le(d[0].body + 1, 4), PCI_ECAM_START);
	assert_int_equal(le(d[0].body + 5, 4), PCI_ECAM_SIZE);

	/* fw_cfg device */
	o = aml_find(ns, "\\_SB_.FWCF._HID");
	assert_non_null(o);
	assert_int_equal(o->type, OBJ_STR);
	assert_int_equal(o->len, 8);
	assert_memory_equal(o->data, "QEMU0002", 8);
	r = crs(ns, "\\_SB_.FWCF", &len);
	assert_int_equal(res_split(r, len, d), 1);
	assert_int_equal(le(d[0].body + 1, 2), PORT_FW_CFG);
	assert_int_equal(d[0].body[6], 12);
	free(ns);
	acpi_tables_free(&t);
}

/* The Q35 persona's DSDT: \_S5 0, a window around the ECAM, ICH9's _PRT. */
static void test_dsdt_q35(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct aml_ns *ns;
	const struct aml_obj *o;
	struct res_desc d[RES_MAX];
	const uint8_t *r;
	unsigned int s, p;
	size_t len;

	acpi_config_init(&cfg, 1);
	cfg.slp_typ_s5 = 0;
	cfg.pci = true;
	cfg.ecam_base = 0xb0000000;
	cfg.pci_mmio32_start = 0x80000000;
	cfg.pci_mmio32_end = 0xfc000000;
	cfg.pci_mmio32_hole_start = 0xb0000000;
	cfg.pci_mmio32_hole_end = 0xc0000000;
	cfg.pci_intx = true;
	cfg.pci_prt_table = true;
	for (s = 0; s < 32; s++)
		for (p = 0; p < 4; p++)
			cfg.pci_prt_gsi[s][p] = s < 25 ? 20 + (s + p) % 4 : 16 + p;
	ns = parse_dsdt(&cfg, &t);

	o = aml_find(ns, "\\_S5_");
	assert_non_null(o);
	assert_int_equal(o->nr_elems, 4);
	assert_int_equal(o->elems[0].ival, 0);
	assert_int_equal(o->elems[1].ival, 0);

	/* buses, config ports, I/O window, then the window in two ranges */
	r = crs(ns, "\\_SB_.PCI0", &len);
	assert_int_equal(res_split(r, len, d), 5);
	assert_int_equal(d[3].tag, 0x87);
	assert_int_equal(le(d[3].body + 7, 4), 0x80000000);
	assert_int_equal(le(d[3].body + 11, 4), 0xafffffff);
	assert_int_equal(le(d[3].body + 19, 4), 0x30000000);
	assert_int_equal(d[4].tag, 0x87);
	assert_int_equal(le(d[4].body + 7, 4), 0xc0000000);
	assert_int_equal(le(d[4].body + 11, 4), 0xfbffffff);
	assert_int_equal(le(d[4].body + 19, 4), 0x3c000000);

	o = aml_find(ns, "\\_SB_.PCI0._PRT");
	assert_non_null(o);
	assert_int_equal(o->nr_elems, 128);
	assert_int_equal(o->elems[1 * 4 + 0].sub[3], 21);	/* 00:01 INTA: PIRQF */
	assert_int_equal(o->elems[24 * 4 + 3].sub[3], 23);
	assert_int_equal(o->elems[25 * 4 + 0].sub[3], 16);	/* DnnIR: PIRQA */
	assert_int_equal(o->elems[31 * 4 + 3].sub[3], 19);

	/* the ECAM where it is now, as a motherboard resource */
	r = crs(ns, "\\_SB_.MRES", &len);
	assert_int_equal(res_split(r, len, d), 1);
	assert_int_equal(le(d[0].body + 1, 4), 0xb0000000);
	free(ns);
	acpi_tables_free(&t);

	/* ECAM off: no motherboard resource */
	cfg.ecam_off = true;
	cfg.pci_mmio32_hole_start = 0;
	cfg.pci_mmio32_hole_end = 0;
	ns = parse_dsdt(&cfg, &t);
	assert_null(aml_find(ns, "\\_SB_.MRES"));
	r = crs(ns, "\\_SB_.PCI0", &len);
	assert_int_equal(res_split(r, len, d), 4);
	free(ns);
	acpi_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_strings),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_eisaid),
		cmocka_unit_test(test_pkglength),
		cmocka_unit_test(test_resource_descriptors),
		cmocka_unit_test(test_dsdt_default),
		cmocka_unit_test(test_dsdt_pci),
		cmocka_unit_test(test_dsdt_q35),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
