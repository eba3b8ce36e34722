// SPDX-License-Identifier: GPL-2.0-only
/*
 * The allow-lists and their filters (src/sandbox/table_*.c, filter.c,
 * sigsys.c): every row is a real system call with a reason, every table
 * compiles, and -- in a forked child, Firecracker's pattern -- every row
 * of a thread type's filter can be called with its argument values while
 * a call it lacks, or one of its calls with another argument, dies with
 * SIGSYS.  The main thread's filter allows every thread type's rows (its
 * children inherit it).
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "kvm/uapi.h"
#include "sandbox/sandbox_internal.h"

static const struct sandbox_table *all_tables(unsigned int i)
{
	if (i == 0)
		return &sandbox_table_common;
	if (i == 1)
		return &sandbox_table_main;
	return sandbox_table_at(i - 2);
}

static unsigned int nr_all(void)
{
	return 2 + sandbox_nr_tables();
}

static void test_registered(void **state)
{
	(void)state;
	/* this test links every table: vcpu, evloop, api are registered */
	assert_true(sandbox_nr_tables() >= 3);
	assert_ptr_equal(sandbox_table_find("vcpu"), &sandbox_table_vcpu);
	assert_ptr_equal(sandbox_table_find("evloop"), &sandbox_table_evloop);
	assert_ptr_equal(sandbox_table_find("api"), &sandbox_table_api);
	assert_ptr_equal(sandbox_table_find("main"), &sandbox_table_main);
	assert_null(sandbox_table_find("nosuch"));
}

static void test_rows(void **state)
{
	unsigned int t, i, j;

	(void)state;
	for (t = 0; t < nr_all(); t++) {
		const struct sandbox_table *tb = all_tables(t);

		assert_non_null(tb->name);
		assert_non_null(tb->threads);
		assert_true(tb->nr_rules > 0);
		for (i = 0; i < tb->nr_rules; i++) {
			const struct sandbox_rule *r = &tb->rules[i];
			char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, r->nr);

			/* a real system call, with a reason */
			assert_non_null(name);
			free(name);
			assert_non_null(r->why);
			assert_true(strlen(r->why) > 3);
			assert_true(r->nr_args <= SANDBOX_MAX_ARGS);
			for (j = 0; j < r->nr_args; j++)
				assert_true(r->args[j].idx < 6);
			assert_true((r->needs & ~(uint32_t)SANDBOX_NEED_ALL) == 0);
			/* nothing in any table maps or makes executable memory */
			if (r->nr == __NR_mmap || r->nr == __NR_mprotect) {
				assert_int_equal(r->nr_args, 1);
				assert_int_equal(r->args[0].mask & PROT_EXEC, PROT_EXEC);
				assert_int_equal(r->args[0].value & PROT_EXEC, 0);
			}
			/* a refused-with-errno row: no arguments, a real errno */
			if (r->err)
				assert_true(r->nr_args == 0 && r->err > 0 && r->err < 4096);
			/* clone3 is never allowed: its flags are out of the filter's sight */
			if (r->nr == __NR_clone3)
				assert_int_equal(r->err, ENOSYS);
			/* no thread may start a program */
			assert_int_not_equal(r->nr, __NR_execve);
			assert_int_not_equal(r->nr, __NR_execveat);
		}
	}
}

static void test_compile(void **state)
{
	uint32_t needs[] = { 0, SANDBOX_NEED_ALL, SANDBOX_NEED_BLK | SANDBOX_NEED_VSOCK };
	struct sandbox_prog p;
	struct err_msg why;
	unsigned int t, n;

	(void)state;
	for (n = 0; n < 3; n++) {
		for (t = 1; t < nr_all(); t++) {
			assert_int_equal(sandbox_filter_compile(all_tables(t), needs[n], n == 2, &p, &why),
					 0);
			assert_non_null(p.fprog.filter);
			assert_true(p.fprog.len > 4 && p.fprog.len <= 4096);
			sandbox_filter_free(&p);
		}
	}
}

/* ---- in a child ---- */

/* Run @fn in a child; its wait status. */
static int in_child(void (*fn)(const void *), const void *arg)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		signal(SIGSYS, SIG_DFL);	/* cmocka catches it */
		fn(arg);
		/* exit_group itself: a sanitizer's _exit() runs its leak check, under the filter */
		syscall(SYS_exit_group, 0);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void load(const struct sandbox_table *t, uint32_t needs)
{
	struct sandbox_prog p;
	struct err_msg why;

	if (sandbox_filter_compile(t, needs, false, &p, &why) ||
	    sandbox_filter_load(&p))
		_exit(100);
}

