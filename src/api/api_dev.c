// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm.add-disk, vm.add-net (with the tap's fds), vm.add-vsock (see
 * api/api.h): parsed on the API thread, added on the main thread through
 * the machine's device table (machine_add_device()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "api/vmconfig.h"
#include "devices/pci/pci.h"
#include "devices/virtio/net.h"
#include "util/log.h"

#define ADDABLE	(API_ST(MACHINE_CREATED) | API_ST(MACHINE_RUNNING) | \
		 API_ST(MACHINE_PAUSED) | API_ST(MACHINE_SHUTDOWN))

static char **dev_id(struct api_call *c)
{
	switch (c->kind) {
	case MACHINE_DEV_BLK:
		return &c->dev.blk.id;
	case MACHINE_DEV_NET:
		return &c->dev.net.id;
	case MACHINE_DEV_VSOCK:
		break;
	}
	return &c->dev.vsock.id;
}

/* The parsed entry, not handed to the machine: freed. */
static void dev_free(struct api_call *c)
{
	switch (c->kind) {
	case MACHINE_DEV_BLK:
		free(c->dev.blk.path);
		free(c->dev.blk.id);
		break;
	case MACHINE_DEV_NET:
		free(c->dev.net.tap);
		free(c->dev.net.id);
		if (c->dev.net.have_fd)
			close(c->dev.net.fd);
		break;
	case MACHINE_DEV_VSOCK:
		free(c->dev.vsock.uds);
		free(c->dev.vsock.id);
		break;
	}
	memset(&c->dev, 0, sizeof(c->dev));
}

/* Append the entry to the machine's configuration (it takes it); 409/400 if it cannot. */
static bool dev_append(struct api_call *c, struct vm_config *cfg)
{
	switch (c->kind) {
	case MACHINE_DEV_BLK:
		if (cfg->nr_blk == CONFIG_MAX_BLK) {
			api_fail(c, 400, "the VM has %d disks, cvmm's most", CONFIG_MAX_BLK);
			return false;
		}
		cfg->blk[cfg->nr_blk++] = c->dev.blk;
		break;
	case MACHINE_DEV_NET:
		if (cfg->nr_net == CONFIG_MAX_NET) {
			api_fail(c, 400, "the VM has %d network devices, cvmm's most",
				 CONFIG_MAX_NET);
			return false;
		}
		cfg->net[cfg->nr_net++] = c->dev.net;
		break;
	case MACHINE_DEV_VSOCK:
		if (cfg->vsock.enabled) {
			api_fail(c, 409, "the VM has a vsock device already");
			return false;
		}
		cfg->vsock = c->dev.vsock;
		break;
	}
	memset(&c->dev, 0, sizeof(c->dev));
	return true;
}

static void m_add(struct machine *m, void *arg)
{
	static const char *const kinds[] = { "disk", "net", "vsock" };
	struct api_call *c = arg;
	char **id = dev_id(c), name[80], line[400], bdf[16];
	uint8_t devfn = 0;
	bool hot;
	int ret;

	if (!api_state_ok(c, m, ADDABLE, ""))
		return;
	if (*id && vmconfig_id_taken(m->cfg, *id)) {
		api_fail(c, 409, "a device with the id \"%s\" exists", *id);
		return;
	}
	if (!*id)
		*id = vmconfig_new_id(m->cfg, kinds[c->kind]);
	if (!*id) {
		api_fail(c, 500, "out of memory");
		return;
	}
	snprintf(name, sizeof(name), "%s", *id);
	if (!dev_append(c, m->cfg_rw))
		return;
	log_capture_begin(line, sizeof(line), false);
	ret = machine_add_device(m, c->kind, &hot, &devfn);
	log_capture_end();
	if (ret) {
		api_fail(c, 500, "vm.add-%s: %s", kinds[c->kind], line[0] ? line : strerror(-ret));
		return;
	}
	if (!hot)
		return;		/* on the bus when the VM boots: 204 */
	snprintf(bdf, sizeof(bdf), "0000:00:%02x.%x", PCI_SLOT(devfn), devfn & 7);
	c->out = json_pack("{s:s, s:s}", "id", name, "bdf", bdf);
	if (!c->out)
		api_fail(c, 500, "out of memory");
}

static void add(struct api_call *c)
{
	api_run(c, m_add);
	dev_free(c);
}

void ep_add_disk(struct api_call *c)
{
	char why[VMCONFIG_WHY_LEN];

	c->kind = MACHINE_DEV_BLK;
	if (vmconfig_parse_disk(c->body, "", &c->dev.blk, why, sizeof(why))) {
		api_fail(c, 400, "vm.add-disk: %s", why);
		dev_free(c);
		return;
	}
	add(c);
}

/* The tap's fds: the first is the device's, others are queues it does not use. */
static int adopt_tap(struct api_call *c, struct net_config *n)
{
	struct dev_err err = { 0 };
	char name[16];
	bool vnet_hdr;

	if (net_tap_adopt(c->fds[0], c->fds + 1, c->nr_fds - 1, name, &vnet_hdr, &err)) {
		api_fail(c, 400, "vm.add-net: %s", err.msg);
		return -EINVAL;
	}
	if (n->tap && strcmp(n->tap, name)) {
		api_fail(c, 400, "vm.add-net: tap: \"%s\", but the fd passed is tap %s",
			 n->tap, name);
		return -EINVAL;
	}
	if (!n->tap)
		n->tap = strdup(name);
	if (!n->tap) {
		api_fail(c, 500, "out of memory");
		return -ENOMEM;
	}
	n->fd = c->fds[0];
	n->have_fd = true;
	n->vnet_hdr = vnet_hdr;
	c->fds[0] = -1;		/* ours now; the server closes the other queues' */
	return 0;
}

void ep_add_net(struct api_call *c)
{
	char why[VMCONFIG_WHY_LEN];

	c->kind = MACHINE_DEV_NET;
	if (vmconfig_parse_net(c->body, "", c->nr_fds > 0, &c->dev.net, why, sizeof(why))) {
		api_fail(c, 400, "vm.add-net: %s", why);
		dev_free(c);
		return;
	}
	if (c->nr_fds && adopt_tap(c, &c->dev.net)) {
		dev_free(c);
		return;
	}
	add(c);
}

void ep_add_vsock(struct api_call *c)
{
	char why[VMCONFIG_WHY_LEN];

	c->kind = MACHINE_DEV_VSOCK;
	if (vmconfig_parse_vsock(c->body, "", &c->dev.vsock, why, sizeof(why))) {
		api_fail(c, 400, "vm.add-vsock: %s", why);
		dev_free(c);
		return;
	}
	add(c);
}
