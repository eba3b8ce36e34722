/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_MACHINE_H
#define CVMM_MACHINE_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include "devices/cmos.h"
#include "devices/virtio/blk_image.h"
#include "devices/virtio/vsock_listener.h"
#include "kvm/kvm.h"
#include "machine/config.h"
#include "machine/console.h"

/*
 * The machine outlives guest resets: it owns the KVM system handle, the
 * pristine copies of every input read at start (images, --fw-cfg files,
 * the SNP ID block; reloaded into each new VM), the console, the CMOS RAM
 * and the host ends of devices (locked disk images, the vsock socket).
 */
struct machine_file {
	uint8_t *data;
	size_t len;
};

struct machine {
	const struct vm_config *cfg;
	struct kvm_sys kvm;
	struct console console;
	struct cmos cmos;
	int debugcon_fd;
	/* host ends of devices, held across resets (locks, sockets) */
	struct blk_image disks[CONFIG_MAX_BLK];
	unsigned int nr_disks;
	struct vsock_listener vsock;

	/* pristine images, read once */
	uint8_t *kernel;
	size_t kernel_len;
	uint8_t *initrd;
	size_t initrd_len;
	uint8_t *firmware;
	size_t firmware_len;
	const char *cmdline;
	bool builtin;			/* booting the built-in guest */
	/* --fw-cfg file= contents by item (data NULL for string=) */
	struct machine_file *fw_cfg_files;
	/* --coco snp,id-block=,id-auth= (both or neither) */
	uint8_t *id_block, *id_auth;
	/* --coco certs=, platform=sim: what outlives a boot (machine/coco.h) */
	struct machine_coco *coco;

	unsigned int boots;		/* how many times the VM was built */
};

/*
 * Read the files every boot uses besides the images (--fw-cfg file=, the
 * SNP ID block and auth) into @m, once: a reboot uses these copies, never
 * the files again.  Prints one line on failure.  machine_run() calls it;
 * so do tests that build a machine by hand.  machine_free_inputs() undoes
 * it (idempotent).
 */
int machine_read_inputs(struct machine *m);
void machine_free_inputs(struct machine *m);

/* Run the machine described by @cfg until it stops; returns the exit status. */
int machine_run(const struct vm_config *cfg);

#endif
