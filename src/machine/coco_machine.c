// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the confidential launch keeps for the whole machine, across guest
 * resets (machine/coco.h): the certificate table of certs=DIR, and the
 * simulated platform of platform=sim — each boot's launch on src/sim, the
 * plain VM that runs the guest, the simulated firmware's report service
 * on vsock port 4051.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devices/virtio/vsock_service.h"
#include "machine/coco_internal.h"
#include "machine/machine.h"
#include "sim/sim_tee.h"
#include "util/log.h"
#include "util/num.h"
#include "util/err.h"

#define SIM_TEE_WORKERS	4

struct machine_coco {
	const struct vm_config *user_cfg;	/* what was asked (--coco …) */
	struct coco_certs certs;		/* certs=DIR */
	bool have_certs, certs_warned;
	/* platform=sim */
	struct vm_config launch_cfg;	/* the launch: the user's, without host-end devices */
	struct vm_config plain_cfg;	/* the VM that runs: the user's, without --coco */
	struct sim_tee *tee;
	struct vsock_service *svc;
	unsigned int launches;
	struct sim_launch last;		/* the last launch's record */
};

const struct coco_certs *machine_coco_certs(struct machine *m)
{
	return m->coco && m->coco->have_certs ? &m->coco->certs : NULL;
}

void machine_coco_certs_skipped(struct machine *m, const char *why)
{
	if (!m->coco || m->coco->certs_warned)
		return;
	m->coco->certs_warned = true;
	log_warn("--coco", "certs=%s: %s", m->coco->user_cfg->coco.certs_dir, why);
}

static int open_certs(struct machine_coco *mc, const char *dir)
{
	struct err_msg why;
	int ret = coco_certs_load(dir, &mc->certs, &why);

	if (ret) {
		log_err("--coco", "certs=: %s", why.msg);
		return ret;
	}
	mc->have_certs = true;
	return 0;
}

/* The simulated firmware: the test CA, and its port on the vsock device. */
static int open_sim_tee(struct machine *m, struct machine_coco *mc)
{
	const struct vm_config *cfg = mc->user_cfg;
	struct sim_ca ca;
	struct err_msg why;
	int ret;

	if (cfg->coco.sim_ca_dir) {
		ret = sim_ca_load(cfg->coco.sim_ca_dir, &ca, &why);
		if (ret) {
			log_err("--coco", "sim-ca=: %s", why.msg);
			return ret;
		}
	} else {
		log_warn("--coco", "platform=sim without sim-ca=DIR: the guest's report "
			 "requests are refused (make a test chain with `cvmm sim-ca init DIR`)");
	}
	ret = sim_tee_create(cfg->coco.sim_ca_dir ? &ca : NULL, &mc->tee);
	if (ret) {
		if (cfg->coco.sim_ca_dir)
			sim_ca_free(&ca);
		return log_errno("--coco", ret);
	}
	if (!cfg->vsock.enabled) {
		log_info("--coco: platform=sim without --vsock: no report service (vsock "
			 "port %u)", SIMTEE_VSOCK_PORT);
		return 0;
	}
	ret = vsock_service_create(SIMTEE_VSOCK_PORT, sim_tee_serve, mc->tee,
				   SIM_TEE_WORKERS, &mc->svc);
	if (!ret)
		ret = vsock_service_attach(mc->svc, &m->vsock);
	return ret ? log_errno("--coco: the report service", ret) : 0;
}

static int open_sim(struct machine *m, struct machine_coco *mc)
{
	const struct vm_config *cfg = mc->user_cfg;

	log_warn("--coco", "platform=sim: a SIMULATED %s launch; the guest runs as a plain "
		 "KVM guest: its memory is NOT encrypted and NOT protected from this host, "
		 "and its attestation reports are signed by a TEST key%s",
		 coco_type_name(cfg->coco.type),
		 cfg->coco.sim_ca_dir ? " (sim-ca=): trust them only in tests" : "");
	/* the launch needs no device: the disks, sockets and taps stay the plain VM's */
	mc->launch_cfg = *cfg;
	mc->launch_cfg.nr_blk = 0;
	mc->launch_cfg.nr_net = 0;
	mc->launch_cfg.vsock.enabled = false;
	mc->launch_cfg.entropy = false;
	m->cfg = &mc->plain_cfg;
	machine_coco_cfg_changed(m);
	return open_sim_tee(m, mc);
}

