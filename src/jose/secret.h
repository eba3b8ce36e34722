/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_SECRET_H
#define CVMM_JOSE_SECRET_H

#include <stddef.h>

/*
 * Free a buffer that held secret bytes (a decrypted JWE payload, a CEK):
 * OPENSSL_cleanse() its @n bytes first.  NULL is fine.
 */
void jose_free_secret(void *p, size_t n);

#endif
