// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the Linux guest that tests/api/linux_api.py drives through the
 * control API, as Kata drives a sandbox: static, no libc (the structures
 * come from the C library's headers, nothing is linked), no FPU.  On
 * /dev/console (hvc0, the virtio console):
 *
 *   API-INIT start
 *   API-INIT NET ok                   eth0 (virtio-net on the tap whose fds
 *                                     came with vm.add-net) set to 10.0.2.2/24,
 *                                     a UDP "ping" to 10.0.2.1:7777 answered
 *                                     "pong" (so frames crossed the tap both
 *                                     ways, with its vnet headers)
 *   API-INIT NET FAIL <what>
 *   API-INIT alive <n>                every 200 ms, until the host shuts the
 *                                     VM down through the API
 */
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <sys/syscall.h>

#define AF_INET_	2
#define SOCK_DGRAM_	2
#define O_RDONLY_	0
#define O_RDWR_		2

static long sc(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c),
			 "r"(r10), "r"(r8) : "rcx", "r11", "memory");
	return r;
}

static int out = 1;

static void say(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	sc(SYS_write, out, (long)s, (long)n, 0, 0);
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

/* proc, sys and devtmpfs; the console as output */
static void sys_setup(void)
{
	long fd;

	sc(SYS_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
	sc(SYS_mount, (long)"sysfs", (long)"/sys", (long)"sysfs", 0, 0);
	sc(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	fd = sc(SYS_open, (long)"/dev/console", O_RDWR_, 0, 0, 0);
	if (fd >= 0)
		out = (int)fd;
}

static unsigned int ip4(unsigned int a, unsigned int b, unsigned int c, unsigned int d)
{
	return __builtin_bswap32(a << 24 | b << 16 | c << 8 | d);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	sc(SYS_nanosleep, (long)&ts, 0, 0, 0, 0);
}

static int set_addr(long s, unsigned long req, unsigned int addr)
{
	struct ifreq ifr;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
	unsigned int i;

	for (i = 0; i < sizeof(ifr); i++)
		((char *)&ifr)[i] = 0;
	__builtin_memcpy(ifr.ifr_name, "eth0", 5);
	sin->sin_family = AF_INET_;
	sin->sin_addr.s_addr = addr;
	return (int)sc(SYS_ioctl, s, (long)req, (long)&ifr, 0, 0);
}

static const char *net_up(long s)
{
	struct ifreq ifr;
	unsigned int i;
	long fd;

	/* the driver may still be probing */
	for (i = 0; i < 100; i++) {
		fd = sc(SYS_open, (long)"/sys/class/net/eth0/address", O_RDONLY_, 0, 0, 0);
		if (fd >= 0)
			break;
		nap(100);
	}
	if (fd < 0)
		return "no eth0";
	sc(SYS_close, fd, 0, 0, 0, 0);
	if (set_addr(s, SIOCSIFADDR, ip4(10, 0, 2, 2)) < 0 ||
	    set_addr(s, SIOCSIFNETMASK, ip4(255, 255, 255, 0)) < 0)
		return "SIOCSIFADDR";
	for (i = 0; i < sizeof(ifr); i++)
		((char *)&ifr)[i] = 0;
	__builtin_memcpy(ifr.ifr_name, "eth0", 5);
	ifr.ifr_flags = IFF_UP | IFF_RUNNING;
	if (sc(SYS_ioctl, s, SIOCSIFFLAGS, (long)&ifr, 0, 0) < 0)
		return "SIOCSIFFLAGS";
	return 0;
}

static const char *ping(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET_, .sin_port = __builtin_bswap16(7777) };
	struct timeval tv = { 2, 0 };
	char buf[16];
	long s = sc(SYS_socket, AF_INET_, SOCK_DGRAM_, 0, 0, 0);
	const char *why;
	int i;

	if (s < 0)
		return "socket";
	why = net_up(s);
	if (why)
		return why;
	to.sin_addr.s_addr = ip4(10, 0, 2, 1);
	sc(SYS_setsockopt, s, SOL_SOCKET, SO_RCVTIMEO, (long)&tv, sizeof(tv));
	if (sc(SYS_connect, s, (long)&to, sizeof(to), 0, 0) < 0)
		return "connect";
	for (i = 0; i < 10; i++) {
		long n;

		sc(SYS_write, s, (long)"ping", 4, 0, 0);
		n = sc(SYS_read, s, (long)buf, sizeof(buf), 0, 0);
		if (n == 4 && buf[0] == 'p' && buf[1] == 'o' && buf[2] == 'n' && buf[3] == 'g')
			return 0;
	}
	return "no pong from 10.0.2.1:7777";
}

void _start(void)
{
	const char *why;
	unsigned long n;

	sys_setup();
	say("API-INIT start\n");
	why = ping();
	if (why) {
		say("API-INIT NET FAIL ");
		say(why);
		say("\n");
	} else {
		say("API-INIT NET ok\n");
	}
	for (n = 0;; n++) {
		say("API-INIT alive ");
		say_num(n);
		say("\n");
		nap(200);
	}
}
