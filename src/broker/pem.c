// SPDX-License-Identifier: GPL-2.0-only
/* PEM key files (see pem.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "broker/pem.h"
#include "util/file.h"

int pem_key_load(const char *path, bool private, EVP_PKEY **key, struct err_msg *why)
{
	uint8_t *buf;
	size_t len;
	BIO *bio;
	int ret;

	*key = NULL;
	ret = file_read(path, PEM_KEY_FILE_MAX, &buf, &len);
	if (ret)
		return err_fail(why, ret, "%s", strerror(-ret));
	bio = BIO_new_mem_buf(buf, (int)len);
	if (bio)
		*key = private ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) :
				 PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (private)
		OPENSSL_cleanse(buf, len);
	free(buf);
	if (!bio)
		return err_fail(why, -ENOMEM, "out of memory");
	if (!*key)
		return err_fail(why, -EINVAL, "not a PEM %s key", private ? "private" : "public");
	return 0;
}
