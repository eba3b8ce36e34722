// SPDX-License-Identifier: GPL-2.0-only
/*
 * Landlock, the privilege drop and the jail (src/sandbox/landlock.c,
 * privs.c, jail.c), each in a forked child: after it the child reaches
 * only what it was given.  Landlock needs a kernel that offers it; the
 * drop and the jail need root (skipped otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox/sandbox_internal.h"

static char dir[32];
static char ro[64], rw[64], other[64], sockdir[64], sock[80], outside[64];

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "x", 1), 1);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cvmm-sandbox-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	chmod(dir, 0755);
	snprintf(ro, sizeof(ro), "%s/ro.img", dir);
	snprintf(rw, sizeof(rw), "%s/rw.img", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	snprintf(sockdir, sizeof(sockdir), "%s/socks", dir);
	snprintf(sock, sizeof(sock), "%s/socks/v.sock", dir);
	snprintf(outside, sizeof(outside), "%s/outside", dir);
	touch(ro);
	touch(rw);
	touch(other);
	mkdir(sockdir, 0777);
	touch(sock);
	mkdir(outside, 0777);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static const struct sandbox_path paths[] = {
	{ ro, SANDBOX_READ },
	{ rw, SANDBOX_READ | SANDBOX_WRITE },
	{ sock, SANDBOX_SOCKETS_NEXT },
	{ "/nonexistent/cvmm", SANDBOX_READ },	/* granted nothing, no error */
};

static const struct sandbox_lock_params params = {
	.paths = paths, .nr_paths = sizeof(paths) / sizeof(paths[0]),
};

static int wait_child(pid_t pid)
{
	int status;

	assert_true(pid >= 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* 0 when open(@path, @flags) gives @want (0: success, else that errno) */
static int opens(const char *path, int flags, int want)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return (fd >= 0 ? 0 : errno) == want ? 0 : 1;
}

static void test_landlock(void **state)
{
	int abi = sandbox_landlock_abi();
	pid_t pid;
	char p[160];

	(void)state;
	if (!abi)
		skip();
	pid = fork();
	if (!pid) {
		int bad = 0;

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || sandbox_landlock_apply(&params, abi))
			_exit(100);
		bad |= opens(ro, O_RDONLY, 0) << 1;
		bad |= opens(ro, O_WRONLY, EACCES) << 2;	/* read-only where asked */
		bad |= opens(rw, O_RDWR, 0) << 3;
		bad |= opens(other, O_RDONLY, EACCES) << 4;	/* not given */
		bad |= opens("/etc/passwd", O_RDONLY, EACCES) << 5;
		/* the socket directory: its sockets may be removed, nothing else */
		snprintf(p, sizeof(p), "%s/v.sock_5000", sockdir);
		bad |= (open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600) >= 0) << 6;
		bad |= (unlink(sock) != 0) << 7;
		bad |= (unlink(other) == 0 || errno != EACCES) << 8;
		/* no executing anything */
		bad |= (execl("/bin/true", "true", (char *)NULL) == 0 || errno != EACCES) << 9;
		_exit(bad);
	}
	assert_int_equal(wait_child(pid), 0);
	touch(sock);
}

static void test_privs(void **state)
{
	struct sandbox_opts o = { .have_user = true, .uid = 65534, .gid = 65534 };
	pid_t pid;

	(void)state;
	if (geteuid())
		skip();
	pid = fork();
	if (!pid) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];
		int bad = 0;

		if (sandbox_privs_drop(&o, false))
			_exit(100);
		bad |= (getuid() != 65534 || geteuid() != 65534 || getgid() != 65534) << 1;
		bad |= (syscall(SYS_capget, &h, d) != 0 || d[0].effective || d[0].permitted ||
			d[1].effective || d[1].permitted || d[0].inheritable) << 2;
		bad |= (setuid(0) == 0) << 3;
		bad |= opens("/etc/shadow", O_RDONLY, EACCES) << 4;
		_exit(bad);
	}
	assert_int_equal(wait_child(pid), 0);
}

static void test_privs_keep_ipc_lock(void **state)
{
	struct sandbox_opts o = { .have_user = true, .uid = 65534, .gid = 65534 };
	pid_t pid;

	(void)state;
	if (geteuid())
		skip();
	pid = fork();
	if (!pid) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2];

		if (sandbox_privs_drop(&o, true) || syscall(SYS_capget, &h, d))
			_exit(100);
		_exit(d[0].effective == 1u << CAP_IPC_LOCK && !d[1].effective ? 0 : 1);
	}
	assert_int_equal(wait_child(pid), 0);
}

static void test_jail(void **state)
{
	pid_t pid;

	(void)state;
	if (geteuid())
		skip();
	pid = fork();
	if (!pid) {
		struct stat st;
		char p[160];
		int bad = 0;

		if (chdir(dir) || sandbox_jail_enter(&params))
			_exit(100);
		bad |= (stat(ro, &st) != 0) << 1;
		bad |= (stat(rw, &st) != 0) << 2;
		bad |= (stat(other, &st) == 0) << 3;		/* not given: not there */
		bad |= (stat("/etc/passwd", &st) == 0) << 4;
		bad |= (stat(sockdir, &st) != 0) << 5;		/* the socket's directory */
		bad |= opens(ro, O_WRONLY, EROFS) << 6;		/* read-only bind */
		bad |= opens(rw, O_RDWR, 0) << 7;
		bad |= opens("ro.img", O_RDONLY, 0) << 8;	/* the working directory */
		snprintf(p, sizeof(p), "%s/new", dir);
		bad |= opens(p, O_WRONLY | O_CREAT, EROFS) << 9;	/* the root is read-only */
		_exit(bad);
	}
	assert_int_equal(wait_child(pid), 0);
}

/* a symbolic link next to the vsock socket that points outside leads nowhere in the jail */
static void test_jail_symlink(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char target[100], link[100];
	int l;
	pid_t pid;

	(void)state;
	if (geteuid())
		skip();
	snprintf(target, sizeof(target), "%s/real.sock", outside);
	snprintf(link, sizeof(link), "%s/v.sock_5000", sockdir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", target);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(l >= 0);
	assert_int_equal(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(l, 4), 0);
	assert_int_equal(symlink(target, link), 0);
	pid = fork();
	if (!pid) {
		int s = socket(AF_UNIX, SOCK_STREAM, 0);

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", link);
		if (s < 0 || sandbox_jail_enter(&params))
			_exit(100);
		_exit(connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 1 :
		      errno == ENOENT ? 0 : 2);
	}
	assert_int_equal(wait_child(pid), 0);
	unlink(link);
	unlink(target);
	close(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_landlock),
		cmocka_unit_test(test_privs),
		cmocka_unit_test(test_privs_keep_ipc_lock),
		cmocka_unit_test(test_jail),
		cmocka_unit_test(test_jail_symlink),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
