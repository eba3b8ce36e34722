// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox's state and sequence (sandbox.h): filters compiled when
 * armed, loaded by each thread as it starts, the main thread's lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

#include "sandbox/sandbox_internal.h"
#include "util/log.h"

#define MAX_PROGS	16
#define MAX_PATHS	64
#define MAX_EXTRA	8

void (*sandbox_probe_hook)(const struct sandbox_table *t, uint32_t needs);

static struct {
	bool armed, locked;
	bool arena_warm;			/* a thread arena has shrunk once */
	uint32_t needs;
	struct sandbox_prog progs[MAX_PROGS];	/* [0] main, then each thread type */
	unsigned int nr_progs;
	struct sandbox_path extra[MAX_EXTRA];	/* sandbox_add_path() */
	unsigned int nr_extra;
} sb;

int sandbox_add_path(const char *path, unsigned int access)
{
	char *copy;

	if (sb.nr_extra == MAX_EXTRA)
		return -E2BIG;
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	sb.extra[sb.nr_extra++] = (struct sandbox_path){ .path = copy, .access = access };
	return 0;
}

bool sandbox_armed(void)
{
	return sb.armed;
}

bool sandbox_locked(void)
{
	return sb.locked;
}

static const struct sandbox_prog *prog_of(const struct sandbox_table *t)
{
	unsigned int i;

	for (i = 0; i < sb.nr_progs; i++)
		if (sb.progs[i].table == t)
			return &sb.progs[i];
	return NULL;
}

static int compile(const struct sandbox_table *t, bool log)
{
	struct err_msg why;
	int ret;

	if (sb.nr_progs == MAX_PROGS)
		return log_errno("sandbox", -E2BIG);
	ret = sandbox_filter_compile(t, sb.needs, log, &sb.progs[sb.nr_progs], &why);
	if (ret) {
		log_err("sandbox", "%s", why.msg);
		return ret;
	}
	sb.nr_progs++;
	return 0;
}

/*
 * A thread's arena grows and shrinks: glibc reads
 * /proc/sys/vm/overcommit_memory at the first shrink of one, once per
 * process, and a thread's filter has no openat.  The arena shrinks when
 * its top chunk passes the trim threshold and the top pad (128 KiB each
 * by default): blocks that grow it by that much, freed from the last one
 * (malloc() touches only their headers, free() merges each into the top
 * chunk), make glibc trim it; the arenas' size (mallinfo2()) says whether
 * it did.
 *
 * The blocks must come from the arena, under glibc's mmap threshold
 * (glibc maps a larger one by itself).  That is 128 KiB at start and only
 * rises (to the size of a mapped block freed), unless
 * GLIBC_TUNABLES=glibc.malloc.mmap_threshold=N or mallopt() set it lower
 * -- and no call reads it.  So a round whose blocks were mapped (glibc's
 * count of them, hblks, fell when they were freed) is done again with
 * blocks half the size; one that did not trim otherwise (a larger trim
 * threshold or top pad) with twice the bytes.  The default settings take
 * one round of 3 blocks of 96 KiB.  Not mallopt(M_MMAP_THRESHOLD) before
 * the warm-up, which would spare the rounds of smaller blocks: it would
 * override the user's setting, and turn glibc's dynamic threshold off for
 * the whole run.  Settings under which no round trims end cvmm at start,
 * with one line, rather than when a thread trims later under its filter.
 * (mallinfo2() sums every arena: the main thread's, freeing at the same
 * time, may cost a round or -- rarely, and only where the first round
 * would not trim -- pass for this one's trim.)
 */
#define WARM_BLOCK	(96 << 10)	/* under the default mmap threshold */
#define WARM_MIN_BLOCK	1536		/* 96 KiB / 64: over what tcache keeps (1032) */
#define WARM_MAX	(64 << 20)	/* a thread heap's most (HEAP_MAX_SIZE) */

struct warm_block {
	struct warm_block *next;
};

