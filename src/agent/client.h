/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_CLIENT_H
#define CVMM_AGENT_CLIENT_H

/*
 * One key fetch: auth -> evidence -> attest -> resource (rcar.h), retried
 * with back-off (1 s doubling to 16 s) until a total deadline on what may
 * pass (an unreachable or overloaded broker, an expired session, a
 * simulated platform not listening yet), given up at once on what will not
 * (the broker refuses: 4xx other than 401; the pin does not match;
 * evidence that cannot be produced).
 */
#include <stdbool.h>
#include <stdint.h>

#include "agent/config.h"
#include "agent/unlock.h"

/* Exit statuses of cvmm-agent (docs/agent.md). */
enum {
	AGENT_EXIT_OK = 0,
	AGENT_EXIT_USAGE = 1,		/* bad options or configuration */
	AGENT_EXIT_DENIED = 2,		/* the broker refused (reason printed) */
	AGENT_EXIT_UNREACHABLE = 3,	/* no key by the deadline */
	AGENT_EXIT_EVIDENCE = 4,	/* no evidence provider / report */
	AGENT_EXIT_UNLOCK = 5,		/* the disk could not be opened/mounted */
	AGENT_EXIT_TLS = 6,		/* TLS failure or pin mismatch */
};

/*
 * Fetch the configured resource into @key.  Returns an AGENT_EXIT_*
 * status; every failure has printed one line saying why.
 */
int agent_fetch_key(const struct agent_config *c, bool insecure_http,
		    uint64_t deadline, struct keybuf *key);

#endif
