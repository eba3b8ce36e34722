/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_FAULT_H
#define CVMM_BROKER_FAULT_H

/*
 * Test-only crash injection, for the "kill -9 at every step" tests of
 * put-secret and rotate-kek.  fault_point("name") kills the process with
 * SIGKILL when the environment variable CVMM_BROKER_TEST_FAULT is exactly
 * "name" or "name:N" (the N-th time, counting from 1).  The variable has
 * no other effect; `serve` prints a warning on start when it is set.
 * Points: put-secret.sealed, store.put.before-commit, store.put.committed,
 * rotate-kek.new-kek-written, store.rewrap.row (once per row),
 * store.rewrap.before-commit, rotate-kek.committed, rotate-kek.renamed.
 */
#include <stdbool.h>

void fault_point(const char *name);
/* Is fault injection armed (for the start-up warning)? */
bool fault_armed(void);

#endif
