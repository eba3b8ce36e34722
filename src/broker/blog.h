/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_BLOG_H
#define CVMM_BROKER_BLOG_H

/*
 * Structured logs: one JSON object per line on stderr,
 *   {"ts":"2026-01-01T00:00:00.123Z","level":"info","event":"attest",...}
 * Callers never put key material in @fields (secrets, DEKs, KEKs, private
 * keys); evidence digests, measurements, session ids and verdicts are fine.
 */
#include <jansson.h>

/* Log @event at @level ("info", "warn", "error") with @fields (consumed; may be NULL). */
void blog(const char *level, const char *event, json_t *fields);

/*
 * One-line messages for people (command-line errors): "cvmm-broker: <what>:
 * <why>" and "cvmm-broker: warning: <what>: <why>" on stderr.
 */
void berr(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void bwarn(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
