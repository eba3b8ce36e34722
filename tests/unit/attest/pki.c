// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "helpers.h"
#include "pki.h"
#include "util/bytes.h"
#include "util/num.h"

#define NOT_BEFORE	"2020-01-01T00:00:00Z"
#define NOT_AFTER	"2040-01-01T00:00:00Z"

/* ---- certificates ---- */

static X509_NAME *name_cn(const char *cn)
{
	X509_NAME *n = X509_NAME_new();

	assert_non_null(n);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
						    (const unsigned char *)cn, -1, -1, 0), 1);
	return n;
}

static void add_ext_nid(X509 *c, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer ? issuer : c, c, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(c, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* An extension whose value (the OCTET STRING contents) is @der. */
static void add_ext_raw(X509 *c, const char *oid, const uint8_t *der, size_t len)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	assert_non_null(o);
	assert_int_equal(ASN1_OCTET_STRING_set(os, der, (int)len), 1);
	e = X509_EXTENSION_create_by_OBJ(NULL, o, 0, os);
	assert_non_null(e);
	assert_int_equal(X509_add_ext(c, e, -1), 1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(o);
}

/* Subject @cn, issuer @issuer (NULL: self), key @key; not yet signed. */
static X509 *cert_new(const char *cn, X509 *issuer, EVP_PKEY *key, long serial,
		      bool ca)
{
	X509 *c = X509_new();
	X509_NAME *n = name_cn(cn);

	assert_non_null(c);
	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), serial);
	ASN1_TIME_set(X509_getm_notBefore(c), (time_t)t_at(NOT_BEFORE));
	ASN1_TIME_set(X509_getm_notAfter(c), (time_t)t_at(NOT_AFTER));
	X509_set_subject_name(c, n);
	X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : n);
	X509_set_pubkey(c, key);
	X509_NAME_free(n);
	if (ca) {
		add_ext_nid(c, issuer, NID_basic_constraints, "critical,CA:TRUE");
		add_ext_nid(c, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
	}
	return c;
}

static EVP_MD_CTX *pss_ctx(EVP_PKEY *key)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, &pctx, EVP_sha384(), NULL, key), 1);
	assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0);
	assert_true(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 48) > 0);
	assert_true(EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha384()) > 0);
	return ctx;
}

static void sign_pss(X509 *c, EVP_PKEY *key)
{
	EVP_MD_CTX *ctx = pss_ctx(key);

	assert_true(X509_sign_ctx(c, ctx) > 0);
	EVP_MD_CTX_free(ctx);
}

EVP_PKEY *pki_p384(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-384");

	assert_non_null(k);
	return k;
}

EVP_PKEY *pki_p256(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-256");

	assert_non_null(k);
	return k;
}

/* ---- AMD ---- */

/* RSA keygen is slow: three keys per process, shared by every product. */
static EVP_PKEY *rsa_keys[3];

static EVP_PKEY *rsa_key(int i)
{
	if (!rsa_keys[i]) {
		rsa_keys[i] = EVP_RSA_gen(2048);
		assert_non_null(rsa_keys[i]);
	}
	return rsa_keys[i];
}

void amd_pki_init(struct amd_pki *p, const char *product)
{
	char cn[48];

	memset(p, 0, sizeof(*p));
	snprintf(p->product, sizeof(p->product), "%s", product);
	p->ark_key = rsa_key(0);
	p->ask_key = rsa_key(1);
	p->asvk_key = rsa_key(2);
	snprintf(cn, sizeof(cn), "ARK-%s", product);
	p->ark = cert_new(cn, NULL, p->ark_key, 1, true);
	sign_pss(p->ark, p->ark_key);
	snprintf(cn, sizeof(cn), "SEV-%s", product);
	p->ask = cert_new(cn, p->ark, p->ask_key, 2, true);
	sign_pss(p->ask, p->ark_key);
	snprintf(cn, sizeof(cn), "SEV-VLEK-%s", product);
	p->asvk = cert_new(cn, p->ark, p->asvk_key, 3, true);
	sign_pss(p->asvk, p->ark_key);
}

