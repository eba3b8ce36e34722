/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SANDBOX_TABLE_H
#define CVMM_SANDBOX_TABLE_H

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "util/compiler.h"

/*
 * A seccomp allow-list: one table per thread type, in its own file
 * (src/sandbox/table_<name>.c), one row per system call -- or per
 * permitted argument value -- with the reason it is there.  Everything
 * not listed is refused.  x86-64 only (cvmm is), so rows name system
 * calls by their __NR_ numbers.
 *
 * A row may depend on what the run needs (SANDBOX_NEED_*): a VM without a
 * vsock device gives its event loops no socket(); with a control API every
 * need is assumed, as devices come and go while it runs.
 */
enum sandbox_need {
	SANDBOX_NEED_BLK = 1u << 0,	/* virtio-blk: image I/O on the device's loop */
	SANDBOX_NEED_NET = 1u << 1,	/* virtio-net: tap I/O */
	SANDBOX_NEED_VSOCK = 1u << 2,	/* virtio-vsock: AF_UNIX connections */
	SANDBOX_NEED_RNG = 1u << 3,	/* virtio-rng: getrandom() */
	SANDBOX_NEED_QGS = 1u << 4,	/* TDX GetQuote: the vCPU talks to the QGS socket */
	SANDBOX_NEED_API = 1u << 5,	/* a control API: files opened and taps made after set-up */
	SANDBOX_NEED_SIM = 1u << 6,	/* the simulated platform (--dry-run, platform=sim) */
	SANDBOX_NEED_DEVICES = 1u << 7,	/* virtio devices, so their event loops */
	/* a vsock port served in-process (platform=sim with vsock): socketpair + a worker */
	SANDBOX_NEED_VSOCK_SERVICE = 1u << 8,
	SANDBOX_NEED_ALL = (1u << 9) - 1,
};

/*
 * Values known only at run time, put in when a filter is compiled: this
 * process's id; SIGRTMIN (glibc's first free real-time signal, the vCPU
 * kick).
 */
#define SANDBOX_VAL_PID		0x5b5b5b5b00000001ULL
#define SANDBOX_VAL_SIGRTMIN	0x5b5b5b5b00000002ULL

/* (argument @idx & @mask) == @value */
struct sandbox_arg {
	uint8_t idx;
	uint64_t mask;
	uint64_t value;
};

#define SANDBOX_MAX_ARGS	2

struct sandbox_rule {
	int nr;				/* __NR_<name> */
	uint32_t needs;			/* 0: always; else when the run needs one of them */
	uint8_t nr_args;
	struct sandbox_arg args[SANDBOX_MAX_ARGS];
	int err;			/* 0: allowed; else it fails with this errno, untrapped */
	const char *why;
};

struct sandbox_table {
	const char *name;		/* "vcpu": the type in messages and tests */
	const char *threads;		/* which threads: "vCPU threads (vcpuN)" */
	uint32_t needs;			/* 0: every run has such threads; else only these runs */
	const struct sandbox_rule *rules;
	unsigned int nr_rules;
};

