/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWK_UTIL_H
#define CVMM_JOSE_JWK_UTIL_H

/* Helpers shared by jwk*.c, jwe.c and jws.c.  Internal to src/jose. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "util/compiler.h"
#include "util/err.h"

struct jose_curve {
	const char *crv;	/* JWK name */
	const char *group;	/* OpenSSL group name */
	int nid;
	size_t len;		/* coordinate / scalar bytes */
};

/* The EC curve with JWK name @crv, or NULL. */
const struct jose_curve *jose_curve_by_crv(const char *crv);
/* The EC curve of @pkey (an EC key on P-256/384/521), or NULL. */
const struct jose_curve *jose_curve_of(const EVP_PKEY *pkey);

/*
 * Decode the base64url string member @name of @obj.  -ENOENT if absent,
 * -EINVAL if not a string or not base64url; @exact (0: any) is the only
 * length accepted.
 */
int jose_b64_member(const json_t *obj, const char *name, size_t exact,
		    uint8_t **out, size_t *len, struct err_msg *why);

#endif
