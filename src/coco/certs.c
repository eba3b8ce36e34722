// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP endorsement certificates as the GHCB certificate table (certs.h). */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "attest/snp/certs.h"
#include "coco/certs.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/file.h"

#define ENTRY	SNP_CERT_TABLE_ENTRY

int coco_certs_table(X509 *vek, bool vlek, X509 *ask, X509 *ark, uint8_t **out,
		     size_t *len)
{
	struct { X509 *c; const uint8_t *guid; } in[3] = {
		{ vek, snp_cert_guid(vlek ? SNP_CERT_VLEK : SNP_CERT_VCEK) },
		{ ask, snp_cert_guid(SNP_CERT_ASK) }, { ark, snp_cert_guid(SNP_CERT_ARK) },
	};
	unsigned char *der[3] = { NULL, NULL, NULL };
	int dlen[3] = { 0, 0, 0 };
	size_t n = 0, total, off;
	uint8_t *t = NULL;
	unsigned int i;
	int ret = -ENOMEM;

	for (i = 0; i < 3; i++) {
		if (!in[i].c)
			continue;
		dlen[i] = i2d_X509(in[i].c, &der[i]);
		if (dlen[i] <= 0)
			goto out;
		n++;
	}
	total = (n + 1) * ENTRY;
	for (i = 0; i < 3; i++)
		total += (size_t)(dlen[i] > 0 ? dlen[i] : 0);
	ret = -E2BIG;
	if (total > COCO_CERTS_MAX_TABLE)
		goto out;
	ret = -ENOMEM;
	t = calloc(1, total);
	if (!t)
		goto out;
	off = (n + 1) * ENTRY;
	for (i = 0, n = 0; i < 3; i++) {
		if (dlen[i] <= 0)
			continue;
		memcpy(t + n * ENTRY, in[i].guid, 16);
		put_le32(t + n * ENTRY + 16, (uint32_t)off);
		put_le32(t + n * ENTRY + 20, (uint32_t)dlen[i]);
		memcpy(t + off, der[i], (size_t)dlen[i]);
		off += (size_t)dlen[i];
		n++;
	}
	*out = t;
	*len = total;
	ret = 0;
out:
	for (i = 0; i < 3; i++)
		OPENSSL_free(der[i]);
	return ret;
}

/* Every certificate in a DER or PEM file, in order. */
static STACK_OF(X509) *certs_read(const char *path, struct err_msg *why)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	const unsigned char *p;
	uint8_t *data = NULL;
	size_t len;
	X509 *c;
	BIO *bio;
	int ret;

	ret = file_read_flags(path, COCO_CERTS_MAX_FILE, FILE_REGULAR, &data, &len);
	if (ret || !sk) {
		err_set(why, "%s: %s", path, strerror(ret ? -ret : ENOMEM));
		goto bad;
	}
	p = data;
	c = d2i_X509(NULL, &p, (long)len);
	if (c && p == data + len) {
		sk_X509_push(sk, c);
	} else {
		X509_free(c);
		bio = BIO_new_mem_buf(data, (int)len);
		while (bio && (c = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
			if (!sk_X509_push(sk, c))
				X509_free(c);
		BIO_free(bio);
	}
	free(data);
	data = NULL;
	if (sk_X509_num(sk) > 0)
		return sk;
	err_set(why, "%s: no certificate (DER or PEM)", path);
bad:
	free(data);
	sk_X509_pop_free(sk, X509_free);
	return NULL;
}

static bool self_signed(X509 *c)
{
	return !X509_NAME_cmp(X509_get_subject_name(c), X509_get_issuer_name(c));
}

struct kds_dir {
	char vek[PATH_MAX];		/* the one VCEK/VLEK file */
	char chain[PATH_MAX];		/* cert_chain, or "" */
	char product[16];
	bool vlek;
	unsigned int nr_veks;
};

/* One product directory DIR/<kind>/v1/<product>: its files. */
static void scan_product(struct kds_dir *k, const char *path, const char *product, bool vlek)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char f[PATH_MAX];
	struct stat st;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    snprintf(f, sizeof(f), "%s/%s", path, e->d_name) >= (int)sizeof(f) ||
		    stat(f, &st) || !S_ISREG(st.st_mode))
			continue;
		if (!strcmp(e->d_name, "cert_chain")) {
			snprintf(k->chain, sizeof(k->chain), "%s", f);
			continue;
		}
		if (k->nr_veks++)
			continue;
		snprintf(k->vek, sizeof(k->vek), "%s", f);
		snprintf(k->product, sizeof(k->product), "%.15s", product);
		k->vlek = vlek;
	}
	if (d)
		closedir(d);
}

/* Find the VEK and its chain in DIR's KDS layout. */
static int kds_scan(const char *dir, struct kds_dir *k, struct err_msg *why)
{
	static const char *const kinds[] = { "vcek", "vlek" };
	char base[PATH_MAX], path[PATH_MAX];
	struct dirent *e;
	unsigned int i;
	DIR *d;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < 2; i++) {
		snprintf(base, sizeof(base), "%s/%s/v1", dir, kinds[i]);
		d = opendir(base);
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.' ||
			    snprintf(path, sizeof(path), "%s/%s", base, e->d_name) >= (int)sizeof(path))
				continue;
			scan_product(k, path, e->d_name, i == 1);
		}
		if (d)
			closedir(d);
	}
	if (!k->nr_veks)
		return err_fail(why, -ENOENT, "%s: no VCEK in AMD KDS layout "
			    "(%s/vcek/v1/<product>/<HWID>?blSPL=…)", dir, dir);
	if (k->nr_veks > 1)
		return err_fail(why, -EINVAL, "%s: %u VCEK/VLEK files: keep the one for "
			    "this host's chip and current TCB", dir, k->nr_veks);
	if (!k->chain[0])
		return err_fail(why, -ENOENT, "%s/%s/v1/%s/cert_chain: missing (the ASK "
			    "and ARK, as KDS serves them)", dir, k->vlek ? "vlek" : "vcek",
			    k->product);
	return 0;
}

int coco_certs_load(const char *dir, struct coco_certs *out, struct err_msg *why)
{
	STACK_OF(X509) *vek = NULL, *chain = NULL;
	X509 *ask = NULL, *ark = NULL, *c;
	struct kds_dir k;
	int i, ret;

	memset(out, 0, sizeof(*out));
	ret = kds_scan(dir, &k, why);
	if (ret)
		return ret;
	vek = certs_read(k.vek, why);
	chain = vek ? certs_read(k.chain, why) : NULL;
	ret = -EINVAL;
	if (!chain)
		goto out;
	for (i = 0; i < sk_X509_num(chain); i++) {
		c = sk_X509_value(chain, i);
		if (self_signed(c))
			ark = ark ? ark : c;
		else
			ask = ask ? ask : c;
	}
	if (!ark || !ask) {
		err_set(why, "%s: no %s (%s)", k.chain, ark ? "ASK" : "ARK",
		     ark ? "a certificate issued by the ARK" : "a self-signed certificate");
		goto out;
	}
	ret = coco_certs_table(sk_X509_value(vek, 0), k.vlek, ask, ark, &out->table, &out->len);
	if (ret) {
		err_set(why, "%s: %s", dir, strerror(-ret));
		goto out;
	}
	memcpy(out->product, k.product, sizeof(out->product));
	out->vlek = k.vlek;
out:
	sk_X509_pop_free(vek, X509_free);
	sk_X509_pop_free(chain, X509_free);
	return ret;
}

void coco_certs_free(struct coco_certs *c)
{
	free(c->table);
	memset(c, 0, sizeof(*c));
}
