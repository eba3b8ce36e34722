/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_ERR_H
#define CVMM_UTIL_ERR_H

/*
 * Why a parser or loader refused its input, as one human-readable clause
 * ("offset 0x40: truncated digest", "unknown key \"alow_debug\"").  The
 * library fills it and returns a negative errno; the caller prints it
 * ("cvmm: <what>: <msg>"), records it (a verdict's detail, the audit log)
 * or wraps it with err_prefix().  A fixed buffer, so reporting never fails
 * (a longer message is cut); every setter accepts a NULL @e (the caller
 * does not want the reason).  Reports of many checks use struct verdict
 * (attest/verdict.h) instead.
 */
#include <stdarg.h>

#include "util/compiler.h"

#define ERR_MSG_LEN	256

struct err_msg {
	char msg[ERR_MSG_LEN];
};

void err_set(struct err_msg *e, const char *fmt, ...) __printf(2, 3);
void err_vset(struct err_msg *e, const char *fmt, va_list ap) __printf(2, 0);
/* err_set(), then returns @ret: "return err_fail(e, -EINVAL, ...);". */
int err_fail(struct err_msg *e, int ret, const char *fmt, ...) __printf(3, 4);
/* Put "<prefix>: " in front of the message already set. */
void err_prefix(struct err_msg *e, const char *fmt, ...) __printf(2, 3);

#endif
