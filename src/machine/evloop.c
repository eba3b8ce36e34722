// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine/evloop.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

struct watch {
	int fd;
	evloop_fn fn;
	void *opaque;
	bool dead;
	struct watch *next;	/* in the live list or the graveyard */
};

struct evloop {
	int epfd;
	int stop_fd;
	pthread_t thread;
	bool running;
	char name[16];
	pthread_mutex_t lock;	/* the lists */
	struct watch *live;
	struct watch *dead;	/* removed during a batch, freed after it */
	unsigned int batch_depth;
};

#define EVLOOP_BATCH	32

int evloop_create(struct evloop **out, const char *name)
{
	struct evloop *l = calloc(1, sizeof(*l));
	struct epoll_event ev = { .events = EPOLLIN };
	int err;

	if (!l)
		return -ENOMEM;
	pthread_mutex_init(&l->lock, NULL);
	snprintf(l->name, sizeof(l->name), "%s", name ? name : "evloop");
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	l->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (l->epfd < 0 || l->stop_fd < 0)
		goto fail;
	ev.data.ptr = NULL;	/* the stop eventfd */
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, l->stop_fd, &ev) < 0)
		goto fail;
	*out = l;
	return 0;
fail:
	err = -errno;
	if (l->epfd >= 0)
		close(l->epfd);
	if (l->stop_fd >= 0)
		close(l->stop_fd);
	pthread_mutex_destroy(&l->lock);
	free(l);
	return err;
}

static struct watch *watch_find(struct evloop *l, int fd)
{
	struct watch *w;

	for (w = l->live; w; w = w->next)
		if (w->fd == fd)
			return w;
	return NULL;
}

int evloop_add(struct evloop *l, int fd, uint32_t events, evloop_fn fn,
	       void *opaque)
{
	struct epoll_event ev = { .events = events };
	struct watch *w;
	int ret = 0;

	if (fd < 0 || !fn)
		return -EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->fd = fd;
	w->fn = fn;
	w->opaque = opaque;
	ev.data.ptr = w;
	pthread_mutex_lock(&l->lock);
	if (watch_find(l, fd)) {
		ret = -EEXIST;
	} else if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		ret = -errno;
	} else {
		w->next = l->live;
		l->live = w;
	}
	pthread_mutex_unlock(&l->lock);
	if (ret)
		free(w);
	return ret;
}

int evloop_mod(struct evloop *l, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events };
	struct watch *w;
	int ret = 0;

	pthread_mutex_lock(&l->lock);
	w = watch_find(l, fd);
	if (!w) {
		ret = -ENOENT;
	} else {
		ev.data.ptr = w;
		if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
			ret = -errno;
	}
	pthread_mutex_unlock(&l->lock);
	return ret;
}

void evloop_del(struct evloop *l, int fd)
{
	struct watch **pp, *w;

	pthread_mutex_lock(&l->lock);
	for (pp = &l->live; (w = *pp); pp = &w->next) {
		if (w->fd != fd)
			continue;
		*pp = w->next;
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL);
		w->dead = true;
		/* A batch in flight may still hold a pointer to it. */
		w->next = l->dead;
		l->dead = w;
		break;
	}
	if (!l->batch_depth) {
		while ((w = l->dead)) {
			l->dead = w->next;
			free(w);
		}
	}
	pthread_mutex_unlock(&l->lock);
}

/* Returns callbacks made, -ECANCELED when asked to stop, or -errno. */
static int evloop_batch(struct evloop *l, int timeout_ms)
{
	struct epoll_event ev[EVLOOP_BATCH];
	struct watch *w;
	int n, i, calls = 0;

	/*
	 * The batch starts before epoll_wait(): a watch that another thread
	 * removes once epoll_wait() has returned it must stay allocated
	 * until the batch is over.
	 */
	pthread_mutex_lock(&l->lock);
	l->batch_depth++;
	pthread_mutex_unlock(&l->lock);
	n = epoll_wait(l->epfd, ev, EVLOOP_BATCH, timeout_ms);
	if (n < 0) {
		calls = errno == EINTR ? 0 : -errno;
		n = 0;
	}
	for (i = 0; i < n; i++) {
		w = ev[i].data.ptr;
		if (!w) {
			calls = -ECANCELED;
			break;
		}
		/* Removed by an earlier callback of this batch? */
		pthread_mutex_lock(&l->lock);
		if (w->dead) {
			pthread_mutex_unlock(&l->lock);
			continue;
		}
		pthread_mutex_unlock(&l->lock);
		w->fn(w->opaque, ev[i].events);
		calls++;
	}
	pthread_mutex_lock(&l->lock);
	if (!--l->batch_depth) {
		while ((w = l->dead)) {
			l->dead = w->next;
			free(w);
		}
	}
	pthread_mutex_unlock(&l->lock);
	return calls;
}

int evloop_run_once(struct evloop *l, int timeout_ms)
{
	return evloop_batch(l, timeout_ms);
}

static void *evloop_thread(void *arg)
{
	struct evloop *l = arg;
	int ret;

	pthread_setname_np(pthread_self(), l->name);
	sandbox_thread_enter(&sandbox_table_evloop);
	for (;;) {
		ret = evloop_batch(l, -1);
		if (ret == -ECANCELED)
			break;
		if (ret < 0) {
			log_err(l->name, "epoll_wait: %s", strerror(-ret));
			break;
		}
	}
	return NULL;
}

int evloop_start(struct evloop *l)
{
	sigset_t all, old;
	int ret;

	if (l->running)
		return 0;
	/* The loop takes no signals: they belong to the main thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&l->thread, NULL, evloop_thread, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret)
		return -ret;
	l->running = true;
	return 0;
}

void evloop_stop(struct evloop *l)
{
	uint64_t one = 1;

	if (!l->running)
		return;
	if (write(l->stop_fd, &one, sizeof(one)) < 0)
		log_debug("evloop stop: %s", strerror(errno));
	pthread_join(l->thread, NULL);
	l->running = false;
	/* Leave the stop event unread: a restarted loop would stop at
	 * once, so drain it. */
	if (read(l->stop_fd, &one, sizeof(one)) < 0)
		log_debug("evloop drain: %s", strerror(errno));
}

void evloop_destroy(struct evloop *l)
{
	struct watch *w;

	if (!l)
		return;
	evloop_stop(l);
	while ((w = l->live)) {
		l->live = w->next;
		free(w);
	}
	while ((w = l->dead)) {
		l->dead = w->next;
		free(w);
	}
	close(l->epfd);
	close(l->stop_fd);
	pthread_mutex_destroy(&l->lock);
	free(l);
}
