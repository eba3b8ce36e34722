// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host end of a guest's vsock connection: a host AF_UNIX socket
 * "<uds>_<port>" or a port served in-process (socketpair + worker thread).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "devices/virtio/vsock.h"
#include "devices/virtio/vsock_internal.h"
#include "devices/virtio/vsock_service.h"
#include "util/log.h"

/* ------------------------------------------------------------------ */
/* in-process services */

struct vsock_worker {
	struct vsock_service *svc;
	pthread_t thread;
	int fd;				/* the service's end, -1 once closed */
	bool used;			/* a thread was started (join it) */
	bool done;			/* the thread has finished */
};

struct vsock_service {
	uint32_t port;
	vsock_serve_fn serve;
	void *opaque;
	pthread_mutex_t lock;
	bool stopping;
	unsigned long served;
	unsigned int nr_workers;
	struct vsock_worker workers[];
};

int vsock_service_create(uint32_t port, vsock_serve_fn serve, void *opaque,
			 unsigned int max_workers, struct vsock_service **out)
{
	struct vsock_service *s;
	unsigned int i;

	if (!serve || !max_workers || max_workers > 64)
		return -EINVAL;
	s = calloc(1, sizeof(*s) + max_workers * sizeof(s->workers[0]));
	if (!s)
		return -ENOMEM;
	s->port = port;
	s->serve = serve;
	s->opaque = opaque;
	s->nr_workers = max_workers;
	for (i = 0; i < max_workers; i++) {
		s->workers[i].svc = s;
		s->workers[i].fd = -1;
	}
	pthread_mutex_init(&s->lock, NULL);
	*out = s;
	return 0;
}

static void *worker_main(void *arg)
{
	struct vsock_worker *w = arg;
	struct vsock_service *s = w->svc;

	s->serve(s->opaque, w->fd);
	pthread_mutex_lock(&s->lock);
	close(w->fd);
	w->fd = -1;
	w->done = true;
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* A free worker slot (finished ones joined), or NULL; lock held. */
static struct vsock_worker *worker_slot(struct vsock_service *s)
{
	struct vsock_worker *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < s->nr_workers; i++) {
		struct vsock_worker *w = &s->workers[i];

		if (w->used && w->done) {
			pthread_join(w->thread, NULL);
			w->used = w->done = false;
		}
		if (!w->used && !free_slot)
			free_slot = w;
	}
	return free_slot;
}

/* vsock_port_service.connect: the device's end of a new socketpair. */
static int service_connect(void *opaque)
{
	struct vsock_service *s = opaque;
	struct vsock_worker *w;
	int sv[2], ret;

	pthread_mutex_lock(&s->lock);
	w = s->stopping ? NULL : worker_slot(s);
	if (!w) {
		pthread_mutex_unlock(&s->lock);
		return s->stopping ? -ESHUTDOWN : -EBUSY;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = -errno;
		pthread_mutex_unlock(&s->lock);
		return ret;
	}
	w->fd = sv[1];
	ret = pthread_create(&w->thread, NULL, worker_main, w);
	if (ret) {
		close(sv[0]);
		close(sv[1]);
		w->fd = -1;
		pthread_mutex_unlock(&s->lock);
		return -ret;
	}
	w->used = true;
	s->served++;
	pthread_mutex_unlock(&s->lock);
	return sv[0];
}

int vsock_service_attach(struct vsock_service *s, struct vsock_listener *l)
{
	struct vsock_port_service e = {
		.port = s->port, .connect = service_connect, .opaque = s,
	};

	return vsock_listener_add_service(l, &e);
}

unsigned long vsock_service_count(struct vsock_service *s)
{
	unsigned long n;

	pthread_mutex_lock(&s->lock);
	n = s->served;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void vsock_service_destroy(struct vsock_service *s)
{
	unsigned int i;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	for (i = 0; i < s->nr_workers; i++)
		if (s->workers[i].fd >= 0)
			shutdown(s->workers[i].fd, SHUT_RDWR);	/* the worker sees EOF */
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->nr_workers; i++)
		if (s->workers[i].used)
			pthread_join(s->workers[i].thread, NULL);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* ------------------------------------------------------------------ */
/* the host end of a guest connection */

/* The host socket "<uds>_<port>": a connected fd or -1. */
static int connect_uds(struct vsock_dev *v, const struct vsock_hdr *h)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, n;

	if (!v->uds)
		return -1;
	n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s_%u", v->uds, h->dst_port);
	if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		log_debug("vsock: guest port %u -> %s: %s", h->src_port, sa.sun_path,
			  strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int vsock_open_host(struct vsock_dev *v, const struct vsock_hdr *h)
{
	const struct vsock_port_service *svc = vsock_listener_service(v->listener, h->dst_port);
	int fd;

	if (!svc)
		return connect_uds(v, h);
	fd = svc->connect(svc->opaque);
	if (fd < 0) {
		log_debug("vsock: guest port %u -> in-process port %u: %s", h->src_port,
			  h->dst_port, strerror(-fd));
		return -1;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}
