// SPDX-License-Identifier: GPL-2.0-only
/* Envelope encryption under a key-encryption key (see kek.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "broker/kek.h"
#include "util/err.h"
#include "util/file.h"
#include "util/num.h"

#define DEK_LEN		32
#define KEK_FILE_MAX	256

static void kek_set_id(struct kek *k)
{
	static const char label[] = "cvmm-broker kek id";
	uint8_t md[32];
	unsigned int n = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
	    !EVP_DigestUpdate(c, label, sizeof(label) - 1) ||
	    !EVP_DigestUpdate(c, k->key.data, KEK_LEN) ||
	    !EVP_DigestFinal_ex(c, md, &n))
		memset(md, 0, sizeof(md));
	EVP_MD_CTX_free(c);
	hex_encode(md, KEK_ID_HEX / 2, k->id);
	k->id[KEK_ID_HEX] = 0;
}

int kek_from_bytes(const uint8_t *b, size_t len, struct kek *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	if (len != KEK_LEN)
		return -EINVAL;
	ret = secret_dup(&k->key, b, len);
	if (ret)
		return ret;
	kek_set_id(k);
	return 0;
}

int kek_generate(struct kek *k)
{
	int ret;

	memset(k, 0, sizeof(*k));
	ret = secret_alloc(&k->key, KEK_LEN);
	if (ret)
		return ret;
	if (RAND_priv_bytes(k->key.data, KEK_LEN) != 1) {
		secret_free(&k->key);
		return -EIO;
	}
	kek_set_id(k);
	return 0;
}

static int kek_decode(const uint8_t *buf, size_t len, struct kek *k)
{
	struct secret tmp;
	char *hex;
	int ret;

	if (len == KEK_LEN)
		return kek_from_bytes(buf, len, k);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		len--;
	if (len != 2 * KEK_LEN)
		return -EINVAL;
	ret = secret_alloc(&tmp, 2 * KEK_LEN + 1 + KEK_LEN);
	if (ret)
		return ret;
	hex = (char *)tmp.data;
	memcpy(hex, buf, len);
	hex[len] = 0;
	ret = hex_decode(hex, tmp.data + len + 1, KEK_LEN);
	if (!ret)
		ret = kek_from_bytes(tmp.data + len + 1, KEK_LEN, k);
	else
		ret = -EINVAL;
	secret_free(&tmp);
	return ret;
}

int kek_load(const char *path, struct kek *k, struct err_msg *why)
{
	struct stat st;
	uint8_t *buf;
	size_t len;
	int ret;

	memset(k, 0, sizeof(*k));
	if (stat(path, &st))
		return err_fail(why, -errno, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return err_fail(why, -EINVAL, "not a regular file");
	/*
	 * Not readable by others; by the group only when root owns the file,
	 * as PostgreSQL allows for its key: a Kubernetes Secret mounted with
	 * fsGroup is root:<fsGroup> 0440, the only way a non-root container
	 * can read it.
	 */
	if (st.st_mode & (st.st_uid == 0 ? 037 : 077))
		return err_fail(why, -EPERM, "readable by group or others (chmod 600;"
				" a file root owns may be 640)");
	ret = file_read(path, KEK_FILE_MAX, &buf, &len);
	if (ret)
		return err_fail(why, ret, "%s", ret == -EFBIG ?
				"not a key file (expected 32 bytes or 64 hex digits)" :
				strerror(-ret));
	ret = kek_decode(buf, len, k);
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (ret == -EINVAL)
		err_fail(why, ret, "expected 32 raw bytes or 64 hex digits");
	else if (ret)
		err_fail(why, ret, "%s", strerror(-ret));
	return ret;
}

int kek_write(const struct kek *k, const char *path)
{
	char tmp[4096];
	int fd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	ret = fd_write_all(fd, k->key.data, KEK_LEN);
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

void kek_free(struct kek *k)
{
	secret_free(&k->key);
	memset(k, 0, sizeof(*k));
}

/* AES-256-GCM: out = IV ‖ C ‖ tag; @aad1/@aad2 concatenated as AAD. */
static int gcm_seal(const uint8_t *key, const char *aad1, const char *aad2,
		    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n, ret = -EIO;

	if (!c || len > INT32_MAX)
		goto out;
	if (RAND_bytes(out, SEAL_IV) != 1 ||
	    !EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out) ||
	    !EVP_EncryptUpdate(c, NULL, &n, (const uint8_t *)aad1, (int)strlen(aad1)) ||
	    (aad2 && !EVP_EncryptUpdate(c, NULL, &n, (const uint8_t *)aad2,
					(int)strlen(aad2))) ||
	    !EVP_EncryptUpdate(c, out + SEAL_IV, &n, in, (int)len) ||
	    !EVP_EncryptFinal_ex(c, out + SEAL_IV + n, &n) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, SEAL_TAG,
				 out + SEAL_IV + len))
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(c);
	return ret;
}

