// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "attest/certs.h"
#include "attest/claims.h"
#include "attest/rfc3339.h"
#include "util/err.h"

static bool has_pem(const uint8_t *buf, size_t len)
{
	static const char tag[] = "-----BEGIN ";

	return len >= sizeof(tag) - 1 &&
	       memmem(buf, len, tag, sizeof(tag) - 1) != NULL;
}

/*
 * Certificates and CRLs are read the same way; only OpenSSL's decoders
 * differ.  The wrappers give them one signature.
 */
struct pem_der_kind {
	void *(*pem)(BIO *bio);
	void *(*der)(const unsigned char **p, long len);
	void (*free)(void *obj);
};

static void *x509_pem(BIO *bio)
{
	return PEM_read_bio_X509(bio, NULL, NULL, NULL);
}

static void *x509_der(const unsigned char **p, long len)
{
	return d2i_X509(NULL, p, len);
}

static void x509_free(void *c)
{
	X509_free(c);
}

static void *crl_pem(BIO *bio)
{
	return PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
}

static void *crl_der(const unsigned char **p, long len)
{
	return d2i_X509_CRL(NULL, p, len);
}

static void crl_free(void *c)
{
	X509_CRL_free(c);
}

static const struct pem_der_kind x509_kind = { x509_pem, x509_der, x509_free };
static const struct pem_der_kind crl_kind = { crl_pem, crl_der, crl_free };

static int push_obj(OPENSSL_STACK *sk, void *obj, const struct pem_der_kind *k)
{
	int ret = 0;

	if (OPENSSL_sk_num(sk) >= CERTS_MAX)
		ret = -E2BIG;
	else if (!OPENSSL_sk_push(sk, obj))
		ret = -ENOMEM;
	if (ret)
		k->free(obj);
	return ret;
}

/*
 * Every object in @buf: PEM blocks of the kind (text around them is
 * ignored), or else concatenated DER that must fill the buffer exactly.
 */
static int parse_all(const uint8_t *buf, size_t len, const struct pem_der_kind *k,
		     OPENSSL_STACK **out)
{
	OPENSSL_STACK *sk;
	BIO *bio = NULL;
	void *obj;
	int ret = -EINVAL;

	*out = NULL;
	if (!buf || !len || len > INT32_MAX)
		return -EINVAL;
	sk = OPENSSL_sk_new_null();
	if (!sk)
		return -ENOMEM;
	if (has_pem(buf, len)) {
		bio = BIO_new_mem_buf(buf, (int)len);
		if (!bio) {
			ret = -ENOMEM;
			goto out;
		}
		while ((obj = k->pem(bio))) {
			ret = push_obj(sk, obj, k);
			if (ret)
				goto out;
		}
		/* the end of the input, or a malformed block */
		if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE ||
		    !OPENSSL_sk_num(sk)) {
			ret = -EINVAL;
			goto out;
		}
	} else {
		const unsigned char *p = buf, *end = buf + len;

		while (p < end) {
			obj = k->der(&p, end - p);
			if (!obj) {
				ret = -EINVAL;
				goto out;
			}
			ret = push_obj(sk, obj, k);
			if (ret)
				goto out;
		}
	}
	ret = 0;
	*out = sk;
	sk = NULL;
out:
	ERR_clear_error();
	BIO_free(bio);
	OPENSSL_sk_pop_free(sk, k->free);
	return ret;
}

int certs_parse(const uint8_t *buf, size_t len, STACK_OF(X509) **out)
{
	OPENSSL_STACK *sk;
	int ret = parse_all(buf, len, &x509_kind, &sk);

	*out = (STACK_OF(X509) *)sk;
	return ret;
}

int crls_parse(const uint8_t *buf, size_t len, STACK_OF(X509_CRL) **out)
{
	OPENSSL_STACK *sk;
	int ret = parse_all(buf, len, &crl_kind, &sk);

	*out = (STACK_OF(X509_CRL) *)sk;
	return ret;
}

static int push_ref(STACK_OF(X509) *sk, X509 *c)
{
	if (!X509_up_ref(c))
		return -ENOMEM;
	if (!sk_X509_push(sk, c)) {
		X509_free(c);
		return -ENOMEM;
	}
	return 0;
}

int certs_append(STACK_OF(X509) *to, STACK_OF(X509) *from)
{
	int i, ret = 0;

	for (i = 0; i < sk_X509_num(from) && !ret; i++)
		ret = push_ref(to, sk_X509_value(from, i));
	return ret;
}

