// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: PEM private keys given to cvmm measure --id-block. */
#include <stddef.h>
#include <stdint.h>

#include "measure/id_block.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t pub[SNP_PUBKEY_LEN];
	EVP_PKEY *k = NULL;

	if (snp_key_load_pem(data, size, &k))
		return 0;
	if (snp_pubkey_encode(k, pub))
		__builtin_trap();
	snp_key_free(k);
	return 0;
}
