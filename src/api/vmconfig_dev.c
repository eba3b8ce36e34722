// SPDX-License-Identifier: GPL-2.0-only
/*
 * The devices of a VmConfig (disks, net, rng, vsock) and their ids (see
 * api/vmconfig.h; docs/api.md has the table).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/vmconfig.h"
#include "api/vmconfig_internal.h"

#define ID_MAX		64

static int check_id(struct jctx *j, const json_t *o, char **out)
{
	const char *id;
	size_t i;
	int ret = jstr(j, o, "id", &id);

	if (ret || !id)
		return ret;
	for (i = 0; id[i]; i++)
		if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
			return jfail(j, "id", "control character in the id");
	if (i > ID_MAX)
		return jfail(j, "id", "longer than %d characters", ID_MAX);
	*out = strdup(id);
	return *out ? 0 : -ENOMEM;
}

int vmconfig_parse_disk(const json_t *o, const char *path, struct blk_config *b,
			char *why, size_t len)
{
	static const char *const keys[] = { "path", "readonly", "direct", "iommu",
		"num_queues", "queue_size", "vhost_user", "vhost_socket", "rate_limiter_config",
		"pci_segment", "pci_device_id", "id", "serial", "rate_limit_group",
		"queue_affinity", "backing_files", "sparse", "image_type", "lock_granularity",
		NULL };
	static const char *const raw[] = { "Raw", NULL };
	static const char *const byte_range[] = { "ByteRange", NULL };
	struct jctx j = { why, len, path };
	const char *file;
	int ret;

	if (!json_is_object(o))
		return jfail(&j, NULL, "expected an object (DiskConfig)");
	ret = jkeys(&j, o, keys);
	if (!ret)
		ret = jonly_bool(&j, o, "vhost_user", false, "cvmm has no vhost-user devices");
	if (!ret)
		ret = jabsent(&j, o, "vhost_socket", "cvmm has no vhost-user devices");
	if (!ret)
		ret = jstr(&j, o, "path", &file);
	if (!ret && !file)
		ret = jfail(&j, "path", "required (the raw image or block device)");
	if (!ret)
		ret = jbool(&j, o, "readonly", &b->readonly);
	if (!ret)
		ret = jbool(&j, o, "direct", &b->direct);
	if (!ret)
		ret = jpci_fields(&j, o);
	/* hints: cvmm serves one queue of 256 (the guest negotiates what is offered) */
	if (!ret)
		ret = jhint_int(&j, o, "num_queues", 1, 256);
	if (!ret)
		ret = jhint_int(&j, o, "queue_size", 1, 32768);
	if (!ret)
		ret = jabsent(&j, o, "rate_limiter_config", "cvmm has no I/O rate limiting");
	if (!ret)
		ret = jabsent(&j, o, "rate_limit_group", "cvmm has no I/O rate limiting");
	if (!ret)
		ret = jabsent(&j, o, "serial", "cvmm gives the serial itself (device:inode)");
	if (!ret)
		ret = jabsent(&j, o, "queue_affinity", "cvmm serves a disk from one thread");
	if (!ret)
		ret = jonly_bool(&j, o, "backing_files", false, "cvmm opens raw images only");
	if (!ret)
		ret = jonly_bool(&j, o, "sparse", true, "cvmm punches holes on discard");
	if (!ret)
		ret = jonly_str(&j, o, "image_type", raw, "cvmm opens raw images only");
	if (!ret)
		ret = jonly_str(&j, o, "lock_granularity", byte_range,
				"cvmm locks byte ranges, as QEMU does");
	if (!ret)
		ret = check_id(&j, o, &b->id);
	if (!ret) {
		b->path = strdup(file);
		ret = b->path ? 0 : -ENOMEM;
	}
	return ret;
}

static int parse_mac(struct jctx *j, const json_t *o, const char *key, uint8_t mac[6],
		     bool *have)
{
	const char *s;
	unsigned int i, v[6];
	char end;
	int ret = jstr(j, o, key, &s);

	if (ret || !s)
		return ret;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6 || strlen(s) != 17)
		return jfail(j, key, "\"%s\": expected six hex pairs like 52:54:00:12:34:56", s);
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	if (mac[0] & 1)
		return jfail(j, key, "\"%s\" is a multicast address", s);
	*have = true;
	return 0;
}

static int net_unsupported(struct jctx *j, const json_t *o)
{
	static const char *const ip[] = { "192.168.249.1", NULL };
	static const char *const mask[] = { "255.255.255.0", NULL };
	static const char *const modes[] = { "Client", "Server", NULL };
	int ret;

	ret = jonly_str(j, o, "ip", ip, "cvmm does not configure the host side of the tap");
	if (!ret)
		ret = jonly_str(j, o, "mask", mask,
				"cvmm does not configure the host side of the tap");
	if (!ret)
		ret = jabsent(j, o, "host_mac", "cvmm does not set the tap's address");
	if (!ret)
		ret = jonly_bool(j, o, "vhost_user", false, "cvmm has no vhost-user devices");
	if (!ret)
		ret = jabsent(j, o, "vhost_socket", "cvmm has no vhost-user devices");
	if (!ret)
		ret = jonly_str(j, o, "vhost_mode", modes, "expected Client or Server");
	if (!ret)
		ret = jabsent(j, o, "rate_limiter_config", "cvmm has no I/O rate limiting");
	if (!ret)
		ret = jonly_int(j, o, "num_queues", 2,
				"cvmm's virtio-net has one queue pair (num_queues 2)");
	/* hints: cvmm offers 256 entries and no offloads */
	if (!ret)
		ret = jhint_int(j, o, "queue_size", 1, 32768);
	if (!ret)
		ret = jhint_bool(j, o, "offload_tso");
	if (!ret)
		ret = jhint_bool(j, o, "offload_ufo");
	if (!ret)
		ret = jhint_bool(j, o, "offload_csum");
	return ret;
}

