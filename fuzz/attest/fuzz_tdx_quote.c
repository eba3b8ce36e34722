// SPDX-License-Identifier: GPL-2.0-only
/* TDX quote decoding and full verification (built-in Intel root). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "attest/certs.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/verify.h"
#include "fuzz_common.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tdx_trust trust;
static bool ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdx_verify_opts o = { 0 };
	struct tdx_quote q;
	struct verdict v;
	struct err_msg why;
	json_t *c;

	if (!ready) {
		if (tdx_trust_init(&trust, NULL))
			abort();
		ready = true;
	}
	if (!tdx_quote_parse(data, size, &q, &why)) {
		if (q.pck_data < data || q.pck_data + q.pck_len > data + size)
			__builtin_trap();
		json_decref(tdx_quote_claims(&q));
	}
	o.at = 1688169600;	/* 2023-07-01 */
	o.no_collateral = size & 1;	/* both ways through the collateral check */
	c = json_object();
	verdict_init(&v);
	tdx_quote_verify(data, size, &trust, &o, c, &v, NULL);
	verdict_free(&v);
	json_decref(c);
	return 0;
}
