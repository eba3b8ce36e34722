/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_METRICS_H
#define CVMM_BROKER_METRICS_H

/*
 * Prometheus metrics of one broker process (GET /metrics, text format
 * 0.0.4):
 *
 *   cvmm_broker_requests_total{endpoint,code}          counter
 *   cvmm_broker_request_duration_seconds{endpoint}     histogram
 *   cvmm_broker_verdicts_total{event,verdict,reason}   counter
 *   cvmm_broker_audit_failures_total                   counter
 *   cvmm_broker_ready, cvmm_broker_replicas_live       gauges
 *   cvmm_broker_info{replica,store,version}            1
 *
 * endpoint: auth, attest, resource, admin, health, metrics, other.
 * A verdict is counted from its audit record (audit_write()): reason is
 * each failed check ("snp.tcb", "policy.measurement", …), "ok" for an
 * allow, "policy.none" (no policy), "resource.unknown", "policy.invalid",
 * the operation for admin events, else "error"; at most METRICS_VERDICT_ROWS
 * label sets (then reason="other").  Counters are updated lock-free except
 * the verdict table.
 */
#include <stdint.h>

#include "broker/store.h"

#define METRICS_VERDICT_ROWS	256

enum metrics_ep {
	MEP_AUTH, MEP_ATTEST, MEP_RESOURCE, MEP_ADMIN, MEP_HEALTH, MEP_METRICS, MEP_OTHER,
	MEP_N
};

struct broker;

/* The endpoint class of a request. */
enum metrics_ep metrics_endpoint(const char *method, const char *url);
/* One request answered with @status after @usec microseconds. */
void metrics_request(enum metrics_ep ep, int status, int64_t usec);
/* One audit record; @store_failed: the store did not take it. */
void metrics_verdict(const struct audit_record *r, int store_failed);
/* The exposition text (malloc'ed) of every metric; NULL when out of memory. */
char *metrics_render(struct broker *b, size_t *len);

#endif