/* A system call, any arguments. */
#define SB(name, w)			{ .nr = __NR_##name, .why = (w) }
/* ... only when the run needs @need. */
#define SB_IF(need, name, w)		{ .nr = __NR_##name, .needs = (need), .why = (w) }
/* ... with argument @i equal to @v. */
#define SB_ARG(name, i, v, w) \
	{ .nr = __NR_##name, .nr_args = 1, .args = { { (i), ~0ULL, (uint64_t)(v) } }, .why = (w) }
#define SB_ARG_IF(need, name, i, v, w) \
	{ .nr = __NR_##name, .needs = (need), .nr_args = 1, \
	  .args = { { (i), ~0ULL, (uint64_t)(v) } }, .why = (w) }
/* ... with (argument @i & @m) == @v: e.g. no PROT_EXEC bit. */
#define SB_MASK(name, i, m, v, w) \
	{ .nr = __NR_##name, .nr_args = 1, .args = { { (i), (uint64_t)(m), (uint64_t)(v) } }, \
	  .why = (w) }
/* ... with two arguments fixed. */
#define SB_ARG2(name, i, v, j, u, w) \
	{ .nr = __NR_##name, .nr_args = 2, \
	  .args = { { (i), ~0ULL, (uint64_t)(v) }, { (j), ~0ULL, (uint64_t)(u) } }, .why = (w) }
#define SB_MASK_IF(need, name, i, m, v, w) \
	{ .nr = __NR_##name, .needs = (need), .nr_args = 1, \
	  .args = { { (i), (uint64_t)(m), (uint64_t)(v) } }, .why = (w) }
/*
 * A call that fails with @e instead of trapping: glibc then takes a call
 * a filter can check (clone3()'s flags are in memory, out of its sight).
 */
#define SB_ERRNO_IF(need, name, e, w) \
	{ .nr = __NR_##name, .needs = (need), .err = (e), .why = (w) }
#define SB_ERRNO(name, e, w)		SB_ERRNO_IF(0, name, e, w)
/*
 * clone() of a thread of this process, as pthread_create() makes it (after
 * clone3() said ENOSYS): CLONE_THREAD, no new namespace -- never a new
 * process, nor a user namespace.
 */
#define SB_CLONE_FLAGS_MASK \
	(CLONE_THREAD | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)
#define SB_THREAD_IF(need, w_clone3, w_clone) \
	SB_ERRNO_IF(need, clone3, ENOSYS, w_clone3), \
	SB_MASK_IF(need, clone, 0, SB_CLONE_FLAGS_MASK, CLONE_THREAD, w_clone)
/*
 * ioctl() with request @req: the kernel reads the request as 32 bits, so
 * only those are compared.
 */
#define SB_IOCTL(req, w) \
	{ .nr = __NR_ioctl, .nr_args = 1, .args = { { 1, 0xffffffffULL, (uint64_t)(req) } }, \
	  .why = (w) }
#define SB_IOCTL_IF(need, req, w) \
	{ .nr = __NR_ioctl, .needs = (need), .nr_args = 1, \
	  .args = { { 1, 0xffffffffULL, (uint64_t)(req) } }, .why = (w) }

/*
 * Define sandbox_table_<id> from the array @rules and register it as a
 * thread type: the main thread's filter adds every registered table (its
 * children inherit it).  A table is registered when its file is linked,
 * that is when some thread start refers to it.
 */
#define SANDBOX_TABLE(id, nm, thr, rules_) SANDBOX_TABLE_IF(id, 0, nm, thr, rules_)
/* ... for a thread type that only runs that need @need have (so only theirs add it to main's) */
#define SANDBOX_TABLE_IF(id, need, nm, thr, rules_) \
	const struct sandbox_table sandbox_table_##id = { \
		.name = (nm), .threads = (thr), .needs = (need), .rules = (rules_), \
		.nr_rules = ARRAY_SIZE(rules_), \
	}; \
	static const struct sandbox_table *const sandbox_reg_##id \
	__attribute__((used, section("sandbox_tables"))) = &sandbox_table_##id

/* What every thread may do (glibc, the allocator, logging, dying): table_common.c. */
extern const struct sandbox_table sandbox_table_common;
/* The main thread's own rows (table_main.c); its filter adds every thread type's. */
extern const struct sandbox_table sandbox_table_main;
extern const struct sandbox_table sandbox_table_vcpu;
extern const struct sandbox_table sandbox_table_evloop;
extern const struct sandbox_table sandbox_table_api;

/* The registered thread types (every table but common and main), for the main filter and tests. */
unsigned int sandbox_nr_tables(void);
const struct sandbox_table *sandbox_table_at(unsigned int i);
/* A registered thread type (or "main", "common") by name, or NULL. */
const struct sandbox_table *sandbox_table_find(const char *name);

#endif
