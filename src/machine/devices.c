// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of virtio device kinds (see machine/devices.h): the glue from
 * the options (--blk, --net, --entropy, --vsock, --console virtio) to
 * each device's create function, and the messages that name the option.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "devices/virtio/blk.h"
#include "devices/virtio/console.h"
#include "devices/virtio/net.h"
#include "devices/virtio/rng.h"
#include "devices/virtio/vsock.h"
#include "machine/devices.h"
#include "machine/machine.h"
#include "machine/vm.h"
#include "util/compiler.h"
#include "util/log.h"

/* A device's warnings, as the option it came from. */
static void log_warnings(const char *what, const char *prefix, const struct dev_err *err)
{
	unsigned int i;

	for (i = 0; i < err->nr_warn; i++)
		log_warn(what, "%s%s", prefix, err->warn[i]);
}

/* ---- --blk path=FILE: virtio-blk on a locked image ---- */

static unsigned int blk_count(const struct vm_config *cfg)
{
	return cfg->nr_blk;
}

static int blk_host_open(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	int ret;

	/* the images not open yet (the API adds disks one by one) */
	for (; m->nr_disks < cfg->nr_blk; m->nr_disks++) {
		const struct blk_config *b = &cfg->blk[m->nr_disks];
		struct dev_err err = { 0 };

		ret = blk_image_open(&m->disks[m->nr_disks], b->path, b->readonly, b->direct,
				     " (add readonly=on?)", &err);
		log_warnings(b->path, "", &err);
		if (ret) {
			log_err(b->path, "%s", err.msg);
			return ret;
		}
	}
	return 0;
}

static void blk_host_close(struct machine *m)
{
	while (m->nr_disks)
		blk_image_close(&m->disks[--m->nr_disks]);
}

static int blk_create(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
		      struct virtio_dev **out)
{
	int ret = blk_dev_create(&vm->machine->disks[i], env, out);

	if (ret)
		log_err(env->name, "cannot create the virtio-blk device: %s", strerror(-ret));
	return ret;
}

/* ---- --net tap=NAME: virtio-net on a tap device ---- */

static unsigned int net_count(const struct vm_config *cfg)
{
	return cfg->nr_net;
}

static int net_create(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
		      struct virtio_dev **out)
{
	const struct net_config *c = &vm->cfg->net[i];
	struct net_dev_config nc = {
		.tap = c->tap, .mac = c->have_mac ? c->mac : NULL, .mtu = c->mtu,
		.vnet_hdr = c->vnet_hdr,
	};
	struct dev_err err = { 0 };
	char prefix[64];
	int ret;

	snprintf(prefix, sizeof(prefix), "tap=%s: ", c->tap);
	if (c->have_fd) {
		/* a tap passed through the API: each boot's device owns a dup */
		int fd = fcntl(c->fd, F_DUPFD_CLOEXEC, 3);

		ret = fd < 0 ? -errno : net_dev_create_fd(fd, &nc, env, out);
		if (ret)
			log_err("--net", "%scannot create the virtio-net device: %s", prefix,
				strerror(-ret));
		return ret;
	}
	ret = net_dev_create(&nc, env, out, &err);
	log_warnings("--net", prefix, &err);
	if (ret)
		log_err("--net", "%s%s", prefix, err.msg);
	return ret;
}

/* ---- --entropy: virtio-rng ---- */

static unsigned int rng_count(const struct vm_config *cfg)
{
	return cfg->entropy;
}

static int rng_create(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
		      struct virtio_dev **out)
{
	int ret = rng_dev_create(env, out);

	if (ret)
		log_err("--entropy", "cannot create the virtio-rng device: %s", strerror(-ret));
	return ret;
}

/* ---- --vsock cid=N,uds=PATH: virtio-vsock bridged to AF_UNIX ---- */

static unsigned int vsock_count(const struct vm_config *cfg)
{
	return cfg->vsock.enabled;
}

static int vsock_host_open(struct machine *m)
{
	const char *uds = m->cfg->vsock.uds;
	struct dev_err err = { 0 };
	int ret;

	if (!m->cfg->vsock.enabled || m->vsock.path)
		return 0;
	ret = vsock_listener_open(&m->vsock, uds, &err);
	if (ret)
		log_err("--vsock", "uds=%s: %s", uds, err.msg);
	return ret;
}

static void vsock_host_close(struct machine *m)
{
	vsock_listener_close(&m->vsock);
}

static int vsock_create(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
			struct virtio_dev **out)
{
	int ret = vsock_dev_create(vm->cfg->vsock.cid, &vm->machine->vsock, env, out);

	if (ret)
		log_err("--vsock", "cannot create the virtio-vsock device: %s", strerror(-ret));
	return ret;
}

/* ---- --console virtio: virtio-console on stdio ---- */

static unsigned int console_count(const struct vm_config *cfg)
{
	return cfg->console.kind == CONSOLE_VIRTIO;
}

static int console_create(struct vm *vm, unsigned int i, const struct virtio_dev_env *env,
			  struct virtio_dev **out)
{
	int ret = console_dev_create(vm->machine->console.out_fd, env, out);

	if (ret)
		log_err("--console", "cannot create the virtio-console device: %s",
			strerror(-ret));
	return ret;
}

const struct vm_device_kind vm_device_kinds[] = {
	{ .name = "virtio-blk", .numbered = true, .count = blk_count,
	  .host_open = blk_host_open, .host_close = blk_host_close, .create = blk_create },
	{ .name = "virtio-net", .numbered = true, .count = net_count, .create = net_create },
	{ .name = "virtio-rng", .count = rng_count, .create = rng_create },
	{ .name = "virtio-vsock", .count = vsock_count, .host_open = vsock_host_open,
	  .host_close = vsock_host_close, .create = vsock_create },
	{ .name = "virtio-con", .count = console_count, .create = console_create,
	  .console_input = console_dev_input },
};
const unsigned int vm_nr_device_kinds = ARRAY_SIZE(vm_device_kinds);

bool vm_devices_wanted(const struct vm_config *cfg)
{
	unsigned int k;

	if (cfg->pci_bus)
		return true;
	for (k = 0; k < vm_nr_device_kinds; k++)
		if (vm_device_kinds[k].count(cfg))
			return true;
	return false;
}

int vm_devices_host_open(struct machine *m)
{
	unsigned int k;
	int ret;

	for (k = 0; k < vm_nr_device_kinds; k++) {
		if (!vm_device_kinds[k].host_open)
			continue;
		ret = vm_device_kinds[k].host_open(m);
		if (ret)
			return ret;
	}
	return 0;
}

void vm_devices_host_close(struct machine *m)
{
	unsigned int k;

	for (k = vm_nr_device_kinds; k--;)
		if (vm_device_kinds[k].host_close)
			vm_device_kinds[k].host_close(m);
}
