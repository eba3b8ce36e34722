// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI builder: every table's signature, length and checksum, FADT fields,
 * MADT entries for 1, 2, 64 and 256 vCPUs and x2APIC ids, MCFG, and the
 * link list's invariants (checksum fields 0, pointers inside targets).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acpi_check.h"
#include "arch/x86/acpi/acpi.h"
#include "arch/x86/layout.h"

/* Files linked at fixed fake addresses; map() serves them. */
struct linked {
	struct acpi_tables t;
	uint64_t addrs[ACPI_NR_FILES];
	uint8_t *bufs[ACPI_NR_FILES];
	struct walked_tables w;
};

static const uint8_t *linked_map(void *ctx, uint64_t addr, uint64_t len)
{
	struct linked *l = ctx;
	unsigned int i;

	for (i = 0; i < ACPI_NR_FILES; i++) {
		uint64_t base = l->addrs[i], size = l->t.files[i].len;

		if (addr >= base && addr - base <= size &&
		    len <= size - (addr - base))
			return l->bufs[i] + (addr - base);
	}
	return NULL;
}

static void build_and_walk(struct linked *l, const struct acpi_config *cfg)
{
	memset(l, 0, sizeof(*l));
	assert_int_equal(acpi_build(cfg, &l->t), 0);
	l->addrs[ACPI_FILE_RSDP] = 0xf0000;
	l->addrs[ACPI_FILE_TABLES] = 0x7ff00000;
	assert_int_equal(acpi_link_files(&l->t, l->addrs, l->bufs), 0);
	walk_acpi(linked_map, l, l->addrs[ACPI_FILE_RSDP], &l->w);
}

static void linked_free(struct linked *l)
{
	unsigned int i;

	for (i = 0; i < ACPI_NR_FILES; i++)
		free(l->bufs[i]);
	acpi_tables_free(&l->t);
}

static void test_default_tables(void **state)
{
	struct acpi_config cfg;
	struct linked l;

	acpi_config_init(&cfg, 1);
	build_and_walk(&l, &cfg);
	/* XSDT: FADT and MADT, no MCFG without PCI. */
	assert_int_equal(l.w.nr, 2);
	assert_string_equal(l.w.sig[0], "FACP");
	assert_string_equal(l.w.sig[1], "APIC");
	assert_null(walked_find(&l.w, "MCFG"));
	assert_int_equal(l.t.files[ACPI_FILE_RSDP].len, 36);
	assert_string_equal(l.t.files[ACPI_FILE_RSDP].name, "etc/acpi/rsdp");
	assert_string_equal(l.t.files[ACPI_FILE_TABLES].name,
			    "etc/acpi/tables");
	/* Revisions: XSDT 1, FADT 6, MADT >= 3, DSDT 2 (64-bit ints). */
	assert_int_equal(linked_map(&l, l.w.xsdt, 36)[8], 1);
	assert_int_equal(walked_find(&l.w, "FACP")[8], 6);
	assert_true(walked_find(&l.w, "APIC")[8] >= 3);
	assert_int_equal(l.w.dsdt[8], 2);
	/* OEM table id and creator */
	assert_memory_equal(walked_find(&l.w, "APIC") + 16, "CVMMAPIC", 8);
	assert_memory_equal(walked_find(&l.w, "APIC") + 28, "CVMM", 4);
	linked_free(&l);
}

