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
#include "machine/vcpu.h"

/*
 * The machine outlives guest resets: it owns the KVM system handle, the
 * pristine copies of every input read at start (images, --fw-cfg files,
 * the SNP ID block; reloaded into each new VM), the console, the CMOS RAM
 * and the host ends of devices (locked disk images, the vsock socket).
 *
 * Its main thread waits for signals, console input, the VM's stop event
 * and, with a control API, the API's commands (struct machine_ctl), which
 * it runs one at a time between the other events.
 */
struct machine_file {
	uint8_t *data;
	size_t len;
};

enum machine_state {
	MACHINE_EMPTY,			/* no VM described yet (cvmm api; after vm.delete) */
	MACHINE_CREATED,		/* described, not booted */
	MACHINE_RUNNING,
	MACHINE_PAUSED,
	MACHINE_SHUTDOWN,		/* booted, then shut down through the API */
};

struct vm;
struct machine_ctl;

struct igvm_boot;

struct machine {
	const struct vm_config *cfg;
	struct vm_config *cfg_rw;	/* the same, writable: the API adds devices to it */
	bool cfg_owned;			/* config_free()d and freed with the machine */
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
	struct igvm_boot *igvm;		/* --igvm (machine/igvm_boot.h); firmware = its ROM */
	const char *cmdline;
	bool builtin;			/* booting the built-in guest */
	/* --fw-cfg file= contents by item (data NULL for string=) */
	struct machine_file *fw_cfg_files;
	/* --coco snp,id-block=,id-auth= (both or neither) */
	uint8_t *id_block, *id_auth;
	/* --coco certs=, platform=sim: what outlives a boot (machine/coco.h) */
	struct machine_coco *coco;

	unsigned int boots;		/* how many times the VM was built */

	/* run time */
	enum machine_state state;
	bool set_up;			/* images read, host ends open, KVM open */
	struct vm *vm;			/* the VM of this boot, or NULL */
	struct vcpu_gate gate;		/* pausing the vCPUs */
	int epfd, sigfd;		/* the main thread's wait */
	struct machine_ctl *ctl;	/* the control API's commands, or NULL */
	bool exit_now;			/* leave the main loop with exit_status */
	int exit_status;
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

/*
 * The control API's side (machine/control.c).  A command is a function
 * run on the machine's main thread, between its other events;
 * machine_ctl_call() is called from another thread (the API's) and
 * returns when the command has run: 0, or -ESHUTDOWN when the machine
 * stopped first.
 */
typedef void (*machine_cmd_fn)(struct machine *m, void *arg);
int machine_ctl_call(struct machine_ctl *ctl, machine_cmd_fn fn, void *arg);

struct machine_serve_opts {
	/*
	 * The VM (booted at once with @boot), or NULL: start with none
	 * (cvmm api).  The machine may add devices to it (cfg_rw) and owns
	 * it when @own.
	 */
	struct vm_config *cfg;
	bool own;
	bool boot;
	/* with a control API: started with the channel, stopped before the machine ends */
	int (*ctl_start)(void *opaque, struct machine_ctl *ctl);
	void (*ctl_stop)(void *opaque);
	void *opaque;
};

/* Run until a guest stops it for good, a signal, or the API's vmm.shutdown. */
int machine_serve(const struct machine_serve_opts *o);

/*
 * Lifecycle commands, for the main thread only (inside a machine_cmd_fn).
 * Each returns 0 or -errno; on failure the reason was printed as one
 * "cvmm: <what>: <why>" line (log_capture_begin() keeps it).
 *
 *   machine_create()   EMPTY -> CREATED; the machine takes @cfg
 *   machine_boot()     CREATED or SHUTDOWN -> RUNNING: on the first boot
 *                      the images are read and the host ends opened
 *   machine_pause()    RUNNING -> PAUSED: every vCPU out of KVM_RUN
 *   machine_resume()   PAUSED -> RUNNING
 *   machine_shutdown() RUNNING or PAUSED -> SHUTDOWN: the VM is torn down
 *   machine_reboot()   RUNNING or PAUSED -> RUNNING: torn down and built
 *                      again, as a guest reset does
 *   machine_delete()   any -> EMPTY: the VM, the images, the host ends
 *   machine_exit()     leave the main loop with @status after this command
 *
 * The caller checks the state first (machine->state); the functions
 * return -EBUSY for a state they do not start from.
 */
int machine_create(struct machine *m, struct vm_config *cfg);
int machine_boot(struct machine *m);
int machine_pause(struct machine *m);
int machine_resume(struct machine *m);
int machine_shutdown(struct machine *m);
int machine_reboot(struct machine *m);
void machine_delete(struct machine *m);
void machine_exit(struct machine *m, int status);

/* Device kinds the API adds, in machine/devices.c's table. */
enum machine_dev {
	MACHINE_DEV_BLK,
	MACHINE_DEV_NET,
	MACHINE_DEV_VSOCK,
};

/*
 * Add the device the caller appended last to m->cfg_rw (cfg->blk, ->net or
 * ->vsock) through the device table: its host end when the machine holds
 * them, and onto the running VM's bus with pci_setup_add() (*@devfn is its
 * place; *@hot says it was).  On failure the configuration entry is
 * removed (and freed) again.
 */
int machine_add_device(struct machine *m, enum machine_dev kind, bool *hot, uint8_t *devfn);

#endif
