/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_ALOG_H
#define CVMM_AGENT_ALOG_H

/*
 * cvmm-agent's messages: every error is one line "cvmm-agent: <what>:
 * <why>" on stderr (the guest console in an initramfs).  Progress lines
 * ("cvmm-agent: attested", ...) print at the normal level, details only
 * with -v.  Nothing that is or derives from key material is ever passed
 * to these functions; what the broker sends back is printed only as its
 * error reason, cut to one line of printable ASCII (alog_clean()).
 */
#include <stddef.h>

#include "util/compiler.h"

extern int alog_level;	/* 0 quiet, 1 normal, 2 verbose */

void alog_err(const char *what, const char *fmt, ...) __printf(2, 3);
void alog_info(const char *fmt, ...) __printf(1, 2);
void alog_debug(const char *fmt, ...) __printf(1, 2);

/* "cvmm-agent: <what>: <strerror(-err)>"; returns @err. */
int alog_errno(const char *what, int err);

/*
 * Copy at most @n bytes of outside text into @out (size @outlen) as one
 * line: bytes outside printable ASCII become '?', the result is cut with
 * "..." when it does not fit.
 */
void alog_clean(const char *in, size_t n, char *out, size_t outlen);

#endif
