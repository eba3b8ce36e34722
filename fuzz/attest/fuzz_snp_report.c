// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP report decoding and full verification against a fixed VCEK. */
#include <stdint.h>
#include <stdlib.h>

#include "attest/certs.h"
#include "attest/snp/report.h"
#include "attest/snp/verify.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct snp_trust trust;
static STACK_OF(X509) *certs;

static void setup(void)
{
	size_t len;
	uint8_t *d;

	if (certs)
		return;
	d = fuzz_data("sev/vcek_milan.der", &len);
	if (certs_parse(d, len, &certs) || snp_trust_init(&trust, NULL))
		abort();
	free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snp_verify_opts o = { 0 };
	struct snp_report *r = malloc(sizeof(*r));
	struct verdict v;
	json_t *c;

	setup();
	if (r && !snp_report_parse(data, size, r)) {
		json_decref(snp_report_claims(r, snp_report_product(r)));
		json_decref(snp_report_claims(r, SNP_PRODUCT_TURIN));
	}
	free(r);
	o.certs = certs;
	o.at = 1735689600;	/* 2025-01-01 */
	c = json_object();
	verdict_init(&v);
	snp_report_verify(data, size, &trust, &o, c, &v);
	verdict_free(&v);
	json_decref(c);
	return 0;
}
