// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quote generation service client (see coco/qgs.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "coco/kvm/exit_parse.h"
#include "coco/kvm/qgs.h"

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @events on @fd until @deadline. */
static int wait_fd(int fd, short events, int64_t deadline, const atomic_bool *stop)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int64_t left = deadline - now_ms();
		int r;

		if (stop && atomic_load(stop))
			return -ECANCELED;
		if (left <= 0)
			return -ETIMEDOUT;
		r = poll(&p, 1, left > 1000 ? 1000 : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

static int send_all(int fd, const uint8_t *buf, size_t len, int64_t deadline,
		    const atomic_bool *stop)
{
	while (len) {
		ssize_t n;
		int ret = wait_fd(fd, POLLOUT, deadline, stop);

		if (ret)
			return ret;
		n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int recv_all(int fd, uint8_t *buf, size_t len, int64_t deadline,
		    const atomic_bool *stop)
{
	while (len) {
		ssize_t n;
		int ret = wait_fd(fd, POLLIN, deadline, stop);

		if (ret)
			return ret;
		n = recv(fd, buf, len, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			return -EBADMSG;	/* closed before the whole response */
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int qgs_get_quote(const char *path, const uint8_t *report, uint32_t report_len,
		  uint8_t *quote, size_t cap, size_t *quote_len, int timeout_ms,
		  const atomic_bool *stop)
{
	int64_t deadline = now_ms() + timeout_ms;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint8_t *req = NULL, *resp = NULL, frame[QGS_FRAME_LEN];
	size_t req_len, req_cap = QGS_FRAME_LEN + QGS_GET_QUOTE_REQ_LEN + (size_t)report_len;
	const uint8_t *q;
	uint32_t msg_len, q_len;
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	req = malloc(req_cap);
	if (!req)
		return -ENOMEM;
	ret = qgs_request_build(report, report_len, req, req_cap, &req_len);
	if (ret) {
		free(req);
		return ret;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		free(req);
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	ret = send_all(fd, req, req_len, deadline, stop);
	if (!ret)
		ret = recv_all(fd, frame, sizeof(frame), deadline, stop);
	if (ret)
		goto out;
	msg_len = qgs_frame_len(frame);
	if (msg_len < QGS_GET_QUOTE_RESP_LEN || msg_len - QGS_GET_QUOTE_RESP_LEN > cap) {
		ret = msg_len < QGS_GET_QUOTE_RESP_LEN ? -EBADMSG : -E2BIG;
		goto out;
	}
	resp = malloc(msg_len);
	if (!resp) {
		ret = -ENOMEM;
		goto out;
	}
	ret = recv_all(fd, resp, msg_len, deadline, stop);
	if (!ret)
		ret = qgs_response_parse(resp, msg_len, &q, &q_len);
	if (!ret) {
		memcpy(quote, q, q_len);
		*quote_len = q_len;
	}
out:
	close(fd);
	free(req);
	free(resp);
	return ret;
}