int crls_append(STACK_OF(X509_CRL) *to, STACK_OF(X509_CRL) *from)
{
	int i;

	for (i = 0; i < sk_X509_CRL_num(from); i++) {
		X509_CRL *c = sk_X509_CRL_value(from, i);

		if (!X509_CRL_up_ref(c))
			return -ENOMEM;
		if (!sk_X509_CRL_push(to, c)) {
			X509_CRL_free(c);
			return -ENOMEM;
		}
	}
	return 0;
}

int certs_split_roots(STACK_OF(X509) *ca, STACK_OF(X509) **anchors,
		      STACK_OF(X509) **intermediates)
{
	STACK_OF(X509) *a = sk_X509_new_null(), *im = NULL;
	int i, ret = -ENOMEM;

	*anchors = NULL;
	if (intermediates) {
		*intermediates = NULL;
		im = sk_X509_new_null();
		if (!im)
			goto out;
	}
	if (!a)
		goto out;
	for (i = 0; i < sk_X509_num(ca); i++) {
		X509 *c = sk_X509_value(ca, i);

		ret = 0;
		if (cert_self_signed(c))
			ret = push_ref(a, c);
		else if (im)
			ret = push_ref(im, c);
		if (ret)
			goto out;
	}
	if (!sk_X509_num(a)) {
		ret = -EINVAL;
		goto out;
	}
	*anchors = a;
	if (intermediates)
		*intermediates = im;
	return 0;
out:
	sk_X509_pop_free(a, X509_free);
	sk_X509_pop_free(im, X509_free);
	return ret;
}

bool cert_self_signed(X509 *c)
{
	/* X509_check_issued() compares names and key identifiers. */
	bool ret = X509_check_issued(c, c) == X509_V_OK &&
		   X509_verify(c, X509_get0_pubkey(c)) == 1;

	ERR_clear_error();
	return ret;
}

static void name_cn(const X509_NAME *name, char *buf, size_t len)
{
	int n;

	buf[0] = 0;
	if (!name)
		return;
	n = X509_NAME_get_text_by_NID((X509_NAME *)name, NID_commonName,
				      buf, (int)len);
	if (n < 0)
		buf[0] = 0;
	ERR_clear_error();
}

void cert_cn(X509 *c, char *buf, size_t len)
{
	name_cn(X509_get_subject_name(c), buf, len);
}

void cert_issuer_cn(X509 *c, char *buf, size_t len)
{
	name_cn(X509_get_issuer_name(c), buf, len);
}

int cert_ext_get(X509 *c, const char *oid, const unsigned char **p, long *len)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	X509_EXTENSION *ext;
	ASN1_OCTET_STRING *os;
	int idx, ret = 0;

	if (!obj)
		return -ENOMEM;
	idx = X509_get_ext_by_OBJ(c, obj, -1);
	if (idx < 0)
		goto out;
	if (X509_get_ext_by_OBJ(c, obj, idx) >= 0) {
		ret = -EINVAL;
		goto out;
	}
	ext = X509_get_ext(c, idx);
	os = ext ? X509_EXTENSION_get_data(ext) : NULL;
	if (!os) {
		ret = -EINVAL;
		goto out;
	}
	*p = ASN1_STRING_get0_data(os);
	*len = ASN1_STRING_length(os);
	ret = 1;
out:
	ASN1_OBJECT_free(obj);
	ERR_clear_error();
	return ret;
}

int asn1_time_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
		ERR_clear_error();
		return -EINVAL;
	}
	*out = rfc3339_from_civil((int64_t)tm.tm_year + 1900,
				  (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday,
				  (unsigned)tm.tm_hour, (unsigned)tm.tm_min,
				  (unsigned)tm.tm_sec);
	return 0;
}

static void describe_cert(X509 *c, char *buf, size_t len)
{
	char cn[128];

	if (!c) {
		snprintf(buf, len, "?");
		return;
	}
	cert_cn(c, cn, sizeof(cn));
	snprintf(buf, len, "%s", cn[0] ? cn : "(no CN)");
}

int certs_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
		       STACK_OF(X509) *anchors, int64_t at,
		       STACK_OF(X509) **chain, struct err_msg *why)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	int i, ret = -ENOMEM, err, depth;
	char who[128];

	if (chain)
		*chain = NULL;
	err_set(why, "out of memory");
	store = X509_STORE_new();
	ctx = X509_STORE_CTX_new();
	if (!store || !ctx)
		goto out;
	for (i = 0; i < sk_X509_num(anchors); i++) {
		X509 *a = sk_X509_value(anchors, i);

		/* Only self-signed roots anchor a chain. */
		if (!cert_self_signed(a))
			continue;
		if (!X509_STORE_add_cert(store, a))
			goto out;
	}
	if (!X509_STORE_CTX_init(ctx, store, leaf, untrusted))
		goto out;
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_VERIFY_PARAM_set_depth(param, 4);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CHECK_SS_SIGNATURE);
	if (X509_verify_cert(ctx) == 1) {
		if (chain)
			*chain = X509_STORE_CTX_get1_chain(ctx);
		ret = 0;
		err_set(why, "ok");
		goto out;
	}
	err = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	describe_cert(X509_STORE_CTX_get_current_cert(ctx), who, sizeof(who));
	err_set(why, "%s (depth %d, %s)", X509_verify_cert_error_string(err), depth, who);
	ret = -EBADMSG;
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ret;
}