static void call_rows(const struct sandbox_table *t, uint32_t needs)
{
	unsigned int i, k;

	for (i = 0; i < t->nr_rules; i++) {
		const struct sandbox_rule *r = &t->rules[i];
		long a[6] = { -1, -1, -1, -1, -1, -1 };

		if (!sandbox_rule_applies(r, needs) || r->nr == __NR_exit ||
		    r->nr == __NR_exit_group || r->nr == __NR_rt_sigreturn)
			continue;
		for (k = 0; k < r->nr_args; k++)
			a[r->args[k].idx] = (long)sandbox_arg_value(&r->args[k]);
		syscall(r->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

struct probe {
	const struct sandbox_table *filter;	/* loaded */
	const struct sandbox_table *rows;	/* called (NULL: filter's own and common) */
	long nr;				/* or one call: */
	long a[3];
};

static void child_allowed(const void *arg)
{
	const struct probe *p = arg;

	load(p->filter, SANDBOX_NEED_ALL);
	if (p->rows) {
		call_rows(p->rows, SANDBOX_NEED_ALL);
	} else {
		call_rows(&sandbox_table_common, SANDBOX_NEED_ALL);
		call_rows(p->filter, SANDBOX_NEED_ALL);
	}
}

static void child_call(const void *arg)
{
	const struct probe *p = arg;

	load(p->filter, SANDBOX_NEED_ALL);
	syscall(p->nr, p->a[0], p->a[1], p->a[2], -1L, -1L, -1L);
}

static void expect_exit0(int status)
{
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void expect_sigsys(int status)
{
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGSYS);
}

static void test_allowed_rows_work(void **state)
{
	unsigned int t;

	(void)state;
	for (t = 1; t < nr_all(); t++) {
		struct probe p = { .filter = all_tables(t) };

		expect_exit0(in_child(child_allowed, &p));
	}
}

static void test_main_allows_every_type(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < sandbox_nr_tables(); i++) {
		struct probe p = { .filter = &sandbox_table_main, .rows = sandbox_table_at(i) };

		expect_exit0(in_child(child_allowed, &p));
	}
}

static void test_refused(void **state)
{
	const struct probe cases[] = {
		/* calls a type lacks */
		{ &sandbox_table_vcpu, NULL, __NR_openat, { AT_FDCWD, 0, 0 } },
		{ &sandbox_table_vcpu, NULL, __NR_clone3, { 0, 0, 0 } },
		{ &sandbox_table_evloop, NULL, __NR_openat, { AT_FDCWD, 0, 0 } },
		{ &sandbox_table_evloop, NULL, __NR_ioctl, { -1, KVM_RUN, 0 } },
		{ &sandbox_table_api, NULL, __NR_openat, { AT_FDCWD, 0, 0 } },
		{ &sandbox_table_main, NULL, __NR_execve, { 0, 0, 0 } },
		{ &sandbox_table_main, NULL, __NR_ptrace, { 0, 0, 0 } },
		/* allowed calls with a forbidden argument */
		{ &sandbox_table_vcpu, NULL, __NR_ioctl, { -1, KVM_CREATE_VM, 0 } },
		{ &sandbox_table_vcpu, NULL, __NR_ioctl, { -1, KVM_SET_USER_MEMORY_REGION, 0 } },
		{ &sandbox_table_api, NULL, __NR_socket, { AF_INET, SOCK_STREAM, 0 } },
		{ &sandbox_table_api, NULL, __NR_ioctl, { -1, TUNSETIFF, 0 } },
		{ &sandbox_table_evloop, NULL, __NR_socket, { AF_INET, SOCK_DGRAM, 0 } },
		{ &sandbox_table_main, NULL, __NR_mmap, { 0, 4096, PROT_READ | PROT_EXEC } },
		{ &sandbox_table_main, NULL, __NR_mprotect, { 0, 4096, PROT_EXEC } },
		{ &sandbox_table_main, NULL, __NR_ioctl, { -1, TUNSETPERSIST, 0 } },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_sigsys(in_child(child_call, &cases[i]));
	}
}

/* the upper 32 bits of an ioctl request are ignored by the kernel, and so by the filter */
static void test_ioctl_high_bits(void **state)
{
	struct probe p = { &sandbox_table_vcpu, NULL, __NR_ioctl,
			   { -1, (long)(0xffffffff00000000ULL | KVM_RUN), 0 } };

	(void)state;
	expect_exit0(in_child(child_call, &p));
}

/* One call under @filter compiled for a run that needs @needs. */
struct scoped {
	const struct sandbox_table *filter;
	uint32_t needs;
	long nr;
	long a[3];
};

static void child_scoped(const void *arg)
{
	const struct scoped *c = arg;

	load(c->filter, c->needs);
	syscall(c->nr, c->a[0], c->a[1], c->a[2], -1L, -1L, -1L);
}

/*
 * Only a run with an in-process vsock port (platform=sim with vsock) lets
 * its event loops start threads and make socketpairs: a simulated launch
 * without vsock, or any other device's loop, does not.
 */
static void test_evloop_vsock_service_scoped(void **state)
{
	const uint32_t sim_blk = SANDBOX_NEED_SIM | SANDBOX_NEED_DEVICES | SANDBOX_NEED_BLK;
	const uint32_t sim_vsock = SANDBOX_NEED_SIM | SANDBOX_NEED_DEVICES | SANDBOX_NEED_VSOCK |
				   SANDBOX_NEED_VSOCK_SERVICE;
	const struct scoped refused[] = {
		{ &sandbox_table_evloop, sim_blk, __NR_clone3, { 0, 0, 0 } },
		{ &sandbox_table_evloop, sim_blk, __NR_socketpair, { AF_UNIX, SOCK_STREAM, 0 } },
		{ &sandbox_table_evloop, sim_blk, __NR_fcntl, { 0, F_SETFL, 0 } },
		{ &sandbox_table_evloop, SANDBOX_NEED_SIM | SANDBOX_NEED_DEVICES |
					 SANDBOX_NEED_VSOCK, __NR_clone3, { 0, 0, 0 } },
	};
	const struct scoped allowed[] = {
		{ &sandbox_table_evloop, sim_vsock, __NR_clone3, { 0, 0, 0 } },
		{ &sandbox_table_evloop, sim_vsock, __NR_socketpair, { AF_UNIX, SOCK_STREAM, 0 } },
		{ &sandbox_table_evloop, sim_vsock, __NR_fcntl, { -1, F_SETFL, 0 } },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		expect_sigsys(in_child(child_scoped, &refused[i]));
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		expect_exit0(in_child(child_scoped, &allowed[i]));
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* Under @arg's filter: clone3() fails with ENOSYS, and pthread_create() still works. */
static void child_thread(const void *arg)
{
	static int token;
	pthread_t t;
	void *ret = NULL;
	long r;

#ifndef __SANITIZE_ADDRESS__
	/* glibc's once-per-process work at the first thread, as sandbox_arm() warms it up */
	if (pthread_create(&t, NULL, thread_fn, &token) || pthread_join(t, &ret))
		_exit(3);
#endif
	load(arg, SANDBOX_NEED_ALL);
	errno = 0;
	r = syscall(__NR_clone3, NULL, 0L);
	if (r != -1 || errno != ENOSYS)
		_exit(1);
#ifndef __SANITIZE_ADDRESS__	/* ASan's thread start makes calls no table lists */
	if (pthread_create(&t, NULL, thread_fn, &token) || pthread_join(t, &ret) || ret != &token)
		_exit(2);
#else
	(void)t;
	(void)ret;
	(void)token;
	(void)thread_fn;
#endif
}

/*
 * clone3()'s flags are out of a filter's sight: it says ENOSYS, and glibc's
 * pthread_create() falls back to clone(), allowed only for a thread of this
 * process -- a new process or namespace traps.
 */
static void test_threads_only(void **state)
{
	const struct probe refused[] = {
		{ &sandbox_table_main, NULL, __NR_clone, { SIGCHLD, 0, 0 } },	/* fork() */
		{ &sandbox_table_main, NULL, __NR_clone,
		  { CLONE_THREAD | CLONE_SIGHAND | CLONE_VM | CLONE_NEWNS, 0, 0 } },
		{ &sandbox_table_main, NULL, __NR_clone, { CLONE_NEWUSER | SIGCHLD, 0, 0 } },
		{ &sandbox_table_evloop, NULL, __NR_clone, { SIGCHLD, 0, 0 } },
		{ &sandbox_table_vcpu, NULL, __NR_clone,
		  { CLONE_THREAD | CLONE_SIGHAND | CLONE_VM, 0, 0 } },
	};
	unsigned int i;

	(void)state;
	expect_exit0(in_child(child_thread, &sandbox_table_main));
	expect_exit0(in_child(child_thread, &sandbox_table_evloop));
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		expect_sigsys(in_child(child_call, &refused[i]));
}

/* ---- the report ---- */

static void child_report(const void *arg)
{
	(void)arg;
	if (sandbox_sigsys_install(NULL))
		_exit(101);
	sandbox_sigsys_label("vcpu7");
	load(&sandbox_table_vcpu, 0);
	syscall(__NR_openat, (long)AT_FDCWD, 0x1234L, 0L);
	_exit(102);	/* not reached */
}

static void test_report(void **state)
{
	int fds[2], status, saved;
	char buf[512] = "";
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	status = in_child(child_report, NULL);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	assert_true(n > 0);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), SANDBOX_EXIT_STATUS);
	assert_non_null(strstr(buf, "cvmm: sandbox: thread vcpu7 made a system call its seccomp "
				    "filter forbids: openat (257) with 0xffffffffffffff9c, 0x1234, 0x0 "
				    "(docs/sandbox.md)\n"));
	assert_non_null(strchr(buf, '\n'));
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1);	/* one line */
}

struct armed {
	uint32_t needs;				/* the run's */
	const struct sandbox_table *enter;	/* the thread type that enters */
};

/* Armed for a run that needs @needs, a thread of @enter's type enters its filter. */
static void child_armed(const void *arg)
{
	const struct armed *a = arg;

	sandbox_enable();
	sandbox_opts.seccomp = SANDBOX_SECCOMP_ON;
	if (sandbox_arm(a->needs) || !sandbox_armed())
		_exit(100);
	sandbox_thread_enter(a->enter);	/* exit(1) if it has no filter */
	/* filtered: what the type may not do traps */
	syscall(__NR_openat, AT_FDCWD, "/", O_RDONLY, 0, 0, 0);
	_exit(99);
}

/* sandbox_arm() compiles the filters of the thread types the run has, no others. */
static void test_arm_types_of_run(void **state)
{
	const struct armed plain_vcpu = { 0, &sandbox_table_vcpu };
	const struct armed plain_loop = { 0, &sandbox_table_evloop };
	const struct armed plain_api = { SANDBOX_NEED_DEVICES, &sandbox_table_api };
	const struct armed dev_loop = { SANDBOX_NEED_DEVICES, &sandbox_table_evloop };
	const struct armed api = { SANDBOX_NEED_ALL, &sandbox_table_api };
	int st;

	(void)state;
	st = in_child(child_armed, &plain_vcpu);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), SANDBOX_EXIT_STATUS);	/* the report's status */
	st = in_child(child_armed, &dev_loop);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), SANDBOX_EXIT_STATUS);
	st = in_child(child_armed, &api);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), SANDBOX_EXIT_STATUS);
	/* no filter compiled for a type the run does not have: cvmm ends, status 1 */
	st = in_child(child_armed, &plain_loop);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
	st = in_child(child_armed, &plain_api);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);
}

