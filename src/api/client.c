// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's client side (see api/client.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api/client.h"
#include "util/compiler.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int connect_to(const char *sock, char *why, size_t whylen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ret;

	if (strlen(sock) >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "the socket path is too long");
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		snprintf(why, whylen, "cannot connect: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	return fd;
}

/* The request in one sendmsg, with the descriptors attached to its first byte. */
static int send_request(int fd, const char *req, size_t len, const int *fds, unsigned int nr)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(16 * sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = (void *)req, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	ssize_t w;

	if (nr > 16)
		return -E2BIG;
	if (nr) {
		msg.msg_control = ctl.buf;
		msg.msg_controllen = CMSG_SPACE(nr * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nr * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nr * sizeof(int));
	}
	while (iov.iov_len) {
		w = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		iov.iov_base = (char *)iov.iov_base + w;
		iov.iov_len -= (size_t)w;
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
	}
	return 0;
}

/* Read until the peer closes (we sent "Connection: close"), within the deadline. */
static int read_all(int fd, int64_t deadline, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *nb;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t r;

	while (buf) {
		int64_t left = deadline - mono_ms();

		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			free(buf);
			return -ETIMEDOUT;
		}
		if (n == cap) {
			if (cap >= API_CLIENT_MAX)
				break;
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return r < 0 ? -errno : 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -EFBIG;
}

/* "HTTP/1.1 NNN reason\r\n ... \r\n\r\nbody" */
static int parse_response(char *raw, size_t len, struct api_client_result *res)
{
	char *end = strstr(raw, "\r\n\r\n"), *cl;
	size_t body_len;

	/* a 100 Continue may come first */
	while (end && !strncmp(raw, "HTTP/1.1 100", 12)) {
		len -= (size_t)(end + 4 - raw);
		raw = end + 4;
		end = strstr(raw, "\r\n\r\n");
	}
	if (!end || strncmp(raw, "HTTP/1.", 7) || sscanf(raw + 9, "%3d", &res->status) != 1)
		return -EPROTO;
	*end = '\0';
	body_len = len - (size_t)(end + 4 - raw);
	cl = strcasestr(raw, "\r\nContent-Length:");
	if (cl && (size_t)strtoul(cl + 17, NULL, 10) < body_len)
		body_len = strtoul(cl + 17, NULL, 10);
	res->body = malloc(body_len + 1);
	if (!res->body)
		return -ENOMEM;
	memcpy(res->body, end + 4, body_len);
	res->body[body_len] = '\0';
	res->len = body_len;
	return 0;
}

int api_client_call(const char *sock, const char *method, const char *path, const char *body,
		    const int *fds, unsigned int nr_fds, int timeout_ms,
		    struct api_client_result *res, char *why, size_t whylen)
{
	int64_t deadline = mono_ms() + timeout_ms;
	char *req = NULL, *raw = NULL;
	size_t raw_len = 0;
	int fd, n, ret;

	memset(res, 0, sizeof(*res));
	fd = connect_to(sock, why, whylen);
	if (fd < 0)
		return fd;
	n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: localhost\r\nAccept: application/json\r\n"
		     "Connection: close\r\n%s%zu\r\n\r\n%s", method, path,
		     body ? "Content-Type: application/json\r\nContent-Length: " :
		     "Content-Length: ", body ? strlen(body) : 0, body ? body : "");
	ret = n < 0 ? -ENOMEM : send_request(fd, req, (size_t)n, fds, nr_fds);
	if (!ret)
		ret = read_all(fd, deadline, &raw, &raw_len);
	if (!ret)
		ret = parse_response(raw, raw_len, res);
	if (ret == -ETIMEDOUT)
		snprintf(why, whylen, "no answer within %d ms", timeout_ms);
	else if (ret == -EPROTO)
		snprintf(why, whylen, "not an HTTP response");
	else if (ret)
		snprintf(why, whylen, "%s", strerror(-ret));
	free(req);
	free(raw);
	close(fd);
	return ret;
}

void api_client_result_free(struct api_client_result *res)
{
	free(res->body);
	res->body = NULL;
}
