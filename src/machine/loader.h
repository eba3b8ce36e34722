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

#endif