/* One round: @total bytes in blocks of @size, freed; whether the arenas shrank. */
static bool arena_trims(size_t size, size_t total, bool *mapped)
{
	struct warm_block *head = NULL, *b;
	struct mallinfo2 grown, after;
	size_t n;

	for (n = total / size; n; n--) {
		b = malloc(size);
		if (!b)
			break;
		b->next = head;
		head = b;
	}
	/* the compiler may not drop the pairs: the point is what glibc does */
	__asm__ volatile("" : : "r"(head) : "memory");
	grown = mallinfo2();
	while (head) {
		b = head->next;
		free(head);
		head = b;
	}
	after = mallinfo2();
	*mapped = after.hblks < grown.hblks;
	return after.arena < grown.arena;
}

/*
 * Whether the arenas shrank: not when glibc maps even 1.5 KiB blocks (an
 * mmap threshold of 1.5 KiB or less; freed blocks of tcache's sizes, up
 * to 1 KiB, would not reach the top chunk) or when the last round's
 * 36 MiB is not enough (a trim threshold or top pad over 32 MiB or so).
 * The rounds stay in one heap, which a thread arena grows up to 64 MiB.
 */
static bool warm_up_arena(void)
{
	size_t size = WARM_BLOCK, total = 3 * WARM_BLOCK;
	bool mapped;

#ifdef __SANITIZE_ADDRESS__
	/* ASan's allocator replaces glibc's: no thread arena ever shrinks */
	return true;
#endif
	while (total <= WARM_MAX) {
		if (arena_trims(size, total, &mapped))
			return true;
		if (mapped && size <= WARM_MIN_BLOCK)
			return false;
		if (mapped)
			size /= 2;
		else
			total *= 2;
	}
	return false;
}

static void *arena_thread(void *arg)
{
	(void)arg;
	return warm_up_arena() ? &sb : NULL;
}

/*
 * The warm-up did not trim: one line and -ENOTSUP, rather than a thread's
 * filter ending cvmm when it trims later -- or 0 when the filters only log.
 */
static int arena_not_warm(void)
{
	if (sandbox_opts.seccomp == SANDBOX_SECCOMP_LOG)
		return 0;
	log_err("sandbox", "glibc's malloc did not trim a thread arena when warmed up (an mmap "
		"threshold of 1.5 KiB or less, a trim threshold or top pad over 32 MiB: "
		"GLIBC_TUNABLES?); a thread's filter would end cvmm when one did");
	return -ENOTSUP;
}

/*
 * glibc's handler for its internal SIGSETXID (set*id() in every thread),
 * which glibc's sigaction() refuses to name: the kernel's answer.
 * (SIGCANCEL's waits for the first pthread_cancel(), which cvmm never calls.)
 */
static bool glibc_signals_ready(void)
{
	struct {
		unsigned long handler, flags, restorer, mask;
	} ksa;

	return syscall(SYS_rt_sigaction, 33, NULL, &ksa, 8) == 0 &&
	       ksa.handler != (unsigned long)SIG_DFL;
}

/*
 * glibc installs it with rt_sigaction() in the process's first
 * pthread_create(), before it maps the new thread's stack: a create whose
 * stack no address space holds installs it and fails at once, with no
 * thread started (and none ended: a thread's end touches as much of libc
 * as the rest of start-up).  Checked; a real thread is the fallback.
 */
static void warm_up_threads(void)
{
	pthread_attr_t attr;
	void *warm = NULL;
	pthread_t t;

#ifdef __SANITIZE_ADDRESS__
	/*
	 * Not under ASan: its pthread_create() sets up the new thread's state
	 * before glibc's create fails and then tears it down from the calling
	 * thread; cvmm then died now and then of a SIGSEGV that ASan did not
	 * report (10 of 200 virtio-devtest-intx runs, two at a time; none of
	 * 320 with this).  Sanitizer builds take the real thread below.
	 */
	return;
#endif
	if (!pthread_attr_init(&attr)) {
		if (!pthread_attr_setstacksize(&attr, (size_t)1 << 62) &&
		    !pthread_create(&t, &attr, arena_thread, NULL)) {
			pthread_join(t, &warm);
			sb.arena_warm = warm != NULL;
		}
		pthread_attr_destroy(&attr);
	}
}