/*
 * The index in @chain of the CRL's issuer: a certificate with the CRL's
 * issuer name whose key verifies the CRL's signature, or -1.  A CRL that
 * only borrows the name (another hierarchy's "Intel SGX Root CA", a
 * damaged copy) is not about this chain; *@named says one was seen.
 */
static int crl_issuer(STACK_OF(X509) *chain, X509_CRL *crl, bool *named)
{
	const X509_NAME *iname = X509_CRL_get_issuer(crl);
	int i;

	*named = false;
	for (i = 0; i < sk_X509_num(chain); i++) {
		X509 *c = sk_X509_value(chain, i);

		if (X509_NAME_cmp(X509_get_subject_name(c), iname))
			continue;
		*named = true;
		if (X509_CRL_verify(crl, X509_get0_pubkey(c)) == 1) {
			ERR_clear_error();
			return i;
		}
	}
	ERR_clear_error();
	return -1;
}

bool crl_applies(STACK_OF(X509) *chain, X509_CRL *crl)
{
	bool named;

	return crl_issuer(chain, crl, &named) >= 0;
}

static int check_one_crl(STACK_OF(X509) *chain, X509_CRL *crl, int64_t at,
			 int idx, struct err_msg *why)
{
	const X509_NAME *iname = X509_CRL_get_issuer(crl);
	const ASN1_TIME *next;
	char cn[128];
	int64_t t;
	int i;

	name_cn(iname, cn, sizeof(cn));
	if (asn1_time_unix(X509_CRL_get0_lastUpdate(crl), &t) || t > at) {
		err_set(why, "CRL of \"%s\" is not yet valid", cn);
		return -EBADMSG;
	}
	next = X509_CRL_get0_nextUpdate(crl);
	if (next && (asn1_time_unix(next, &t) || t < at)) {
		err_set(why, "CRL of \"%s\" has expired", cn);
		return -EBADMSG;
	}
	/* Every certificate below the issuer in the chain was issued by it. */
	for (i = 0; i < idx; i++) {
		X509 *c = sk_X509_value(chain, i);
		X509_REVOKED *rev = NULL;

		if (X509_NAME_cmp(X509_get_issuer_name(c), iname))
			continue;
		if (X509_CRL_get0_by_cert(crl, &rev, c) == 1) {
			char who[128];

			describe_cert(c, who, sizeof(who));
			err_set(why, "certificate \"%s\" is revoked by the CRL of \"%s\"",
				who, cn);
			return -EBADMSG;
		}
	}
	return 0;
}

int certs_check_crls(STACK_OF(X509) *chain, STACK_OF(X509_CRL) *crls,
		     int64_t at, size_t *applied, struct err_msg *why)
{
	int i, idx, ret = 0;
	bool named;
	char cn[128];

	*applied = 0;
	err_set(why, "no CRL is issued by a certificate of the chain");
	for (i = 0; i < sk_X509_CRL_num(crls) && !ret; i++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, i);

		idx = crl_issuer(chain, crl, &named);
		if (idx < 0) {
			if (named && !*applied) {
				name_cn(X509_CRL_get_issuer(crl), cn, sizeof(cn));
				err_set(why,
					"the CRL named \"%s\" is not signed by that certificate of the chain",
					cn);
			}
			continue;
		}
		ret = check_one_crl(chain, crl, at, idx, why);
		*applied += 1;
	}
	ERR_clear_error();
	return ret;
}

static void chain_cache_drop_chain(struct chain_cache *cache);

int certs_verify_chain_cached(struct chain_cache *cache, X509 *leaf,
			      STACK_OF(X509) *untrusted,
			      STACK_OF(X509) *anchors, int64_t at,
			      STACK_OF(X509) **chain, struct err_msg *why)
{
	STACK_OF(X509) *c = NULL;
	int ret;

	if (chain)
		*chain = NULL;
	if (cache && cache->leaf && cache->anchors == anchors &&
	    cache->at == at && !X509_cmp(cache->leaf, leaf)) {
		err_set(why, "ok");
		if (chain) {
			*chain = X509_chain_up_ref(cache->chain);
			if (!*chain)
				return -ENOMEM;
		}
		return 0;
	}
	ret = certs_verify_chain(leaf, untrusted, anchors, at, &c, why);
	if (ret)
		return ret;
	/* Only successes are remembered. */
	if (cache && X509_up_ref(leaf)) {
		chain_cache_drop_chain(cache);
		cache->leaf = leaf;
		cache->anchors = anchors;
		cache->at = at;
		cache->chain = X509_chain_up_ref(c);
		if (!cache->chain)
			chain_cache_drop_chain(cache);
	}
	if (chain)
		*chain = c;
	else
		sk_X509_pop_free(c, X509_free);
	return 0;
}

