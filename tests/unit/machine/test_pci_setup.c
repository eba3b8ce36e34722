// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_setup_describe_acpi(): the ACPI builder accepts the description of
 * cvmm's PCI bus and emits the root bridge, its _PRT and the MCFG.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/layout.h"
#include "machine/pci_setup.h"

static void test_describe(void **state)
{
	static const uint32_t gsi[4] = PCI_INTX_GSIS;
	struct acpi_config ac;
	struct acpi_tables t;
	struct vm vm;
	const uint8_t *tables, *mcfg;
	size_t len;
	uint64_t base;

	memset(&vm, 0, sizeof(vm));
	acpi_config_init(&ac, 2);
	pci_setup_describe_acpi(&vm, &ac);	/* no bus: nothing */
	assert_false(ac.pci);
	vm.dev.pci = (struct vm_pci *)&vm;	/* any non-NULL state */
	pci_setup_describe_acpi(&vm, &ac);
	assert_true(ac.pci);
	assert_true(ac.pci_intx);
	assert_int_equal(ac.ecam_base, PCI_ECAM_START);
	assert_int_equal(ac.pci_mmio32_start, PCI_MMIO32_START);
	assert_int_equal(ac.pci_mmio32_end, PCI_MMIO32_END);
	assert_memory_equal(ac.pci_intx_gsi, gsi, sizeof(gsi));
	assert_int_equal(acpi_build(&ac, &t), 0);
	tables = t.files[ACPI_FILE_TABLES].data;
	len = t.files[ACPI_FILE_TABLES].len;
	assert_true(t.layout.mcfg != 0);
	mcfg = tables + t.layout.mcfg;
	assert_memory_equal(mcfg, "MCFG", 4);
	memcpy(&base, mcfg + 44, 8);		/* the first allocation's base */
	assert_int_equal(base, PCI_ECAM_START);
	assert_non_null(memmem(tables, len, "PCI0", 4));
	assert_non_null(memmem(tables, len, "_PRT", 4));
	acpi_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
