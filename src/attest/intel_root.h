/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_INTEL_ROOT_H
#define CVMM_ATTEST_INTEL_ROOT_H

#include <openssl/x509.h>

/* A stack holding the built-in Intel SGX Root CA.  0 or -ENOMEM. */
int intel_root_load(STACK_OF(X509) **anchors);

#endif