static void test_fadt_fields(void **state)
{
	struct acpi_config cfg;
	struct linked l;
	const uint8_t *f;
	uint32_t flags;

	acpi_config_init(&cfg, 2);
	build_and_walk(&l, &cfg);
	f = walked_find(&l.w, "FACP");
	assert_int_equal(le(f + 4, 4), 276);
	assert_int_equal(le(f + 46, 2), ACPI_SCI_IRQ);		/* SCI_INT */
	assert_int_equal(le(f + 48, 4), 0);			/* SMI_CMD */
	assert_int_equal(f[52], 0);				/* ACPI_ENABLE */
	assert_int_equal(f[53], 0);
	assert_int_equal(le(f + 56, 4), PORT_ACPI_PM1_EVT);	/* PM1a_EVT */
	assert_int_equal(le(f + 60, 4), 0);			/* PM1b_EVT */
	assert_int_equal(le(f + 64, 4), PORT_ACPI_PM1_CNT);	/* PM1a_CNT */
	assert_int_equal(le(f + 68, 4), 0);
	assert_int_equal(le(f + 76, 4), PORT_ACPI_PM_TMR);	/* PM_TMR */
	assert_int_equal(le(f + 80, 4), 0);			/* GPE0 */
	assert_int_equal(f[88], 4);				/* PM1_EVT_LEN */
	assert_int_equal(f[89], 2);				/* PM1_CNT_LEN */
	assert_int_equal(f[91], 4);				/* PM_TMR_LEN */
	assert_int_equal(f[92], 0);				/* GPE0_LEN */
	assert_true(le(f + 96, 2) > 100);			/* no C2 */
	assert_true(le(f + 98, 2) > 1000);			/* no C3 */
	flags = (uint32_t)le(f + 112, 4);
	assert_true(flags & (1u << 10));			/* RESET_REG_SUP */
	assert_false(flags & (1u << 20));			/* HW_REDUCED */
	assert_false(flags & (1u << 19));			/* <= 8 CPUs */
	/* RESET_REG: SystemIO, 8 bits, port 0xcf9, value 6 */
	assert_int_equal(f[116], 1);
	assert_int_equal(f[117], 8);
	assert_int_equal(f[118], 0);
	assert_int_equal(le(f + 120, 8), PORT_RESET_CF9);
	assert_int_equal(f[128], ACPI_RESET_VALUE);
	/* X_ blocks agree with the 32-bit ones. */
	assert_int_equal(f[148], 1);
	assert_int_equal(f[149], 32);
	assert_int_equal(le(f + 152, 8), PORT_ACPI_PM1_EVT);
	assert_int_equal(f[172], 1);
	assert_int_equal(f[173], 16);
	assert_int_equal(le(f + 176, 8), PORT_ACPI_PM1_CNT);
	assert_int_equal(f[208], 1);
	assert_int_equal(f[209], 32);
	assert_int_equal(le(f + 212, 8), PORT_ACPI_PM_TMR);
	assert_int_equal(le(f + 160, 8), 0);			/* X_PM1b_EVT */
	assert_int_equal(le(f + 220 + 4, 8), 0);		/* X_GPE0 */
	/* X_FIRMWARE_CTRL / X_DSDT point at the FACS and the DSDT. */
	assert_int_equal(le(f + 132, 8), l.w.facs_addr);
	assert_int_equal(le(f + 140, 8), l.w.dsdt_addr);
	assert_int_equal(l.w.facs_addr, 0x7ff00000 + l.t.layout.facs);
	assert_int_equal(l.w.dsdt_addr, 0x7ff00000 + l.t.layout.dsdt);
	linked_free(&l);

	/* Variants: 32-bit timer, no reset register, many CPUs, no RTC. */
	cfg.pm_tmr_32bit = true;
	cfg.reset_port = 0;
	cfg.nr_vcpus = 9;
	cfg.ioapic_id = 9;
	cfg.has_rtc = false;
	cfg.has_i8042 = true;
	build_and_walk(&l, &cfg);
	f = walked_find(&l.w, "FACP");
	flags = (uint32_t)le(f + 112, 4);
	assert_true(flags & (1u << 8));				/* TMR_VAL_EXT */
	assert_false(flags & (1u << 10));
	assert_true(flags & (1u << 19));
	assert_int_equal(le(f + 120, 8), 0);
	assert_true(le(f + 109, 2) & (1u << 5));		/* no CMOS */
	assert_true(le(f + 109, 2) & (1u << 1));		/* 8042 */
	linked_free(&l);
}

struct madt_count {
	unsigned int lapic, x2apic, ioapic, iso, nmi, x2nmi;
};

