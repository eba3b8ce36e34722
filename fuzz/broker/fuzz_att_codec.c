// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attestation results as the shared store holds them (att_codec.h): what
 * decodes must encode again to text that decodes to the same result, field
 * by field (a replica must not lose e.g. that the evidence was test
 * evidence).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "broker/att_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct attestation *a, *b;
	char *text;

	if (att_decode((const char *)data, size, &a))
		return 0;
	text = att_encode(a);
	if (!text)
		__builtin_trap();
	if (att_decode(text, strlen(text), &b) || b->evidence_len != a->evidence_len ||
	    memcmp(b->evidence, a->evidence, a->evidence_len) || b->tee != a->tee ||
	    memcmp(b->report_data, a->report_data, 64) || b->init_len != a->init_len ||
	    memcmp(b->init_field, a->init_field, a->init_len) ||
	    strcmp(b->measurement, a->measurement) ||
	    strcmp(b->evidence_digest, a->evidence_digest) ||
	    b->has_init_data != a->has_init_data || b->test_evidence != a->test_evidence ||
	    !json_equal(b->claims, a->claims) || !json_equal(b->key.jwk, a->key.jwk))
		__builtin_trap();
	attestation_put(b);
	attestation_put(a);
	free(text);
	return 0;
}
