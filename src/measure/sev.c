// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "measure/sev.h"
#include "util/bytes.h"

int sev_ld_init(struct sev_ld *l)
{
	return md_stream_init(&l->md, MD_SHA256);
}

int sev_ld_update(struct sev_ld *l, const void *data, size_t len)
{
	return md_stream_update(&l->md, data, len);
}

int sev_ld_update_zero(struct sev_ld *l, uint64_t len)
{
	static const uint8_t zero[4096];
	int ret = 0;

	while (len && !ret) {
		size_t n = len > sizeof(zero) ? sizeof(zero) : (size_t)len;

		ret = md_stream_update(&l->md, zero, n);
		len -= n;
	}
	return ret;
}

int sev_ld_final(struct sev_ld *l, uint8_t out[SEV_LD_LEN])
{
	return md_stream_final(&l->md, out);
}

void sev_ld_free(struct sev_ld *l)
{
	md_stream_free(&l->md);
}

int sev_launch_measure(const uint8_t tik[16], uint8_t api_major,
		       uint8_t api_minor, uint8_t build, uint32_t policy,
		       const uint8_t ld[SEV_LD_LEN], const uint8_t mnonce[16],
		       uint8_t out[32])
{
	uint8_t msg[1 + 3 + 4 + SEV_LD_LEN + 16];
	char digest[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outl = 0;
	int ret = -EIO;

	msg[0] = 0x04;
	msg[1] = api_major;
	msg[2] = api_minor;
	msg[3] = build;
	put_le32(msg + 4, policy);
	memcpy(msg + 8, ld, SEV_LD_LEN);
	memcpy(msg + 8 + SEV_LD_LEN, mnonce, 16);

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -EIO;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (EVP_MAC_init(ctx, tik, 16, params) &&
	    EVP_MAC_update(ctx, msg, sizeof(msg)) &&
	    EVP_MAC_final(ctx, out, &outl, 32) && outl == 32)
		ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}