/* Walk the MADT entries; checks each entry's length by type. */
static void madt_walk(const uint8_t *m, struct madt_count *c,
		      const uint32_t *ids, unsigned int nr)
{
	uint32_t len = (uint32_t)le(m + 4, 4), off = 44;

	memset(c, 0, sizeof(*c));
	assert_int_equal(le(m + 36, 4), LAPIC_ADDR);
	assert_int_equal(le(m + 40, 4), 1);			/* PCAT_COMPAT */
	while (off < len) {
		const uint8_t *e = m + off;
		uint32_t uid, id;

		assert_true(len - off >= 2);
		assert_true(e[1] >= 2 && e[1] <= len - off);
		switch (e[0]) {
		case 0:
			assert_int_equal(e[1], 8);
			uid = e[2];
			id = e[3];
			assert_true(uid < nr);
			assert_int_equal(id, ids ? ids[uid] : uid);
			assert_int_equal(le(e + 4, 4), 1);	/* enabled */
			c->lapic++;
			break;
		case 9:
			assert_int_equal(e[1], 16);
			id = (uint32_t)le(e + 4, 4);
			uid = (uint32_t)le(e + 12, 4);
			assert_true(uid < nr);
			assert_int_equal(id, ids ? ids[uid] : uid);
			assert_true(id >= 255 || uid >= 255);
			assert_int_equal(le(e + 8, 4), 1);
			c->x2apic++;
			break;
		case 1:
			assert_int_equal(e[1], 12);
			assert_int_equal(le(e + 4, 4), IOAPIC_ADDR);
			assert_int_equal(le(e + 8, 4), 0);	/* GSI base */
			c->ioapic++;
			break;
		case 2:
			assert_int_equal(e[1], 10);
			assert_int_equal(e[2], 0);		/* ISA */
			if (e[3] == 0) {
				assert_int_equal(le(e + 4, 4), 2);
				/* edge (01b << 2), active high (01b) */
				assert_int_equal(le(e + 8, 2), 0x5);
			} else {
				assert_int_equal(e[3], ACPI_SCI_IRQ);
				assert_int_equal(le(e + 4, 4), ACPI_SCI_IRQ);
				/* level (11b << 2), active high */
				assert_int_equal(le(e + 8, 2), 0xd);
			}
			c->iso++;
			break;
		case 4:
			assert_int_equal(e[1], 6);
			assert_int_equal(e[2], 0xff);
			assert_int_equal(e[5], 1);		/* LINT1 */
			c->nmi++;
			break;
		case 10:
			assert_int_equal(e[1], 12);
			assert_int_equal(le(e + 4, 4), 0xffffffff);
			assert_int_equal(e[8], 1);
			c->x2nmi++;
			break;
		default:
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
		off += e[1];
	}
	assert_int_equal(off, len);
}

static void check_madt(unsigned int nr, const uint32_t *ids,
		       struct madt_count *c)
{
	struct acpi_config cfg;
	struct linked l;

	acpi_config_init(&cfg, nr);
	cfg.apic_ids = ids;
	build_and_walk(&l, &cfg);
	madt_walk(walked_find(&l.w, "APIC"), c, ids, nr);
	assert_int_equal(c->lapic + c->x2apic, nr);
	assert_int_equal(c->ioapic, 1);
	assert_int_equal(c->iso, 2);
	assert_int_equal(c->nmi, 1);
	linked_free(&l);
}

static void test_madt_counts(void **state)
{
	struct madt_count c;
	uint32_t ids[256];
	unsigned int i;

	check_madt(1, NULL, &c);
	assert_int_equal(c.lapic, 1);
	check_madt(2, NULL, &c);
	assert_int_equal(c.lapic, 2);
	check_madt(64, NULL, &c);
	assert_int_equal(c.lapic, 64);
	assert_int_equal(c.x2apic, 0);
	assert_int_equal(c.x2nmi, 0);

	/* Sparse ids (e.g. a topology with gaps) */
	for (i = 0; i < 4; i++)
		ids[i] = i * 2;
	check_madt(4, ids, &c);
	assert_int_equal(c.lapic, 4);

	/* x2APIC ids above 254 get x2APIC entries and the x2APIC NMI. */
	ids[0] = 0;
	ids[1] = 1;
	ids[2] = 255;
	ids[3] = 0x12345;
	check_madt(4, ids, &c);
	assert_int_equal(c.lapic, 2);
	assert_int_equal(c.x2apic, 2);
	assert_int_equal(c.x2nmi, 1);

	/* 256 vCPUs: processor UID 255 does not fit a Local APIC entry. */
	check_madt(256, NULL, &c);
	assert_int_equal(c.lapic, 255);
	assert_int_equal(c.x2apic, 1);
	assert_int_equal(c.x2nmi, 1);
}

static void test_mcfg_and_pci(void **state)
{
	struct acpi_config cfg;
	struct linked l;
	const uint8_t *m;

	acpi_config_init(&cfg, 2);
	cfg.pci = true;
	build_and_walk(&l, &cfg);
	assert_int_equal(l.w.nr, 3);
	m = walked_find(&l.w, "MCFG");
	assert_non_null(m);
	assert_int_equal(le(m + 4, 4), 60);
	assert_int_equal(le(m + 44, 8), PCI_ECAM_START);
	assert_int_equal(le(m + 52, 2), 0);	/* segment */
	assert_int_equal(m[54], 0);		/* start bus */
	assert_int_equal(m[55], 255);		/* end bus */
	linked_free(&l);
}

/* The Q35 persona: an ECAM not decoded yet gives an MCFG without entries. */
static void test_mcfg_empty_and_pad(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	struct linked l;
	const uint8_t *m;
	size_t on_len, on_links, off_len;

	acpi_config_init(&cfg, 2);
	cfg.pci = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	on_len = t.files[ACPI_FILE_TABLES].len;
	on_links = t.nr_links;
	acpi_tables_free(&t);

	cfg.ecam_off = true;
	cfg.ecam_base = 0xfffffff0;	/* ignored while off */
	build_and_walk(&l, &cfg);
	m = walked_find(&l.w, "MCFG");
	assert_non_null(m);
	assert_int_equal(le(m + 4, 4), 44);	/* header + reserved, no entry */
	/* the same tables and links, so the table-loader keeps its size */
	assert_int_equal(l.t.nr_links, on_links);
	off_len = l.t.files[ACPI_FILE_TABLES].len;
	assert_true(off_len < on_len);
	linked_free(&l);

	/* padding: zeroes up to the size firmware saw; never shorter */
	cfg.ecam_off = false;
	cfg.ecam_base = 0xb0000000;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	assert_int_equal(acpi_tables_pad(&t, 0x10000), 0);
	assert_int_equal(t.files[ACPI_FILE_TABLES].len, 0x10000);
	assert_int_equal(t.files[ACPI_FILE_TABLES].data[0xffff], 0);
	assert_int_equal(t.files[ACPI_FILE_TABLES].data[on_len], 0);
	assert_int_equal(acpi_tables_pad(&t, 0x100), -E2BIG);
	assert_int_equal(t.files[ACPI_FILE_TABLES].len, 0x10000);
	acpi_tables_free(&t);
}

static void test_bad_config(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	uint32_t ids[2] = { 3, 3 };

	acpi_config_init(&cfg, 0);
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	acpi_config_init(&cfg, ACPI_MAX_VCPUS + 1);
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	acpi_config_init(&cfg, 2);
	cfg.apic_ids = ids;				/* duplicate id */
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	acpi_config_init(&cfg, 1);
	cfg.nr_overrides = ACPI_MAX_OVERRIDES + 1;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	acpi_config_init(&cfg, 1);
	cfg.pci = true;
	cfg.pci_mmio32_end = cfg.pci_mmio32_start;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	acpi_config_init(&cfg, 1);
	cfg.com1_irq = 16;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	/* a hole must lie strictly inside the window */
	acpi_config_init(&cfg, 1);
	cfg.pci = true;
	cfg.pci_mmio32_hole_start = (uint32_t)PCI_MMIO32_START;
	cfg.pci_mmio32_hole_end = (uint32_t)PCI_MMIO32_START + 0x1000;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	cfg.pci_mmio32_hole_start = (uint32_t)PCI_MMIO32_START + 0x1000;
	cfg.pci_mmio32_hole_end = (uint32_t)PCI_MMIO32_END;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	cfg.pci_mmio32_hole_end = cfg.pci_mmio32_hole_start;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	/* an ECAM past 4 GiB is refused, unless it is off */
	acpi_config_init(&cfg, 1);
	cfg.pci = true;
	cfg.ecam_base = 0xf8000000;
	assert_int_equal(acpi_build(&cfg, &t), -EINVAL);
	cfg.ecam_off = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	acpi_tables_free(&t);
}

/*
 * The unlinked files are what firmware gets: checksum fields must be 0
 * (OVMF stores the checksum without subtracting the old byte) and pointer
 * fields must hold offsets inside their target file.
 */
static void test_link_invariants(void **state)
{
	struct acpi_config cfg;
	struct acpi_tables t;
	unsigned int i, nr_ptr = 0, nr_sum = 0;

	acpi_config_init(&cfg, 4);
	cfg.pci = true;
	assert_int_equal(acpi_build(&cfg, &t), 0);
	for (i = 0; i < t.nr_links; i++) {
		const struct acpi_link *l = &t.links[i];
		const struct acpi_file *f = &t.files[l->file];

		if (l->kind == ACPI_LINK_POINTER) {
			assert_true(l->size == 8);
			assert_true(l->offset + l->size <= f->len);
			assert_true(le(f->data + l->offset, l->size) <
				    t.files[l->target].len);
			nr_ptr++;
		} else {
			assert_int_equal(l->kind, ACPI_LINK_CHECKSUM);
			assert_true(l->offset < f->len);
			assert_true(l->start + l->length <= f->len);
			assert_int_equal(f->data[l->offset], 0);
			nr_sum++;
		}
	}
	/* FADT: 2, XSDT: 3 entries, RSDP: 1 */
	assert_int_equal(nr_ptr, 6);
	/* DSDT, FADT, MADT, MCFG, XSDT, RSDP x2 */
	assert_int_equal(nr_sum, 7);
	/* The last links are the RSDP's: its checksum before the extended. */
	assert_int_equal(t.links[t.nr_links - 2].offset, 8);
	assert_int_equal(t.links[t.nr_links - 1].offset, 32);
	acpi_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_tables),
		cmocka_unit_test(test_fadt_fields),
		cmocka_unit_test(test_madt_counts),
		cmocka_unit_test(test_mcfg_and_pci),
		cmocka_unit_test(test_mcfg_empty_and_pad),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_link_invariants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
