/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_API_H
#define CVMM_API_API_H

#include <jansson.h>
#include <stdbool.h>

#include "api/server.h"
#include "machine/machine.h"

/*
 * The control API (docs/api.md): Cloud Hypervisor's endpoint names, body
 * shapes and status codes for what Kata Containers' clh driver uses, on
 * the UNIX socket of `cvmm boot --api-socket PATH` / `cvmm api`, plus
 * cvmm's GET /api/v1/vm.coco.
 *
 *   GET  /api/v1/vmm.ping      200 VmmPingResponse
 *   PUT  /api/v1/vmm.shutdown  204; the VMM exits (status 0)
 *   PUT  /api/v1/vm.create     204; 400 a VmConfig cvmm cannot honour; 405 a VM exists
 *   PUT  /api/v1/vm.delete     204
 *   GET  /api/v1/vm.info       200 VmInfo; 404 no VM
 *   PUT  /api/v1/vm.boot       204; 404; 405 booted already; 500 the boot failed
 *   PUT  /api/v1/vm.pause      204; 404; 405 not running
 *   PUT  /api/v1/vm.resume     204; 404; 405 not paused
 *   PUT  /api/v1/vm.shutdown   204; 404; 405 not booted
 *   PUT  /api/v1/vm.reboot     204; 404; 405 not booted; 500
 *   PUT  /api/v1/vm.add-disk   200 PciDeviceInfo (running VM) or 204 (not
 *   PUT  /api/v1/vm.add-net         booted: added at boot); 400; 404; 409
 *   PUT  /api/v1/vm.add-vsock       the id (or a second vsock); 500
 *   GET  /api/v1/vm.coco       200 the confidential launch; 404 no VM
 *
 * Other endpoints of Cloud Hypervisor's document answer 501, unknown
 * paths 404, a wrong method 405 (with Allow).  Error bodies are
 * {"error": "<one line>"}.  vm.add-net takes the tap's file descriptor(s)
 * as SCM_RIGHTS ancillary data sent with the request's bytes.
 *
 * The API thread parses and checks each request; what changes the
 * machine runs on the machine's main thread (machine_ctl_call()).
 */

struct api;

struct api_opts {
	const char *socket;
	bool dry_run;		/* vm.create's VMs run on the simulated platform */
};

/* Create the socket (prints "cvmm: --api-socket: PATH: <why>" on failure). */
int api_open(const struct api_opts *o, struct api **out);
/* machine_serve()'s callbacks: start the API thread / stop it. */
int api_ctl_start(void *opaque, struct machine_ctl *ctl);
void api_ctl_stop(void *opaque);
void api_close(struct api *a);

/* Serve one request (api_server_config.handler; exported for tests). */
void api_handle(void *opaque, const struct http_request *req, int *fds, unsigned int nr_fds,
		struct api_response *resp);

/*
 * GET vm.coco's body for the VM of @m (api/coco_info.c; main thread):
 * platform, policy or TD attributes, host data, the state of the launch,
 * and once launched the measurement (the object `cvmm measure --json`
 * will print).
 */
json_t *api_coco_info(const struct machine *m);

#endif
