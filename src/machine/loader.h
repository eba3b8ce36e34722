/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_LOADER_H
#define CVMM_MACHINE_LOADER_H

#include "machine/vm.h"

/*
 * Put the machine's images into a freshly built VM and choose the boot
 * vCPU's initial state: firmware at the reset vector, a bzImage through
 * the 64-bit boot protocol, an ELF kernel through PVH, or the built-in
 * guest.  Direct boots also get the e820 map, the MP table and the boot
 * page tables.  Prints "cvmm: <what>: <why>" on failure.
 */
int loader_load(struct vm *vm);
/*
 * The Q35 persona's chipset moved the ECAM or the PM block: rebuild the
 * ACPI tables firmware reads over fw_cfg (MCFG, the DSDT's _CRS, the FADT
 * ports) in place, padded to the size the fw_cfg directory announced.
 * Called with the PCI host bridge's lock held; logs a warning on failure.
 */
void loader_acpi_update(struct vm *vm);

#endif
