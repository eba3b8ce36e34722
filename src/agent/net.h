/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_NET_H
#define CVMM_AGENT_NET_H

/*
 * Deadlines and vsock streams for the agent: every wait the agent does is
 * bounded by one absolute deadline (CLOCK_MONOTONIC milliseconds), so the
 * whole run ends by the configured timeout whatever a peer does.
 */
#include <stddef.h>
#include <stdint.h>

/* Now, in CLOCK_MONOTONIC milliseconds. */
uint64_t agent_now_ms(void);

/* Milliseconds left until @deadline (0 when passed), capped at INT32_MAX. */
int agent_ms_left(uint64_t deadline);

/* Where a stream goes: vsock CID:PORT, or a UNIX socket (relays, tests). */
struct agent_addr {
	enum { ADDR_VSOCK, ADDR_UNIX } kind;
	uint32_t cid, port;
	char path[108];
};

/*
 * Parse "vsock:CID:PORT" (CID >= 2) or "unix:/ABSOLUTE/PATH".
 * Returns 0 or -EINVAL.
 */
int agent_addr_parse(const char *s, struct agent_addr *a);

/* "vsock:2:4051" / "unix:/path" into @buf. */
void agent_addr_format(const struct agent_addr *a, char *buf, size_t size);

/*
 * A connected, blocking stream socket to @a, or a negative errno
 * (-ETIMEDOUT when @deadline passes first).
 */
int agent_connect(const struct agent_addr *a, uint64_t deadline);

/*
 * Write all @len bytes / read exactly @len bytes, waiting at most until
 * @deadline.  Returns 0, -ETIMEDOUT, -EPIPE (peer closed early), -errno.
 */
int fd_send_all(int fd, const void *buf, size_t len, uint64_t deadline);
int fd_recv_all(int fd, void *buf, size_t len, uint64_t deadline);

#endif
