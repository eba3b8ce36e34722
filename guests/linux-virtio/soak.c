// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the soak test (tests/virtio/linux_soak.py): the virtio devices
 * busy for a while, then a guest reset, over several boots.  Each boot:
 *
 *   SOAK boot <n>                  n counted in sector 0 of /dev/vda
 *   (a child serves vsock port 6000: echoes what a host client sends)
 *   ... <secs> seconds of: 4 KiB writes + reads back + fsync on /dev/vda,
 *       reads of /dev/hwrng, vsock connections to CID 2 port 5000 (echo)
 *   SOAK io disk=<n> rng=<n> vsock=<n>
 *   (waits at the barrier: CID 2 port 5001 answers "go" when the host
 *    measured cvmm in this quiet state)
 *   SOAK reset                     reboot(RESTART): cvmm rebuilds the VM
 * and after the last boot "SOAK PASS" and debug-exit 1 (cvmm exits 3), or
 * "SOAK FAIL <what>" and debug-exit 2 (5).  Kernel parameters: soak.boots=N
 * (default 3), soak.secs=S (default 8).
 */
#include <linux/fs.h>
#include <linux/reboot.h>
#include <linux/vm_sockets.h>
#include <time.h>

#include "sys.h"

#define MAGIC		0x4b414f53u	/* "SOAK" */
#define IO_BASE		64		/* first sector the I/O loop uses */
#define IO_BLOCKS	64		/* 4 KiB blocks it cycles through */

static unsigned char buf[4096] __attribute__((aligned(4096)));
static unsigned char chk[4096] __attribute__((aligned(4096)));

static void __attribute__((noreturn)) fail(const char *what)
{
	say("SOAK FAIL ");
	say(what);
	say("\n");
	sys_debug_exit(2);
}

