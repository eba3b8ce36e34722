/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_ROOTS_H
#define CVMM_ATTEST_TDX_ROOTS_H

#include <stdint.h>

#include <openssl/x509.h>

/* A stack holding the built-in Intel SGX Root CA.  0 or -ENOMEM. */
int intel_root_load(STACK_OF(X509) **anchors);

/*
 * Intel's TD quoting enclave, as its PCS QE identity ("id": "TD_QE",
 * version 2) describes it in every release seen (2023-06 and 2025-10):
 * MRSIGNER and ISVPRODID.  Without collateral the QE report is compared
 * with these, so that only Intel's QE, not any enclave the PCK certified,
 * vouches for the attestation key.
 */
extern const uint8_t intel_td_qe_mrsigner[32];
#define INTEL_TD_QE_ISVPRODID	2
/* SGX ATTRIBUTES byte 0: bit 1 DEBUG (a debug enclave's secrets are open). */
#define SGX_ATTR_DEBUG		0x02

#endif
