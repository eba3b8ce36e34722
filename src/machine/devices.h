/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_DEVICES_H
#define CVMM_MACHINE_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/virtio/virtio.h"
#include "machine/config.h"

/*
 * The kinds of virtio device a machine can have, one row each, in the
 * order they take PCI slots: disks, network, entropy, vsock, console.
 * A row turns the machine's configuration into devices: how many
 * (count), the host ends the machine keeps across guest resets
 * (host_open/host_close: locked disk images, the vsock socket), and one
 * device of one boot (create).  The devices themselves know no option
 * names: a row prints what fails as the option it came from
 * ("cvmm: --net: tap=NAME: <why>").
 *
 * A new kind of device: its files in devices/virtio/, one row here, its
 * option in machine/config.c (and a field in struct machine when it
 * keeps a host end across resets).  machine/pci_setup.c puts every
 * device on the bus the same way, at boot or while the VM runs.
 */

struct machine;
struct vm;

struct vm_device_kind {
	const char *name;		/* "virtio-blk"; its event loop thread too */
	bool numbered;			/* "virtio-blk0", "virtio-blk1", ... */
	unsigned int (*count)(const struct vm_config *cfg);
	/*
	 * optional: open the host ends the machine does not hold yet (called
	 * again after the API adds a device) / close them all; print why not
	 */
	int (*host_open)(struct machine *m);
	void (*host_close)(struct machine *m);
	/* device @i of this boot (env->name set); prints why not */
	int (*create)(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
		      struct virtio_dev **out);
	/* optional: the device takes the host console's input (opaque: the device) */
	size_t (*console_input)(void *opaque, const uint8_t *buf, size_t len);
};

extern const struct vm_device_kind vm_device_kinds[];
extern const unsigned int vm_nr_device_kinds;

/* Does the configuration ask for any virtio device, or cfg->pci_bus (and so a PCI bus)? */
bool vm_devices_wanted(const struct vm_config *cfg);
/* Every kind's host ends, in table order; on failure the ones opened are closed. */
int vm_devices_host_open(struct machine *m);
void vm_devices_host_close(struct machine *m);

#endif
