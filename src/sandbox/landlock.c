// SPDX-License-Identifier: GPL-2.0-only
/*
 * Landlock on the main thread after set-up (its later threads inherit
 * it): every file-system right this kernel can restrict is handled, and
 * only the paths cvmm was given get the rights their options call for.
 * TCP (ABI 4) is refused outright, abstract UNIX sockets and signals to
 * other processes (ABI 6) too.  Raw system calls: Debian 12's
 * <linux/landlock.h> stops at ABI 2, so what came later is defined here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"
#include "util/log.h"

/* ABI 3 (Linux 6.2) and later, absent from Debian 12's header */
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE		(1ULL << 14)
#endif
#define CVMM_LANDLOCK_ACCESS_FS_IOCTL_DEV	(1ULL << 15)	/* ABI 5 */
/* ABI 9: connect()/sendmsg() to a pathname UNIX socket (Linux 7.1) */
#define CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX	(1ULL << 16)
#define CVMM_LANDLOCK_ACCESS_NET_BIND_TCP	(1ULL << 0)	/* ABI 4 */
#define CVMM_LANDLOCK_ACCESS_NET_CONNECT_TCP	(1ULL << 1)
#define CVMM_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)	/* ABI 6 */
#define CVMM_LANDLOCK_SCOPE_SIGNAL		(1ULL << 1)

/* struct landlock_ruleset_attr as of ABI 6 (the kernel takes a prefix) */
struct cvmm_landlock_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

#define FS_ABI1	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR | \
		 LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | \
		 LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | \
		 LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
		 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | \
		 LANDLOCK_ACCESS_FS_MAKE_SYM)
/* rights a rule on a file (not a directory) may carry */
#define FS_FILE	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | \
		 LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | \
		 CVMM_LANDLOCK_ACCESS_FS_IOCTL_DEV | CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX)

static long ll_create(const void *attr, size_t size, uint32_t flags)
{
	return syscall(SYS_landlock_create_ruleset, attr, size, flags);
}

int sandbox_landlock_abi(void)
{
	long abi = ll_create(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi < 0 ? 0 : (int)abi;
}

/* Does this kernel restrict connect() to pathname UNIX sockets? */
static bool has_resolve_unix(int abi)
{
	struct cvmm_landlock_ruleset_attr a = {
		.handled_access_fs = CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX,
	};
	long fd;

	if (abi < 9)
		return false;
	fd = ll_create(&a, sizeof(a.handled_access_fs), 0);
	if (fd < 0)
		return false;
	close((int)fd);
	return true;
}

static uint64_t handled_fs(int abi)
{
	uint64_t fs = FS_ABI1;

	if (abi >= 2)
		fs |= LANDLOCK_ACCESS_FS_REFER;
	if (abi >= 3)
		fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
	if (abi >= 5)
		fs |= CVMM_LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (has_resolve_unix(abi))
		fs |= CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
	return fs;
}

/* The Landlock rights of a path given with @access. */
static uint64_t rights_of(unsigned int access, bool dir, uint64_t handled)
{
	uint64_t r = 0;

	if (access & SANDBOX_READ)
		r |= LANDLOCK_ACCESS_FS_READ_FILE;
	if (access & SANDBOX_WRITE)
		r |= LANDLOCK_ACCESS_FS_WRITE_FILE;
	if (access & SANDBOX_DEVICE)
		r |= LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE |
		     CVMM_LANDLOCK_ACCESS_FS_IOCTL_DEV;
	if (access & SANDBOX_CONNECT)
		r |= CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX;
	if (access & SANDBOX_SOCKETS_NEXT)
		r |= CVMM_LANDLOCK_ACCESS_FS_RESOLVE_UNIX | LANDLOCK_ACCESS_FS_REMOVE_FILE;
	if (access & SANDBOX_REMOVE)
		r |= LANDLOCK_ACCESS_FS_REMOVE_FILE;
	if (access & SANDBOX_LIST)
		r |= LANDLOCK_ACCESS_FS_READ_DIR;
	if (!dir)
		r &= FS_FILE;
	return r & handled;
}

/* @path's directory (lexically): "." for a bare name. */
static int open_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	if (!slash)
		return open(".", O_PATH | O_CLOEXEC | O_DIRECTORY);
	if (n >= sizeof(dir))
		return -1;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return open(n ? dir : "/", O_PATH | O_CLOEXEC | O_DIRECTORY);
}

static int add_path(int ruleset, const struct sandbox_path *sp, uint64_t handled)
{
	struct landlock_path_beneath_attr pb = { 0 };
	struct stat st;
	int fd, ret = 0;

	fd = sp->access & SANDBOX_ON_PARENT ? open_parent(sp->path) :
	     open(sp->path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;	/* nothing to grant */
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	pb.allowed_access = rights_of(sp->access, S_ISDIR(st.st_mode), handled);
	pb.parent_fd = fd;
	if (pb.allowed_access &&
	    syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0)
		ret = -errno;
out:
	close(fd);
	return ret;
}

int sandbox_landlock_apply(const struct sandbox_lock_params *p, int abi)
{
	struct cvmm_landlock_ruleset_attr a = { .handled_access_fs = handled_fs(abi) };
	size_t size = sizeof(a.handled_access_fs);
	unsigned int i;
	int ruleset, ret = 0;

	if (abi >= 4) {
		a.handled_access_net = CVMM_LANDLOCK_ACCESS_NET_BIND_TCP |
				       CVMM_LANDLOCK_ACCESS_NET_CONNECT_TCP;
		size = offsetof(struct cvmm_landlock_ruleset_attr, scoped);
	}
	if (abi >= 6) {
		a.scoped = CVMM_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | CVMM_LANDLOCK_SCOPE_SIGNAL;
		size = sizeof(a);
	}
	ruleset = (int)ll_create(&a, size, 0);
	if (ruleset < 0) {
		ret = -errno;
		log_err("sandbox", "cannot create a Landlock ruleset: %s", strerror(-ret));
		return ret;
	}
	for (i = 0; i < p->nr_paths && !ret; i++) {
		ret = add_path(ruleset, &p->paths[i], a.handled_access_fs);
		if (ret)
			log_err("sandbox", "%s: cannot add a Landlock rule: %s", p->paths[i].path,
				strerror(-ret));
	}
	if (!ret && syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
		ret = -errno;
		log_err("sandbox", "cannot enforce Landlock: %s", strerror(-ret));
	}
	close(ruleset);
	return ret;
}
