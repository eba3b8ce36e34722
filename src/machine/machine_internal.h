/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_MACHINE_INTERNAL_H
#define CVMM_MACHINE_MACHINE_INTERNAL_H

#include "machine/machine.h"
#include "machine/vm.h"

/*
 * Shared by machine.c (the main thread's loop, boots) and control.c (the
 * control API's channel and lifecycle commands).
 */

/* Images, inputs, host ends, KVM or the simulator, console: once per machine. */
int machine_setup(struct machine *m);
/* Undo machine_setup() (idempotent). */
void machine_release(struct machine *m);
/* Build and start one boot's VM (m->vm); prints why not. */
int machine_vm_start(struct machine *m);
/* Stop and tear down m->vm (if any); its outcome, status and message into *@out (optional). */
void machine_vm_end(struct machine *m, struct vm *out);
/* A signal: the machine ends with 128 + @sig. */
void machine_stop_signal(struct machine *m, int sig);

/* The channel (control.c) */
int machine_ctl_open(struct machine *m);
/* The eventfd the main loop watches. */
int machine_ctl_fd(const struct machine_ctl *ctl);
/* Run the pending command (main thread). */
void machine_ctl_serve(struct machine *m);
/* No more commands: a waiting caller gets -ESHUTDOWN. */
void machine_ctl_close(struct machine_ctl *ctl);
void machine_ctl_free(struct machine_ctl *ctl);

#endif
