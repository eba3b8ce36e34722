/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_MACHINE_SANDBOX_H
#define CVMM_MACHINE_MACHINE_SANDBOX_H

#include <stdbool.h>

#include "machine/machine.h"

/*
 * The machine's side of the sandbox (src/sandbox, docs/sandbox.md): which
 * filters a run needs, and the lock after set-up with the paths the
 * machine was given.
 */

/*
 * Compile the filters for @cfg (NULL: no VM yet) and whether a control
 * API drives the machine; before any thread starts.  0 or -errno (said).
 */
int machine_sandbox_arm(const struct vm_config *cfg, bool api);

/*
 * Lock the main thread after set-up (sandbox_lock()): what lazily opens
 * files is done first, then the jail, Landlock on @m's paths, the
 * privilege drop and the main filter.  Idempotent.  0 or -errno (said).
 */
int machine_sandbox_lock(struct machine *m, bool api);

/*
 * Open the taps of --net tap=NAME once (creating them needs CAP_NET_ADMIN,
 * which the sandbox then drops): each boot's device gets a dup, so taps
 * cvmm created live as long as the machine, across resets.  0 or -errno
 * (said, as the option).
 */
int machine_open_taps(struct machine *m);

#endif