/*
 * A thread that warms its arena up, and ends: 0 (also when it did not
 * start: the first thread to enter its filter does it), or -ENOTSUP.
 */
static int run_arena_thread(void)
{
	void *warm = NULL;
	pthread_t t;

	if (pthread_create(&t, NULL, arena_thread, NULL))
		return 0;
	pthread_join(t, &warm);
	sb.arena_warm = warm != NULL;
	return warm ? 0 : arena_not_warm();
}

/*
 * Strict overcommit (mode 2): the only mode in which glibc's answer
 * matters (a shrinking thread arena is then mapped anew, uncommitted,
 * rather than madvise()d).
 */
static bool strict_overcommit(void)
{
	int fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
	char c = 0;

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == '2';
}

/*
 * What glibc does once, lazily, with system calls no filter lists: let it
 * happen now.  The first pthread_create() installs glibc's internal signal
 * handler; the first gmtime_r() or localtime_r() reads /etc/localtime.
 * An arena's first shrink reads the overcommit mode: under strict
 * overcommit in a thread here, or else in the first thread that enters its
 * filter (sandbox_thread_enter()), where the main thread's filter lets it
 * try and Landlock (or the jail) makes the read fail -- glibc's answer is
 * then the one the mode gives, "madvise()".  0, or -ENOTSUP when the
 * thread here could not trim its arena.
 */
static int warm_up_glibc(void)
{
	tzset();
	warm_up_threads();
	if (sb.arena_warm)
		return 0;
	/* a real thread: glibc did not install its handler, or the mode is strict */
	if (!glibc_signals_ready() || strict_overcommit())
		return run_arena_thread();
	return 0;
}

int sandbox_arm(uint32_t needs)
{
	bool log = sandbox_opts.seccomp == SANDBOX_SECCOMP_LOG;
	unsigned int i;
	int ret;

	if (sb.armed || !sandbox_opts.enabled || sandbox_opts.seccomp == SANDBOX_SECCOMP_OFF)
		return 0;
	sb.needs = needs;
	ret = warm_up_glibc();
	if (ret)
		return ret;
	ret = compile(&sandbox_table_main, log);
	/* only the thread types this run has (main's filter holds no other) */
	for (i = 0; !ret && i < sandbox_nr_tables(); i++)
		if (sandbox_table_applies(sandbox_table_at(i), needs))
			ret = compile(sandbox_table_at(i), log);
	if (!ret) {
		ret = sandbox_sigsys_install(NULL);
		if (ret)
			log_err("sandbox", "cannot install the SIGSYS handler: %s", strerror(-ret));
	}
	if (ret) {
		while (sb.nr_progs)
			sandbox_filter_free(&sb.progs[--sb.nr_progs]);
		return ret;
	}
	sb.armed = true;
	return 0;
}

/* SIGSYS must reach the handler: a blocked one would kill without a word. */
static void unblock_sigsys(void)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

static void enter(const struct sandbox_table *t, const char *label)
{
	const struct sandbox_prog *p = prog_of(t);
	int ret = p ? sandbox_filter_load(p) : -ENOENT;

	if (ret) {
		log_err("sandbox", "%s: cannot install the %s filter: %s", label, t->name,
			strerror(-ret));
		exit(1);	/* no thread runs unfiltered by accident */
	}
	if (sandbox_probe_hook)
		sandbox_probe_hook(t, sb.needs);
}

static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

/* Before its filter: a thread that goes on would end cvmm later, with no clue. */
static void first_thread_warm_up(void)
{
	if (!sb.arena_warm && !warm_up_arena() && arena_not_warm())
		exit(1);
	sb.arena_warm = true;
}

