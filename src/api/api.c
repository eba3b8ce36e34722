// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API: routing, body checks and the server's glue (see
 * api/api.h).  The endpoints are api_vm.c's and api_dev.c's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_internal.h"
#include "util/log.h"

#define API_PREFIX	"/api/v1/"
#define F_BODY		1u	/* a JSON body is required */
#define F_FDS		2u	/* file descriptors may come with it */

static const struct route {
	const char *name;		/* after /api/v1/ */
	const char *method;
	void (*fn)(struct api_call *c);
	unsigned int flags;
} routes[] = {
	{ "vmm.ping", "GET", ep_ping, 0 },
	{ "vmm.shutdown", "PUT", ep_vmm_shutdown, 0 },
	{ "vm.create", "PUT", ep_create, F_BODY },
	{ "vm.delete", "PUT", ep_delete, 0 },
	{ "vm.info", "GET", ep_info, 0 },
	{ "vm.boot", "PUT", ep_boot, 0 },
	{ "vm.pause", "PUT", ep_pause, 0 },
	{ "vm.resume", "PUT", ep_resume, 0 },
	{ "vm.shutdown", "PUT", ep_shutdown, 0 },
	{ "vm.reboot", "PUT", ep_reboot, 0 },
	{ "vm.add-disk", "PUT", ep_add_disk, F_BODY },
	{ "vm.add-net", "PUT", ep_add_net, F_BODY | F_FDS },
	{ "vm.add-vsock", "PUT", ep_add_vsock, F_BODY },
	{ "vm.coco", "GET", ep_coco, 0 },
};

/* Cloud Hypervisor's other endpoints: cvmm answers 501. */
static const char *const not_implemented[] = {
	"vm.counters", "vm.power-button", "vm.resize", "vm.resize-disk", "vm.resize-zone",
	"vm.add-device", "vm.remove-device", "vm.add-fs", "vm.add-generic-vhost-user",
	"vm.add-pmem", "vm.add-vdpa", "vm.add-user-device", "vm.snapshot", "vm.coredump",
	"vm.nmi", "vm.restore", "vm.receive-migration", "vm.send-migration",
};

void api_fail(struct api_call *c, int status, const char *fmt, ...)
{
	va_list ap;

	c->status = status;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
}

void api_run(struct api_call *c, machine_cmd_fn fn)
{
	if (machine_ctl_call(c->api->ctl, fn, c))
		api_fail(c, 503, "the VMM is shutting down");
}

bool api_state_ok(struct api_call *c, const struct machine *m, unsigned int ok_mask,
		  const char *why_not)
{
	if (ok_mask & API_ST(m->state))
		return true;
	if (m->state == MACHINE_EMPTY)
		api_fail(c, 404, "no VM is created (vm.create first)");
	else
		api_fail(c, 405, "%s", why_not);
	return false;
}

static const struct route *find_route(const char *name, const char *method, bool *known)
{
	unsigned int i;

	*known = false;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].name, name))
			continue;
		*known = true;
		if (!strcmp(routes[i].method, method))
			return &routes[i];
	}
	return NULL;
}

static bool is_json_type(const char *ct)
{
	size_t n = strlen("application/json");

	return !*ct || (!strncasecmp(ct, "application/json", n) &&
			(!ct[n] || ct[n] == ';' || ct[n] == ' '));
}

/* The JSON body, checked against the route; false with the error in @c. */
static bool read_body(struct api_call *c, const struct route *r)
{
	const struct http_request *req = c->req;
	json_error_t e;

	if (c->nr_fds && !(r->flags & F_FDS)) {
		api_fail(c, 400, "%s takes no file descriptors", r->name);
		return false;
	}
	if (!req->body_len) {
		if (r->flags & F_BODY)
			api_fail(c, 400, "%s needs a JSON body", r->name);
		return !(r->flags & F_BODY);
	}
	if (!(r->flags & F_BODY)) {
		api_fail(c, 400, "%s takes no body", r->name);
		return false;
	}
	if (!is_json_type(req->content_type)) {
		api_fail(c, 415, "the body must be application/json");
		return false;
	}
	c->body = json_loadb((const char *)req->body, req->body_len,
			     JSON_REJECT_DUPLICATES, &e);
	if (!c->body) {
		api_fail(c, 400, "malformed JSON at line %d, column %d: %s", e.line, e.column,
			 e.text);
		return false;
	}
	return true;
}

static void answer(struct api_call *c, struct api_response *resp)
{
	if (c->status >= 300) {
		api_response_error(resp, c->status, "%s", c->msg);
		return;
	}
	resp->status = c->out ? 200 : 204;
	if (c->out) {
		resp->body = json_dumps(c->out, JSON_COMPACT);
		resp->len = resp->body ? strlen(resp->body) : 0;
		if (!resp->body)
			api_response_error(resp, 500, "out of memory");
	}
}

static bool not_implemented_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(not_implemented) / sizeof(not_implemented[0]); i++)
		if (!strcmp(name, not_implemented[i]))
			return true;
	return false;
}

/* Find the endpoint and run it, or say why not. */
static void route(struct api_call *c, struct api_response *resp)
{
	const struct http_request *req = c->req;
	const char *name = req->target + strlen(API_PREFIX);
	const struct route *r;
	bool known;

	if (strncmp(req->target, API_PREFIX, strlen(API_PREFIX))) {
		api_fail(c, 404, "no such endpoint: %s", req->target);
		return;
	}
	r = find_route(name, req->method, &known);
	if (!r && known) {
		bool get = !strcmp(req->method, "GET");

		api_fail(c, 405, "%s takes %s", name, get ? "PUT" : "GET");
		resp->extra = get ? "Allow: PUT\r\n" : "Allow: GET\r\n";
	} else if (!r && not_implemented_name(name)) {
		api_fail(c, 501, "cvmm does not implement %s", name);
	} else if (!r) {
		api_fail(c, 404, "no such endpoint: %s", req->target);
	} else if (read_body(c, r)) {
		r->fn(c);
	}
}

void api_handle(void *opaque, const struct http_request *req, int *fds, unsigned int nr_fds,
		struct api_response *resp)
{
	struct api_call c = { .api = opaque, .req = req, .fds = fds, .nr_fds = nr_fds };

	route(&c, resp);
	answer(&c, resp);
	json_decref(c.body);
	json_decref(c.out);
	if (c.cfg) {
		config_free(c.cfg);
		free(c.cfg);
	}
}

/* ------------------------------------------------------------------ */
/* the server */

int api_open(const struct api_opts *o, struct api **out)
{
	struct api_server_config sc = { .path = o->socket, .handler = api_handle };
	struct api *a = calloc(1, sizeof(*a));
	char why[256];
	int ret;

	if (!a)
		return log_errno("--api-socket", -ENOMEM);
	a->dry_run = o->dry_run;
	sc.opaque = a;
	ret = api_server_create(&sc, &a->server, why, sizeof(why));
	if (ret) {
		log_err("--api-socket", "%s: %s", o->socket, why);
		free(a);
		return ret;
	}
	*out = a;
	return 0;
}

int api_ctl_start(void *opaque, struct machine_ctl *ctl)
{
	struct api *a = opaque;
	int ret;

	a->ctl = ctl;
	ret = api_server_start(a->server);
	if (ret)
		log_err("--api-socket", "cannot start the API thread: %s", strerror(-ret));
	return ret;
}

void api_ctl_stop(void *opaque)
{
	struct api *a = opaque;

	api_server_stop(a->server);
}

void api_close(struct api *a)
{
	if (!a)
		return;
	api_server_destroy(a->server);
	free(a);
}
