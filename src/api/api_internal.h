/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_API_INTERNAL_H
#define CVMM_API_API_INTERNAL_H

#include "api/api.h"
#include "machine/config.h"

/* Shared by api.c (routing, the server), api_vm.c and api_dev.c (the endpoints). */

struct api {
	struct api_server *server;
	struct machine_ctl *ctl;
	bool dry_run;
};

/* One request on its way to the machine's main thread and back. */
struct api_call {
	struct api *api;
	const struct http_request *req;
	json_t *body;			/* the parsed JSON body, or NULL */
	int *fds;
	unsigned int nr_fds;
	/* the result: status (0: 200 with @out, or 204 without) and reason */
	int status;
	char msg[512];
	json_t *out;
	/* what the API thread parsed for the main thread */
	struct vm_config *cfg;
	enum machine_dev kind;
	union {
		struct blk_config blk;
		struct net_config net;
		struct vsock_config vsock;
	} dev;
};

/* Run @fn(m, @c) on the machine's main thread (503 if the VMM is stopping). */
void api_run(struct api_call *c, machine_cmd_fn fn);
/* Set an error result: @status and the reason. */
void api_fail(struct api_call *c, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The state as the API names it: 404 (no VM) unless one of @ok; 405 otherwise. */
bool api_state_ok(struct api_call *c, const struct machine *m, unsigned int ok_mask,
		  const char *why_not);
#define API_ST(s)	(1u << (s))

/* The endpoints (api_vm.c, api_dev.c) */
void ep_ping(struct api_call *c);
void ep_vmm_shutdown(struct api_call *c);
void ep_create(struct api_call *c);
void ep_delete(struct api_call *c);
void ep_info(struct api_call *c);
void ep_boot(struct api_call *c);
void ep_pause(struct api_call *c);
void ep_resume(struct api_call *c);
void ep_shutdown(struct api_call *c);
void ep_reboot(struct api_call *c);
void ep_coco(struct api_call *c);
void ep_add_disk(struct api_call *c);
void ep_add_net(struct api_call *c);
void ep_add_vsock(struct api_call *c);

#endif