/*
 * A thread that grows its arena by 2.25 MiB and gives it back, twice:
 * glibc trims it, under the thread's filter.  In 4 KiB blocks, under
 * every mmap threshold the tests set (a mapped block would not grow the
 * arena, and the test would prove nothing): whether the arenas shrank.
 */
static void *trimming_thread(void *arg)
{
	enum { BLOCK = 4 << 10, N = 576 };
	unsigned int k, i;
	bool trimmed = true;

	(void)arg;
	sandbox_thread_enter(&sandbox_table_vcpu);
	for (k = 0; k < 2; k++) {
		void *p[N];
		size_t grown;

		for (i = 0; i < N; i++)
			p[i] = malloc(BLOCK);
		__asm__ volatile("" : : "r"(p) : "memory");
		grown = mallinfo2().arena;
		for (i = N; i--;)
			free(p[i]);
		trimmed &= mallinfo2().arena < grown;
	}
	return trimmed ? &trimming_thread : NULL;
}

/*
 * glibc's lazy work done when armed: its SIGSETXID handler is there with
 * no thread started, so that the main thread's first pthread_create()
 * under its filter (which has no rt_sigaction) works, and the first
 * thread's arena trims before its own filter (which has no openat).
 */
static void child_warm_up(const void *arg)
{
	struct {
		unsigned long handler, flags, restorer, mask;
	} ksa = { 0 };
	struct sandbox_prog p;
	struct err_msg why;
	void *trimmed = NULL;
	pthread_t t;

	/* a process that trims its arenas later than glibc's default */
	if (arg && !strcmp(arg, "M_TRIM_THRESHOLD") && !mallopt(M_TRIM_THRESHOLD, 1 << 20))
		_exit(104);
	/* one that maps the warm-up's first blocks (96 KiB) */
	if (arg && !strcmp(arg, "M_MMAP_THRESHOLD") && !mallopt(M_MMAP_THRESHOLD, 64 << 10))
		_exit(104);
	/* one that maps every block the warm-up tries: it cannot trim an arena */
	if (arg && !strcmp(arg, "no trim") && !mallopt(M_MMAP_THRESHOLD, 1024))
		_exit(104);
	sandbox_enable();
	sandbox_opts.seccomp = SANDBOX_SECCOMP_ON;
	if (sandbox_arm(0))
		_exit(100);
	if (syscall(SYS_rt_sigaction, 33, NULL, &ksa, 8) || ksa.handler == (unsigned long)SIG_DFL)
		_exit(101);
	if (sandbox_filter_compile(&sandbox_table_main, 0, false, &p, &why) ||
	    sandbox_filter_load(&p))
		_exit(102);
	if (pthread_create(&t, NULL, trimming_thread, NULL) || pthread_join(t, &trimmed))
		_exit(103);
	if (!trimmed)
		_exit(105);	/* the test's own blocks were mapped: it proved nothing */
}