void amd_pki_free(struct amd_pki *p)
{
	X509_free(p->ark);
	X509_free(p->ask);
	X509_free(p->asvk);
	memset(p, 0, sizeof(*p));
}

static void push_ref(STACK_OF(X509) *sk, X509 *c)
{
	assert_int_equal(X509_up_ref(c), 1);
	assert_true(sk_X509_push(sk, c) > 0);
}

STACK_OF(X509) *amd_pki_ca(const struct amd_pki *p)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	assert_non_null(sk);
	push_ref(sk, p->ark);
	push_ref(sk, p->ask);
	push_ref(sk, p->asvk);
	return sk;
}

static void add_ext_int(X509 *c, const char *oid, long v)
{
	ASN1_INTEGER *i = ASN1_INTEGER_new();
	unsigned char *der = NULL;
	int n;

	ASN1_INTEGER_set(i, v);
	n = i2d_ASN1_INTEGER(i, &der);
	assert_true(n > 0);
	add_ext_raw(c, oid, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_INTEGER_free(i);
}

static void add_ext_ia5(X509 *c, const char *oid, const char *s)
{
	ASN1_IA5STRING *a = ASN1_IA5STRING_new();
	unsigned char *der = NULL;
	int n;

	assert_int_equal(ASN1_STRING_set(a, s, -1), 1);
	n = i2d_ASN1_IA5STRING(a, &der);
	assert_true(n > 0);
	add_ext_raw(c, oid, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_IA5STRING_free(a);
}

X509 *amd_vek(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *key,
	      const struct vek_spec *s)
{
	X509 *c = cert_new(s->vlek ? "SEV-VLEK" : "SEV-VCEK", issuer, key, 0, false);

	add_ext_int(c, "1.3.6.1.4.1.3704.1.1", 1);
	add_ext_ia5(c, "1.3.6.1.4.1.3704.1.2", s->product_name);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.1", s->bl);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.2", s->tee);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.3", s->snp);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.4", 0);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.5", 0);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.6", 0);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.7", 0);
	add_ext_int(c, "1.3.6.1.4.1.3704.1.3.8", s->ucode);
	if (s->has_fmc)
		add_ext_int(c, "1.3.6.1.4.1.3704.1.3.9", s->fmc);
	if (s->hwid_len)
		add_ext_raw(c, "1.3.6.1.4.1.3704.1.4", s->hwid, s->hwid_len);
	if (s->vlek)
		add_ext_ia5(c, "1.3.6.1.4.1.3704.1.5", "CN=csp.example");
	sign_pss(c, issuer_key);
	return c;
}

X509_CRL *amd_crl(const char *issuer_cn, EVP_PKEY *key, long revoked_serial)
{
	X509_CRL *crl = X509_CRL_new();
	X509_NAME *n = name_cn(issuer_cn);
	ASN1_TIME *t = ASN1_TIME_new();
	EVP_MD_CTX *ctx;

	X509_CRL_set_version(crl, 1);
	X509_CRL_set_issuer_name(crl, n);
	ASN1_TIME_set(t, (time_t)t_at("2024-12-01T00:00:00Z"));
	X509_CRL_set1_lastUpdate(crl, t);
	ASN1_TIME_set(t, (time_t)t_at("2025-02-01T00:00:00Z"));
	X509_CRL_set1_nextUpdate(crl, t);
	if (revoked_serial >= 0) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *s = ASN1_INTEGER_new();

		ASN1_INTEGER_set(s, revoked_serial);
		X509_REVOKED_set_serialNumber(r, s);
		X509_REVOKED_set_revocationDate(r, t);
		X509_CRL_add0_revoked(crl, r);
		ASN1_INTEGER_free(s);
	}
	X509_CRL_sort(crl);
	ctx = pss_ctx(key);
	assert_true(X509_CRL_sign_ctx(crl, ctx) > 0);
	EVP_MD_CTX_free(ctx);
	ASN1_TIME_free(t);
	X509_NAME_free(n);
	return crl;
}

