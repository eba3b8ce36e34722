// SPDX-License-Identifier: GPL-2.0-only
/* The simulated platform's test PKI (sim_ca.h): made once, loaded at boot. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "attest/snp/certs.h"
#include "sim/sim_ca.h"
#include "util/err.h"
#include "util/file.h"
#include "util/num.h"

#define AMD_OID		"1.3.6.1.4.1.3704.1."
#define ORG		"cvmm test PKI (untrusted)"
#define PRODUCT		"Milan"
#define MAX_KEY_FILE	(16u << 10)

/* ------------------------------------------------------------------ */
/* making certificates */

static X509_NAME *name_cn(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	if (n && X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn,
					    -1, -1, 0) == 1 &&
	    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)ORG,
				       -1, -1, 0) == 1)
		return n;
	X509_NAME_free(n);
	return NULL;
}

/* An extension whose value (the OCTET STRING's contents) is @der. */
static bool add_ext_raw(X509 *c, const char *oid, const uint8_t *der, size_t len)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e = NULL;
	bool ok = false;

	if (o && os && ASN1_OCTET_STRING_set(os, der, (int)len) == 1)
		e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, os);
	if (e)
		ok = X509_add_ext(c, e, -1) == 1;
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(o);
	return ok;
}

static bool add_ext_int(X509 *c, const char *oid, long v)
{
	ASN1_INTEGER *i = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int n = -1;
	bool ok;

	if (i && ASN1_INTEGER_set(i, v) == 1)
		n = i2d_ASN1_INTEGER(i, &der);
	ok = n > 0 && add_ext_raw(c, oid, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_INTEGER_free(i);
	return ok;
}

static bool add_ext_ia5(X509 *c, const char *oid, const char *s)
{
	ASN1_IA5STRING *a = ASN1_IA5STRING_new();
	unsigned char *der = NULL;
	int n = -1;
	bool ok;

	if (a && ASN1_STRING_set(a, s, -1) == 1)
		n = i2d_ASN1_IA5STRING(a, &der);
	ok = n > 0 && add_ext_raw(c, oid, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_IA5STRING_free(a);
	return ok;
}

static bool add_ext_conf(X509 *c, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;
	bool ok;

	X509V3_set_ctx(&ctx, issuer ? issuer : c, c, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = e && X509_add_ext(c, e, -1) == 1;
	X509_EXTENSION_free(e);
	return ok;
}

/* Subject @cn, issued by @issuer (NULL: itself), for @key; not signed yet. */
static X509 *cert_new(const char *cn, X509 *issuer, EVP_PKEY *key, unsigned int days,
		      bool ca)
{
	X509_NAME *n = name_cn(cn);
	X509 *c = X509_new();
	uint64_t serial;
	bool ok;

	ok = n && c && RAND_bytes((unsigned char *)&serial, sizeof(serial)) == 1 &&
	     X509_set_version(c, 2) &&
	     ASN1_INTEGER_set_uint64(X509_get_serialNumber(c), serial >> 1) &&
	     X509_gmtime_adj(X509_getm_notBefore(c), -24 * 3600L) &&
	     X509_gmtime_adj(X509_getm_notAfter(c), (long)days * 24 * 3600) &&
	     X509_set_subject_name(c, n) &&
	     X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n) &&
	     X509_set_pubkey(c, key);
	if (ok && ca)
		ok = add_ext_conf(c, issuer, NID_basic_constraints, "critical,CA:TRUE") &&
		     add_ext_conf(c, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
	X509_NAME_free(n);
	if (ok)
		return c;
	X509_free(c);
	return NULL;
}

/* RSASSA-PSS, SHA-384, MGF1 SHA-384, salt 48: AMD's signatures */
static bool sign_pss(X509 *c, EVP_PKEY *key)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	bool ok;

	ok = ctx && EVP_DigestSignInit(ctx, &pctx, EVP_sha384(), NULL, key) == 1 &&
	     EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0 &&
	     EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0 &&
	     X509_sign_ctx(c, ctx) > 0;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static X509 *make_vcek(X509 *ask, EVP_PKEY *ask_key, EVP_PKEY *key,
		       const struct sim_ca_params *p, const uint8_t hwid[64])
{
	X509 *c = cert_new("SEV-VCEK", ask, key, p->days, false);
	static const char *const zero_spls[] = { "3.4", "3.5", "3.6", "3.7" };
	char oid[40];
	unsigned int i;
	bool ok;

	ok = c && add_ext_int(c, AMD_OID "1", 1) &&
	     add_ext_ia5(c, AMD_OID "2", PRODUCT "-B0") &&
	     add_ext_int(c, AMD_OID "3.1", p->bl) &&
	     add_ext_int(c, AMD_OID "3.2", p->tee) &&
	     add_ext_int(c, AMD_OID "3.3", p->snp);
	for (i = 0; ok && i < 4; i++) {
		snprintf(oid, sizeof(oid), AMD_OID "%s", zero_spls[i]);
		ok = add_ext_int(c, oid, 0);
	}
	ok = ok && add_ext_int(c, AMD_OID "3.8", p->ucode) &&
	     add_ext_raw(c, AMD_OID "4", hwid, 64) && sign_pss(c, ask_key);
	if (ok)
		return c;
	X509_free(c);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* writing DIR */

/* The files sim_ca_init() made so far: removed again if it fails. */
struct made {
	char *path[8];
	unsigned int n;
};

static void made_undo(struct made *m, bool remove)
{
	while (m->n) {
		char *path = m->path[--m->n];

		if (remove)
			unlink(path);
		free(path);
	}
}

static int write_file(struct made *m, const char *dir, const char *name, const void *data,
		      size_t len, mode_t mode)
{
	char path[4096];
	int fd, ret;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (m->n == sizeof(m->path) / sizeof(m->path[0]))
		return -ENOSPC;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	ret = fd_write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret) {
		m->path[m->n] = strdup(path);
		ret = m->path[m->n] ? 0 : -ENOMEM;
	}
	if (ret)
		unlink(path);
	else
		m->n++;
	return ret;
}

static int write_der(struct made *m, const char *dir, const char *name, X509 *c)
{
	unsigned char *der = NULL;
	int n = i2d_X509(c, &der), ret;

	if (n <= 0)
		return -ENOMEM;
	ret = write_file(m, dir, name, der, (size_t)n, 0644);
	OPENSSL_free(der);
	return ret;
}

/* PEM of @a (and @b) or of the private key @key, into @name. */
static int write_pem(struct made *m, const char *dir, const char *name, X509 *a, X509 *b,
		     EVP_PKEY *key)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long len;
	int ret = -ENOMEM;

	if (!bio)
		return ret;
	if (key ? PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) :
		  (PEM_write_bio_X509(bio, a) && (!b || PEM_write_bio_X509(bio, b)))) {
		len = BIO_get_mem_data(bio, &data);
		ret = write_file(m, dir, name, data, (size_t)len, key ? 0600 : 0644);
	}
	BIO_free(bio);
	return ret;
}

/* mkdir -p @path (0755 below DIR) */
static int make_dirs(char *path)
{
	char *p;

	for (p = strchr(path + 1, '/'); ; p = strchr(p + 1, '/')) {
		if (p)
			*p = 0;
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		if (!p)
			return 0;
		*p = '/';
	}
}

static const char readme[] =
	"cvmm sim-ca: a TEST chain for cvmm's simulated SEV-SNP platform\n"
	"(cvmm boot --coco snp,...,platform=sim,sim-ca=THIS-DIR).\n\n"
	"vcek.key is the private key the simulated firmware signs attestation\n"
	"reports with: anyone who can read it can produce \"evidence\" for any\n"
	"measurement.  Nothing trusts this chain by default; cvmm-broker accepts\n"
	"it only while started with --test-roots test-roots.pem (every such\n"
	"decision is marked test_evidence).  Never give test-roots.pem to a\n"
	"broker that guards real secrets.\n";

/* Write DIR's files; on failure none of them is left (the directories may be). */
static int write_dir(const char *dir, X509 *ark, X509 *ask, X509 *vcek, EVP_PKEY *vcek_key,
		     const struct sim_ca_params *p, const uint8_t hwid[64])
{
	char kds[4096], hex[129], vname[256];
	struct made m = { .n = 0 };
	int ret;

	hex_encode(hwid, 64, hex);
	snprintf(kds, sizeof(kds), "%s/vcek/v1/" PRODUCT, dir);
	snprintf(vname, sizeof(vname), "%s?blSPL=%u&teeSPL=%u&snpSPL=%u&ucodeSPL=%u", hex,
		 p->bl, p->tee, p->snp, p->ucode);
	ret = write_pem(&m, dir, "vcek.key", NULL, NULL, vcek_key);
	if (!ret)
		ret = write_der(&m, dir, "ark.der", ark);
	if (!ret)
		ret = write_der(&m, dir, "ask.der", ask);
	if (!ret)
		ret = write_der(&m, dir, "vcek.der", vcek);
	if (!ret)
		ret = write_pem(&m, dir, "test-roots.pem", ask, ark, NULL);
	if (!ret)
		ret = write_file(&m, dir, "README", readme, sizeof(readme) - 1, 0644);
	if (!ret)
		ret = make_dirs(kds);
	if (!ret)
		ret = write_der(&m, kds, vname, vcek);
	if (!ret)
		ret = write_pem(&m, kds, "cert_chain", ask, ark, NULL);
	made_undo(&m, ret != 0);
	return ret;
}

static void params_default(struct sim_ca_params *p)
{
	if (!p->rsa_bits)
		p->rsa_bits = 4096;
	if (!p->days)
		p->days = 3650;
	if (!p->bl && !p->tee && !p->snp && !p->ucode) {	/* sim_ca.h */
		p->bl = SIM_CA_TCB_BL;
		p->tee = SIM_CA_TCB_TEE;
		p->snp = SIM_CA_TCB_SNP;
		p->ucode = SIM_CA_TCB_UCODE;
	}
}

/* DIR exists (made 0700 if not) and holds no key of an earlier chain. */
static int prepare_dir(const char *dir, struct err_msg *why)
{
	char path[4096];
	struct stat st;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return err_fail(why, -errno, "%s: cannot create: %s", dir, strerror(errno));
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return err_fail(why, -ENOTDIR, "%s: not a directory", dir);
	snprintf(path, sizeof(path), "%s/vcek.key", dir);
	if (!access(path, F_OK))
		return err_fail(why, -EEXIST, "%s: holds a chain already (vcek.key): "
			    "refusing to replace it", dir);
	return 0;
}

int sim_ca_init(const char *dir, const struct sim_ca_params *params, struct err_msg *why)
{
	struct sim_ca_params p = *params;
	EVP_PKEY *ark_key = NULL, *ask_key = NULL, *vcek_key = NULL;
	X509 *ark = NULL, *ask = NULL, *vcek = NULL;
	uint8_t hwid[64];
	int ret;

	params_default(&p);
	if (p.rsa_bits < 2048 || p.rsa_bits > 8192)
		return err_fail(why, -EINVAL, "RSA keys of %u bits (2048..8192)", p.rsa_bits);
	ret = prepare_dir(dir, why);
	if (ret)
		return ret;
	ret = -EIO;
	ark_key = EVP_RSA_gen(p.rsa_bits);
	ask_key = ark_key ? EVP_RSA_gen(p.rsa_bits) : NULL;
	vcek_key = ask_key ? EVP_EC_gen("P-384") : NULL;
	if (!vcek_key || RAND_bytes(hwid, sizeof(hwid)) != 1) {
		err_set(why, "cannot generate the keys");
		goto out;
	}
	ark = cert_new("ARK-" PRODUCT, NULL, ark_key, p.days, true);
	if (ark && sign_pss(ark, ark_key))
		ask = cert_new("SEV-" PRODUCT, ark, ask_key, p.days, true);
	if (ask && sign_pss(ask, ark_key))
		vcek = make_vcek(ask, ask_key, vcek_key, &p, hwid);
	if (!vcek) {
		err_set(why, "cannot make the certificates");
		goto out;
	}
	ret = write_dir(dir, ark, ask, vcek, vcek_key, &p, hwid);
	if (ret)
		err_set(why, "%s: cannot write: %s", dir, strerror(-ret));
out:
	X509_free(ark);
	X509_free(ask);
	X509_free(vcek);
	EVP_PKEY_free(ark_key);
	EVP_PKEY_free(ask_key);
	EVP_PKEY_free(vcek_key);
	return ret;
}

/* ------------------------------------------------------------------ */
/* loading DIR */

static EVP_PKEY *read_key(const char *path, struct err_msg *why)
{
	EVP_PKEY *key = NULL;
	uint8_t *pem;
	size_t len;
	BIO *bio;
	int ret = file_read_flags(path, MAX_KEY_FILE, FILE_REGULAR, &pem, &len);

	if (ret) {
		err_set(why, "%s: %s", path, strerror(-ret));
		return NULL;
	}
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	OPENSSL_cleanse(pem, len);
	free(pem);
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC || EVP_PKEY_get_bits(key) != 384) {
		err_set(why, "%s: not a P-384 private key (PEM)", path);
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

static X509 *read_der(const char *path, struct err_msg *why)
{
	const unsigned char *p;
	X509 *c = NULL;
	uint8_t *der;
	size_t len;
	int ret = file_read_flags(path, COCO_CERTS_MAX_FILE, FILE_REGULAR, &der, &len);

	if (ret) {
		err_set(why, "%s: %s", path, strerror(-ret));
		return NULL;
	}
	p = der;
	c = d2i_X509(NULL, &p, (long)len);
	if (c && p != der + len) {
		X509_free(c);
		c = NULL;
	}
	free(der);
	if (!c)
		err_set(why, "%s: not a DER certificate", path);
	return c;
}

/* CHIP_ID and TCB from the VCEK's extensions. */
static int vcek_info(X509 *vcek, const char *path, struct sim_ca *ca, struct err_msg *why)
{
	struct snp_vek_info e;

	if (snp_vek_parse(vcek, &e) || !e.is_vcek || e.hwid_len != 64 || !e.has_bl ||
	    !e.has_tee || !e.has_snp || !e.has_ucode)
		return err_fail(why, -EINVAL, "%s: not a VCEK with a 64-byte HWID and "
			    "the four TCB SPLs", path);
	memcpy(ca->chip_id, e.hwid, 64);
	ca->tcb = (uint64_t)e.bl | (uint64_t)e.tee << 8 | (uint64_t)e.snp << 48 |
		  (uint64_t)e.ucode << 56;
	return 0;
}

int sim_ca_load(const char *dir, struct sim_ca *ca, struct err_msg *why)
{
	char path[4096], kpath[4096];
	X509 *vcek;
	int ret;

	memset(ca, 0, sizeof(*ca));
	snprintf(path, sizeof(path), "%s/vcek.der", dir);
	snprintf(kpath, sizeof(kpath), "%s/vcek.key", dir);
	vcek = read_der(path, why);
	if (!vcek)
		return -EINVAL;
	ca->vcek_key = read_key(kpath, why);
	ret = ca->vcek_key ? vcek_info(vcek, path, ca, why) : -EINVAL;
	if (!ret && X509_check_private_key(vcek, ca->vcek_key) != 1)
		ret = err_fail(why, -EINVAL, "%s does not belong to %s", kpath, path);
	if (!ret)
		ret = coco_certs_load(dir, &ca->certs, why);
	X509_free(vcek);
	if (ret)
		sim_ca_free(ca);
	return ret;
}

void sim_ca_free(struct sim_ca *ca)
{
	EVP_PKEY_free(ca->vcek_key);
	coco_certs_free(&ca->certs);
	memset(ca, 0, sizeof(*ca));
}
