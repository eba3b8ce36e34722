// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of cvmm-agent's test guest (tests/agent/agent_guest.py): static,
 * with glibc and nettle (agent-tools.c) but raw system calls here.  It
 *
 *   1. mounts /dev, /proc, /sys and the tools -- cvmm-agent, cryptsetup,
 *      mke2fs and their libraries -- from /dev/vda, in one of two forms:
 *      a cpio archive whose SHA-256 is cvmm.tools=<hex> on the (measured)
 *      command line, checked and unpacked into a tmpfs (agent-tools.c), or
 *      an ext2 image through the dm-verity device /dev/dm-0 that the kernel
 *      made from dm-mod.create= (its root hash on the command line); without
 *      either (a test mode) the ext2 image on /dev/vda as it is;
 *   2. gives that root /dev, /proc, /sys, a tmpfs /run (holding a copy of
 *      this initramfs's /etc/cvmm-agent.conf) and a tmpfs /mnt, and runs
 *      `cvmm-agent unlock --config /run/cvmm-agent.conf` chrooted there
 *      (the rest of the configuration is on the kernel command line);
 *   3. when the disk is mounted (/mnt/data): prints /mnt/data/hello.txt if
 *      it exists, else writes cvmm.test.token=<word> from the command line
 *      into it (the first boot, which formats the disk with the agent's
 *      format-empty); then unmounts it, closes nothing else, syncs;
 *   4. with cvmm.test.reboot=yes, after writing the token it reboots
 *      instead of leaving ("AGENT-INIT reboot"): the next boot of the same
 *      measured guest attests again and prints the file (the restart test).
 *
 * Lines on the console (all start "AGENT-INIT "): "start uptime=<s>",
 * "agent exit=<status> uptime=<s>", "file: <contents>" or "wrote <token>",
 * then "PASS" or "FAIL <what>".  Leaves through the debug-exit port 0xf4:
 * 1 for PASS (cvmm exits 3), 2 + the agent's exit status otherwise.
 */
#include <linux/fs.h>
#include <linux/reboot.h>
#include <sys/syscall.h>

#include "agent-tools.h"

#define O_RDONLY	0
#define O_WRONLY	1
#define O_CREAT		0100
#define O_TRUNC		01000
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define TOOLS		"/tools"

static long sc(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c),
			 "r"(r10), "r"(r8) : "rcx", "r11", "memory");
	return r;
}

static unsigned long slen(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	sc(SYS_write, 1, (long)s, (long)slen(s), 0, 0);
}

static void say_num(unsigned long v)
{
	char b[24];
	int i = 23;

	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	say(b + i);
}

static char buf[4096];