/* ECDSA over @msg into fixed-size r ‖ s (big- or little-endian). */
static void ecdsa_sign(EVP_PKEY *key, const EVP_MD *md, const uint8_t *msg, size_t len,
		       uint8_t *out, size_t clen, bool le)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t der[256];
	size_t dlen = sizeof(der);
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;

	assert_int_equal(EVP_DigestSignInit(ctx, NULL, md, NULL, key), 1);
	assert_int_equal(EVP_DigestSign(ctx, der, &dlen, msg, len), 1);
	sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	assert_non_null(sig);
	ECDSA_SIG_get0(sig, &r, &s);
	if (le) {
		assert_true(BN_bn2lebinpad(r, out, (int)clen) > 0);
		assert_true(BN_bn2lebinpad(s, out + clen, (int)clen) > 0);
	} else {
		assert_true(BN_bn2binpad(r, out, (int)clen) > 0);
		assert_true(BN_bn2binpad(s, out + clen, (int)clen) > 0);
	}
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
}

void snp_report_sign(uint8_t r[SNP_REPORT_SIZE], EVP_PKEY *key)
{
	memset(r + SNP_REPORT_SIGNED_LEN, 0, SNP_REPORT_SIZE - SNP_REPORT_SIGNED_LEN);
	ecdsa_sign(key, EVP_sha384(), r, SNP_REPORT_SIGNED_LEN, r + SNP_REPORT_SIGNED_LEN,
		   SNP_SIG_COMPONENT_LEN, true);
}

void snp_put_tcb(uint8_t *at, enum snp_product p, const struct snp_tcb *t)
{
	memset(at, 0, 8);
	if (p == SNP_PRODUCT_TURIN) {
		at[0] = t->fmc;
		at[1] = t->bootloader;
		at[2] = t->tee;
		at[3] = t->snp;
	} else {
		at[0] = t->bootloader;
		at[1] = t->tee;
		at[6] = t->snp;
	}
	at[7] = t->microcode;
}

/* ---- Intel ---- */

const uint8_t pki_td_qe_mrsigner[32] = {
	0xdc, 0x9e, 0x2a, 0x7c, 0x6f, 0x94, 0x8f, 0x17, 0x47, 0x4e, 0x34, 0xa7,
	0xfc, 0x43, 0xed, 0x03, 0x0f, 0x7c, 0x15, 0x63, 0xf1, 0xba, 0xbd, 0xdf,
	0x63, 0x40, 0xc8, 0x2e, 0x0e, 0x54, 0xa8, 0xc5,
};

/* A small DER writer for the SGX extension. */
struct der {
	uint8_t b[2048];
	size_t n;
};

static void der_put(struct der *d, const void *p, size_t n)
{
	assert_true(d->n + n <= sizeof(d->b));
	memcpy(d->b + d->n, p, n);
	d->n += n;
}

static void der_tlv(struct der *d, uint8_t tag, const void *v, size_t n)
{
	uint8_t h[4] = { tag };
	size_t hl = 2;

	if (n < 0x80) {
		h[1] = (uint8_t)n;
	} else if (n < 0x100) {
		h[1] = 0x81;
		h[2] = (uint8_t)n;
		hl = 3;
	} else {
		assert_true(n < 0x10000);
		h[1] = 0x82;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		hl = 4;
	}
	der_put(d, h, hl);
	der_put(d, v, n);
}

static void der_oid(struct der *d, const char *oid)
{
	ASN1_OBJECT *o = OBJ_txt2obj(oid, 1);
	unsigned char *der = NULL;
	int n = i2d_ASN1_OBJECT(o, &der);

	assert_true(n > 0);
	der_put(d, der, (size_t)n);
	OPENSSL_free(der);
	ASN1_OBJECT_free(o);
}

static void der_int(struct der *d, uint8_t tag, long v)
{
	uint8_t b[3];

	if (v < 0x80) {
		b[0] = (uint8_t)v;
		der_tlv(d, tag, b, 1);
	} else if (v < 0x8000) {
		b[0] = (uint8_t)(v >> 8);
		b[1] = (uint8_t)v;
		der_tlv(d, tag, b, 2);
	} else {
		b[0] = 0;
		b[1] = (uint8_t)(v >> 8);
		b[2] = (uint8_t)v;
		der_tlv(d, tag, b, 3);
	}
}

