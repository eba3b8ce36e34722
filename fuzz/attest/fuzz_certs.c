// SPDX-License-Identifier: GPL-2.0-only
/* PEM/DER certificate and CRL parsing, AMD and Intel extensions. */
#include <stdint.h>

#include "attest/certs.h"
#include "attest/snp/certs.h"
#include "attest/tdx/pck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	STACK_OF(X509) *certs = NULL;
	STACK_OF(X509_CRL) *crls = NULL;
	struct tdx_pck_info pck;
	int i;

	if (!certs_parse(data, size, &certs)) {
		for (i = 0; i < sk_X509_num(certs); i++) {
			X509 *c = sk_X509_value(certs, i);
			struct snp_vek_info v;

			json_decref(cert_claims(c));
			if (!snp_vek_parse(c, &v))
				json_decref(snp_vek_claims(&v));
			if (!tdx_pck_parse(c, &pck))
				json_decref(tdx_pck_claims(&pck));
		}
		sk_X509_pop_free(certs, X509_free);
	}
	if (!crls_parse(data, size, &crls)) {
		for (i = 0; i < sk_X509_CRL_num(crls); i++)
			json_decref(crl_claims(sk_X509_CRL_value(crls, i)));
		sk_X509_CRL_pop_free(crls, X509_CRL_free);
	}
	/* the raw bytes as the contents of a PCK SGX extension */
	if (!tdx_pck_parse_ext(data, size, &pck))
		json_decref(tdx_pck_claims(&pck));
	return 0;
}