static unsigned long now_ms(void)
{
	struct timespec ts;

	sc(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts, 0, 0, 0);
	return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

/* "name=<number>" from /proc/cmdline, or @def */
static unsigned long param(const char *name, unsigned long def)
{
	static char cmd[1024];
	unsigned long n = slen(name), v;
	long fd, len, i;

	fd = sc(SYS_open, (long)"/proc/cmdline", O_RDONLY, 0, 0, 0);
	len = fd >= 0 ? sc(SYS_read, fd, (long)cmd, sizeof(cmd) - 1, 0, 0) : -1;
	if (fd >= 0)
		sc(SYS_close, fd, 0, 0, 0, 0);
	if (len <= 0)
		return def;
	cmd[len] = 0;
	for (i = 0; i + (long)n < len; i++) {
		if ((i && cmd[i - 1] != ' ') || !bytes_equal(cmd + i, name, n) ||
		    cmd[i + (long)n] != '=')
			continue;
		for (v = 0, i += (long)n + 1; cmd[i] >= '0' && cmd[i] <= '9'; i++)
			v = v * 10 + (unsigned long)(cmd[i] - '0');
		return v;
	}
	return def;
}

/* The boot counter in sector 0: read, increment, write back. */
static unsigned long next_boot(long disk)
{
	unsigned int *w = (unsigned int *)buf;
	unsigned long n;

	if (sc(SYS_pread64, disk, (long)buf, 512, 0, 0) != 512)
		fail("read sector 0");
	n = w[0] == MAGIC ? w[1] + 1 : 1;
	w[0] = MAGIC;
	w[1] = (unsigned int)n;
	if (sc(SYS_pwrite64, disk, (long)buf, 512, 0, 0) != 512 || sc(SYS_fsync, disk, 0, 0, 0, 0))
		fail("write sector 0");
	return n;
}

static long vsock_socket(void)
{
	long s = sc(SYS_socket, AF_VSOCK_, SOCK_STREAM_, 0, 0, 0);

	if (s < 0)
		fail("socket(AF_VSOCK)");
	return s;
}

/* The child: echo every host connection to port 6000 until it closes. */
static void serve_6000(void)
{
	struct sockaddr_vm a = { .svm_family = AF_VSOCK_, .svm_cid = VMADDR_CID_ANY,
				 .svm_port = 6000 };
	char b[256];
	long s = vsock_socket(), c, n;

	if (sc(SYS_bind, s, (long)&a, sizeof(a), 0, 0) || sc(SYS_listen, s, 16, 0, 0, 0))
		fail("listen on port 6000");
	for (;;) {
		c = sc(SYS_accept, s, 0, 0, 0, 0);
		if (c < 0)
			continue;
		while ((n = sc(SYS_read, c, (long)b, sizeof(b), 0, 0)) > 0)
			if (sc(SYS_write, c, (long)b, n, 0, 0) != n)
				break;
		sc(SYS_close, c, 0, 0, 0, 0);
	}
}

static long vsock_connect(unsigned int port)
{
	struct sockaddr_vm a = { .svm_family = AF_VSOCK_, .svm_cid = 2, .svm_port = port };
	long s = vsock_socket();

	if (sc(SYS_connect, s, (long)&a, sizeof(a), 0, 0)) {
		sc(SYS_close, s, 0, 0, 0, 0);
		return -1;
	}
	return s;
}

static void io_disk(long disk, unsigned long boot, unsigned long i)
{
	long off = (long)(IO_BASE * 512 + (i % IO_BLOCKS) * 4096);
	unsigned long j;

	for (j = 0; j < sizeof(buf); j++)
		buf[j] = (unsigned char)(boot * 131 + i * 7 + j);
	if (sc(SYS_pwrite64, disk, (long)buf, sizeof(buf), off, 0) != sizeof(buf))
		fail("disk write");
	if (i % 8 == 7 && sc(SYS_fsync, disk, 0, 0, 0, 0))
		fail("fsync");
	if (sc(SYS_pread64, disk, (long)chk, sizeof(chk), off, 0) != sizeof(chk) ||
	    !bytes_equal((const char *)chk, (const char *)buf, sizeof(buf)))
		fail("disk read back");
}

static void io_rng(long rng)
{
	if (sc(SYS_read, rng, (long)chk, 64, 0, 0) <= 0)
		fail("read /dev/hwrng");
}

static int io_vsock(void)
{
	char b[8];
	long s = vsock_connect(5000);
	int ok;

	if (s < 0)
		return 0;
	ok = sc(SYS_write, s, (long)"hello", 5, 0, 0) == 5 && recv_all(s, b, 5) == 5 &&
	     bytes_equal(b, "hello", 5);
	sc(SYS_close, s, 0, 0, 0, 0);
	return ok;
}

/* Wait until the host measured this boot: it answers "go" on port 5001. */
static void barrier(void)
{
	char b[2];
	long s;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		s = vsock_connect(5001);
		if (s >= 0)
			break;
		sc(SYS_nanosleep, (long)&(struct timespec){ 0, 100000000 }, 0, 0, 0, 0);
	}
	if (s < 0 || recv_all(s, b, 2) != 2 || !bytes_equal(b, "go", 2))
		fail("no go from the host");
	sc(SYS_close, s, 0, 0, 0, 0);
}

void _start(void);

void _start(void)
{
	unsigned long boots, secs, boot, end, i, nvsock = 0;
	long disk, rng, pid;

	sys_setup();
	boots = param("soak.boots", 3);
	secs = param("soak.secs", 8);
	disk = sc(SYS_open, (long)"/dev/vda", O_RDWR, 0, 0, 0);
	rng = sc(SYS_open, (long)"/dev/hwrng", O_RDONLY, 0, 0, 0);
	if (disk < 0 || rng < 0)
		fail("open /dev/vda or /dev/hwrng");
	boot = next_boot(disk);
	say("SOAK boot ");
	say_num(boot);
	say("\n");
	pid = sc(SYS_fork, 0, 0, 0, 0, 0);
	if (pid == 0)
		serve_6000();
	if (pid < 0)
		fail("fork");
	end = now_ms() + secs * 1000;
	for (i = 0; now_ms() < end; i++) {
		io_disk(disk, boot, i);
		io_rng(rng);
		nvsock += (unsigned long)io_vsock();
	}
	say("SOAK io disk=");
	say_num(i);
	say(" rng=");
	say_num(i);
	say(" vsock=");
	say_num(nvsock);
	say("\n");
	if (!nvsock)
		fail("no vsock connection to the host succeeded");
	barrier();
	if (boot < boots) {
		say("SOAK reset\n");
		sc(SYS_ioctl, out, 0x5409, 1, 0, 0);	/* tcdrain */
		sc(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		   LINUX_REBOOT_CMD_RESTART, 0, 0);
		fail("reboot returned");
	}
	say("SOAK PASS\n");
	sys_debug_exit(1);
}
