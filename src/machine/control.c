// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's side of the machine (see machine/machine.h): the
 * channel that runs a command on the main thread, and the lifecycle
 * commands -- create, boot, pause, resume, shutdown, reboot, delete, exit,
 * adding devices.  The API thread only parses and answers; every change
 * to the machine happens here, on the main thread, between its events.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine/coco.h"
#include "machine/devices.h"
#include "machine/machine_internal.h"
#include "machine/pci_setup.h"
#include "machine/vcpu.h"
#include "util/log.h"

#define PAUSE_TIMEOUT_MS	5000

struct machine_ctl {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int fd;				/* eventfd: a command is waiting */
	machine_cmd_fn fn;
	void *arg;
	bool pending, done, closed;
};

/* ------------------------------------------------------------------ */
/* the channel */

int machine_ctl_open(struct machine *m)
{
	struct machine_ctl *c = calloc(1, sizeof(*c));
	struct epoll_event ev = { .events = EPOLLIN };

	if (!c)
		return log_errno("control", -ENOMEM);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	c->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ev.data.fd = c->fd;
	if (c->fd < 0 || epoll_ctl(m->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		int ret = log_errno("control", -errno);

		machine_ctl_free(c);
		return ret;
	}
	m->ctl = c;
	return 0;
}

int machine_ctl_fd(const struct machine_ctl *ctl)
{
	return ctl->fd;
}

int machine_ctl_call(struct machine_ctl *c, machine_cmd_fn fn, void *arg)
{
	uint64_t one = 1;
	int ret;

	pthread_mutex_lock(&c->lock);
	while (c->pending && !c->closed)
		pthread_cond_wait(&c->cond, &c->lock);
	if (c->closed) {
		pthread_mutex_unlock(&c->lock);
		return -ESHUTDOWN;
	}
	c->fn = fn;
	c->arg = arg;
	c->pending = true;
	c->done = false;
	if (write(c->fd, &one, sizeof(one)) < 0)
		log_debug("control: eventfd write: %s", strerror(errno));
	while (!c->done && !c->closed)
		pthread_cond_wait(&c->cond, &c->lock);
	ret = c->done ? 0 : -ESHUTDOWN;
	c->pending = false;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	return ret;
}

void machine_ctl_serve(struct machine *m)
{
	struct machine_ctl *c = m->ctl;
	machine_cmd_fn fn = NULL;
	uint64_t v;
	void *arg;

	if (read(c->fd, &v, sizeof(v)) < 0)
		return;
	pthread_mutex_lock(&c->lock);
	if (c->pending && !c->done) {
		fn = c->fn;
		arg = c->arg;
	}
	pthread_mutex_unlock(&c->lock);
	if (!fn)
		return;
	fn(m, arg);
	pthread_mutex_lock(&c->lock);
	c->done = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void machine_ctl_close(struct machine_ctl *c)
{
	pthread_mutex_lock(&c->lock);
	c->closed = true;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void machine_ctl_free(struct machine_ctl *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* ------------------------------------------------------------------ */
/* lifecycle */

int machine_create(struct machine *m, struct vm_config *cfg)
{
	if (m->state != MACHINE_EMPTY)
		return -EBUSY;
	m->cfg = m->cfg_rw = cfg;
	m->cfg_owned = true;
	m->state = MACHINE_CREATED;
	return 0;
}

int machine_boot(struct machine *m)
{
	int ret;

	if (m->state != MACHINE_CREATED && m->state != MACHINE_SHUTDOWN)
		return -EBUSY;
	if (!m->set_up) {
		ret = machine_setup(m);
		if (ret)
			return ret;
	}
	ret = machine_vm_start(m);
	if (ret)
		return ret;
	m->state = MACHINE_RUNNING;
	return 0;
}

int machine_pause(struct machine *m)
{
	int ret;

	if (m->state != MACHINE_RUNNING)
		return -EBUSY;
	ret = vcpu_gate_pause(&m->gate, m->vm, PAUSE_TIMEOUT_MS);
	if (ret) {
		log_err("vm.pause", "the vCPUs did not stop within %d ms", PAUSE_TIMEOUT_MS);
		return ret;
	}
	m->state = MACHINE_PAUSED;
	return 0;
}

int machine_resume(struct machine *m)
{
	if (m->state != MACHINE_PAUSED)
		return -EBUSY;
	vcpu_gate_resume(&m->gate);
	m->state = MACHINE_RUNNING;
	return 0;
}

int machine_shutdown(struct machine *m)
{
	if (m->state != MACHINE_RUNNING && m->state != MACHINE_PAUSED)
		return -EBUSY;
	machine_vm_end(m, NULL);
	m->state = MACHINE_SHUTDOWN;
	return 0;
}

int machine_reboot(struct machine *m)
{
	int ret;

	if (m->state != MACHINE_RUNNING && m->state != MACHINE_PAUSED)
		return -EBUSY;
	machine_vm_end(m, NULL);
	log_info("vm.reboot: rebuilding the VM (boot %u)", m->boots + 1);
	ret = machine_vm_start(m);
	m->state = ret ? MACHINE_SHUTDOWN : MACHINE_RUNNING;
	return ret;
}

void machine_delete(struct machine *m)
{
	machine_vm_end(m, NULL);
	machine_release(m);
	if (m->cfg_owned) {
		config_free(m->cfg_rw);
		free(m->cfg_rw);
	}
	m->cfg = m->cfg_rw = NULL;
	m->cfg_owned = false;
	m->state = MACHINE_EMPTY;
}

void machine_exit(struct machine *m, int status)
{
	m->exit_now = true;
	m->exit_status = status;
}

/* ------------------------------------------------------------------ */
/* adding devices */

static const char *const kind_names[] = {
	[MACHINE_DEV_BLK] = "virtio-blk",
	[MACHINE_DEV_NET] = "virtio-net",
	[MACHINE_DEV_VSOCK] = "virtio-vsock",
};

static const struct vm_device_kind *kind_row(enum machine_dev kind)
{
	unsigned int k;

	for (k = 0; k < vm_nr_device_kinds; k++)
		if (!strcmp(vm_device_kinds[k].name, kind_names[kind]))
			return &vm_device_kinds[k];
	return NULL;
}

/* The configuration entry appended last removed and freed, with its host end. */
static void drop_entry(struct machine *m, enum machine_dev kind)
{
	struct vm_config *cfg = m->cfg_rw;
	struct net_config *n;
	struct blk_config *b;

	switch (kind) {
	case MACHINE_DEV_BLK:
		if (m->nr_disks == cfg->nr_blk)
			blk_image_close(&m->disks[--m->nr_disks]);
		b = &cfg->blk[--cfg->nr_blk];
		free(b->path);
		free(b->id);
		memset(b, 0, sizeof(*b));
		break;
	case MACHINE_DEV_NET:
		n = &cfg->net[--cfg->nr_net];
		free(n->tap);
		free(n->id);
		if (n->have_fd)
			close(n->fd);
		memset(n, 0, sizeof(*n));
		break;
	case MACHINE_DEV_VSOCK:
		vsock_listener_close(&m->vsock);
		free(cfg->vsock.uds);
		free(cfg->vsock.id);
		memset(&cfg->vsock, 0, sizeof(cfg->vsock));
		break;
	}
	machine_coco_cfg_changed(m);
}

int machine_add_device(struct machine *m, enum machine_dev kind, bool *hot, uint8_t *devfn)
{
	const struct vm_device_kind *row = kind_row(kind);
	const struct vm_config *cfg;
	unsigned int i;
	struct vm_pci_dev *d;
	int ret = 0;

	machine_coco_cfg_changed(m);	/* platform=sim's copy follows cfg_rw */
	cfg = m->cfg;
	i = kind == MACHINE_DEV_BLK ? cfg->nr_blk - 1 : kind == MACHINE_DEV_NET ? cfg->nr_net - 1 : 0;
	*hot = false;
	if (!row) {
		ret = -ENOENT;
		goto fail;
	}
	/* the host end now if the machine holds them, else at the first boot */
	if (m->set_up && row->host_open) {
		ret = row->host_open(m);
		if (ret)
			goto fail;
	}
	if (!m->vm)
		return 0;
	if (!pci_setup_present(m->vm)) {
		log_err(kind_names[kind], "the VM was built without a PCI bus");
		ret = -ENODEV;
		goto fail;
	}
	ret = pci_setup_add(m->vm, row, i, &d);
	if (ret)
		goto fail;
	*hot = true;
	*devfn = pci_setup_dev_devfn(d);
	return 0;
fail:
	drop_entry(m, kind);
	return ret;
}