void machine_coco_cfg_changed(struct machine *m)
{
	struct machine_coco *mc = m->coco;

	if (!mc || m->cfg != &mc->plain_cfg)
		return;
	mc->plain_cfg = *mc->user_cfg;
	mc->plain_cfg.coco.type = COCO_NONE;	/* .platform stays: vm_coco_prepare() */
	mc->plain_cfg.coco.launched_as = mc->user_cfg->coco.type;	/* the same layout */
}

const struct vm_config *machine_coco_user_cfg(const struct machine *m)
{
	return m->coco ? m->coco->user_cfg : m->cfg;
}

const struct sim_launch *machine_coco_sim_launch(const struct machine *m)
{
	return m->coco && m->coco->launches ? &m->coco->last : NULL;
}

int machine_coco_open(struct machine *m)
{
	const struct coco_config *cc = &m->cfg->coco;
	struct machine_coco *mc;
	int ret = 0;

	if (cc->type == COCO_NONE || (!cc->certs_dir && cc->platform != COCO_PLATFORM_SIM))
		return 0;
	mc = calloc(1, sizeof(*mc));
	if (!mc)
		return log_errno("--coco", -ENOMEM);
	mc->user_cfg = m->cfg;
	m->coco = mc;
	if (cc->certs_dir)
		ret = open_certs(mc, cc->certs_dir);
	if (!ret && cc->platform == COCO_PLATFORM_SIM)
		ret = open_sim(m, mc);
	return ret;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Build the launch VM on @s as --dry-run does; its record in @got. */
static int sim_launch_on(struct machine *m, struct sim *s, struct sim_launch *got)
{
	struct machine_coco *mc = m->coco;
	struct kvm_sys real = m->kvm;
	const struct vm_config *plain = m->cfg;
	struct vm vm;
	int ret;

	memset(&m->kvm, 0, sizeof(m->kvm));
	m->kvm.fd = -1;
	sim_install(s, &m->kvm);
	m->cfg = &mc->launch_cfg;
	ret = vm_create(&vm, m);
	if (!ret)
		ret = vm_coco_sim_result(&vm, "--coco", got);
	vm_destroy(&vm);
	kvm_sys_close(&m->kvm);
	m->kvm = real;
	m->cfg = plain;
	return ret;
}

int machine_coco_boot(struct machine *m)
{
	struct machine_coco *mc = m->coco;
	struct sim_config sc = { .vmm_order = true };
	struct sim_launch got;
	struct timespec t0;
	char hex[2 * 48 + 1];
	struct sim *s;
	int ret;

	if (!mc || !mc->tee)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sc.platform = mc->user_cfg->coco.type;
	ret = sim_create(&sc, &s);
	if (ret)
		return log_errno("--coco: the simulated platform", ret);
	ret = sim_launch_on(m, s, &got);	/* prints why it failed */
	sim_put(s);
	if (ret)
		return ret;
	ret = sim_tee_set_launch(mc->tee, &got);
	if (ret)
		return log_errno("--coco: the report service", ret);
	mc->launches++;
	mc->last = got;
	hex_encode(got.digest, got.len, hex);
	log_info("--coco: platform=sim: launch %u measured %s (%.1f ms)", mc->launches, hex,
		 ms_since(&t0));
	return 0;
}

void machine_coco_close(struct machine *m)
{
	struct machine_coco *mc = m->coco;

	if (!mc)
		return;
	m->cfg = mc->user_cfg;
	vsock_service_destroy(mc->svc);	/* no device uses it any more */
	sim_tee_destroy(mc->tee);
	coco_certs_free(&mc->certs);
	free(mc);
	m->coco = NULL;
}
