/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_CERTS_H
#define CVMM_ATTEST_CERTS_H

/*
 * X.509 helpers shared by the SEV-SNP and TDX verifiers: parsing PEM or
 * DER certificates and CRLs from untrusted buffers, chain verification at
 * a chosen time (OpenSSL's verifier), CRL checks and JSON claims.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "util/err.h"

#define CERTS_MAX	16	/* certificates or CRLs accepted from one buffer */

/*
 * Parse every certificate in @buf: one or more PEM blocks (text around
 * them is ignored), or else one or more concatenated DER certificates that
 * must fill the buffer exactly.  Returns 0 with a non-empty stack, or
 * -EINVAL (nothing usable), -E2BIG (too many) or -ENOMEM.
 */
int certs_parse(const uint8_t *buf, size_t len, STACK_OF(X509) **out);

/* The same for CRLs (PEM "X509 CRL" blocks, or DER). */
int crls_parse(const uint8_t *buf, size_t len, STACK_OF(X509_CRL) **out);

/* Append a new reference to every element of @from to @to. */
int certs_append(STACK_OF(X509) *to, STACK_OF(X509) *from);
int crls_append(STACK_OF(X509_CRL) *to, STACK_OF(X509_CRL) *from);

/*
 * Split user-supplied roots (--ca): new references to the self-signed
 * certificates of @ca go to a fresh *@anchors, to the others to a fresh
 * *@intermediates (or they are dropped when @intermediates is NULL).
 * Returns 0, -EINVAL when @ca has no self-signed certificate, or -ENOMEM;
 * on failure nothing is returned.
 */
int certs_split_roots(STACK_OF(X509) *ca, STACK_OF(X509) **anchors,
		      STACK_OF(X509) **intermediates);

/* Is @c self-issued and self-signed? */
bool cert_self_signed(X509 *c);

/* The subject CN (or "" when absent). */
void cert_cn(X509 *c, char *buf, size_t len);
void cert_issuer_cn(X509 *c, char *buf, size_t len);

/*
 * The DER contents of the one extension of @c with dotted OID @oid.
 * Returns 1 found, 0 absent, -EINVAL when present more than once,
 * -ENOMEM.
 */
int cert_ext_get(X509 *c, const char *oid, const unsigned char **p, long *len);

/* ASN1_TIME to seconds since the epoch; 0 or -EINVAL. */
int asn1_time_unix(const ASN1_TIME *t, int64_t *out);

/*
 * Verify @leaf up to one of the self-signed @anchors, using @untrusted as
 * candidate intermediates, with validity checked at @at (seconds since
 * the epoch).  Self-signatures of anchors are checked too.  On success
 * returns 0 and, if @chain is non-NULL, the chain leaf first.  On failure
 * returns -EBADMSG and describes the reason in @why.
 */
int certs_verify_chain(X509 *leaf, STACK_OF(X509) *untrusted,
		       STACK_OF(X509) *anchors, int64_t at,
		       STACK_OF(X509) **chain, struct err_msg *why);

/*
 * Check CRLs against a verified @chain (leaf first).  A CRL applies when
 * it is issued by a certificate of the chain: the issuer name matches and
 * that certificate's key verifies its signature.  The others are not
 * about this chain and are ignored (every product's CRL may be passed at
 * once; another hierarchy may reuse a name); the caller decides what none
 * applying means, with @why saying why.  For a CRL that applies, @at must
 * lie inside thisUpdate..nextUpdate and no certificate issued by that
 * issuer may be listed.  Returns 0 with the number that applied in
 * *@applied, or -EBADMSG with the reason in @why.
 */
int certs_check_crls(STACK_OF(X509) *chain, STACK_OF(X509_CRL) *crls,
		     int64_t at, size_t *applied, struct err_msg *why);
/* Is @crl issued (name and signature) by a certificate of @chain? */
bool crl_applies(STACK_OF(X509) *chain, X509_CRL *crl);

/*
 * A one-entry memo for certs_verify_chain(), for callers that verify many
 * reports signed by the same key (benchmarks, batch verification).
 */
struct chain_cache {
	X509 *leaf;
	STACK_OF(X509) *anchors;
	STACK_OF(X509) *chain;
	int64_t at;
	/* certs_parse_cached(): the last buffer parsed and its certificates */
	uint8_t *blob;
	size_t blob_len;
	STACK_OF(X509) *parsed;
};

int certs_verify_chain_cached(struct chain_cache *cache, X509 *leaf,
			      STACK_OF(X509) *untrusted,
			      STACK_OF(X509) *anchors, int64_t at,
			      STACK_OF(X509) **chain, struct err_msg *why);
void chain_cache_free(struct chain_cache *cache);

/*
 * certs_parse() memoised on the exact bytes of @buf (OpenSSL 3 spends
 * about 0.2 ms decoding each certificate's key).  @cache may be NULL.
 */
int certs_parse_cached(struct chain_cache *cache, const uint8_t *buf, size_t len,
		       STACK_OF(X509) **out);

/* Subject, issuer, serial (lowercase hex), validity and SHA-256 fingerprint. */
json_t *cert_claims(X509 *c);
/* cert_claims() of each certificate of @sk, in order. */
json_t *certs_claims(STACK_OF(X509) *sk);
json_t *crl_claims(X509_CRL *crl);

#endif