static void chain_cache_drop_chain(struct chain_cache *cache)
{
	X509_free(cache->leaf);
	sk_X509_pop_free(cache->chain, X509_free);
	cache->leaf = NULL;
	cache->chain = NULL;
	cache->anchors = NULL;
}

void chain_cache_free(struct chain_cache *cache)
{
	chain_cache_drop_chain(cache);
	free(cache->blob);
	sk_X509_pop_free(cache->parsed, X509_free);
	cache->blob = NULL;
	cache->blob_len = 0;
	cache->parsed = NULL;
}

int certs_parse_cached(struct chain_cache *cache, const uint8_t *buf, size_t len,
		       STACK_OF(X509) **out)
{
	STACK_OF(X509) *sk;
	int ret;

	if (cache && cache->parsed && cache->blob_len == len &&
	    !memcmp(cache->blob, buf, len)) {
		*out = X509_chain_up_ref(cache->parsed);
		return *out ? 0 : -ENOMEM;
	}
	ret = certs_parse(buf, len, &sk);
	if (ret || !cache)
		goto done;
	free(cache->blob);
	sk_X509_pop_free(cache->parsed, X509_free);
	cache->parsed = NULL;
	cache->blob_len = 0;
	cache->blob = malloc(len);
	if (cache->blob) {
		memcpy(cache->blob, buf, len);
		cache->blob_len = len;
		cache->parsed = X509_chain_up_ref(sk);
	}
done:
	*out = ret ? NULL : sk;
	return ret;
}

static json_t *name_json(const X509_NAME *name)
{
	char buf[512];
	BIO *bio = BIO_new(BIO_s_mem());
	int n;

	if (!bio)
		return NULL;
	X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
	n = BIO_read(bio, buf, sizeof(buf) - 1);
	BIO_free(bio);
	if (n < 0)
		n = 0;
	buf[n] = 0;
	return json_string(buf);
}

json_t *cert_claims(X509 *c)
{
	json_t *o = json_object();
	const ASN1_INTEGER *serial = X509_get0_serialNumber(c);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	BIGNUM *bn;
	int64_t t;

	if (!o)
		return NULL;
	json_object_set_new(o, "subject", name_json(X509_get_subject_name(c)));
	json_object_set_new(o, "issuer", name_json(X509_get_issuer_name(c)));
	bn = ASN1_INTEGER_to_BN(serial, NULL);
	if (bn) {
		char *hex = BN_bn2hex(bn), *h;

		/* lowercase, like every other byte string in the claims */
		for (h = hex; h && *h; h++)
			*h = (char)tolower((unsigned char)*h);
		if (hex)
			claims_set_str(o, "serial", hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	if (!asn1_time_unix(X509_get0_notBefore(c), &t))
		claims_set_time(o, "not_before", t);
	if (!asn1_time_unix(X509_get0_notAfter(c), &t))
		claims_set_time(o, "not_after", t);
	if (X509_digest(c, EVP_sha256(), md, &mdlen) == 1)
		claims_set_hex(o, "sha256", md, mdlen);
	ERR_clear_error();
	return o;
}

json_t *certs_claims(STACK_OF(X509) *sk)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < sk_X509_num(sk); i++)
		json_array_append_new(a, cert_claims(sk_X509_value(sk, i)));
	return a;
}

json_t *crl_claims(X509_CRL *crl)
{
	json_t *o = json_object();
	STACK_OF(X509_REVOKED) *rev;
	int64_t t;

	if (!o)
		return NULL;
	json_object_set_new(o, "issuer", name_json(X509_CRL_get_issuer(crl)));
	if (!asn1_time_unix(X509_CRL_get0_lastUpdate(crl), &t))
		claims_set_time(o, "this_update", t);
	if (X509_CRL_get0_nextUpdate(crl) &&
	    !asn1_time_unix(X509_CRL_get0_nextUpdate(crl), &t))
		claims_set_time(o, "next_update", t);
	rev = X509_CRL_get_REVOKED(crl);
	claims_set_int(o, "revoked", rev ? sk_X509_REVOKED_num(rev) : 0);
	return o;
}
