/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_PCI_SETUP_H
#define CVMM_MACHINE_PCI_SETUP_H

#include "machine/vm.h"

/*
 * The PCI host bridge and the virtio devices of one VM boot, created from
 * vm->cfg (--blk, --net, --vsock, --entropy, --console virtio) after the
 * legacy devices and before the vCPUs start; torn down with the VM.
 * Prints "cvmm: <what>: <why>" and returns -errno on failure.
 */
int pci_setup(struct vm *vm);
void pci_teardown(struct vm *vm);

#endif