/* child_warm_up() in this program run anew with GLIBC_TUNABLES=@arg. */
static void child_warm_up_tunables(const void *arg)
{
	static char self[] = "/proc/self/exe", mode[] = "--warm-up";
	char *argv[] = { self, mode, NULL };

	if (setenv("GLIBC_TUNABLES", arg, 1))
		_exit(106);
	execv(self, argv);
	_exit(107);
}

/* The wait status of @fn(@arg) in a child, and what it wrote to stderr. */
static int in_child_stderr(void (*fn)(const void *), const void *arg, char *buf, size_t size)
{
	int fds[2], status, saved;
	ssize_t n;

	assert_int_equal(pipe(fds), 0);
	saved = dup(STDERR_FILENO);
	dup2(fds[1], STDERR_FILENO);
	status = in_child(fn, arg);
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, size - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = 0;
	return status;
}

static void test_arm_warms_glibc_up(void **state)
{
	int st;

	(void)state;
#ifdef __SANITIZE_ADDRESS__
	/* ASan's thread start makes calls no table lists (its cvmm says --seccomp log) */
	skip();
#endif
	st = in_child(child_warm_up, NULL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = in_child(child_warm_up, "M_TRIM_THRESHOLD");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * An mmap threshold under the warm-up's 96 KiB blocks (issue 18): set with
 * mallopt(), or as a user would, with GLIBC_TUNABLES at start.  The blocks
 * it would map are made smaller, the arena trims before the thread's
 * filter, and the thread's own trim later does not end the process.
 */
static void test_warm_up_mmap_threshold(void **state)
{
	int st;

	(void)state;
#ifdef __SANITIZE_ADDRESS__
	skip();
#endif
	st = in_child(child_warm_up, "M_MMAP_THRESHOLD");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = in_child(child_warm_up_tunables, "glibc.malloc.mmap_threshold=65536");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	st = in_child(child_warm_up_tunables, "glibc.malloc.mmap_threshold=8192");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * Settings under which no arena can be trimmed in the warm-up: the first
 * thread ends the process with one line, before its filter (status 1, not
 * the report's 38) -- or sandbox_arm() fails, under strict overcommit.
 */
static void test_warm_up_cannot_trim(void **state)
{
	char out[512];
	int st;

	(void)state;
#ifdef __SANITIZE_ADDRESS__
	skip();
#endif
	st = in_child_stderr(child_warm_up, "no trim", out, sizeof(out));
	assert_true(WIFEXITED(st));
	assert_true(WEXITSTATUS(st) == 1 || WEXITSTATUS(st) == 100);
	assert_non_null(strstr(out, "cvmm: sandbox: glibc's malloc did not trim a thread arena "
				    "when warmed up ("));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);	/* one line */
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_allowed_rows_work),
		cmocka_unit_test(test_main_allows_every_type),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_ioctl_high_bits),
		cmocka_unit_test(test_evloop_vsock_service_scoped),
		cmocka_unit_test(test_threads_only),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_arm_types_of_run),
		cmocka_unit_test(test_arm_warms_glibc_up),
		cmocka_unit_test(test_warm_up_mmap_threshold),
		cmocka_unit_test(test_warm_up_cannot_trim),
	};

	if (argc == 2 && !strcmp(argv[1], "--warm-up")) {
		/* child_warm_up_tunables(): glibc read GLIBC_TUNABLES at this start */
		child_warm_up(NULL);
		syscall(SYS_exit_group, 0);
	}

	return cmocka_run_group_tests(tests, NULL, NULL);
}
