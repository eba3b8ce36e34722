/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEASURE_ID_BLOCK_H
#define CVMM_MEASURE_ID_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

/*
 * SNP ID block and ID authentication structure (SNP firmware ABI,
 * SNP_LAUNCH_FINISH), signed with ECDSA P-384 / SHA-384 keys.
 *
 * ID_BLOCK (96 B): LD[48] | FAMILY_ID[16] | IMAGE_ID[16] | u32 VERSION=1 |
 *                  u32 GUEST_SVN | u64 POLICY
 * ID_AUTH (4096 B): u32 ID_KEY_ALGO=1 | u32 AUTH_KEY_ALGO=1 | 56 rsvd |
 *                  ID_BLOCK_SIG[512] | ID_KEY[0x404] | 60 rsvd |
 *                  ID_KEY_SIG[512] | AUTHOR_KEY[0x404] | 892 rsvd
 * Public key (0x404 B): u32 curve=2 (P-384) | Qx[72 LE] | Qy[72 LE] | 0...
 * Signature (512 B): R[72 LE] | S[72 LE] | 0...
 * ID_KEY_DIGEST / AUTHOR_KEY_DIGEST in the report = SHA-384(public key).
 */
#define SNP_ID_BLOCK_LEN	96
#define SNP_ID_AUTH_LEN		4096
#define SNP_PUBKEY_LEN		0x404
#define SNP_SIG_LEN		512
#define SNP_ALGO_ECDSA_P384	1
#define SNP_CURVE_P384		2

#define SNP_ID_AUTH_OFF_BLOCK_SIG	0x040
#define SNP_ID_AUTH_OFF_ID_KEY		0x240
#define SNP_ID_AUTH_OFF_ID_KEY_SIG	0x680
#define SNP_ID_AUTH_OFF_AUTHOR_KEY	0x880

struct snp_id_block {
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version;	/* 1 */
	uint32_t guest_svn;
	uint64_t policy;
};

void snp_id_block_encode(const struct snp_id_block *b, uint8_t out[SNP_ID_BLOCK_LEN]);

/* Load a P-384 private key from PEM (SEC1 or PKCS#8); -EINVAL if not P-384. */
int snp_key_load_pem(const uint8_t *pem, size_t len, EVP_PKEY **key);
void snp_key_free(EVP_PKEY *key);

int snp_pubkey_encode(EVP_PKEY *key, uint8_t out[SNP_PUBKEY_LEN]);
int snp_key_digest(EVP_PKEY *key, uint8_t out[48]);
int snp_sign(EVP_PKEY *key, const uint8_t *data, size_t len, uint8_t sig[SNP_SIG_LEN]);
/* 0 when @sig is a valid signature of @data by @key, -EBADMSG if not. */
int snp_verify(EVP_PKEY *key, const uint8_t *data, size_t len, const uint8_t sig[SNP_SIG_LEN]);

/* Lay out ID_AUTH from the given parts. */
void snp_id_auth_assemble(const uint8_t block_sig[SNP_SIG_LEN],
			  const uint8_t id_key[SNP_PUBKEY_LEN],
			  const uint8_t id_key_sig[SNP_SIG_LEN],
			  const uint8_t author_key[SNP_PUBKEY_LEN],
			  uint8_t out[SNP_ID_AUTH_LEN]);

/* Sign @id_block with @id_key and the id key with @author_key. */
int snp_id_auth_build(EVP_PKEY *id_key, EVP_PKEY *author_key,
		      const uint8_t id_block[SNP_ID_BLOCK_LEN],
		      uint8_t out[SNP_ID_AUTH_LEN]);

#endif
