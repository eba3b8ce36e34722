// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the virtio Linux test guest: static, no libc, no FPU (the test
 * kernel runs on a KVM that interprets guest kernel code; user code runs
 * natively).  It checks the virtio devices cvmm gives it and reports on
 * /dev/console (the virtio console, hvc0, in the test):
 *
 *   VIRTIO-INIT start
 *   DISK size=<bytes> serial=<GET_ID>     /dev/vda: known contents read,
 *   DISK ok                               sectors 8..15 written and synced
 *   RNG ok <hex>                          /dev/hwrng from virtio_rng
 *   VSOCK connect ok                      to CID 2 port 5000: "ping" -> "pong"
 *   VSOCK listening on 6000               then a host connection arrives:
 *   VSOCK accept ok                       "hello linux" -> "hello host"
 *   VIRTIO-INIT PASS | VIRTIO-INIT FAIL <what>
 *
 * and leaves through the debug-exit port (0xf4): 1 on success (cvmm exits
 * with 3), 2 on failure (5).  The disk pattern: byte j of sector s is
 * ((s * 31) ^ j ^ (j >> 8) ^ (s >> 8)) & 0xff; the written sectors hold
 * (s * 17 + j * 3 + 0x5a) & 0xff.
 */
#include <linux/fs.h>
#include <linux/vm_sockets.h>

#include "sys.h"

static void say_hex(const unsigned char *p, int n)
{
	static const char hex[] = "0123456789abcdef";
	char b[3] = { 0, 0, 0 };
	int i;

	for (i = 0; i < n; i++) {
		b[0] = hex[p[i] >> 4];
		b[1] = hex[p[i] & 15];
		say(b);
	}
}

static void __attribute__((noreturn)) finish(const char *fail)
{
	if (fail) {
		say("VIRTIO-INIT FAIL ");
		say(fail);
		say("\n");
	} else {
		say("VIRTIO-INIT PASS\n");
	}
	sys_debug_exit(fail ? 2 : 1);
}

/* ---- disk ---- */

static unsigned char pattern(unsigned long s, unsigned long j)
{
	return (unsigned char)((s * 31) ^ j ^ (j >> 8) ^ (s >> 8));
}

static unsigned char pattern_b(unsigned long s, unsigned long j)
{
	return (unsigned char)(s * 17 + j * 3 + 0x5a);
}

static unsigned char buf[8192] __attribute__((aligned(4096)));

static const char *test_disk(void)
{
	unsigned long long size = 0;
	unsigned long s, j;
	char serial[64];
	long fd, n;

	fd = sc(SYS_open, (long)"/sys/block/vda/serial", O_RDONLY, 0, 0, 0);
	n = fd >= 0 ? sc(SYS_read, fd, (long)serial, sizeof(serial) - 1, 0, 0) : -1;
	serial[n > 0 ? n : 0] = 0;
	for (j = 0; serial[j]; j++)
		if (serial[j] == '\n')
			serial[j] = 0;
	fd = sc(SYS_open, (long)"/dev/vda", O_RDWR, 0, 0, 0);
	if (fd < 0)
		return "open /dev/vda";
	if (sc(SYS_ioctl, fd, BLKGETSIZE64, (long)&size, 0, 0) < 0)
		return "BLKGETSIZE64";
	say("DISK size=");
	say_num((unsigned long)size);
	say(" serial=");
	say(serial);
	say("\n");
	/* known contents: sectors 0..15 and the last two */
	if (sc(SYS_pread64, fd, (long)buf, 8192, 0, 0) != 8192)
		return "read sectors 0..15";
	for (s = 0; s < 16; s++)
		for (j = 0; j < 512; j++)
			if (buf[s * 512 + j] != pattern(s, j))
				return "sectors 0..15 hold the wrong data";
	if (sc(SYS_pread64, fd, (long)buf, 1024, (long)size - 1024, 0) != 1024)
		return "read the last sectors";
	s = (unsigned long)(size / 512) - 2;
	if (buf[0] != pattern(s, 0) || buf[1023] != pattern(s + 1, 511))
		return "the last sectors hold the wrong data";
	/* write 8..15, sync, read back */
	for (s = 0; s < 8; s++)
		for (j = 0; j < 512; j++)
			buf[s * 512 + j] = pattern_b(8 + s, j);
	if (sc(SYS_pwrite64, fd, (long)buf, 4096, 4096, 0) != 4096)
		return "write sectors 8..15";
	if (sc(SYS_fsync, fd, 0, 0, 0, 0))
		return "fsync";
	sc(SYS_close, fd, 0, 0, 0, 0);
	fd = sc(SYS_open, (long)"/dev/vda", O_RDONLY, 0, 0, 0);
	if (fd < 0 || sc(SYS_pread64, fd, (long)buf, 4096, 4096, 0) != 4096)
		return "read back";
	for (j = 0; j < 4096; j++)
		if (buf[j] != pattern_b(8 + j / 512, j % 512))
			return "read back the wrong data";
	sc(SYS_close, fd, 0, 0, 0, 0);
	say("DISK ok\n");
	return 0;
}

