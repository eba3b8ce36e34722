// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

#include "agent/net.h"

uint64_t agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int agent_ms_left(uint64_t deadline)
{
	uint64_t now = agent_now_ms();

	if (now >= deadline)
		return 0;
	return deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

static int wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int ms = agent_ms_left(deadline), r;

		if (!ms)
			return -ETIMEDOUT;
		r = poll(&p, 1, ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

static int parse_u32(const char *s, const char *end, uint32_t *out)
{
	unsigned long long v = 0;

	if (s == end || end - s > 10)
		return -EINVAL;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v >= UINT32_MAX)	/* VMADDR_CID_ANY / VMADDR_PORT_ANY */
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int agent_addr_parse(const char *s, struct agent_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!strncmp(s, "unix:", 5)) {
		a->kind = ADDR_UNIX;
		if (s[5] != '/' || strlen(s + 5) >= sizeof(a->path))
			return -EINVAL;
		strcpy(a->path, s + 5);
		return 0;
	}
	if (!strncmp(s, "vsock:", 6)) {
		const char *colon = strchr(s + 6, ':');

		a->kind = ADDR_VSOCK;
		if (!colon || parse_u32(s + 6, colon, &a->cid) || a->cid < 2 ||
		    parse_u32(colon + 1, colon + 1 + strlen(colon + 1), &a->port))
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

void agent_addr_format(const struct agent_addr *a, char *buf, size_t size)
{
	if (a->kind == ADDR_UNIX)
		snprintf(buf, size, "unix:%s", a->path);
	else
		snprintf(buf, size, "vsock:%u:%u", a->cid, a->port);
}

int agent_connect(const struct agent_addr *a, uint64_t deadline)
{
	struct sockaddr_vm vm = {
		.svm_family = AF_VSOCK,
		.svm_cid = a->cid,
		.svm_port = a->port,
	};
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr *sa = (struct sockaddr *)&vm;
	socklen_t salen = sizeof(vm), elen = sizeof(int);
	int fd, err = 0, r;

	if (a->kind == ADDR_UNIX) {
		memcpy(un.sun_path, a->path, sizeof(a->path));
		sa = (struct sockaddr *)&un;
		salen = sizeof(un);
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, sa, salen) < 0) {
		if (errno != EINPROGRESS) {
			r = -errno;
			goto fail;
		}
		r = wait_fd(fd, POLLOUT, deadline);
		if (r < 0)
			goto fail;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0 || err) {
			r = err ? -err : -errno;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, 0) < 0) {
		r = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return r;
}

int fd_send_all(int fd, const void *buf, size_t len, uint64_t deadline)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t n;
		int r = wait_fd(fd, POLLOUT, deadline);

		if (r < 0)
			return r;
		n = send(fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fd_recv_all(int fd, void *buf, size_t len, uint64_t deadline)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n;
		int r = wait_fd(fd, POLLIN, deadline);

		if (r < 0)
			return r;
		n = recv(fd, p, len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
