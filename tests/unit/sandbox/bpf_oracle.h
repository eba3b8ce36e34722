/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_SANDBOX_BPF_ORACLE_H
#define CVMM_TESTS_SANDBOX_BPF_ORACLE_H

/*
 * What the sandbox-bpf tests hold a seccomp program to: a classic-BPF
 * interpreter with the kernel's semantics, the kernel's load-time checks
 * (bpf_check_classic() and seccomp_check_filter()), the kernel itself (the
 * program loaded in a forked child), what a list of rows means read
 * directly (no BPF), and libseccomp's program for the same rows.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "sandbox/table.h"

/* The answer of @f for @d; fails the test on an opcode it lacks or a run off the end. */
uint32_t oracle_run(const struct sock_fprog *f, const struct seccomp_data *d);

/*
 * The kernel's checks at load time, for the opcodes seccomp accepts: NULL if
 * @f passes them, else what is wrong ("jt out of range at 12").
 */
const char *oracle_check(const struct sock_fprog *f);

/* seccomp(SET_MODE_FILTER) of @f in a forked child: 0 or -errno. */
int oracle_load(const struct sock_fprog *f);

/*
 * The answer @rows (SANDBOX_VAL_* put in) give for @d, the default trapping
 * or (@log) logging: foreign ABIs killed, the x32 numbers too (not -1).
 */
uint32_t oracle_spec(const struct sandbox_rule *const *rows, unsigned int n, bool log,
		     const struct seccomp_data *d);

/*
 * libseccomp's program for @rows (its default trapping or logging, a foreign
 * ABI killing the process), or a zero length if libseccomp refuses a row.
 * @filter is malloc()ed.
 */
struct sock_fprog oracle_libseccomp(const struct sandbox_rule *const *rows, unsigned int n,
				    bool log);

/* The tests' inputs: a xorshift64 step of *@state (seeded non-zero). */
uint64_t oracle_rnd(uint64_t *state);

#endif