/* ---- rng ---- */

static const char *test_rng(void)
{
	unsigned char r[16];
	char cur[64];
	long fd, n;
	int i, zeros = 0;

	fd = sc(SYS_open, (long)"/sys/class/misc/hw_random/rng_current", O_RDONLY, 0, 0, 0);
	n = fd >= 0 ? sc(SYS_read, fd, (long)cur, sizeof(cur) - 1, 0, 0) : -1;
	if (n < 10 || !bytes_equal(cur, "virtio_rng", 10))
		return "hw_random is not virtio_rng";
	fd = sc(SYS_open, (long)"/dev/hwrng", O_RDONLY, 0, 0, 0);
	if (fd < 0)
		return "open /dev/hwrng";
	if (sc(SYS_read, fd, (long)r, sizeof(r), 0, 0) != sizeof(r))
		return "read /dev/hwrng";
	for (i = 0; i < 16; i++)
		zeros += !r[i];
	if (zeros > 4)
		return "the rng gave zeros";
	say("RNG ok ");
	say_hex(r, 16);
	say("\n");
	return 0;
}

/* ---- vsock ---- */

static const char *test_vsock(void)
{
	struct sockaddr_vm a = { .svm_family = AF_VSOCK_, .svm_cid = 2, .svm_port = 5000 };
	char r[32];
	long s, c;

	s = sc(SYS_socket, AF_VSOCK_, SOCK_STREAM_, 0, 0, 0);
	if (s < 0)
		return "socket(AF_VSOCK)";
	if (sc(SYS_connect, s, (long)&a, sizeof(a), 0, 0))
		return "connect to CID 2 port 5000";
	if (sc(SYS_write, s, (long)"ping", 4, 0, 0) != 4)
		return "send ping";
	if (recv_all(s, r, 4) != 4 || !bytes_equal(r, "pong", 4))
		return "no pong";
	sc(SYS_close, s, 0, 0, 0, 0);
	say("VSOCK connect ok\n");

	s = sc(SYS_socket, AF_VSOCK_, SOCK_STREAM_, 0, 0, 0);
	a.svm_cid = VMADDR_CID_ANY;
	a.svm_port = 6000;
	if (sc(SYS_bind, s, (long)&a, sizeof(a), 0, 0) || sc(SYS_listen, s, 1, 0, 0, 0))
		return "listen on port 6000";
	say("VSOCK listening on 6000\n");
	c = sc(SYS_accept, s, 0, 0, 0, 0);
	if (c < 0)
		return "accept";
	if (recv_all(c, r, 11) != 11 || !bytes_equal(r, "hello linux", 11))
		return "no hello from the host";
	if (sc(SYS_write, c, (long)"hello host", 10, 0, 0) != 10)
		return "send hello host";
	/* the host closes first */
	if (sc(SYS_read, c, (long)r, sizeof(r), 0, 0) != 0)
		return "no EOF from the host";
	sc(SYS_close, c, 0, 0, 0, 0);
	sc(SYS_close, s, 0, 0, 0, 0);
	say("VSOCK accept ok\n");
	return 0;
}

void _start(void);

void _start(void)
{
	const char *fail;

	sys_setup();
	say("VIRTIO-INIT start\n");
	fail = test_disk();
	if (!fail)
		fail = test_rng();
	if (!fail)
		fail = test_vsock();
	finish(fail);
}
