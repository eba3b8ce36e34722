// SPDX-License-Identifier: GPL-2.0-only
/* /healthz, /readyz, /metrics and the timed handler (see health.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "broker/broker.h"
#include "broker/fleet.h"
#include "broker/health.h"
#include "broker/metrics.h"
#include "util/err.h"

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void readyz(struct broker *b, struct http_response *r)
{
	struct err_msg why;
	const char *name = b->fleet ? b->fleet->name : "broker";

	if (fleet_ready(b, &why))
		kbs_json(r, 200, json_pack("{s:s,s:s,s:i}", "status", "ready", "replica", name,
					   "replicas_live", fleet_live(b)));
	else
		kbs_json(r, 503, json_pack("{s:s,s:s,s:s}", "status", "not ready",
					   "replica", name, "detail", why.msg));
}

static void metrics(struct broker *b, struct http_response *r)
{
	r->body = metrics_render(b, &r->body_len);
	r->status = r->body ? 200 : 500;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
}

void broker_serve(void *ctx, const struct http_request *req, struct http_response *r)
{
	struct broker *b = ctx;
	int64_t t0 = mono_us();
	enum metrics_ep ep = metrics_endpoint(req->method, req->url);
	bool get = !strcmp(req->method, "GET");

	if (ep == MEP_HEALTH && get && !strcmp(req->url, "/healthz"))
		kbs_json(r, 200, json_pack("{s:s}", "status", "ok"));
	else if (ep == MEP_HEALTH && get)
		readyz(b, r);
	else if (ep == MEP_METRICS && get)
		metrics(b, r);
	else if (ep == MEP_HEALTH || ep == MEP_METRICS)
		kbs_error(r, 405, "InvalidRequestPath", "method not allowed");
	else
		broker_handle(ctx, req, r);
	metrics_request(ep, r->status, mono_us() - t0);
}
