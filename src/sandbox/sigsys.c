// SPDX-License-Identifier: GPL-2.0-only
/*
 * A refused system call traps (SECCOMP_RET_TRAP): this SIGSYS handler
 * writes one line naming the thread, the call and its first arguments,
 * restores what must be restored (the terminal) and ends cvmm with
 * SANDBOX_EXIT_STATUS.  Async-signal-safe only: write(2), _exit(2), the
 * names in a constant table (syscall_names.c), the thread's label in
 * thread-local storage.  Both calls are in every filter (table_common.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"

static sandbox_exit_hook exit_hook;
static __thread char label[24] __attribute__((tls_model("initial-exec")));

void sandbox_sigsys_label(const char *l)
{
	size_t n = strnlen(l, sizeof(label) - 1);

	memcpy(label, l, n);
	label[n] = '\0';
}

void sandbox_sigsys_set_hook(sandbox_exit_hook hook)
{
	exit_hook = hook;
}

struct line {
	char buf[320];
	size_t len;
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = *s++;
}

static void put_num(struct line *l, unsigned long long v, unsigned int base)
{
	char tmp[24];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v && i < (int)sizeof(tmp));
	if (base == 16)
		put_str(l, "0x");
	while (i && l->len < sizeof(l->buf) - 1)
		l->buf[l->len++] = tmp[--i];
}

static void sigsys_handler(int sig, siginfo_t *si, void *ucv)
{
	const ucontext_t *uc = ucv;
	const greg_t *g = uc->uc_mcontext.gregs;
	const char *name = sandbox_syscall_name(si->si_syscall);
	struct line l = { .len = 0 };
	ssize_t w;

	(void)sig;
	put_str(&l, "cvmm: sandbox: thread ");
	put_str(&l, label[0] ? label : "?");
	put_str(&l, " made a system call its seccomp filter forbids: ");
	put_str(&l, name ? name : "unknown");
	put_str(&l, " (");
	put_num(&l, (unsigned long long)si->si_syscall, 10);
	put_str(&l, ") with ");
	put_num(&l, (unsigned long long)g[REG_RDI], 16);
	put_str(&l, ", ");
	put_num(&l, (unsigned long long)g[REG_RSI], 16);
	put_str(&l, ", ");
	put_num(&l, (unsigned long long)g[REG_RDX], 16);
	put_str(&l, " (docs/sandbox.md)\n");
	w = write(STDERR_FILENO, l.buf, l.len);
	(void)w;
	if (exit_hook)
		exit_hook();
	/* the system call itself: a sanitizer's _exit() runs its leak check here */
	syscall(SYS_exit_group, SANDBOX_EXIT_STATUS);
	_exit(SANDBOX_EXIT_STATUS);
}

int sandbox_sigsys_install(sandbox_exit_hook hook)
{
	struct sigaction sa;

	exit_hook = hook;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = sigsys_handler;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);	/* nothing interrupts the report */
	return sigaction(SIGSYS, &sa, NULL) < 0 ? -errno : 0;
}
