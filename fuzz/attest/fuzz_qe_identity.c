// SPDX-License-Identifier: GPL-2.0-only
/* PCS QE identity: response split, parser, and evaluation against a real QE report. */
#include <stdint.h>
#include <stdlib.h>

#include "attest/tdx/collateral.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/tcb.h"
#include "fuzz_common.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tdx_quote quote;
static uint8_t *quote_buf;

static void evaluate(const char *body, size_t len)
{
	struct qe_identity qi;
	struct verdict v;
	size_t level = 0;
	struct err_msg why;

	if (qe_identity_parse(body, len, &qi, &why))
		return;
	json_decref(qe_identity_claims(&qi));
	verdict_init(&v);
	tdx_qe_identity_evaluate(&qi, &quote.qe_report, &level, &v);
	if (level >= (qi.nlevels ? qi.nlevels : 1))
		__builtin_trap();
	verdict_free(&v);
	qe_identity_free(&qi);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	size_t blen;
	uint8_t sig[64];
	struct err_msg why;

	if (!quote_buf) {
		size_t len;

		quote_buf = fuzz_data("go-tdx-guest/tdx_prod_quote_SPR_E4.dat", &len);
		if (tdx_quote_parse(quote_buf, len, &quote, &why))
			abort();
	}
	if (!collateral_split((const char *)data, size, "enclaveIdentity", &body, &blen,
			      sig, &why))
		evaluate(body, blen);
	evaluate((const char *)data, size);
	return 0;
}
