/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_EVLOOP_H
#define CVMM_MACHINE_EVLOOP_H

#include <stdint.h>

/*
 * An epoll event loop on its own thread: device work (virtqueue kicks,
 * tap and socket I/O) runs here, off the vCPU threads.  Watches are level
 * triggered.  evloop_add/mod/del are safe from any thread; a handler may
 * remove any watch, including its own (memory is reclaimed after the
 * current batch of events).  A watch removed from another thread while
 * the loop runs may still see one last callback.
 */
struct evloop;

typedef void (*evloop_fn)(void *opaque, uint32_t events);

int evloop_create(struct evloop **out, const char *name);
/* Start the thread. */
int evloop_start(struct evloop *l);
/* Stop and join the thread (idempotent); watches stay registered. */
void evloop_stop(struct evloop *l);
/* Stop, then free every watch and the loop. */
void evloop_destroy(struct evloop *l);

int evloop_add(struct evloop *l, int fd, uint32_t events, evloop_fn fn,
	       void *opaque);
int evloop_mod(struct evloop *l, int fd, uint32_t events);
void evloop_del(struct evloop *l, int fd);

/* Run one batch of ready events without the thread (tests); returns the
 * number of callbacks made, or -errno. */
int evloop_run_once(struct evloop *l, int timeout_ms);

#endif
