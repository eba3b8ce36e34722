/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_HEALTH_H
#define CVMM_BROKER_HEALTH_H

/*
 * What load balancers and operators ask a replica, besides the protocol:
 *
 *   GET /healthz   200 {"status":"ok"} while the process serves (liveness)
 *   GET /readyz    200 {"status":"ready","replica":…} when the last beat
 *                  (fleet.h) found the store reachable, its schema current
 *                  and, in a fleet, the fleet's KEK held; else 503
 *                  {"status":"not ready","detail":"<why>"}; 503 from
 *                  SIGTERM on, so the balancer drains the replica first
 *   GET /metrics   Prometheus text (metrics.h)
 *
 * No authentication: they reveal counts and health, never secrets,
 * sessions or policies.  broker_serve() is the HTTP handler of `serve`:
 * these three, then the KBS router, every request timed into the metrics.
 */
#include "broker/http.h"

void broker_serve(void *ctx, const struct http_request *req, struct http_response *r);

#endif
