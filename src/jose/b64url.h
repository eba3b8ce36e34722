/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_B64URL_H
#define CVMM_JOSE_B64URL_H

/*
 * Base64 codecs for JOSE (RFC 4648):
 *
 *  - base64url without padding (§5), the encoding of every JWS/JWE segment
 *    and JWK member (RFC 7515 §2);
 *  - standard base64 with padding (§4), which the KBS protocol uses for the
 *    nonce and the TDX quote.
 *
 * Decoders are strict: any byte outside the alphabet (including whitespace
 * and, for base64url, '='), a length that no encoder produces, or non-zero
 * unused bits in the last symbol is -EINVAL, so every value has exactly one
 * accepted encoding.  Decoded buffers get one extra NUL byte after *outlen
 * (text payloads can be used as C strings); free them with free(), or with
 * jose_free_secret() when they hold secrets.
 */
#include <stddef.h>
#include <stdint.h>

/* NUL-terminated base64url of @n bytes (no padding); NULL on ENOMEM. */
char *b64url_encode(const uint8_t *d, size_t n);

/*
 * Decode @slen characters of base64url (no padding).
 * Returns 0, -EINVAL on bad input, -ENOMEM.
 */
int b64url_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen);

/* NUL-terminated standard base64 of @n bytes, padded; NULL on ENOMEM. */
char *b64_encode(const uint8_t *d, size_t n);

/*
 * Decode @slen characters of standard base64 with padding ('=' required to
 * a multiple of 4 characters).  Returns 0, -EINVAL on bad input, -ENOMEM.
 */
int b64_decode(const char *s, size_t slen, uint8_t **out, size_t *outlen);

#endif
