/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_RELAY_H
#define CVMM_AGENT_RELAY_H

/*
 * An in-process byte relay from a private abstract UNIX socket to vsock,
 * so that libcurl can reach a broker over vsock: curl connects to the
 * abstract socket (CURLOPT_ABSTRACT_UNIX_SOCKET) and a thread pipes the
 * bytes to an AF_VSOCK connection it opens for each accepted one.  The TLS
 * session stays end to end between curl and the broker; the relay sees
 * only ciphertext.  (libcurl 7.88, Debian 12's, cannot use a vsock socket
 * handed over by CURLOPT_OPENSOCKETFUNCTION: it either calls connect()
 * again on a connected socket, curl issue 10626, or refuses a non-IP
 * address family.)
 *
 * The abstract name is random; only connections from this very process
 * (SO_PEERCRED) are relayed, others are closed at once.  At most
 * RELAY_MAX_PAIRS connections at a time; each direction is half-closed
 * when its source ends.
 */
#include <stddef.h>
#include <stdint.h>

#include "agent/net.h"

#define RELAY_MAX_PAIRS	4

struct relay;

/*
 * Start relaying to @to.  @name receives the abstract socket's name
 * (without the leading NUL byte).  Returns 0 or -errno.
 */
int relay_start(const struct agent_addr *to, struct relay **out,
		char *name, size_t namelen);

/* The deadline for the vsock connections opened from now on. */
void relay_set_deadline(struct relay *r, uint64_t deadline);

/* The last error connecting to the target (0: none), and clear it. */
int relay_take_error(struct relay *r);

void relay_stop(struct relay *r);

#endif
