/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_JSON_SPAN_H
#define CVMM_ATTEST_JSON_SPAN_H

/*
 * Intel signs PCS collateral over the raw bytes of one JSON value
 * ("tcbInfo", "enclaveIdentity") exactly as served; re-serialising would
 * break the signature.  jansson does not report byte offsets, so this
 * scanner finds the span of a top-level member's value.  It only accepts
 * one top-level object, rejects a duplicated target key (decoding \u
 * escapes in keys, so "tcb\u0049nfo" counts), trailing garbage and NUL
 * bytes (which jansson skips between tokens).  The caller still parses the
 * whole document with jansson; on valid JSON the two views agree.
 */
#include <stddef.h>

/*
 * Find the value of top-level member @key in @text[0..len).  On success
 * returns 0 with the value at @text + *off, *vlen bytes long.  Returns
 * -ENOENT when absent, -EINVAL when the text is not a well-formed object
 * or @key appears twice.
 */
int json_span_find(const char *text, size_t len, const char *key,
		   size_t *off, size_t *vlen);

#endif
