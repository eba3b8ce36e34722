// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "agent/relay.h"

#define BUF	16384

struct dir {
	uint8_t buf[BUF];
	size_t len;
	bool eof;	/* the source ended; shut down the sink once drained */
	bool done;
};

struct pair {
	int a, b;	/* curl's side, the target */
	struct dir ab, ba;
};

struct relay {
	struct agent_addr to;
	int listener, stop[2];
	pthread_t thread;
	pthread_mutex_t lock;
	uint64_t deadline;
	int error;
	struct pair pairs[RELAY_MAX_PAIRS];
};

static void pair_close(struct pair *p)
{
	if (p->a >= 0)
		close(p->a);
	if (p->b >= 0)
		close(p->b);
	memset(p, 0, sizeof(*p));
	p->a = p->b = -1;
}

static bool from_us(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	return !getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) && cr.pid == getpid();
}

static void accept_one(struct relay *r)
{
	int fd = accept4(r->listener, NULL, NULL, SOCK_CLOEXEC), b, i;
	uint64_t deadline;

	if (fd < 0)
		return;
	for (i = 0; i < RELAY_MAX_PAIRS && r->pairs[i].a >= 0; i++)
		;
	if (i == RELAY_MAX_PAIRS || !from_us(fd)) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&r->lock);
	deadline = r->deadline;
	pthread_mutex_unlock(&r->lock);
	b = agent_connect(&r->to, deadline);
	if (b < 0) {
		pthread_mutex_lock(&r->lock);
		r->error = b;
		pthread_mutex_unlock(&r->lock);
		close(fd);	/* curl sees the connection end */
		return;
	}
	r->pairs[i].a = fd;
	r->pairs[i].b = b;
}

/* Move bytes of @d from @src to @dst as far as they go without blocking. */
static int pump(struct dir *d, int src, int dst, short rev_src, short rev_dst)
{
	ssize_t n;

	if (!d->eof && d->len < BUF && (rev_src & (POLLIN | POLLHUP | POLLERR))) {
		n = recv(src, d->buf + d->len, BUF - d->len, MSG_DONTWAIT);
		if (n > 0)
			d->len += (size_t)n;
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			d->eof = true;
	}
	if (d->len && (rev_dst & POLLOUT)) {
		n = send(dst, d->buf, d->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (n > 0) {
			memmove(d->buf, d->buf + n, d->len - (size_t)n);
			d->len -= (size_t)n;
		}
	}
	if (d->eof && !d->len && !d->done) {
		shutdown(dst, SHUT_WR);
		d->done = true;
	}
	return 0;
}

static short want(const struct dir *in, const struct dir *out)
{
	return (short)((!in->eof && in->len < BUF ? POLLIN : 0) | (out->len ? POLLOUT : 0));
}

static void *relay_main(void *arg)
{
	struct relay *r = arg;
	struct pollfd pf[2 + 2 * RELAY_MAX_PAIRS];

	for (;;) {
		int i, n = 2;

		pf[0] = (struct pollfd){ .fd = r->stop[0], .events = POLLIN };
		pf[1] = (struct pollfd){ .fd = r->listener, .events = POLLIN };
		for (i = 0; i < RELAY_MAX_PAIRS; i++) {
			struct pair *p = &r->pairs[i];

			pf[n++] = (struct pollfd){ .fd = p->a, .events = want(&p->ab, &p->ba) };
			pf[n++] = (struct pollfd){ .fd = p->b, .events = want(&p->ba, &p->ab) };
		}
		if (poll(pf, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			break;
		for (i = 0; i < RELAY_MAX_PAIRS; i++) {
			struct pair *p = &r->pairs[i];
			short ra = pf[2 + 2 * i].revents, rb = pf[3 + 2 * i].revents;

			if (p->a < 0)
				continue;
			if (pump(&p->ab, p->a, p->b, ra, rb) || pump(&p->ba, p->b, p->a, rb, ra) ||
			    (p->ab.done && p->ba.done))
				pair_close(p);
		}
		if (pf[1].revents & POLLIN)
			accept_one(r);
	}
	return NULL;
}

static int listen_abstract(char *name, size_t namelen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	uint8_t rnd[12];
	int fd, i, tries;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	for (tries = 0; tries < 8; tries++) {
		if (RAND_bytes(rnd, sizeof(rnd)) != 1)
			break;
		i = snprintf(name, namelen, "cvmm-agent-");
		for (size_t k = 0; k < sizeof(rnd) && (size_t)i + 3 < namelen; k++)
			i += snprintf(name + i, namelen - (size_t)i, "%02x", rnd[k]);
		memcpy(a.sun_path + 1, name, strlen(name));
		if (!bind(fd, (struct sockaddr *)&a,
			  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name))) &&
		    !listen(fd, RELAY_MAX_PAIRS))
			return fd;
		if (errno != EADDRINUSE)
			break;
	}
	close(fd);
	return -EADDRINUSE;
}

int relay_start(const struct agent_addr *to, struct relay **out,
		char *name, size_t namelen)
{
	struct relay *r = calloc(1, sizeof(*r));
	int i, err;

	if (!r)
		return -ENOMEM;
	r->to = *to;
	r->stop[0] = r->stop[1] = -1;
	for (i = 0; i < RELAY_MAX_PAIRS; i++)
		r->pairs[i].a = r->pairs[i].b = -1;
	pthread_mutex_init(&r->lock, NULL);
	r->listener = listen_abstract(name, namelen);
	err = r->listener < 0 ? r->listener : 0;
	if (!err && pipe2(r->stop, O_CLOEXEC) < 0)
		err = -errno;
	if (!err && (err = -pthread_create(&r->thread, NULL, relay_main, r)) == 0) {
		*out = r;
		return 0;
	}
	if (r->listener >= 0)
		close(r->listener);
	if (r->stop[0] >= 0) {
		close(r->stop[0]);
		close(r->stop[1]);
	}
	pthread_mutex_destroy(&r->lock);
	free(r);
	return err;
}

void relay_set_deadline(struct relay *r, uint64_t deadline)
{
	pthread_mutex_lock(&r->lock);
	r->deadline = deadline;
	r->error = 0;
	pthread_mutex_unlock(&r->lock);
}

int relay_take_error(struct relay *r)
{
	int e;

	pthread_mutex_lock(&r->lock);
	e = r->error;
	r->error = 0;
	pthread_mutex_unlock(&r->lock);
	return e;
}

void relay_stop(struct relay *r)
{
	int i;

	if (!r)
		return;
	close(r->stop[1]);	/* the thread sees the pipe end */
	pthread_join(r->thread, NULL);
	for (i = 0; i < RELAY_MAX_PAIRS; i++)
		pair_close(&r->pairs[i]);
	close(r->listener);
	close(r->stop[0]);
	pthread_mutex_destroy(&r->lock);
	free(r);
}
