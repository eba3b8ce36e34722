// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "fake_platform.h"

static struct fake_platform *fp_of(struct platform *p)
{
	return p->priv;
}

static int f_ioeventfd_add(struct platform *p, uint64_t addr, int fd)
{
	struct fake_platform *fp = fp_of(p);
	unsigned int i;

	if (fp->ioeventfd_ret)
		return fp->ioeventfd_ret;
	for (i = 0; i < FAKE_MAX; i++) {
		if (!fp->io_active[i]) {
			fp->io_active[i] = true;
			fp->io_addr[i] = addr;
			fp->io_fd[i] = fd;
			return 0;
		}
	}
	return -ENOSPC;
}

static void f_ioeventfd_del(struct platform *p, uint64_t addr, int fd)
{
	struct fake_platform *fp = fp_of(p);
	unsigned int i;

	for (i = 0; i < FAKE_MAX; i++)
		if (fp->io_active[i] && fp->io_addr[i] == addr && fp->io_fd[i] == fd)
			fp->io_active[i] = false;
}

static int f_route_add(struct platform *p, int fd, const struct msi_msg *msg)
{
	struct fake_platform *fp = fp_of(p);
	int i;

	if (fp->route_ret < 0)
		return fp->route_ret;
	for (i = 0; i < FAKE_MAX; i++) {
		if (!fp->route_active[i]) {
			fp->route_active[i] = true;
			fp->route_fd[i] = fd;
			fp->route_msg[i] = *msg;
			return i;
		}
	}
	return -ENOSPC;
}

static int f_route_update(struct platform *p, int route, const struct msi_msg *msg)
{
	struct fake_platform *fp = fp_of(p);

	if (route < 0 || route >= FAKE_MAX || !fp->route_active[route])
		return -ENOENT;
	fp->route_msg[route] = *msg;
	fp->route_updates++;
	return 0;
}

static void f_route_del(struct platform *p, int route, int fd)
{
	struct fake_platform *fp = fp_of(p);

	if (route >= 0 && route < FAKE_MAX)
		fp->route_active[route] = false;
}

static int f_signal(struct platform *p, const struct msi_msg *msg)
{
	struct fake_platform *fp = fp_of(p);

	fp->signals++;
	fp->last_signal = *msg;
	return 0;
}

static int f_irq_set(struct platform *p, uint32_t gsi, int level)
{
	struct fake_platform *fp = fp_of(p);

	if (gsi >= 32)
		return -EINVAL;
	if (level && !fp->level[gsi])
		fp->rising[gsi]++;
	fp->level[gsi] = level;
	fp->irq_sets++;
	return 0;
}

static int f_watch(struct platform *p, int fd, uint32_t events, platform_fd_fn fn,
		   void *opaque)
{
	struct fake_platform *fp = fp_of(p);
	unsigned int i;

	for (i = 0; i < FAKE_MAX; i++)
		if (fp->w[i].active && fp->w[i].fd == fd)
			return -EEXIST;
	for (i = 0; i < FAKE_MAX; i++) {
		if (!fp->w[i].active) {
			fp->w[i] = (struct fake_watch){ fd, events, fn, opaque, true };
			return 0;
		}
	}
	return -ENOSPC;
}

static int f_watch_mod(struct platform *p, int fd, uint32_t events)
{
	struct fake_platform *fp = fp_of(p);
	unsigned int i;

	for (i = 0; i < FAKE_MAX; i++) {
		if (fp->w[i].active && fp->w[i].fd == fd) {
			fp->w[i].events = events;
			return 0;
		}
	}
	return -ENOENT;
}

static void f_unwatch(struct platform *p, int fd)
{
	struct fake_platform *fp = fp_of(p);
	unsigned int i;

	for (i = 0; i < FAKE_MAX; i++)
		if (fp->w[i].active && fp->w[i].fd == fd)
			fp->w[i].active = false;
}

static const struct platform_ops fake_ops = {
	.ioeventfd_add = f_ioeventfd_add,
	.ioeventfd_del = f_ioeventfd_del,
	.msi_route_add = f_route_add,
	.msi_route_update = f_route_update,
	.msi_route_del = f_route_del,
	.msi_signal = f_signal,
	.irq_set = f_irq_set,
	.watch = f_watch,
	.watch_mod = f_watch_mod,
	.unwatch = f_unwatch,
};

void fake_platform_init(struct fake_platform *fp)
{
	memset(fp, 0, sizeof(*fp));
	fp->plat.ops = &fake_ops;
	fp->plat.priv = fp;
}

int fake_platform_run(struct fake_platform *fp)
{
	int calls = 0, round;

	for (round = 0; round < 1000; round++) {
		struct pollfd pfd[FAKE_MAX];
		unsigned int idx[FAKE_MAX], n = 0, i;
		int ready = 0;

		/* like epoll, a paused watch (no events) still reports
		 * hang-ups and errors */
		for (i = 0; i < FAKE_MAX; i++) {
			if (!fp->w[i].active)
				continue;
			pfd[n] = (struct pollfd){ .fd = fp->w[i].fd,
						  .events = (short)fp->w[i].events };
			idx[n++] = i;
		}
		if (!n || poll(pfd, n, 0) <= 0)
			break;
		for (i = 0; i < n; i++) {
			struct fake_watch *w = &fp->w[idx[i]];

			if (!pfd[i].revents || !w->active || w->fd != pfd[i].fd)
				continue;
			w->fn(w->opaque, (uint32_t)pfd[i].revents);
			calls++;
			ready++;
		}
		if (!ready)
			break;
	}
	return calls;
}

uint64_t fake_route_fired(struct fake_platform *fp, int route)
{
	uint64_t v = 0;

	if (route < 0 || route >= FAKE_MAX || !fp->route_active[route])
		return 0;
	if (read(fp->route_fd[route], &v, sizeof(v)) != sizeof(v))
		return 0;
	return v;
}

unsigned int fake_ioeventfds_at(const struct fake_platform *fp, uint64_t addr)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX; i++)
		n += fp->io_active[i] && fp->io_addr[i] == addr;
	return n;
}

unsigned int fake_ioeventfds(const struct fake_platform *fp)
{
	unsigned int i, n = 0;

	for (i = 0; i < FAKE_MAX; i++)
		n += fp->io_active[i];
	return n;
}
