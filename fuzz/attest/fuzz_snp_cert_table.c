// SPDX-License-Identifier: GPL-2.0-only
/* Extended-report certificate tables (GHCB / configfs-tsm auxblob). */
#include <stdint.h>

#include "attest/snp/certs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snp_cert_entry e[SNP_CERT_TABLE_MAX];
	STACK_OF(X509) *certs = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	size_t n, i;

	if (!snp_cert_table_parse(data, size, e, SNP_CERT_TABLE_MAX, &n)) {
		for (i = 0; i < n; i++)
			if ((size_t)e[i].offset + e[i].length > size)
				__builtin_trap();
	}
	if (certs && crls && !snp_cert_table_load(data, size, certs, crls)) {
		for (i = 0; i < (size_t)sk_X509_num(certs); i++) {
			struct snp_vek_info info;

			if (!snp_vek_parse(sk_X509_value(certs, (int)i), &info))
				json_decref(snp_vek_claims(&info));
		}
	}
	sk_X509_pop_free(certs, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	return 0;
}
