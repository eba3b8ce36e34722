/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_KVM_QGS_H
#define CVMM_COCO_KVM_QGS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A client of Intel's TDX quote generation service (QGS) on an AF_UNIX
 * stream socket: send one GET_QUOTE_REQ with a TD report, read one
 * GET_QUOTE_RESP (coco/exit_parse.h has the message format).  Blocking,
 * with a deadline of @timeout_ms; gives up early when @stop becomes true
 * (checked when a signal interrupts the wait).
 *
 * Returns 0 with the quote in @quote (*@quote_len bytes), -ECONNREFUSED /
 * -ENOENT when nothing listens (the guest is told QGS_UNAVAILABLE),
 * -ETIMEDOUT, -EBADMSG for a malformed or failed response, -E2BIG when
 * the quote does not fit @cap, or another -errno.
 */
int qgs_get_quote(const char *path, const uint8_t *report, uint32_t report_len,
		  uint8_t *quote, size_t cap, size_t *quote_len, int timeout_ms,
		  const atomic_bool *stop);

#endif
