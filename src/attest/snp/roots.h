/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SNP_ROOTS_H
#define CVMM_ATTEST_SNP_ROOTS_H

#include <openssl/x509.h>

/*
 * The built-in AMD trust anchors: @anchors gets the self-signed ARKs of
 * Milan, Genoa and Turin, @intermediates their ASKs (VCEK issuers) and
 * ASVKs (VLEK issuers).  Returns 0 or -ENOMEM.
 */
int snp_roots_load(STACK_OF(X509) **anchors, STACK_OF(X509) **intermediates);

#endif
