// SPDX-License-Identifier: GPL-2.0-only
/*
 * What every sandboxed thread may do, whatever its type: glibc's thread
 * machinery, the allocator, a log line, dying.  Every filter starts with
 * these rows; keep it short -- a call that only some threads make belongs
 * to their tables.
 */
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/ioctl.h>

#include "sandbox/table.h"

static const struct sandbox_rule rules[] = {
	SB(futex, "mutexes and condition variables (pthread); thread join"),
	SB(exit, "a thread ends (its pthread_join() wakes on the futex)"),
	SB(exit_group, "the process ends, also from the SIGSYS report"),
	SB(rt_sigreturn, "return from a signal handler (the vCPU kick)"),
	SB(restart_syscall, "a call interrupted by a signal goes on"),
	SB(rt_sigprocmask, "glibc blocks signals while a thread ends"),
	SB_MASK(mmap, 2, PROT_EXEC, 0,
		"the allocator's arenas and large blocks; never executable memory"),
	SB_MASK(mprotect, 2, PROT_EXEC, 0,
		"an arena grows (PROT_READ|PROT_WRITE); never executable"),
	SB(munmap, "the allocator gives memory back"),
	SB(mremap, "realloc() of a large block"),
	SB_ARG(madvise, 2, MADV_DONTNEED,
	       "the allocator trims; glibc drops an ended thread's stack"),
	SB(brk, "the allocator's main arena"),
	SB(write, "log lines on stderr, the SIGSYS report"),
	SB(getpid, "glibc's pthread_kill() and raise()"),
	SB(gettid, "glibc's pthread_kill() and raise()"),
	SB(clock_gettime, "clocks the vDSO cannot read (timeouts, timestamps)"),
	SB_ARG2(ioctl, 0, 0, 1, TCSETS,
		"the terminal's settings back when cvmm ends (tcsetattr() on fd 0)"),
	SB_ARG2(ioctl, 0, 0, 1, TCGETS, "... which reads them back"),
};

const struct sandbox_table sandbox_table_common = {
	.name = "common",
	.threads = "every thread",
	.rules = rules,
	.nr_rules = ARRAY_SIZE(rules),
};
