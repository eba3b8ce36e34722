/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_KDS_H
#define CVMM_BROKER_KDS_H

/*
 * Fetching a missing VCEK from AMD's Key Distribution Service (or a mirror)
 * for hosts that have the network (--kds-url, e.g. https://kdsintf.amd.com).
 *
 * The request is the KDS URL of the report's chip and TCB
 * (/vcek/v1/<product>/<hwid>?blSPL=…&teeSPL=…&snpSPL=…&ucodeSPL=…, Turin with
 * fmcSPL first), the same name the offline directory uses (certs_offline.h):
 * a fetched certificate is written there (--certs DIR) and never fetched
 * again.  KDS rate-limits: on 429 or 503 the client backs off — for the
 * Retry-After seconds when the answer gives them, else 1 s doubling up to
 * 5 minutes — and until then every fetch fails at once with -EAGAIN instead
 * of hammering the service.  A fetched certificate is untrusted like any
 * other: it must chain to the AMD roots.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "attest/snp/report.h"
#include "util/err.h"

#define KDS_TIMEOUT_S		10
#define KDS_BACKOFF_MAX_MS	(5 * 60 * 1000)

struct kds {
	char *url;			/* base URL, no trailing slash */
	char *cache_dir;		/* --certs DIR, or NULL */
	pthread_mutex_t lock;
	int64_t not_before_ms;		/* back-off: no request before this */
	int64_t backoff_ms;		/* the next back-off without Retry-After */
};

int kds_init(struct kds *k, const char *url, const char *cache_dir);
void kds_free(struct kds *k);

/*
 * Fetch the VCEK for @report and append it to @certs.  0, -EAGAIN (rate
 * limited or backing off: *retry_s says for how long), -ENOENT (KDS has no
 * such certificate), -EIO (network or malformed answer); @why says which.
 */
int kds_fetch_vcek(struct kds *k, const uint8_t report[SNP_REPORT_SIZE],
		   STACK_OF(X509) *certs, unsigned *retry_s, struct err_msg *why);

/* The KDS path of the VCEK for @r in product @p's TCB layout. */
void kds_vcek_path(const struct snp_report *r, enum snp_product p, char *out, size_t len);

#endif
