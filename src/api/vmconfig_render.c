// SPDX-License-Identifier: GPL-2.0-only
/*
 * struct vm_config back into Cloud Hypervisor's VmConfig (vm.info's
 * "config"): what the machine runs, not what a client sent -- defaults
 * filled in, ids assigned, devices added since vm.create included.
 */
#include <stdio.h>
#include <string.h>

#include "api/vmconfig.h"
#include "util/num.h"

static int set(json_t *o, const char *key, json_t *v)
{
	return v ? json_object_set_new(o, key, v) : -1;
}

static int set_str(json_t *o, const char *key, const char *s)
{
	return s ? set(o, key, json_string(s)) : 0;
}

static json_t *render_payload(const struct vm_config *cfg)
{
	json_t *p = json_object();
	char hex[65];
	int ret;

	if (!p)
		return NULL;
	ret = set_str(p, "firmware", cfg->firmware);
	ret |= set_str(p, "kernel", cfg->kernel ? cfg->kernel : cfg->pvh);
	ret |= set_str(p, "initramfs", cfg->initramfs);
	ret |= set_str(p, "cmdline", cfg->cmdline);
	if (cfg->coco.have_host_data) {
		hex_encode(cfg->coco.host_data, 32, hex);
		ret |= set_str(p, "host_data", hex);
	}
	if (ret) {
		json_decref(p);
		return NULL;
	}
	return p;
}

static json_t *render_disks(const struct vm_config *cfg)
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; a && i < cfg->nr_blk; i++) {
		const struct blk_config *b = &cfg->blk[i];

		if (json_array_append_new(a, json_pack("{s:s, s:b, s:b, s:s*}", "path", b->path,
						       "readonly", b->readonly, "direct", b->direct,
						       "id", b->id))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *render_net(const struct vm_config *cfg)
{
	json_t *a = json_array(), *n;
	unsigned int i;
	char mac[18];

	for (i = 0; a && i < cfg->nr_net; i++) {
		const struct net_config *c = &cfg->net[i];

		n = json_pack("{s:s*, s:s*}", "tap", c->tap, "id", c->id);
		if (n && c->have_mac) {
			snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", c->mac[0],
				 c->mac[1], c->mac[2], c->mac[3], c->mac[4], c->mac[5]);
			set_str(n, "mac", mac);
		}
		if (n && c->mtu)
			set(n, "mtu", json_integer(c->mtu));
		if (json_array_append_new(a, n)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static const char *serial_mode(const struct console_config *c)
{
	switch (c->kind) {
	case CONSOLE_STDIO:
		return "Tty";
	case CONSOLE_FILE:
		return "File";
	case CONSOLE_SOCKET:
		return "Socket";
	case CONSOLE_PTY:
		return "Pty";
	case CONSOLE_NONE:
	case CONSOLE_VIRTIO:
		break;
	}
	return "Off";
}

static int render_consoles(json_t *o, const struct vm_config *cfg)
{
	const struct console_config *c = &cfg->console;
	int ret;

	ret = set(o, "serial", json_pack("{s:s, s:s*, s:s*}", "mode", serial_mode(c), "file",
					 c->kind == CONSOLE_FILE ? c->path : NULL, "socket",
					 c->kind == CONSOLE_SOCKET ? c->path : NULL));
	ret |= set(o, "console", json_pack("{s:s, s:s*}", "mode",
					   c->kind == CONSOLE_VIRTIO ? "Tty" : "Off", "id",
					   cfg->console_id));
	if (cfg->debugcon.kind != CONSOLE_NONE)
		ret |= set(o, "debug_console",
			   json_pack("{s:s, s:s*, s:i}", "mode", serial_mode(&cfg->debugcon),
				     "file", cfg->debugcon.kind == CONSOLE_FILE ?
				     cfg->debugcon.path : NULL, "iobase", 0x402));
	return ret;
}

static int render_devices(json_t *o, const struct vm_config *cfg)
{
	int ret;

	ret = set(o, "disks", render_disks(cfg));
	ret |= set(o, "net", render_net(cfg));
	if (cfg->entropy)
		ret |= set(o, "rng", json_pack("{s:s, s:s*}", "src", "/dev/urandom", "id",
					       cfg->rng_id));
	if (cfg->vsock.enabled)
		ret |= set(o, "vsock", json_pack("{s:I, s:s, s:s*}", "cid",
						 (json_int_t)cfg->vsock.cid, "socket",
						 cfg->vsock.uds, "id", cfg->vsock.id));
	return ret;
}

/* cpus.nested: false hid VMX and SVM */
static bool hides_vmx(const struct vm_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->cpu.nr_features; i++)
		if (!strcmp(cfg->cpu.features[i], "-vmx"))
			return true;
	return false;
}

/* The platform as a --coco spec (the files an SNP ID block came from are not named). */
static const char *coco_spec(const struct coco_config *c, char *buf, size_t len)
{
	if (c->type == COCO_TDX)
		snprintf(buf, len, "tdx,attr=0x%llx", (unsigned long long)c->tdx_attr);
	else
		snprintf(buf, len, "%s,policy=0x%llx", c->type == COCO_SNP ? "snp" : "sev",
			 (unsigned long long)c->policy);
	return buf;
}

json_t *vmconfig_render(const struct vm_config *cfg)
{
	unsigned int max = cfg->cpu.max_count ? cfg->cpu.max_count : cfg->cpu.count;
	json_t *o = json_object();
	char spec[64];
	int ret;

	if (!o)
		return NULL;
	ret = set(o, "payload", render_payload(cfg));
	ret |= set(o, "cpus", json_pack("{s:i, s:i, s:b}", "boot_vcpus", (int)cfg->cpu.count,
					"max_vcpus", (int)max, "nested", !hides_vmx(cfg)));
	ret |= set(o, "memory", json_pack("{s:I, s:b}", "size", (json_int_t)cfg->mem.size,
					  "shared", cfg->mem.shared));
	ret |= render_devices(o, cfg);
	ret |= render_consoles(o, cfg);
	ret |= set(o, "platform", json_pack("{s:b, s:b}", "tdx", cfg->coco.type == COCO_TDX,
					    "sev_snp", cfg->coco.type == COCO_SNP));
	if (cfg->coco.type != COCO_NONE)
		ret |= set(o, "cvmm", json_pack("{s:s}", "coco", coco_spec(&cfg->coco, spec,
									   sizeof(spec))));
	if (ret) {
		json_decref(o);
		return NULL;
	}
	return o;
}
