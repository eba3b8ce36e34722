/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the static, libc-free /init programs of the virtio Linux test
 * guest share: raw system calls and console output.  No FPU (the guest
 * kernel runs on a KVM that interprets kernel code; user code is native).
 */
#ifndef CVMM_GUESTS_LINUX_VIRTIO_SYS_H
#define CVMM_GUESTS_LINUX_VIRTIO_SYS_H

#include <linux/reboot.h>
#include <sys/syscall.h>

#define O_RDONLY	0
#define O_WRONLY	1
#define O_RDWR		2
#define O_SYNC		04010000
#define AF_VSOCK_	40
#define SOCK_STREAM_	1

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

static int out = 1;

static void say(const char *s)
{
	sc(SYS_write, out, (long)s, (long)slen(s), 0, 0);
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

static int bytes_equal(const char *a, const char *b, unsigned long n)
{
	while (n--)
		if (*a++ != *b++)
			return 0;
	return 1;
}

/* Read exactly @want bytes: @want, or what read() returned (<= 0). */
static long recv_all(long fd, char *b, unsigned long want)
{
	unsigned long got = 0;

	while (got < want) {
		long n = sc(SYS_read, fd, (long)(b + got), (long)(want - got), 0, 0);

		if (n <= 0)
			return n;
		got += (unsigned long)n;
	}
	return (long)got;
}

/* proc, sys and devtmpfs; the console (hvc0 in the tests) as output. */
static void sys_setup(void)
{
	long fd;

	sc(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	sc(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);
	sc(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	fd = sc(SYS_open, (long)"/dev/console", O_RDWR, 0, 0, 0);
	if (fd >= 0)
		out = (int)fd;
}

/*
 * Leave through the debug-exit port (0xf4): cvmm exits with (v << 1) | 1.
 * Waits until the console sent everything (TCSBRK 1 = tcdrain) first: the
 * exit stops the VM at once.
 */
static void __attribute__((noreturn)) sys_debug_exit(char v)
{
	long fd;

	sc(SYS_ioctl, 1, 0x5409, 1, 0, 0);
	sc(SYS_ioctl, out, 0x5409, 1, 0, 0);
	sc(SYS_mknod, (long)"/dev/port", 020600, (1 << 8) | 4, 0, 0);
	fd = sc(SYS_open, (long)"/dev/port", O_WRONLY, 0, 0, 0);
	if (fd >= 0)
		sc(SYS_pwrite64, fd, (long)&v, 1, 0xf4, 0);
	sc(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
	   LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	for (;;)
		sc(SYS_pause, 0, 0, 0, 0, 0);
}

#endif
