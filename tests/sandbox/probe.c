// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox's test hook, linked only into cvmm-probe (a test build of
 * cvmm: src/main.c plus this file).  With CVMM_SANDBOX_PROBE set, the
 * first thread of the named type to load its filter runs the probe right
 * after, inside the real cvmm (Firecracker's pattern):
 *
 *   TYPE:allowed                 every row its filter allows, called with the
 *                                row's argument values (others -1): none may
 *                                trap; then one line and exit status 0
 *   TYPE:call:NAME[:A0[:A1...]]  one call with those arguments: a refused one
 *                                ends cvmm with status 38 and the SIGSYS line;
 *                                one that returns prints it and exits 0
 *   TYPE:trim                    the thread's malloc arena grown by 2.25 MiB
 *                                in 4 KiB blocks and trimmed: glibc's first
 *                                trim reads /proc/sys/vm/overcommit_memory,
 *                                which no thread's filter allows, unless the
 *                                sandbox's warm-up made it happen before;
 *                                one line and status 0 (3: no trim)
 *
 * TYPE is a table name: main, vcpu, evloop, api.
 */
#include <errno.h>
#include <malloc.h>
#include <seccomp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"

#define MAX_CALL_ARGS	6

static char type[32];
static char action[512];
static atomic_bool fired;

/* exit_group itself: a sanitizer's _exit() would run its leak check under the filter */
static void __attribute__((noreturn)) leave(int status)
{
	syscall(SYS_exit_group, status);
	_exit(status);
}

static void say(const char *s)
{
	ssize_t w = write(STDERR_FILENO, s, strlen(s));

	(void)w;
}

/* Calls the probe must not make: they end the thread or return to nowhere. */
static bool unsafe(int nr)
{
	return nr == __NR_exit || nr == __NR_exit_group || nr == __NR_rt_sigreturn;
}

/* One row's call: its argument values where it has them, -1 elsewhere. */
static void call_row(const struct sandbox_rule *r)
{
	long a[MAX_CALL_ARGS];
	unsigned int i;

	for (i = 0; i < MAX_CALL_ARGS; i++)
		a[i] = -1;
	for (i = 0; i < r->nr_args; i++)
		a[r->args[i].idx] = (long)sandbox_arg_value(&r->args[i]);
	syscall(r->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

static unsigned int call_table(const struct sandbox_table *t, uint32_t needs)
{
	unsigned int i, n = 0;

	for (i = 0; i < t->nr_rules; i++) {
		const struct sandbox_rule *r = &t->rules[i];

		if (!sandbox_rule_applies(r, needs) || unsafe(r->nr))
			continue;
		call_row(r);
		n++;
	}
	return n;
}

static void probe_allowed(const struct sandbox_table *t, uint32_t needs)
{
	char line[160];
	unsigned int i, n;

	n = call_table(&sandbox_table_common, needs) + call_table(t, needs);
	if (t == &sandbox_table_main)
		for (i = 0; i < sandbox_nr_tables(); i++)
			if (!sandbox_table_at(i)->needs || (sandbox_table_at(i)->needs & needs))
				n += call_table(sandbox_table_at(i), needs);
	snprintf(line, sizeof(line), "cvmm: sandbox probe: %s: %u allowed system calls made, "
		 "none refused\n", t->name, n);
	say(line);
	leave(0);
}

static void probe_call(const char *spec)
{
	char buf[sizeof(action)], line[sizeof(action) + 80], *tok, *save = NULL;
	long a[MAX_CALL_ARGS] = { 0 };
	unsigned int n = 0;
	long ret;
	int nr;

	snprintf(buf, sizeof(buf), "%s", spec);
	tok = strtok_r(buf, ":", &save);
	nr = tok ? seccomp_syscall_resolve_name(tok) : -1;
	if (nr < 0) {
		say("cvmm: sandbox probe: no such system call\n");
		leave(2);
	}
	while ((tok = strtok_r(NULL, ":", &save)) && n < MAX_CALL_ARGS)
		a[n++] = (long)strtoull(tok, NULL, 0);
	ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	snprintf(line, sizeof(line), "cvmm: sandbox probe: %s returned %ld (errno %d)\n", spec,
		 ret, ret < 0 ? errno : 0);
	say(line);
	leave(0);
}

static void probe_trim(const struct sandbox_table *t)
{
	enum { BLOCK = 4 << 10, N = 576 };
	char line[160];
	void *p[N];
	size_t grown;
	unsigned int i;
	bool trimmed;

	for (i = 0; i < N; i++)
		p[i] = malloc(BLOCK);
	__asm__ volatile("" : : "r"(p) : "memory");
	grown = mallinfo2().arena;
	for (i = N; i--;)
		free(p[i]);
	trimmed = mallinfo2().arena < grown;
	snprintf(line, sizeof(line), "cvmm: sandbox probe: %s: %s\n", t->name,
		 trimmed ? "its arena trimmed under its filter" : "its arena did not trim");
	say(line);
	leave(trimmed ? 0 : 3);
}

static void probe(const struct sandbox_table *t, uint32_t needs)
{
	if (strcmp(t->name, type) || atomic_exchange(&fired, true))
		return;
	if (!strcmp(action, "allowed"))
		probe_allowed(t, needs);
	else if (!strncmp(action, "call:", 5))
		probe_call(action + 5);
	else if (!strcmp(action, "trim"))
		probe_trim(t);
	say("cvmm: sandbox probe: unknown action\n");
	leave(2);
}

__attribute__((constructor)) static void probe_init(void)
{
	const char *spec = getenv("CVMM_SANDBOX_PROBE");
	const char *colon = spec ? strchr(spec, ':') : NULL;

	if (!colon || (size_t)(colon - spec) >= sizeof(type))
		return;
	memcpy(type, spec, (size_t)(colon - spec));
	snprintf(action, sizeof(action), "%s", colon + 1);
	sandbox_probe_hook = probe;
}
