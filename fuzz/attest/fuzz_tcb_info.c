// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCS TCB info: the response split (span finder + signature field), the
 * TCB info parser on the whole input and on the signed span, and the TCB
 * evaluation against a real quote's PCK TCB.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "attest/certs.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/tcb.h"
#include "fuzz_common.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tdx_quote quote;
static struct tdx_pck_info pck;
static uint8_t *quote_buf;

static void setup(void)
{
	STACK_OF(X509) *sk = NULL;
	size_t len;
	struct err_msg why;

	if (quote_buf)
		return;
	quote_buf = fuzz_data("trustee/tdx_quote_6.dat", &len);
	if (tdx_quote_parse(quote_buf, len, &quote, &why) ||
	    certs_parse(quote.pck_data, quote.pck_len, &sk) ||
	    tdx_pck_parse(sk_X509_value(sk, 0), &pck))
		abort();
	sk_X509_pop_free(sk, X509_free);
}

static void evaluate(const char *body, size_t len)
{
	struct tcb_info ti;
	struct tdx_tcb_eval e;
	struct verdict v;
	struct err_msg why;

	if (tcb_info_parse(body, len, &ti, &why))
		return;
	json_decref(tcb_info_claims(&ti));
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &pck, &quote.body, &e, &v);
	json_decref(tdx_tcb_eval_claims(&ti, &e));
	/* and with the PCK's FMSPC/PCE-ID taken from the document */
	memcpy(pck.fmspc, ti.fmspc, 6);
	memcpy(pck.pceid, ti.pceid, 2);
	tdx_tcb_evaluate(&ti, &pck, &quote.body, &e, &v);
	json_decref(tdx_tcb_eval_claims(&ti, &e));
	verdict_free(&v);
	tcb_info_free(&ti);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body;
	size_t blen;
	uint8_t sig[64];
	struct err_msg why;

	setup();
	if (!collateral_split((const char *)data, size, "tcbInfo", &body, &blen, sig,
			      &why)) {
		if (body < (const char *)data || body + blen > (const char *)data + size)
			__builtin_trap();
		evaluate(body, blen);
	}
	evaluate((const char *)data, size);
	return 0;
}