/* SEQUENCE { OID @oid, @value } appended to @d. */
static void der_pair(struct der *d, const char *oid, const struct der *value)
{
	struct der p = { .n = 0 };

	der_oid(&p, oid);
	der_put(&p, value->b, value->n);
	der_tlv(d, 0x30, p.b, p.n);
}

static void pair_octets(struct der *d, const char *oid, const uint8_t *v, size_t n)
{
	struct der x = { .n = 0 };

	der_tlv(&x, 0x04, v, n);
	der_pair(d, oid, &x);
}

static void pair_int(struct der *d, const char *oid, uint8_t tag, long v)
{
	struct der x = { .n = 0 };

	der_int(&x, tag, v);
	der_pair(d, oid, &x);
}

#define SGX "1.2.840.113741.1.13.1"

static void add_sgx_ext(X509 *c, const struct intel_pki *p)
{
	static const uint8_t ppid[16] = { 1, 2, 3, 4 }, cpusvn[16] = { 0 };
	struct der ext = { .n = 0 }, tcb = { .n = 0 }, seq = { .n = 0 };
	char oid[64];
	int i;

	pair_octets(&ext, SGX ".1", ppid, 16);
	for (i = 0; i < 16; i++) {
		snprintf(oid, sizeof(oid), SGX ".2.%d", i + 1);
		pair_int(&tcb, oid, 0x02, p->comp_svn[i]);
	}
	pair_int(&tcb, SGX ".2.17", 0x02, p->pcesvn);
	pair_octets(&tcb, SGX ".2.18", cpusvn, 16);
	der_tlv(&seq, 0x30, tcb.b, tcb.n);
	der_pair(&ext, SGX ".2", &seq);
	pair_octets(&ext, SGX ".3", p->pceid, 2);
	pair_octets(&ext, SGX ".4", p->fmspc, 6);
	pair_int(&ext, SGX ".5", 0x0a, 0);
	seq.n = 0;
	der_tlv(&seq, 0x30, ext.b, ext.n);
	add_ext_raw(c, SGX, seq.b, seq.n);
}

static X509 *ec_cert(const char *cn, X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *key,
		     long serial, bool ca, const struct intel_pki *sgx)
{
	X509 *c = cert_new(cn, issuer, key, serial, ca);

	if (sgx)
		add_sgx_ext(c, sgx);
	assert_true(X509_sign(c, issuer_key, EVP_sha256()) > 0);
	return c;
}

void intel_pki_init(struct intel_pki *p, const uint8_t comp_svn[16], uint16_t pcesvn,
		    const uint8_t fmspc[6])
{
	memset(p, 0, sizeof(*p));
	memcpy(p->comp_svn, comp_svn, 16);
	p->pcesvn = pcesvn;
	memcpy(p->fmspc, fmspc, 6);
	p->root_key = pki_p256();
	p->ca_key = pki_p256();
	p->pck_key = pki_p256();
	p->tcb_key = pki_p256();
	p->att_key = pki_p256();
	p->root = ec_cert("Intel SGX Root CA", NULL, p->root_key, p->root_key, 1, true, NULL);
	p->ca = ec_cert("Intel SGX PCK Platform CA", p->root, p->root_key, p->ca_key, 2,
			true, NULL);
	p->pck = ec_cert("Intel SGX PCK Certificate", p->ca, p->ca_key, p->pck_key, 0x1234abcd,
			 false, p);
	p->tcb = ec_cert("Intel SGX TCB Signing", p->root, p->root_key, p->tcb_key, 4,
			 false, NULL);
}

void intel_pki_free(struct intel_pki *p)
{
	X509_free(p->root);
	X509_free(p->ca);
	X509_free(p->pck);
	X509_free(p->tcb);
	EVP_PKEY_free(p->root_key);
	EVP_PKEY_free(p->ca_key);
	EVP_PKEY_free(p->pck_key);
	EVP_PKEY_free(p->tcb_key);
	EVP_PKEY_free(p->att_key);
	memset(p, 0, sizeof(*p));
}

