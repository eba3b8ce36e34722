/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SANDBOX_SANDBOX_INTERNAL_H
#define CVMM_SANDBOX_SANDBOX_INTERNAL_H

#include <linux/filter.h>
#include <stddef.h>

#include "sandbox/sandbox.h"
#include "util/err.h"

/* filter.c: a table set compiled to classic BPF (bpf.c). */
struct sandbox_prog {
	const struct sandbox_table *table;	/* the thread type (sandbox_table_main for main) */
	struct sock_fprog fprog;
};

/*
 * Compile common + @t (+ every registered table when @t is the main one)
 * for a run that needs @needs; refused calls trap (SIGSYS) or, with @log,
 * are logged and allowed.  0 or -errno (reason in @why).
 */
int sandbox_filter_compile(const struct sandbox_table *t, uint32_t needs, bool log,
			   struct sandbox_prog *out, struct err_msg *why);
void sandbox_filter_free(struct sandbox_prog *p);
/*
 * bpf.c: the program that allows @rows (sorted here by call number) and
 * traps -- or, with @log, logs -- everything else; a foreign ABI kills the
 * process.  0, -EINVAL (a row with a call number outside 0..0x3fffffff,
 * more than SANDBOX_MAX_ARGS arguments, an argument past args[5] or an
 * errno outside 0..4095; rows of one call with different actions), -E2BIG
 * (longer than BPF_MAXINSNS) or -ENOMEM; on an error @out is empty.
 * @out->filter is malloc()ed.
 */
int sandbox_bpf_build(const struct sandbox_rule **rows, unsigned int n, bool log,
		      struct sock_fprog *out);
/* no_new_privs, then the filter on the calling thread: 0 or -errno. */
int sandbox_filter_load(const struct sandbox_prog *p);
/* Does a run that needs @needs have threads of type @t? */
bool sandbox_table_applies(const struct sandbox_table *t, uint32_t needs);
/* Does @r apply to a run that needs @needs? */
bool sandbox_rule_applies(const struct sandbox_rule *r, uint32_t needs);
/* @r's argument value, with SANDBOX_VAL_* put in. */
uint64_t sandbox_arg_value(const struct sandbox_arg *a);

/* sigsys.c: the report of a refused call. */
int sandbox_sigsys_install(sandbox_exit_hook hook);
void sandbox_sigsys_set_hook(sandbox_exit_hook hook);
/* The calling thread's label in the report ("vcpu0"). */
void sandbox_sigsys_label(const char *label);
/* The name of system call @nr (syscall_names.c), or NULL. */
const char *sandbox_syscall_name(int nr);

/* landlock.c */
int sandbox_landlock_apply(const struct sandbox_lock_params *p, int abi);

/* privs.c: user, groups, capabilities (the bounding set too) */
int sandbox_privs_drop(const struct sandbox_opts *o, bool keep_ipc_lock);

/* jail.c: a mount namespace whose root holds only @p's paths (and the cwd) */
int sandbox_jail_enter(const struct sandbox_lock_params *p);

/* The test build's probe (tests/sandbox): run in each thread after its filter. */
extern void (*sandbox_probe_hook)(const struct sandbox_table *t, uint32_t needs);

#endif