static int gcm_open(const uint8_t *key, const char *aad1, const char *aad2,
		    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *c;
	size_t clen;
	int n, ret = -EBADMSG;

	if (len < SEAL_OVERHEAD || len - SEAL_OVERHEAD > INT32_MAX)
		return -EBADMSG;
	clen = len - SEAL_OVERHEAD;
	c = EVP_CIPHER_CTX_new();
	if (!c)
		return -ENOMEM;
	if (!EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, in) ||
	    !EVP_DecryptUpdate(c, NULL, &n, (const uint8_t *)aad1, (int)strlen(aad1)) ||
	    (aad2 && !EVP_DecryptUpdate(c, NULL, &n, (const uint8_t *)aad2,
					(int)strlen(aad2))) ||
	    !EVP_DecryptUpdate(c, out, &n, in + SEAL_IV, (int)clen) ||
	    !EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, SEAL_TAG,
				 (void *)(in + SEAL_IV + clen)) ||
	    EVP_DecryptFinal_ex(c, out + n, &n) <= 0) {
		OPENSSL_cleanse(out, clen);
		goto out;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(c);
	return ret;
}

int kek_seal(const struct kek *k, const char *path, const uint8_t *plain,
	     size_t len, struct sealed *out)
{
	struct secret dek;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!len)
		return -EINVAL;
	if (len > KEK_SECRET_MAX)
		return -EFBIG;
	ret = secret_alloc(&dek, DEK_LEN);
	if (ret)
		return ret;
	out->dek_len = SEAL_OVERHEAD + DEK_LEN;
	out->data_len = SEAL_OVERHEAD + len;
	out->dek = malloc(out->dek_len);
	out->data = malloc(out->data_len);
	ret = -ENOMEM;
	if (!out->dek || !out->data)
		goto fail;
	ret = -EIO;
	if (RAND_priv_bytes(dek.data, DEK_LEN) != 1)
		goto fail;
	ret = gcm_seal(dek.data, path, NULL, plain, len, out->data);
	if (!ret)
		ret = gcm_seal(k->key.data, path, k->id, dek.data, DEK_LEN, out->dek);
	if (ret)
		goto fail;
	memcpy(out->kek_id, k->id, sizeof(out->kek_id));
	secret_free(&dek);
	return 0;
fail:
	secret_free(&dek);
	sealed_free(out);
	return ret;
}

static int open_dek(const struct kek *k, const char *path,
		    const struct sealed *in, struct secret *dek)
{
	int ret;

	if (strcmp(in->kek_id, k->id))
		return -EKEYREJECTED;
	if (in->dek_len != SEAL_OVERHEAD + DEK_LEN)
		return -EBADMSG;
	ret = secret_alloc(dek, DEK_LEN);
	if (ret)
		return ret;
	ret = gcm_open(k->key.data, path, k->id, in->dek, in->dek_len, dek->data);
	if (ret)
		secret_free(dek);
	return ret;
}

int kek_open(const struct kek *k, const char *path, const struct sealed *in,
	     struct secret *plain)
{
	struct secret dek;
	int ret;

	memset(plain, 0, sizeof(*plain));
	if (in->data_len <= SEAL_OVERHEAD)
		return -EBADMSG;
	ret = open_dek(k, path, in, &dek);
	if (ret)
		return ret;
	ret = secret_alloc(plain, in->data_len - SEAL_OVERHEAD);
	if (!ret) {
		ret = gcm_open(dek.data, path, NULL, in->data, in->data_len,
			       plain->data);
		if (ret)
			secret_free(plain);
	}
	secret_free(&dek);
	return ret;
}

int kek_rewrap(const struct kek *from, const struct kek *to, const char *path,
	       struct sealed *s)
{
	uint8_t *nd = malloc(SEAL_OVERHEAD + DEK_LEN);
	struct secret dek;
	int ret;

	if (!nd)
		return -ENOMEM;
	ret = open_dek(from, path, s, &dek);
	if (!ret) {
		ret = gcm_seal(to->key.data, path, to->id, dek.data, DEK_LEN, nd);
		secret_free(&dek);
	}
	if (ret) {
		free(nd);
		return ret;
	}
	free(s->dek);
	s->dek = nd;
	s->dek_len = SEAL_OVERHEAD + DEK_LEN;
	memcpy(s->kek_id, to->id, sizeof(s->kek_id));
	return 0;
}

void sealed_free(struct sealed *s)
{
	free(s->dek);
	free(s->data);
	memset(s, 0, sizeof(*s));
}
