// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMM's and the VM's lifecycle endpoints (see api/api.h).  ep_*() run
 * on the API thread; m_*() on the machine's main thread.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_internal.h"
#include "api/vmconfig.h"
#include "util/log.h"

#ifndef CVMM_VERSION
#define CVMM_VERSION "0.1.0"
#endif

#define BOOTED	(API_ST(MACHINE_RUNNING) | API_ST(MACHINE_PAUSED))
#define ANY	(API_ST(MACHINE_CREATED) | API_ST(MACHINE_RUNNING) | \
		 API_ST(MACHINE_PAUSED) | API_ST(MACHINE_SHUTDOWN))

static const char *const state_names[] = {
	[MACHINE_EMPTY] = "Created",	/* never shown: 404 */
	[MACHINE_CREATED] = "Created",
	[MACHINE_RUNNING] = "Running",
	[MACHINE_PAUSED] = "Paused",
	[MACHINE_SHUTDOWN] = "Shutdown",
};

/* A machine step that failed: 500 with the line it printed. */
static void fail_500(struct api_call *c, const char *what, const char *line, int ret)
{
	api_fail(c, 500, "%s: %s", what, line[0] ? line : strerror(-ret));
}

void ep_ping(struct api_call *c)
{
	c->out = json_pack("{s:s, s:s, s:I, s:[s, s]}", "version", CVMM_VERSION,
			   "build_version", "cvmm " CVMM_VERSION, "pid", (json_int_t)getpid(),
			   "features", "cvmm", "vm.coco");
	if (!c->out)
		api_fail(c, 500, "out of memory");
}

static void m_vmm_shutdown(struct machine *m, void *arg)
{
	machine_exit(m, 0);
}

void ep_vmm_shutdown(struct api_call *c)
{
	api_run(c, m_vmm_shutdown);
}

static void m_create(struct machine *m, void *arg)
{
	struct api_call *c = arg;

	if (m->state != MACHINE_EMPTY) {
		api_fail(c, 405, "a VM is created already (vm.delete first)");
		return;
	}
	machine_create(m, c->cfg);
	c->cfg = NULL;		/* the machine's now */
}

void ep_create(struct api_call *c)
{
	char why[VMCONFIG_WHY_LEN];

	c->cfg = malloc(sizeof(*c->cfg));
	if (!c->cfg) {
		api_fail(c, 500, "out of memory");
		return;
	}
	config_init(c->cfg);
	if (vmconfig_parse(c->body, c->cfg, why, sizeof(why))) {
		api_fail(c, 400, "vm.create: %s", why);
		return;
	}
	c->cfg->dry_run = c->api->dry_run;
	api_run(c, m_create);
}

static void m_delete(struct machine *m, void *arg)
{
	machine_delete(m);
}

void ep_delete(struct api_call *c)
{
	api_run(c, m_delete);
}

static void m_info(struct machine *m, void *arg)
{
	struct api_call *c = arg;

	if (!api_state_ok(c, m, ANY, ""))
		return;
	c->out = json_pack("{s:o?, s:s, s:I}", "config", vmconfig_render(m->cfg), "state",
			   state_names[m->state], "memory_actual_size",
			   (json_int_t)m->cfg->mem.size);
	if (!c->out || !json_is_object(json_object_get(c->out, "config")))
		api_fail(c, 500, "out of memory");
}

void ep_info(struct api_call *c)
{
	api_run(c, m_info);
}

static void m_boot(struct machine *m, void *arg)
{
	struct api_call *c = arg;
	char line[512];
	int ret;

	if (!api_state_ok(c, m, API_ST(MACHINE_CREATED) | API_ST(MACHINE_SHUTDOWN),
			  "the VM is booted already"))
		return;
	log_capture_begin(line, sizeof(line), false);
	ret = machine_boot(m);
	log_capture_end();
	if (ret)
		fail_500(c, "vm.boot", line, ret);
}

void ep_boot(struct api_call *c)
{
	api_run(c, m_boot);
}

static void m_pause(struct machine *m, void *arg)
{
	struct api_call *c = arg;
	char line[512];
	int ret;

	if (!api_state_ok(c, m, API_ST(MACHINE_RUNNING), m->state == MACHINE_PAUSED ?
			  "the VM is paused already" : "the VM is not running"))
		return;
	log_capture_begin(line, sizeof(line), false);
	ret = machine_pause(m);
	log_capture_end();
	if (ret)
		fail_500(c, "vm.pause", line, ret);
}

void ep_pause(struct api_call *c)
{
	api_run(c, m_pause);
}

static void m_resume(struct machine *m, void *arg)
{
	struct api_call *c = arg;

	if (api_state_ok(c, m, API_ST(MACHINE_PAUSED), "the VM is not paused"))
		machine_resume(m);
}

void ep_resume(struct api_call *c)
{
	api_run(c, m_resume);
}

static void m_shutdown(struct machine *m, void *arg)
{
	struct api_call *c = arg;

	if (api_state_ok(c, m, BOOTED, "the VM is not booted"))
		machine_shutdown(m);
}

void ep_shutdown(struct api_call *c)
{
	api_run(c, m_shutdown);
}

static void m_reboot(struct machine *m, void *arg)
{
	struct api_call *c = arg;
	char line[512];
	int ret;

	if (!api_state_ok(c, m, BOOTED, "the VM is not booted"))
		return;
	log_capture_begin(line, sizeof(line), false);
	ret = machine_reboot(m);
	log_capture_end();
	if (ret)
		fail_500(c, "vm.reboot", line, ret);
}

void ep_reboot(struct api_call *c)
{
	api_run(c, m_reboot);
}

static void m_coco(struct machine *m, void *arg)
{
	struct api_call *c = arg;

	if (!api_state_ok(c, m, ANY, ""))
		return;
	c->out = api_coco_info(m);
	if (!c->out)
		api_fail(c, 500, "out of memory");
}

void ep_coco(struct api_call *c)
{
	api_run(c, m_coco);
}
