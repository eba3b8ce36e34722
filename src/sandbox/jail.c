// SPDX-License-Identifier: GPL-2.0-only
/*
 * --jail: after set-up the main thread moves into a mount namespace
 * of its own whose root is an empty read-only tmpfs holding only the
 * paths cvmm was given, each bound at its own absolute path (read-only
 * unless written), and the working directory.  What is not there cannot
 * be reached, by any thread, through any symbolic link: a socket planted
 * next to the vsock socket that points elsewhere leads nowhere.  Needs
 * CAP_SYS_ADMIN; runs while the main thread is cvmm's only thread, before
 * Landlock and the privilege drop.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"
#include "util/log.h"

#define NEW_ROOT	"/tmp"		/* overmounted in the new namespace only */
#define OLD_ROOT	NEW_ROOT "/.cvmm-old-root"
#define MAX_BINDS	64

struct bind {
	char path[PATH_MAX];		/* absolute, as cvmm names it */
	int tree;			/* open_tree() clone, or -1 */
	bool dir, readonly;
};

/* @path made absolute against @cwd (lexically: the jail repeats the names). */
static int absolute(const char *cwd, const char *path, char out[PATH_MAX])
{
	int n = path[0] == '/' ? snprintf(out, PATH_MAX, "%s", path) :
		snprintf(out, PATH_MAX, "%s/%s", cwd, path);

	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* Is @b under directory @a (or @a itself)? */
static bool beneath(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && (b[n] == '/' || !b[n] || (n == 1 && a[0] == '/'));
}

static int collect(const struct sandbox_lock_params *p, const char *cwd, struct bind *b,
		   unsigned int *nr)
{
	unsigned int i, j, n = 0;
	struct stat st;

	for (i = 0; i < p->nr_paths; i++) {
		if (n == MAX_BINDS)
			return -E2BIG;
		if (absolute(cwd, p->paths[i].path, b[n].path))
			return -ENAMETOOLONG;
		if (p->paths[i].access & SANDBOX_ON_PARENT)
			*strrchr(b[n].path, '/') = '\0';	/* its directory */
		if (!b[n].path[0])
			strcpy(b[n].path, "/");
		if (!strncmp(b[n].path, "/proc/", 6) || stat(b[n].path, &st) < 0)
			continue;	/* no /proc in the jail; nothing there to bind */
		b[n].dir = S_ISDIR(st.st_mode);
		b[n].readonly = !(p->paths[i].access & ~(SANDBOX_READ | SANDBOX_LIST));
		b[n].tree = -1;
		n++;
	}
	/* a path under another directory given is already visible through it */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j && b[j].path[0] && b[j].dir && beneath(b[j].path, b[i].path) &&
			    (strcmp(b[i].path, b[j].path) || i > j)) {
				b[j].readonly &= b[i].readonly;
				b[i].path[0] = '\0';
				break;
			}
	*nr = n;
	return 0;
}

/* NEW_ROOT @path in @out */
static int in_new_root(const char *path, char out[PATH_MAX + sizeof(NEW_ROOT)])
{
	size_t len = strlen(path);

	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, NEW_ROOT, sizeof(NEW_ROOT) - 1);
	memcpy(out + sizeof(NEW_ROOT) - 1, path, len + 1);
	return 0;
}

/* mkdir -p @path's parents (in the new root), and the mount point itself. */
static int make_point(const char *path, bool dir)
{
	char tmp[PATH_MAX + sizeof(NEW_ROOT)];
	size_t len = strlen(path);
	char *s;
	int fd;

	if (len >= sizeof(tmp))
		return -ENAMETOOLONG;
	memcpy(tmp, path, len + 1);
	for (s = tmp + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (dir)
		return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -errno : 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int bind_one(struct bind *b)
{
	char target[PATH_MAX + sizeof(NEW_ROOT)];
	int ret;

	ret = in_new_root(b->path, target);
	if (!ret)
		ret = make_point(target, b->dir);
	if (ret)
		return ret;
	if (move_mount(b->tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return -errno;
	if (b->readonly &&
	    mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, NULL) < 0)
		return -errno;
	return 0;
}

/* The new root on NEW_ROOT, the binds in it, then pivot_root() into it. */
static int build_root(struct bind *b, unsigned int n, const char *cwd)
{
	char target[PATH_MAX + sizeof(NEW_ROOT)];
	unsigned int i;
	int ret;

	if (mount("cvmm-jail", NEW_ROOT, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "mode=0755,size=64k") < 0)
		return -errno;
	for (i = 0; i < n; i++) {
		if (!b[i].path[0])
			continue;
		ret = bind_one(&b[i]);
		if (ret) {
			log_err("jail", "%s: cannot bind it into the jail: %s", b[i].path,
				strerror(-ret));
			return ret;
		}
	}
#ifdef CVMM_SANITIZER
	/* LeakSanitizer lists /proc/self/task at exit (sandbox.c grants it) */
	if (make_point(NEW_ROOT "/proc", true) ||
	    mount("proc", NEW_ROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		log_warn("jail", "no /proc for the sanitizer: %s", strerror(errno));
#endif
	ret = in_new_root(cwd, target);
	if (!ret)
		ret = make_point(target, true);	/* relative paths keep working */
	if (!ret && mkdir(OLD_ROOT, 0700) < 0)
		ret = -errno;
	if (!ret && syscall(SYS_pivot_root, NEW_ROOT, OLD_ROOT) < 0)
		ret = -errno;
	if (!ret && (chdir("/") < 0 || umount2("/.cvmm-old-root", MNT_DETACH) < 0 ||
		     rmdir("/.cvmm-old-root") < 0))
		ret = -errno;
	if (!ret && mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV |
			  MS_NOEXEC, NULL) < 0)
		ret = -errno;
	if (!ret && chdir(cwd) < 0)
		ret = -errno;
	return ret;
}

int sandbox_jail_enter(const struct sandbox_lock_params *p)
{
	static struct bind b[MAX_BINDS];
	char cwd[PATH_MAX];
	unsigned int i, n = 0;
	int ret;

	if (!getcwd(cwd, sizeof(cwd)))
		return log_errno("jail: getcwd", -errno);
	ret = collect(p, cwd, b, &n);
	if (ret)
		return log_errno("jail", ret);
	if (unshare(CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS) < 0) {
		ret = -errno;
		log_err("jail", "cannot make a mount namespace: %s%s", strerror(-ret),
			ret == -EPERM ? " (--jail needs root: CAP_SYS_ADMIN)" : "");
		return ret;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return log_errno("jail: private mounts", -errno);
	for (i = 0; i < n; i++) {
		if (!b[i].path[0])
			continue;
		b[i].tree = (int)open_tree(AT_FDCWD, b[i].path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (b[i].tree < 0) {
			ret = -errno;
			log_err("jail", "%s: %s", b[i].path, strerror(-ret));
			goto out;
		}
	}
	ret = build_root(b, n, cwd);
	if (ret)
		log_err("jail", "cannot build the jail's root: %s", strerror(-ret));
out:
	for (i = 0; i < n; i++)
		if (b[i].tree >= 0)
			close(b[i].tree);
	return ret;
}
