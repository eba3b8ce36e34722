/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JCS_H
#define CVMM_JOSE_JCS_H

/*
 * JSON Canonicalization Scheme (RFC 8785): the byte string the KBS protocol
 * hashes into REPORT_DATA, and the form of every protected header cvmm
 * emits (the AAD trap in docs: a client recomputes the AAD from a
 * re-serialized, key-sorted header).
 *
 *  - object members sorted by their names as UTF-16 code units;
 *  - no whitespace;
 *  - strings: '"', '\\' and the controls \b \t \n \f \r in their short form,
 *    other controls below 0x20 as \u00xx (lower-case hex), everything else
 *    as the UTF-8 it is (no \/, no escaping of non-ASCII);
 *  - numbers as ECMAScript's Number.prototype.toString() prints the IEEE
 *    double (jansson reals are doubles; -0 prints as 0).  Integers print as
 *    they are when |v| <= 2^53; larger ones have no exact double and are
 *    refused (-ERANGE) rather than silently rounded.
 *
 * Errors: -EINVAL for NaN/Infinity or strings/names that are not UTF-8,
 * -ERANGE for integers beyond 2^53, -ELOOP for nesting deeper than
 * JCS_MAX_DEPTH, -ENOMEM.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define JCS_MAX_DEPTH	64
/* Longest ECMAScript number string ("-1.2345678901234567e-308" is 24). */
#define JCS_NUM_MAX	32

/*
 * Serialize @v (any JSON value) canonically into a fresh NUL-terminated
 * buffer *out (free() it) of *len bytes (@len may be NULL).
 */
int jcs_serialize(const json_t *v, char **out, size_t *len);

/* SHA-384 of jcs_serialize(@v): the KBS runtime-data binding. */
int jcs_sha384(const json_t *v, uint8_t out[48]);

/*
 * @d as ECMAScript's Number::toString(d) (ES2015 §7.1.12.1) into @buf
 * (NUL-terminated).  Returns the length, -EINVAL for NaN/Infinity,
 * -ENOSPC if @buflen < JCS_NUM_MAX.
 */
int jcs_format_double(double d, char *buf, size_t buflen);

#endif