int vmconfig_parse_net(const json_t *o, const char *path, bool have_fd, struct net_config *n,
		       char *why, size_t len)
{
	static const char *const keys[] = { "tap", "ip", "mask", "mac", "host_mac", "mtu",
		"iommu", "num_queues", "queue_size", "vhost_user", "vhost_socket", "vhost_mode",
		"id", "pci_segment", "pci_device_id", "rate_limiter_config", "offload_tso",
		"offload_ufo", "offload_csum", NULL };
	struct jctx j = { why, len, path };
	const char *tap;
	int64_t mtu = 0;
	int ret;

	if (!json_is_object(o))
		return jfail(&j, NULL, "expected an object (NetConfig)");
	ret = jkeys(&j, o, keys);
	if (!ret)
		ret = net_unsupported(&j, o);
	if (!ret)
		ret = jpci_fields(&j, o);
	if (!ret)
		ret = jstr(&j, o, "tap", &tap);
	if (!ret && tap && strlen(tap) > 15)
		ret = jfail(&j, "tap", "an interface name has at most 15 characters");
	if (!ret && !tap && !have_fd)
		ret = jfail(&j, "tap", "required: name a tap, or pass its fd with vm.add-net");
	if (!ret)
		ret = parse_mac(&j, o, "mac", n->mac, &n->have_mac);
	if (!ret)
		ret = jint(&j, o, "mtu", 68, 65535, &mtu, NULL);
	if (!ret)
		ret = check_id(&j, o, &n->id);
	if (ret)
		return ret;
	n->mtu = (uint16_t)mtu;
	if (tap) {
		n->tap = strdup(tap);
		if (!n->tap)
			return -ENOMEM;
	}
	return 0;
}

int vmconfig_parse_vsock(const json_t *o, const char *path, struct vsock_config *v,
			 char *why, size_t len)
{
	static const char *const keys[] = { "cid", "socket", "iommu", "pci_segment",
		"pci_device_id", "id", NULL };
	struct jctx j = { why, len, path };
	const char *sock;
	int64_t cid = 0;
	bool have = false;
	int ret;

	if (!json_is_object(o))
		return jfail(&j, NULL, "expected an object (VsockConfig)");
	ret = jkeys(&j, o, keys);
	if (!ret)
		ret = jint(&j, o, "cid", 3, 0xfffffffeLL, &cid, &have);
	if (!ret && !have)
		ret = jfail(&j, "cid", "required (3 to 4294967294)");
	if (!ret)
		ret = jstr(&j, o, "socket", &sock);
	if (!ret && !sock)
		ret = jfail(&j, "socket", "required (the host AF_UNIX socket path)");
	if (!ret)
		ret = jpci_fields(&j, o);
	if (!ret)
		ret = check_id(&j, o, &v->id);
	if (ret)
		return ret;
	v->uds = strdup(sock);
	if (!v->uds)
		return -ENOMEM;
	v->cid = (uint64_t)cid;
	v->enabled = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* ids */

bool vmconfig_id_taken(const struct vm_config *cfg, const char *id)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_blk; i++)
		if (cfg->blk[i].id && !strcmp(cfg->blk[i].id, id))
			return true;
	for (i = 0; i < cfg->nr_net; i++)
		if (cfg->net[i].id && !strcmp(cfg->net[i].id, id))
			return true;
	return (cfg->vsock.id && !strcmp(cfg->vsock.id, id)) ||
	       (cfg->rng_id && !strcmp(cfg->rng_id, id)) ||
	       (cfg->console_id && !strcmp(cfg->console_id, id));
}

char *vmconfig_new_id(const struct vm_config *cfg, const char *kind)
{
	char id[ID_MAX + 1];
	unsigned int n;

	/* CH numbers every device in one sequence: "_disk0", "_net1", ... */
	n = cfg->nr_blk + cfg->nr_net + cfg->vsock.enabled + cfg->entropy +
	    (cfg->console.kind == CONSOLE_VIRTIO);
	do
		snprintf(id, sizeof(id), "_%s%u", kind, n++);
	while (vmconfig_id_taken(cfg, id));
	return strdup(id);
}

static int assign(struct vm_config *cfg, char **id, const char *kind, unsigned int *n)
{
	char buf[ID_MAX + 1];

	if (*id)
		return 0;
	do
		snprintf(buf, sizeof(buf), "_%s%u", kind, (*n)++);
	while (vmconfig_id_taken(cfg, buf));
	*id = strdup(buf);
	return *id ? 0 : -ENOMEM;
}

int vmconfig_assign_ids(struct vm_config *cfg)
{
	unsigned int i, n = 0;
	int ret = 0;

	for (i = 0; !ret && i < cfg->nr_blk; i++)
		ret = assign(cfg, &cfg->blk[i].id, "disk", &n);
	for (i = 0; !ret && i < cfg->nr_net; i++)
		ret = assign(cfg, &cfg->net[i].id, "net", &n);
	if (!ret && cfg->entropy)
		ret = assign(cfg, &cfg->rng_id, "rng", &n);
	if (!ret && cfg->vsock.enabled)
		ret = assign(cfg, &cfg->vsock.id, "vsock", &n);
	if (!ret && cfg->console.kind == CONSOLE_VIRTIO)
		ret = assign(cfg, &cfg->console_id, "console", &n);
	return ret;
}
