/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SANDBOX_SANDBOX_H
#define CVMM_SANDBOX_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "sandbox/table.h"
#include "util/args.h"

/*
 * The VMM's sandbox (docs/sandbox.md): once a VM is set up, each thread
 * runs under a seccomp filter of its own (one allow-list per thread type,
 * src/sandbox/table_*.c), the process reaches only the paths it was given
 * (Landlock), holds no capability it does not need, may run as another
 * user (--user) and, with --jail, sees a file system holding only
 * those paths.
 *
 * The life of a sandboxed cvmm:
 *   sandbox_opt_apply()   cli/boot.c, cli/api.c: --seccomp, --landlock,
 *                         --user, --jail; sandbox_enable()
 *   sandbox_arm()         before the first thread starts: the filters are
 *                         compiled, the SIGSYS report installed
 *   set-up                images read, devices and sockets opened, KVM
 *   sandbox_lock()        the main thread, after set-up and before the
 *                         guest runs: jail, Landlock, privileges, its filter
 *   sandbox_thread_enter() every other thread, first thing: its filter
 *
 * Threads inherit their creator's filter and add their own (the kernel
 * runs both; the stricter answer wins), so the main thread's filter -- the
 * rights it keeps to rebuild the VM on a reset -- is its own table plus
 * every thread type's: a thread is confined to the intersection, its own
 * table.
 *
 * A new thread type: one file src/sandbox/table_<name>.c with its rules
 * and SANDBOX_TABLE(), and one call sandbox_thread_enter(&sandbox_table_<name>)
 * at the start of the thread, before it handles anything from outside.
 */

/* cvmm's exit status when a thread makes a system call its filter forbids. */
#define SANDBOX_EXIT_STATUS	38

enum sandbox_seccomp {
	SANDBOX_SECCOMP_ON,		/* a violation ends cvmm (SIGSYS, status 38) */
	SANDBOX_SECCOMP_LOG,		/* the kernel logs it (audit/dmesg), the call proceeds */
	SANDBOX_SECCOMP_OFF,
};

struct sandbox_opts {
	bool enabled;			/* a VMM command of the cvmm binary (sandbox_enable()):
					 * a library caller (a unit test's machine_run()) is not
					 * sandboxed */
	enum sandbox_seccomp seccomp;
	bool landlock;			/* --landlock on (default) */
	bool landlock_set;		/* given on the command line */
	bool have_user;			/* --user UID:GID */
	uid_t uid;
	gid_t gid;
	bool jail;			/* --jail: a mount namespace with only the given paths */
};

/* The options of this process (main.c fills them; defaults: on, on, no user). */
extern struct sandbox_opts sandbox_opts;

/* The option ids of the sandbox's rows (util/args.h), apart from the commands' own. */
enum {
	SANDBOX_OPT_SECCOMP = 0x300,
	SANDBOX_OPT_LANDLOCK,
	SANDBOX_OPT_USER,
	SANDBOX_OPT_JAIL,
	SANDBOX_OPT_LAST = SANDBOX_OPT_JAIL,
};

/* --seccomp, --landlock, --user: the VMM commands' (boot, api) "sandbox options" */
extern const struct arg_opt sandbox_arg_opts[];
/* --jail: boot's only (an API's VMs name their files after set-up) */
extern const struct arg_opt sandbox_jail_opts[];

/*
 * Apply one of those options (@id SANDBOX_OPT_*) with @value: 0, or
 * -EINVAL after one line ("cvmm boot: --seccomp: 'x': expected on, log or
 * off"; --user UID:GID takes numbers or names from the user and group
 * databases).
 */
int sandbox_opt_apply(int id, const char *value);
/*
 * This process is a VMM command of the cvmm binary: sandbox it.  A
 * library caller (a unit test's machine_run()) that does not call this
 * is left alone.
 */
void sandbox_enable(void);

/*
 * Compile the filters of the thread types a run that needs @needs
 * (SANDBOX_NEED_*) has -- main's, and each table whose needs it meets --
 * and install the SIGSYS report: before any thread starts.  A thread of
 * another type cannot enter its filter (cvmm ends, status 1).
 * Does nothing with --seccomp off.  0, or -errno after one line.
 */
int sandbox_arm(uint32_t needs);
/* True once sandbox_arm() compiled the filters (seccomp on or log). */
bool sandbox_armed(void);

/*
 * The calling thread's filter, @t's, on top of what it inherited; the
 * thread's name (set before) labels it in the SIGSYS report.  A filter
 * that cannot be installed ends cvmm (status 1): no thread runs unfiltered
 * by accident; so does, in the first thread, a glibc arena warm-up that
 * could not make an arena trim (malloc settings under which a later trim
 * would meet the filter; one line, docs/sandbox.md).  A no-op unless armed.
 */
void sandbox_thread_enter(const struct sandbox_table *t);

/* What the main thread locks itself into, after set-up (sandbox_lock()). */
enum sandbox_access {
	SANDBOX_READ = 1u << 0,		/* read this file (an image, an input) */
	SANDBOX_WRITE = 1u << 1,	/* write it (a writable disk image) */
	SANDBOX_DEVICE = 1u << 2,	/* open this device node, use its ioctls (/dev/sev) */
	SANDBOX_CONNECT = 1u << 3,	/* connect to this UNIX socket (the TDX QGS) */
	SANDBOX_SOCKETS_NEXT = 1u << 4,	/* connect to and remove the sockets in this
					 * path's directory (vsock: PATH_<port>) */
	SANDBOX_REMOVE = 1u << 5,	/* remove this file at exit (a socket cvmm made) */
	SANDBOX_LIST = 1u << 6,		/* list this directory (/proc/self/fd) */
};

/* Rights on a path's directory rather than on the path itself. */
#define SANDBOX_ON_PARENT	(SANDBOX_SOCKETS_NEXT | SANDBOX_REMOVE)

struct sandbox_path {
	const char *path;
	unsigned int access;		/* SANDBOX_* */
};

/* Called in the SIGSYS report before cvmm ends: async-signal-safe only. */
typedef void (*sandbox_exit_hook)(void);

struct sandbox_lock_params {
	const struct sandbox_path *paths;
	unsigned int nr_paths;
	/* (a path that does not exist is granted nothing) */
	bool keep_ipc_lock;		/* SEV pins guest RAM at each boot (RLIMIT_MEMLOCK) */
	bool api;			/* a control API may add paths: Landlock only if asked */
	sandbox_exit_hook on_violation;	/* e.g. the terminal's settings back */
};

/*
 * The main thread, after set-up and before the guest runs (once per
 * process; later calls do nothing): the jail, Landlock on @p's paths,
 * the capability and user drop, no_new_privs, the main filter.  0, or
 * -errno after one line "cvmm: sandbox: ..." (the caller stops: cvmm does
 * not run a guest less confined than asked).
 */
int sandbox_lock(const struct sandbox_lock_params *p);
/*
 * A path the process holds that the machine does not know of (the API's
 * socket), added to every later sandbox_lock().  0 or -ENOMEM/-E2BIG.
 */
int sandbox_add_path(const char *path, unsigned int access);
bool sandbox_locked(void);

/* The Landlock ABI this kernel offers (0: none), for messages and tests. */
int sandbox_landlock_abi(void);

#endif