STACK_OF(X509) *intel_pki_ca(const struct intel_pki *p)
{
	STACK_OF(X509) *sk = sk_X509_new_null();

	assert_non_null(sk);
	push_ref(sk, p->root);
	return sk;
}

STACK_OF(X509) *intel_pki_tcb_chain(const struct intel_pki *p)
{
	STACK_OF(X509) *sk = intel_pki_ca(p);

	push_ref(sk, p->tcb);
	return sk;
}

void td_quote_spec_init(struct td_quote_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->version = 4;
	memcpy(s->qe_mrsigner, pki_td_qe_mrsigner, 32);
	s->qe_isvprodid = 2;
	s->qe_isvsvn = 4;
	s->qe_attributes[0] = 0x11;	/* INIT, PROVISIONKEY; not DEBUG */
	s->mrtd[0] = 0x5a;
}

/* PEM PCK ‖ CA ‖ root, as real quotes carry it. */
static char *pem_chain(const struct intel_pki *p, size_t *len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out;
	long n;

	assert_int_equal(PEM_write_bio_X509(b, p->pck), 1);
	assert_int_equal(PEM_write_bio_X509(b, p->ca), 1);
	assert_int_equal(PEM_write_bio_X509(b, p->root), 1);
	n = BIO_get_mem_data(b, &data);
	out = malloc((size_t)n);
	assert_non_null(out);
	memcpy(out, data, (size_t)n);
	*len = (size_t)n;
	BIO_free(b);
	return out;
}

uint8_t *td_quote_build(const struct intel_pki *p, const struct td_quote_spec *s,
			size_t *len)
{
	uint8_t qe[TDX_QE_REPORT_SIZE] = { 0 }, auth[32], key[65], h[32];
	size_t pem_len, keylen = 0, head, off;
	char *pem = pem_chain(p, &pem_len);
	size_t sig_len = 64 + 64 + 6 + TDX_QE_REPORT_SIZE + 64 + 2 + sizeof(auth) + 6 + pem_len;
	size_t total = TDX_HEADER_SIZE + (s->version == 5 ? 6 : 0) + TDX_BODY_V4_SIZE + 4 +
		       sig_len;
	uint8_t *q = calloc(1, total), *body;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	assert_non_null(q);
	/* header */
	put_le16(q, s->version);
	put_le16(q + 2, TDX_ATT_KEY_ECDSA_P256);
	put_le32(q + 4, TDX_TEE_TYPE);
	memcpy(q + 8, s->reserved, 4);
	memcpy(q + 12, tdx_intel_qe_vendor_id, 16);
	off = TDX_HEADER_SIZE;
	if (s->version == 5) {
		put_le16(q + off, 2);
		put_le32(q + off + 2, TDX_BODY_V4_SIZE);
		off += 6;
	}
	body = q + off;
	memcpy(body + 0x000, s->tee_tcb_svn, 16);
	memcpy(body + 0x078, s->td_attributes, 8);
	memcpy(body + 0x088, s->mrtd, 48);
	memcpy(body + 0x208, s->report_data, 64);
	head = off + TDX_BODY_V4_SIZE;
	put_le32(q + head, (uint32_t)sig_len);
	off = head + 4;
	/* signature, attestation key */
	assert_int_equal(EVP_PKEY_get_octet_string_param(p->att_key,
			OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, key, sizeof(key), &keylen), 1);
	assert_int_equal(keylen, 65);
	ecdsa_sign(p->att_key, EVP_sha256(), q, head, q + off, 32, false);
	memcpy(q + off + 64, key + 1, 64);
	off += 128;
	put_le16(q + off, 6);
	put_le32(q + off + 2, (uint32_t)(sig_len - 134));
	off += 6;
	/* QE report, bound to the attestation key and auth data */
	memset(auth, 0xa5, sizeof(auth));
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha256(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(md, key + 1, 64), 1);
	assert_int_equal(EVP_DigestUpdate(md, auth, sizeof(auth)), 1);
	assert_int_equal(EVP_DigestFinal_ex(md, h, NULL), 1);
	EVP_MD_CTX_free(md);
	memcpy(qe + 0x30, s->qe_attributes, 16);
	memset(qe + 0x40, 0x3c, 32);			/* MRENCLAVE */
	memcpy(qe + 0x80, s->qe_mrsigner, 32);
	put_le16(qe + 0x100, s->qe_isvprodid);
	put_le16(qe + 0x102, s->qe_isvsvn);
	memcpy(qe + 0x140, h, 32);
	memcpy(qe + 0x160, s->qe_report_data_hi, 32);
	memcpy(q + off, qe, sizeof(qe));
	ecdsa_sign(p->pck_key, EVP_sha256(), qe, sizeof(qe), q + off + sizeof(qe), 32, false);
	off += sizeof(qe) + 64;
	put_le16(q + off, sizeof(auth));
	memcpy(q + off + 2, auth, sizeof(auth));
	off += 2 + sizeof(auth);
	put_le16(q + off, 5);
	put_le32(q + off + 2, (uint32_t)pem_len);
	memcpy(q + off + 6, pem, pem_len);
	off += 6 + pem_len;
	assert_int_equal(off, total);
	free(pem);
	*len = total;
	return q;
}

