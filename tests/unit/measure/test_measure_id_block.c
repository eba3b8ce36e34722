// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP ID block / ID auth: sev-snp-measure tests/test_id_block.py and
 * virtee/sev tests/id-block.rs vectors (PROVENANCE.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "measure/id_block.h"
#include "tdata.h"

static EVP_PKEY *key(const char *rel)
{
	EVP_PKEY *k = NULL;
	size_t len;
	uint8_t *pem = tdata_read(rel, &len);

	assert_int_equal(snp_key_load_pem(pem, len, &k), 0);
	free(pem);
	return k;
}

static void test_sev_snp_measure_vector(void **state)
{
	struct snp_id_block ib = { .version = 1, .policy = 0x30000 };
	uint8_t block[96], want_block[96], dig[48], want[48], auth[4096];
	EVP_PKEY *id = key("measure/sev-snp-measure/id_key_test.pem");
	EVP_PKEY *author = key("measure/sev-snp-measure/author_key_test.pem");
	uint8_t id_pub[SNP_PUBKEY_LEN], au_pub[SNP_PUBKEY_LEN];

	assert_int_equal(tdata_b64("B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t",
				   ib.ld, 48), 48);
	snp_id_block_encode(&ib, block);
	assert_int_equal(tdata_b64("B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t"
				   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA",
				   want_block, 96), 96);
	assert_memory_equal(block, want_block, 96);

	assert_int_equal(snp_key_digest(id, dig), 0);
	tdata_b64("hwt+NcU/inLQ0yL3WrKvgmJ5Kq9leWIs5BMcPyHyied8sFYKXjuQs5MuZ07HCcsU", want, 48);
	assert_memory_equal(dig, want, 48);
	assert_int_equal(snp_key_digest(author, dig), 0);
	tdata_b64("YxEcNLv8Ckk4+aAJvQdJgNgXIyPmFZnJ/TNtqGcySOHcqY0L6PdjdqEGuK/UwKBX", want, 48);
	assert_memory_equal(dig, want, 48);

	/* ECDSA is randomised: check the structure and verify the signatures */
	assert_int_equal(snp_id_auth_build(id, author, block, auth), 0);
	assert_int_equal(auth[0], 1);
	assert_int_equal(auth[4], 1);
	assert_int_equal(snp_pubkey_encode(id, id_pub), 0);
	assert_int_equal(snp_pubkey_encode(author, au_pub), 0);
	assert_memory_equal(auth + SNP_ID_AUTH_OFF_ID_KEY, id_pub, SNP_PUBKEY_LEN);
	assert_memory_equal(auth + SNP_ID_AUTH_OFF_AUTHOR_KEY, au_pub, SNP_PUBKEY_LEN);
	assert_int_equal(snp_verify(id, block, 96, auth + SNP_ID_AUTH_OFF_BLOCK_SIG), 0);
	assert_int_equal(snp_verify(author, id_pub, SNP_PUBKEY_LEN,
				    auth + SNP_ID_AUTH_OFF_ID_KEY_SIG), 0);
	/* a signature by the wrong key, or over other bytes, fails */
	assert_int_equal(snp_verify(author, block, 96, auth + SNP_ID_AUTH_OFF_BLOCK_SIG),
			 -EBADMSG);
	block[0] ^= 1;
	assert_int_equal(snp_verify(id, block, 96, auth + SNP_ID_AUTH_OFF_BLOCK_SIG),
			 -EBADMSG);
	snp_key_free(id);
	snp_key_free(author);
}

static void test_virtee_vector(void **state)
{
	struct snp_id_block ib = { .version = 1, .policy = 0x30000 };
	uint8_t block[96], want[96], dig[48], wdig[48], auth[4096];
	uint8_t id_pub[SNP_PUBKEY_LEN], au_pub[SNP_PUBKEY_LEN];
	EVP_PKEY *id = key("measure/sev/test_id_key.pem");
	EVP_PKEY *author = key("measure/sev/test_auth_key.pem");
	size_t l1, l2, l3;
	uint8_t *id_sig = tdata_read("measure/sev/test_id_sig.bin", &l1);
	uint8_t *au_sig = tdata_read("measure/sev/test_auth_sig.bin", &l2);
	uint8_t *want_auth = tdata_read("measure/sev/test_auth_block.bin", &l3);

	tdata_hex("a14d638341e5674628fe1e02fbedebe5e5ab4faf1dd72d8966068e615bb99efd"
		  "13d214b35c231715b38e263dc6059745", ib.ld, 48);
	snp_id_block_encode(&ib, block);
	tdata_b64("oU1jg0HlZ0Yo/h4C++3r5eWrT68d1y2JZgaOYVu5nv0T0hSzXCMXFbOOJj3GBZdFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA",
		  want, 96);
	assert_memory_equal(block, want, 96);
	assert_int_equal(snp_key_digest(id, dig), 0);
	tdata_b64("WfssaG36T+9J84M5qndckAUcKNVzg93DuvO160sUlt87DbvcuuX+J2d6ZEggdz/i", wdig, 48);
	assert_memory_equal(dig, wdig, 48);
	assert_int_equal(snp_key_digest(author, dig), 0);
	tdata_b64("7tgRafsMteDsNHlPEo/U4MSkb2fGWhrfqB/LJLzAiMJyNpt//D6ytq9qQoShs2xf", wdig, 48);
	assert_memory_equal(dig, wdig, 48);

	/* ID_AUTH rebuilt from the two keys and the two recorded signatures */
	assert_int_equal(l1, SNP_SIG_LEN);
	assert_int_equal(l2, SNP_SIG_LEN);
	assert_int_equal(l3, SNP_ID_AUTH_LEN);
	assert_int_equal(snp_pubkey_encode(id, id_pub), 0);
	assert_int_equal(snp_pubkey_encode(author, au_pub), 0);
	snp_id_auth_assemble(id_sig, id_pub, au_sig, au_pub, auth);
	assert_memory_equal(auth, want_auth, SNP_ID_AUTH_LEN);
	/* and the id key signature verifies against the author key */
	assert_int_equal(snp_verify(author, id_pub, SNP_PUBKEY_LEN, au_sig), 0);
	free(id_sig);
	free(au_sig);
	free(want_auth);
	snp_key_free(id);
	snp_key_free(author);
}

static void test_reject_keys(void **state)
{
	EVP_PKEY *k = EVP_EC_gen("P-256"), *out = (EVP_PKEY *)1;
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;
	long len;

	assert_non_null(k);
	assert_int_equal(PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL), 1);
	len = BIO_get_mem_data(bio, &pem);
	assert_int_equal(snp_key_load_pem((uint8_t *)pem, (size_t)len, &out), -EINVAL);
	assert_null(out);
	assert_int_equal(snp_key_load_pem((const uint8_t *)"garbage", 7, &out), -EINVAL);
	BIO_free(bio);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sev_snp_measure_vector),
		cmocka_unit_test(test_virtee_vector),
		cmocka_unit_test(test_reject_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
