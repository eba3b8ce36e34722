// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "devices/virtio/vsock_listener.h"

/* "<uds>_<port>" must fit too (with room to spare, as before) */
#define PORT_SUFFIX	12

/* 1: someone listens at @sa, 0: a stale socket, -errno: cannot tell. */
static int socket_live(const struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int ret;

	if (fd < 0)
		return -errno;
	if (!connect(fd, (const struct sockaddr *)sa, sizeof(*sa)))
		ret = 1;
	else if (errno == EAGAIN)
		ret = 1;	/* alive, with a full backlog */
	else if (errno == ECONNREFUSED)
		ret = 0;
	else
		ret = -errno;
	close(fd);
	return ret;
}

/* Make room at @sa->sun_path: 0, or -errno with the reason. */
static int clear_path(const struct sockaddr_un *sa, struct dev_err *err)
{
	const char *path = sa->sun_path;
	struct stat st;
	int ret;

	if (lstat(path, &st))
		return 0;
	if (!S_ISSOCK(st.st_mode)) {
		dev_err_set(err, "exists and is not a socket");
		return -EEXIST;
	}
	ret = socket_live(sa);
	if (ret > 0) {
		dev_err_set(err, "another process listens on this socket (is another cvmm "
			    "running with it?)");
		return -EADDRINUSE;
	}
	if (ret < 0) {
		dev_err_set(err, "cannot check the existing socket: %s", strerror(-ret));
		return ret;
	}
	if (unlink(path) && errno != ENOENT) {	/* left behind by an earlier run */
		ret = -errno;
		dev_err_set(err, "cannot remove the stale socket: %s", strerror(errno));
		return ret;
	}
	return 0;
}

int vsock_listener_open(struct vsock_listener *l, const char *path, struct dev_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int ret;

	memset(l, 0, sizeof(*l));
	l->fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path) - PORT_SUFFIX) {
		dev_err_set(err, "path too long for a socket (max %zu bytes)",
			    sizeof(sa.sun_path) - PORT_SUFFIX - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	ret = clear_path(&sa, err);
	if (ret)
		return ret;
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(l->fd, 64) < 0 || lstat(path, &st) < 0) {
		ret = -errno;
		dev_err_set(err, "cannot listen: %s", strerror(errno));
		goto fail;
	}
	l->dev = st.st_dev;
	l->ino = st.st_ino;
	l->path = strdup(path);
	if (!l->path) {
		ret = -ENOMEM;
		dev_err_set(err, "%s", strerror(ENOMEM));
		unlink(path);
		goto fail;
	}
	return 0;
fail:
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
	return ret;
}

void vsock_listener_close(struct vsock_listener *l)
{
	struct stat st;

	l->nr_services = 0;
	if (!l->path)
		return;
	/* another cvmm may have replaced a socket it found dead: leave it */
	if (!lstat(l->path, &st) && S_ISSOCK(st.st_mode) && st.st_dev == l->dev &&
	    st.st_ino == l->ino)
		unlink(l->path);
	close(l->fd);
	l->fd = -1;
	free(l->path);
	l->path = NULL;
}

int vsock_listener_add_service(struct vsock_listener *l, const struct vsock_port_service *s)
{
	if (vsock_listener_service(l, s->port))
		return -EEXIST;
	if (l->nr_services >= VSOCK_MAX_SERVICES)
		return -ENOSPC;
	l->services[l->nr_services++] = *s;
	return 0;
}

const struct vsock_port_service *vsock_listener_service(const struct vsock_listener *l,
							uint32_t port)
{
	unsigned int i;

	for (i = 0; l && i < l->nr_services; i++)
		if (l->services[i].port == port)
			return &l->services[i];
	return NULL;
}