void sandbox_thread_enter(const struct sandbox_table *t)
{
	char name[17] = "";

	if (!sb.armed)
		return;
	/*
	 * The first thread: its arena's first shrink, still under the main
	 * thread's filter (which lets it try to read the overcommit mode),
	 * before it handles anything from outside; the others wait for it.
	 */
	pthread_once(&arena_once, first_thread_warm_up);
	prctl(PR_GET_NAME, name, 0, 0, 0);
	sandbox_sigsys_label(name[0] ? name : t->name);
	unblock_sigsys();
	enter(t, name);
}

/*
 * Sockets cvmm made and removes at exit become --user's: the user it runs
 * as then may remove them (and connect, as before).
 */
static void give_sockets(const struct sandbox_lock_params *p)
{
	unsigned int i;

	for (i = 0; i < p->nr_paths; i++)
		if (p->paths[i].access & SANDBOX_ON_PARENT &&
		    lchown(p->paths[i].path, sandbox_opts.uid, sandbox_opts.gid) < 0 &&
		    errno != ENOENT)
			log_warn("--user", "%s: cannot give it to %u:%u: %s", p->paths[i].path,
				 (unsigned int)sandbox_opts.uid, (unsigned int)sandbox_opts.gid,
				 strerror(errno));
}

int sandbox_lock(const struct sandbox_lock_params *params)
{
	static struct sandbox_path paths[MAX_PATHS];
	struct sandbox_lock_params all = *params;
	const struct sandbox_lock_params *p = &all;
	unsigned int i;
	int ret, abi = 0;

	if (sb.locked || !sandbox_opts.enabled)
		return 0;
	if (params->nr_paths + sb.nr_extra > MAX_PATHS)
		return log_errno("sandbox", -E2BIG);
	for (i = 0; i < params->nr_paths; i++)
		paths[i] = params->paths[i];
	for (i = 0; i < sb.nr_extra; i++)
		paths[params->nr_paths + i] = sb.extra[i];
	all.paths = paths;
	all.nr_paths = params->nr_paths + sb.nr_extra;
#ifdef CVMM_SANITIZER
	/* LeakSanitizer lists /proc/self/task and reads the maps at exit */
	if (all.nr_paths < MAX_PATHS)
		paths[all.nr_paths++] = (struct sandbox_path){
			.path = "/proc/self", .access = SANDBOX_READ | SANDBOX_LIST };
#endif
	/* no set-uid gains from here on; Landlock needs it without CAP_SYS_ADMIN */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return log_errno("sandbox: no_new_privs", -errno);
	if (sandbox_opts.have_user)
		give_sockets(p);
	if (sandbox_opts.jail) {
		ret = sandbox_jail_enter(p);
		if (ret)
			return ret;
	}
	if (sandbox_opts.landlock_set ? sandbox_opts.landlock : !p->api) {
		abi = sandbox_landlock_abi();
		if (!abi && sandbox_opts.landlock_set) {
			log_err("--landlock", "this kernel does not offer Landlock");
			return -ENOSYS;
		}
		if (abi) {
			ret = sandbox_landlock_apply(p, abi);
			if (ret)
				return ret;
		}
	}
	ret = sandbox_privs_drop(&sandbox_opts, p->keep_ipc_lock);
	if (ret)
		return ret;
	if (sb.armed) {
		sandbox_sigsys_set_hook(p->on_violation);
		sandbox_sigsys_label("main");
		unblock_sigsys();
		sb.locked = true;
		enter(&sandbox_table_main, "main");
	}
	sb.locked = true;
	log_debug("sandbox: locked (seccomp %s, Landlock ABI %d%s%s)",
		  sb.armed ? (sandbox_opts.seccomp == SANDBOX_SECCOMP_LOG ? "log" : "on") : "off",
		  abi, sandbox_opts.have_user ? ", --user" : "", sandbox_opts.jail ? ", jail" : "");
	return 0;
}
