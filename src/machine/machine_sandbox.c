// SPDX-License-Identifier: GPL-2.0-only
/*
 * The machine's side of the sandbox (machine/machine_sandbox.h): the
 * needs of a run, the paths it was given, what must happen before the
 * main thread is locked, and the taps opened once.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "devices/virtio/net.h"
#include "machine/devices.h"
#include "machine/machine_sandbox.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

#define MAX_PATHS	(8 + CONFIG_MAX_BLK + 32)

static uint32_t needs_of(const struct vm_config *cfg, bool api)
{
	uint32_t n = 0;

	if (api || !cfg)
		return SANDBOX_NEED_ALL;	/* devices and VMs come and go */
	if (cfg->nr_blk)
		n |= SANDBOX_NEED_BLK;
	if (cfg->nr_net)
		n |= SANDBOX_NEED_NET;
	if (cfg->vsock.enabled)
		n |= SANDBOX_NEED_VSOCK;
	if (cfg->entropy)
		n |= SANDBOX_NEED_RNG;
	if (cfg->coco.type == COCO_TDX && cfg->coco.qgs_path)
		n |= SANDBOX_NEED_QGS;
	if (cfg->dry_run || cfg->coco.platform == COCO_PLATFORM_SIM)
		n |= SANDBOX_NEED_SIM;
	/* coco_machine.c: platform=sim serves its reports on vsock in-process */
	if (cfg->coco.platform == COCO_PLATFORM_SIM && cfg->vsock.enabled)
		n |= SANDBOX_NEED_VSOCK_SERVICE;
	if (vm_devices_wanted(cfg))
		n |= SANDBOX_NEED_DEVICES;
	return n;
}

int machine_sandbox_arm(const struct vm_config *cfg, bool api)
{
	return sandbox_arm(needs_of(cfg, api));
}

/* ---- the paths ---- */

struct path_list {
	struct sandbox_path p[MAX_PATHS];
	unsigned int n;
};

static void add(struct path_list *l, const char *path, unsigned int access)
{
	if (path && l->n < MAX_PATHS)
		l->p[l->n++] = (struct sandbox_path){ .path = path, .access = access };
}

static bool coco_sev_hw(const struct vm_config *cfg)
{
	return !cfg->dry_run && (cfg->coco.type == COCO_SEV || cfg->coco.type == COCO_SEV_ES ||
				 cfg->coco.type == COCO_SNP);
}

static void collect_paths(const struct vm_config *cfg, struct path_list *l)
{
	unsigned int i;

	add(l, cfg->kernel, SANDBOX_READ);
	add(l, cfg->pvh, SANDBOX_READ);
	add(l, cfg->initramfs, SANDBOX_READ);
	add(l, cfg->firmware, SANDBOX_READ);
	for (i = 0; i < cfg->nr_fw_cfg; i++)
		add(l, cfg->fw_cfg[i].file, SANDBOX_READ);
	add(l, cfg->coco.id_block_path, SANDBOX_READ);
	add(l, cfg->coco.id_auth_path, SANDBOX_READ);
	for (i = 0; i < cfg->nr_blk; i++)
		add(l, cfg->blk[i].path, SANDBOX_READ | (cfg->blk[i].readonly ? 0 : SANDBOX_WRITE));
	if (cfg->console.kind == CONSOLE_FILE)
		add(l, cfg->console.path, SANDBOX_WRITE);
	if (cfg->console.kind == CONSOLE_SOCKET)	/* removed at exit */
		add(l, cfg->console.path, SANDBOX_REMOVE);
	if (cfg->debugcon.kind == CONSOLE_FILE)
		add(l, cfg->debugcon.path, SANDBOX_WRITE);
	if (cfg->vsock.enabled) {
		/* guest connections go to <uds>_<port>; the socket is removed at exit */
		add(l, cfg->vsock.uds, SANDBOX_SOCKETS_NEXT);
		add(l, "/proc/self/fd", SANDBOX_LIST);	/* the connection limit */
	}
	if (cfg->coco.type == COCO_TDX)
		add(l, cfg->coco.qgs_path, SANDBOX_CONNECT);
	if (coco_sev_hw(cfg))	/* opened again at each boot */
		add(l, cfg->dev_sev ? cfg->dev_sev : "/dev/sev", SANDBOX_DEVICE);
}

/* ---- before the lock ---- */

/*
 * Does the run use OpenSSL after the lock?  The confidential launch
 * (measurement, ID block, the simulated platform's signatures) does, at
 * each boot, and an API's later VMs may be confidential; a plain VM never
 * does (nothing else in boot links to it).
 */
static bool uses_openssl(const struct vm_config *cfg, bool api)
{
	return api || !cfg || cfg->coco.type != COCO_NONE || cfg->igvm || cfg->dry_run;
}

/*
 * What opens files the first time it is used, done while it may: OpenSSL
 * reads its configuration at its first digest (the launch measurement).
 * Only for a run that will use it: the initialisation costs more CPU than
 * the whole start of a plain VM otherwise (and a clean-up at exit).
 */
static void warm_up(void)
{
	static const char *const mds[] = { "SHA256", "SHA384", "SHA512" };
	unsigned int i;

	OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, NULL);
	for (i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
		EVP_MD_free(EVP_MD_fetch(NULL, mds[i], NULL));
}

/* The terminal's settings back, from the SIGSYS report (async-signal-safe). */
static const struct console *locked_console;

static void restore_terminal(void)
{
	const struct console *c = locked_console;

	if (c && c->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
}

int machine_sandbox_lock(struct machine *m, bool api)
{
	static struct path_list l;
	struct sandbox_lock_params p = {
		.api = api,
		.on_violation = restore_terminal,
	};

	if (sandbox_locked())
		return 0;
	l.n = 0;
	if (m->cfg) {
		collect_paths(m->cfg, &l);
		p.keep_ipc_lock = coco_sev_hw(m->cfg) && m->cfg->coco.type != COCO_SNP;
	}
	p.paths = l.p;
	p.nr_paths = l.n;
	if (uses_openssl(m->cfg, api))
		warm_up();
	locked_console = &m->console;
	return sandbox_lock(&p) ? -EPERM : 0;
}

/* ---- taps ---- */

int machine_open_taps(struct machine *m)
{
	struct vm_config *cfg = m->cfg_rw;
	unsigned int i, w;

	for (i = 0; i < cfg->nr_net; i++) {
		struct net_config *n = &cfg->net[i];
		struct dev_err err = { 0 };
		int fd;

		if (n->have_fd)
			continue;
		fd = net_tap_open(n->tap, n->mtu, &err);
		for (w = 0; w < err.nr_warn; w++)
			log_warn("--net", "tap=%s: %s", n->tap, err.warn[w]);
		if (fd < 0) {
			log_err("--net", "tap=%s: %s", n->tap, err.msg);
			return fd;
		}
		n->fd = fd;
		n->have_fd = true;
		n->vnet_hdr = false;
	}
	return 0;
}
