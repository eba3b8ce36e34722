/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_CLIENT_H
#define CVMM_API_CLIENT_H

#include <stddef.h>

/*
 * A minimal client of the control API (cvmm ctl): one request per
 * connection ("Connection: close"), optional file descriptors sent with
 * it (SCM_RIGHTS), the response read whole (at most API_CLIENT_MAX bytes,
 * Content-Length bodies), within @timeout_ms.
 */

#define API_CLIENT_MAX		(1 << 20)

struct api_client_result {
	int status;
	char *body;		/* malloc'ed, NUL-terminated ("" without a body) */
	size_t len;
};

/*
 * Send @method @path (e.g. "/api/v1/vm.info") with the JSON @body (or
 * NULL) to the socket @sock.  0 with @res filled (any status), or -errno
 * with the reason in @why.
 */
int api_client_call(const char *sock, const char *method, const char *path, const char *body,
		    const int *fds, unsigned int nr_fds, int timeout_ms,
		    struct api_client_result *res, char *why, size_t whylen);
void api_client_result_free(struct api_client_result *res);

#endif