char *pcs_doc(const struct intel_pki *p, const char *key, const char *body)
{
	uint8_t sig[64];
	char hex[129];
	size_t n = strlen(key) + strlen(body) + 200;
	char *out = malloc(n);

	assert_non_null(out);
	ecdsa_sign(p->tcb_key, EVP_sha256(), (const uint8_t *)body, strlen(body), sig, 32,
		   false);
	hex_encode(sig, 64, hex);
	snprintf(out, n, "{\"%s\":%s,\"signature\":\"%s\"}", key, body, hex);
	return out;
}

static void components(char *out, size_t size, const uint8_t *svn, unsigned all)
{
	size_t n = 0;
	int i;

	n += (size_t)snprintf(out + n, size - n, "[");
	for (i = 0; i < 16; i++)
		n += (size_t)snprintf(out + n, size - n, "%s{\"svn\":%u}", i ? "," : "",
				      svn ? svn[i] : all);
	snprintf(out + n, size - n, "]");
}

char *pcs_tcb_info(const struct intel_pki *p, unsigned tdx_svn, const char *status)
{
	char sgx[512], tdx[512], fmspc[13], body[2048];

	components(sgx, sizeof(sgx), p->comp_svn, 0);
	components(tdx, sizeof(tdx), NULL, tdx_svn);
	hex_encode(p->fmspc, 6, fmspc);
	snprintf(body, sizeof(body),
		 "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2024-12-01T00:00:00Z\","
		 "\"nextUpdate\":\"2025-02-01T00:00:00Z\",\"fmspc\":\"%s\",\"pceId\":\"0000\","
		 "\"tcbType\":0,\"tcbEvaluationDataNumber\":17,\"tcbLevels\":[{\"tcb\":{"
		 "\"sgxtcbcomponents\":%s,\"pcesvn\":%u,\"tdxtcbcomponents\":%s},"
		 "\"tcbDate\":\"2024-11-13T00:00:00Z\",\"tcbStatus\":\"%s\"}]}",
		 fmspc, sgx, p->pcesvn, tdx, status);
	return pcs_doc(p, "tcbInfo", body);
}

char *pcs_qe_identity(const struct intel_pki *p, const char *status)
{
	char mrsigner[65], body[1024];

	hex_encode(pki_td_qe_mrsigner, 32, mrsigner);
	snprintf(body, sizeof(body),
		 "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2024-12-01T00:00:00Z\","
		 "\"nextUpdate\":\"2025-02-01T00:00:00Z\",\"tcbEvaluationDataNumber\":17,"
		 "\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
		 "\"attributes\":\"11000000000000000000000000000000\","
		 "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\","
		 "\"mrsigner\":\"%s\",\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":4},"
		 "\"tcbDate\":\"2024-11-13T00:00:00Z\",\"tcbStatus\":\"%s\"}]}",
		 mrsigner, status);
	return pcs_doc(p, "enclaveIdentity", body);
}
