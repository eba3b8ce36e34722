/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_PCI_SETUP_H
#define CVMM_MACHINE_PCI_SETUP_H

#include <stdbool.h>

#include "arch/x86/acpi/acpi.h"
#include "machine/vm.h"

/*
 * The PCI host bridge and the virtio devices of one VM boot, created from
 * vm->cfg by the rows of machine/devices.c (--blk, --net, --entropy,
 * --vsock, --console virtio) after the legacy devices and before the
 * vCPUs start; torn down with the VM.  Prints "cvmm: <what>: <why>" and
 * returns -errno on failure.
 *
 * Without any of those options there is no PCI bus at all on cvmm's
 * machine; the Q35 persona always has one, with its MCH at 00:00.0 and
 * ICH9 LPC at 00:1f.0 (devices/q35), the BAR window from the top of low
 * RAM to 0xfc000000 and the ECAM wherever the guest's PCIEXBAR puts it.
 * Each device runs on its own event loop thread.
 *
 * One path adds a device, at boot or while the VM runs
 * (pci_setup_add()): its event loop, the device (the row's create), a
 * PCI slot with its BARs (first fit in the window) and INTx pin, MSI-X
 * routes as the guest programs them, and, on a bus already running, its
 * loop started.  pci_setup_remove() undoes it in reverse: loop stopped,
 * off the bus (no vCPU reaches it afterwards), destroyed (ioeventfds,
 * routes, host fds), loop freed.  Telling a running guest about it
 * (ACPI hotplug) is not done yet.
 *
 * INTx: INTA..INTD of slot S are wired (ACPI _PRT swizzle, pin P 0-based)
 * to PCI_INTX_GSIS[(S + P) % 4]; on the Q35 persona to PIRQ A-H, GSIs
 * 16-23, as QEMU's q35 (devices/q35/q35.h).  They are ISA IRQ numbers, so a kernel
 * without ACPI that finds no PCI entry in the MP table uses the Interrupt
 * Line register (which holds them) and gets the IOAPIC's ISA
 * configuration; the bridge behaves correctly on edge and level pins.
 */
#define PCI_INTX_GSIS		{ 10, 11, 5, 15 }

int pci_setup(struct vm *vm);
void pci_teardown(struct vm *vm);

struct vm_device_kind;
struct vm_pci_dev;
/* Device @i of @kind on the bus (the bus must exist); *@out (optional) is the handle. */
int pci_setup_add(struct vm *vm, const struct vm_device_kind *kind, unsigned int i,
		  struct vm_pci_dev **out);
void pci_setup_remove(struct vm *vm, struct vm_pci_dev *d);
/* Where @d sits on bus 0 (device and function, PCI_SLOT() gives the slot). */
uint8_t pci_setup_dev_devfn(const struct vm_pci_dev *d);

/* Is there a PCI bus in this VM? */
bool pci_setup_present(const struct vm *vm);
/*
 * Describe the bus in @ac for the ACPI builder (PNP0A08 root bridge with
 * _CRS and _PRT, MCFG): sets ac->pci and the window, ECAM and INTx fields.
 * Does nothing without a PCI bus.
 */
void pci_setup_describe_acpi(const struct vm *vm, struct acpi_config *ac);

#endif