/* Read a small file into buf (NUL-terminated); bytes read or -errno. */
static long slurp(const char *path)
{
	long fd = sc(SYS_open, (long)path, O_RDONLY, 0, 0, 0), n;

	if (fd < 0)
		return fd;
	n = sc(SYS_read, fd, (long)buf, sizeof(buf) - 1, 0, 0);
	sc(SYS_close, fd, 0, 0, 0, 0);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static void say_uptime(void)
{
	char *p;

	if (slurp("/proc/uptime") <= 0)
		return;
	for (p = buf; *p && *p != ' '; p++)
		;
	*p = 0;
	say(buf);
}

static void __attribute__((noreturn)) finish(const char *fail, int code)
{
	char v = (char)(fail ? 2 + code : 1);
	long fd;

	say("AGENT-INIT ");
	if (fail) {
		say("FAIL ");
		say(fail);
	} else {
		say("PASS");
	}
	say("\n");
	sc(SYS_sync, 0, 0, 0, 0, 0);
	sc(SYS_ioctl, 1, 0x5409, 1, 0, 0);	/* TCSBRK 1: drain the console */
	sc(SYS_mknod, (long)"/dev/port", 020600, (1 << 8) | 4, 0, 0);
	fd = sc(SYS_open, (long)"/dev/port", O_WRONLY, 0, 0, 0);
	if (fd >= 0)
		sc(SYS_pwrite64, fd, (long)&v, 1, 0xf4, 0);
	sc(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	   LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	for (;;)
		sc(SYS_pause, 0, 0, 0, 0, 0);
}

static int mnt(const char *src, const char *dst, const char *type, long flags)
{
	sc(SYS_mkdir, (long)dst, 0755, 0, 0, 0);
	return sc(SYS_mount, (long)src, (long)dst, (long)type, flags, 0) ? -1 : 0;
}

/* The value of @key ("cvmm.test.token=") on the command line, or 0. */
static const char *cmdline_value(const char *key, char *out, int size)
{
	char *p;
	int i = 0;

	if (slurp("/proc/cmdline") <= 0)
		return 0;
	for (p = buf; *p; p++) {
		int j = 0;

		if (p != buf && p[-1] != ' ')
			continue;
		while (key[j] && p[j] == key[j])
			j++;
		if (key[j])
			continue;
		p += j;
		while (*p && *p != ' ' && *p != '\n' && i < size - 1)
			out[i++] = *p++;
		out[i] = 0;
		return i ? out : 0;
	}
	return 0;
}

/*
 * The ext2 tools image: the dm-verity device /dev/dm-0 when the command
 * line made one, else /dev/vda as it is.  No read-ahead: with dm-verity
 * every block read is hashed at emulated CPL0 here (~90 s per MiB), so read
 * only what the loader touches.
 */
static const char *mount_image(void)
{
	const char *dev = "/dev/dm-0";
	long fd = sc(SYS_open, (long)dev, O_RDONLY, 0, 0, 0);

	if (fd < 0) {
		dev = "/dev/vda";
		fd = sc(SYS_open, (long)dev, O_RDONLY, 0, 0, 0);
	}
	if (fd >= 0) {
		sc(SYS_ioctl, fd, BLKRASET, 0, 0, 0);
		sc(SYS_close, fd, 0, 0, 0, 0);
	}
	say("AGENT-INIT tools image ");
	say(dev);
	say(dev[5] == 'v' ? " (no integrity check: test mode)\n" : " (dm-verity)\n");
	if (mnt(dev, TOOLS, "ext2", MS_RDONLY | MS_NODEV))
		return "cannot mount the tools image";
	return 0;
}

static const char *setup(void)
{
	static char hash[80];
	const char *err;
	long n, fd;

	if (mnt("devtmpfs", "/dev", "devtmpfs", MS_NOSUID) ||
	    mnt("proc", "/proc", "proc", MS_NOSUID | MS_NODEV) ||
	    mnt("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV))
		return "cannot mount /dev, /proc or /sys";
	if (cmdline_value("cvmm.tools=", hash, sizeof(hash))) {
		if (mnt("tmpfs", TOOLS, "tmpfs", MS_NODEV))
			return "cannot mount a tmpfs for the tools";
		err = tools_unpack("/dev/vda", hash, TOOLS);
		if (err)
			return err;
		say("AGENT-INIT tools archive verified and unpacked\n");
	} else {
		err = mount_image();
		if (err)
			return err;
	}
	if (mnt("devtmpfs", TOOLS "/dev", "devtmpfs", MS_NOSUID) ||
	    mnt("proc", TOOLS "/proc", "proc", MS_NOSUID | MS_NODEV) ||
	    mnt("sysfs", TOOLS "/sys", "sysfs", MS_NOSUID | MS_NODEV) ||
	    mnt("tmpfs", TOOLS "/run", "tmpfs", MS_NOSUID | MS_NODEV) ||
	    mnt("tmpfs", TOOLS "/mnt", "tmpfs", MS_NOSUID | MS_NODEV))
		return "cannot prepare the tools root";
	n = slurp("/etc/cvmm-agent.conf");
	if (n < 0)
		return "no /etc/cvmm-agent.conf in the initramfs";
	fd = sc(SYS_open, (long)TOOLS "/run/cvmm-agent.conf", O_WRONLY | O_CREAT | O_TRUNC,
		0600, 0, 0);
	if (fd < 0 || sc(SYS_write, fd, (long)buf, n, 0, 0) != n)
		return "cannot copy the agent configuration";
	sc(SYS_close, fd, 0, 0, 0, 0);
	return 0;
}

static int run_agent(void)
{
	static char *const argv[] = { "cvmm-agent", "unlock", "--config",
				      "/run/cvmm-agent.conf", 0 };
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", 0 };
	long pid = sc(SYS_fork, 0, 0, 0, 0, 0);
	int st = 0;

	if (pid == 0) {
		if (sc(SYS_chroot, (long)TOOLS, 0, 0, 0, 0) || sc(SYS_chdir, (long)"/", 0, 0, 0, 0))
			sc(SYS_exit, 126, 0, 0, 0, 0);
		sc(SYS_execve, (long)"/usr/sbin/cvmm-agent", (long)argv, (long)envp, 0, 0);
		sc(SYS_exit, 127, 0, 0, 0, 0);
	}
	if (pid < 0 || sc(SYS_wait4, pid, (long)&st, 0, 0, 0) != pid)
		return 255;
	return (st & 0x7f) ? 128 + (st & 0x7f) : (st >> 8) & 0xff;
}

static int wrote_token;

/* cvmm.test.reboot=yes after the token was written: restart the machine. */
static void maybe_reboot(void)
{
	char v[8];

	if (!wrote_token || !cmdline_value("cvmm.test.reboot=", v, sizeof(v)) ||
	    v[0] != 'y')
		return;
	say("AGENT-INIT reboot\n");
	sc(SYS_sync, 0, 0, 0, 0, 0);
	sc(SYS_ioctl, 1, 0x5409, 1, 0, 0);	/* TCSBRK 1: drain the console */
	sc(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	   LINUX_REBOOT_CMD_RESTART, 0, 0);
}

static const char *use_disk(void)
{
	const char *path = TOOLS "/mnt/data/hello.txt", *t;
	static char tok[64];
	long n = slurp(path), fd;

	if (n > 0) {
		say("AGENT-INIT file: ");
		say(buf);
		if (buf[n - 1] != '\n')
			say("\n");
	} else {
		t = cmdline_value("cvmm.test.token=", tok, sizeof(tok));
		if (!t)
			return "no hello.txt and no cvmm.test.token= to write";
		fd = sc(SYS_open, (long)path, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
		if (fd < 0 || sc(SYS_write, fd, (long)t, (long)slen(t), 0, 0) != (long)slen(t) ||
		    sc(SYS_fsync, fd, 0, 0, 0, 0))
			return "cannot write hello.txt";
		sc(SYS_close, fd, 0, 0, 0, 0);
		say("AGENT-INIT wrote ");
		say(t);
		say("\n");
		wrote_token = 1;
	}
	sc(SYS_sync, 0, 0, 0, 0, 0);
	if (sc(SYS_umount2, (long)TOOLS "/mnt/data", 0, 0, 0, 0))
		return "cannot unmount the data disk";
	return 0;
}

int main(void)
{
	const char *err;
	int st;

	err = setup();
	if (err)
		finish(err, 0);
	say("AGENT-INIT start uptime=");
	say_uptime();
	say("\n");
	st = run_agent();
	say("AGENT-INIT agent exit=");
	say_num((unsigned long)st);
	say(" uptime=");
	say_uptime();
	say("\n");
	if (st)
		finish("the agent failed", st);
	err = use_disk();
	if (!err)
		maybe_reboot();
	finish(err, 0);
}
