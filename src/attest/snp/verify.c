// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "attest/claims.h"
#include "attest/sig.h"
#include "attest/snp/certs.h"
#include "attest/snp/policy.h"
#include "attest/snp/report.h"
#include "attest/snp/roots.h"
#include "attest/snp/verify.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

int snp_trust_init(struct snp_trust *t, STACK_OF(X509) *ca)
{
	memset(t, 0, sizeof(*t));
	if (!ca)
		return snp_roots_load(&t->anchors, &t->intermediates);
	return certs_split_roots(ca, &t->anchors, &t->intermediates);
}

void snp_trust_free(struct snp_trust *t)
{
	sk_X509_pop_free(t->anchors, X509_free);
	sk_X509_pop_free(t->intermediates, X509_free);
	t->anchors = t->intermediates = NULL;
}

/* Every check of the report itself, in order (the policy's are apart). */
static const char *const snp_checks[] = {
	"snp.report", "snp.signature_algo", "snp.signing_key", "snp.vek",
	"snp.chain", "snp.crl", "snp.product", "snp.tcb", "snp.current_tcb",
	"snp.hwid", "snp.signature",
};

/* Mark every check not yet recorded as skipped, saying why. */
static void skip_rest(struct verdict *v, const char *why)
{
	enum verdict_status st;
	size_t i;

	for (i = 0; i < sizeof(snp_checks) / sizeof(snp_checks[0]); i++)
		if (!verdict_status(v, snp_checks[i], &st))
			verdict_skip(v, snp_checks[i], "%s", why);
}

static const char *key_name(enum snp_signing_key sk)
{
	return sk == SNP_SIGNING_KEY_VLEK ? "VLEK" : "VCEK";
}

/* The first certificate whose subject CN is @cn. */
static X509 *find_cn(STACK_OF(X509) *certs, const char *cn)
{
	char buf[64];
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		X509 *c = sk_X509_value(certs, i);

		cert_cn(c, buf, sizeof(buf));
		if (!strcmp(buf, cn))
			return c;
	}
	return NULL;
}

/*
 * Reconcile the product named by the chain's ARK, the VEK's issuer and
 * (v3+) the report's CPUID.  Unknown sources are skipped.
 */
static enum snp_product pick_product(const struct snp_report *r, X509 *vek,
				     STACK_OF(X509) *chain, struct verdict *v)
{
	enum snp_product from_report = snp_report_product(r);
	enum snp_product from_ark = SNP_PRODUCT_UNKNOWN, from_issuer, p;
	char cn[64];

	if (chain && sk_X509_num(chain) > 0) {
		cert_cn(sk_X509_value(chain, sk_X509_num(chain) - 1), cn, sizeof(cn));
		from_ark = snp_product_from_name(cn);
	}
	cert_issuer_cn(vek, cn, sizeof(cn));
	from_issuer = snp_product_from_name(cn);
	p = from_ark ? from_ark : from_issuer ? from_issuer : from_report;
	if ((from_ark && from_ark != p) || (from_issuer && from_issuer != p) ||
	    (from_report && from_report != p))
		verdict_fail(v, "snp.product",
			     "products disagree: root %s, VEK issuer %s, report CPUID %s",
			     snp_product_name(from_ark), snp_product_name(from_issuer),
			     snp_product_name(from_report));
	else
		verdict_passf(v, "snp.product", "%s", snp_product_name(p));
	return p;
}

/*
 * The verified chain must be VEK → intermediate → ARK, and the
 * intermediate must have the VEK's role: an ASK ("SEV-<product>") issues
 * VCEKs, an ASVK ("SEV-VLEK-<product>") VLEKs.  A key of one role cannot
 * stand in for the other.
 */
static void check_roles(STACK_OF(X509) *chain, enum snp_signing_key sk,
			struct verdict *v)
{
	static const char vlek_prefix[] = "SEV-VLEK-";
	char cn[64];
	bool is_asvk;

	if (sk_X509_num(chain) != 3) {
		verdict_fail(v, "snp.chain",
			     "the chain has %d certificates, AMD's is VEK, ASK or ASVK, ARK",
			     sk_X509_num(chain));
		return;
	}
	cert_cn(sk_X509_value(chain, 1), cn, sizeof(cn));
	is_asvk = !strncmp(cn, vlek_prefix, sizeof(vlek_prefix) - 1);
	if (snp_product_from_name(cn) == SNP_PRODUCT_UNKNOWN ||
	    strncmp(cn, "SEV-", 4)) {
		verdict_fail(v, "snp.chain",
			     "the %s's issuer \"%s\" is neither an ASK (SEV-<product>) nor an ASVK (SEV-VLEK-<product>)",
			     key_name(sk), cn);
	} else if (sk == SNP_SIGNING_KEY_VCEK && is_asvk) {
		verdict_fail(v, "snp.chain",
			     "the VCEK is issued by \"%s\", an ASVK: VCEKs chain through an ASK (SEV-<product>)",
			     cn);
	} else if (sk == SNP_SIGNING_KEY_VLEK && !is_asvk) {
		verdict_fail(v, "snp.chain",
			     "the VLEK is issued by \"%s\", an ASK: VLEKs chain through an ASVK (SEV-VLEK-<product>)",
			     cn);
	}
}

static void check_crls(const struct snp_verify_opts *o, STACK_OF(X509) *chain,
		       bool chain_ok, json_t *certs, struct verdict *v)
{
	int i, n = o->crls ? sk_X509_CRL_num(o->crls) : 0;
	size_t applied = 0;
	struct err_msg why;
	json_t *cl;

	if (!n) {
		verdict_skip(v, "snp.crl", "no CRL given: revocation not checked");
		return;
	}
	cl = json_array();
	for (i = 0; i < n; i++) {
		X509_CRL *crl = sk_X509_CRL_value(o->crls, i);
		json_t *c = crl_claims(crl);

		if (chain_ok)
			claims_set_bool(c, "applies", crl_applies(chain, crl));
		json_array_append_new(cl, c);
	}
	json_object_set_new(certs, "crls", cl);
	if (!chain_ok) {
		verdict_skip(v, "snp.crl", "the chain did not verify");
		return;
	}
	if (certs_check_crls(chain, o->crls, o->at, &applied, &why))
		verdict_fail(v, "snp.crl", "%s", why.msg);
	else if (!applied)
		verdict_fail(v, "snp.crl",
			     "none of the %d CRLs given applies to this chain (%s): revocation not checked",
			     n, why.msg);
	else
		verdict_passf(v, "snp.crl", "%zu of %d CRLs apply to this chain, nothing in it is revoked",
			      applied, n);
}

/* The chain up to a trust anchor (*@chain, NULL after a failure), its roles and CRLs. */
static int verify_chain(const struct snp_trust *t, const struct snp_verify_opts *o,
			X509 *vek, enum snp_signing_key sk, json_t *certs,
			STACK_OF(X509) **chain, struct verdict *v)
{
	STACK_OF(X509) *untrusted;
	struct err_msg why;
	int ret;

	/*
	 * The known intermediates first, then the user's certificates.
	 * OpenSSL takes the first candidate issuer by name (and key type), so
	 * a forged ASK in a certificate table must not shadow the real one.
	 */
	untrusted = sk_X509_new_null();
	if (!untrusted || certs_append(untrusted, t->intermediates) ||
	    (o->certs && certs_append(untrusted, o->certs))) {
		sk_X509_pop_free(untrusted, X509_free);
		return -ENOMEM;
	}
	ret = certs_verify_chain_cached(o->cache, vek, untrusted, t->anchors, o->at,
					chain, &why);
	sk_X509_pop_free(untrusted, X509_free);
	if (ret == -ENOMEM)
		return ret;
	if (ret) {
		verdict_fail(v, "snp.chain", "%s", why.msg);
	} else {
		json_object_set_new(certs, "chain", certs_claims(*chain));
		check_roles(*chain, sk, v);
		verdict_pass(v, "snp.chain");
	}
	check_crls(o, *chain, !ret, certs, v);
	return 0;
}

static void check_tcb(const struct snp_report *r, const struct snp_vek_info *e,
		      enum snp_product p, struct verdict *v)
{
	struct snp_tcb t;

	snp_tcb_decode(r->reported_tcb, p, &t);
	if (!e->has_bl || !e->has_tee || !e->has_snp || !e->has_ucode) {
		verdict_fail(v, "snp.tcb", "the VEK lacks a TCB SPL extension");
		return;
	}
	if (e->bl != t.bootloader || e->tee != t.tee || e->snp != t.snp ||
	    e->ucode != t.microcode)
		verdict_fail(v, "snp.tcb",
			     "REPORTED_TCB (bl %u tee %u snp %u ucode %u) does not match the VEK (bl %u tee %u snp %u ucode %u)",
			     t.bootloader, t.tee, t.snp, t.microcode,
			     e->bl, e->tee, e->snp, e->ucode);
	if (t.has_fmc) {
		if (!e->has_fmc)
			verdict_fail(v, "snp.tcb", "the %s VEK lacks the FMC SPL extension",
				     snp_product_name(p));
		else if (e->fmc != t.fmc)
			verdict_fail(v, "snp.tcb",
				     "REPORTED_TCB FMC %u does not match the VEK FMC %u",
				     t.fmc, e->fmc);
	}
	verdict_pass(v, "snp.tcb");
}

/*
 * The VEK certifies a TCB the platform must actually run: each SPL of the
 * VEK at most CURRENT_TCB's, decoded in the product's layout (FMC too on
 * Turin; the reserved bytes carry no SPL).  go-sev-guest checks the same.
 */
static void check_current_tcb(const struct snp_report *r, const struct snp_vek_info *e,
			      enum snp_product p, struct verdict *v)
{
	struct snp_tcb c;
	const char *above = NULL;

	if (!e->has_bl || !e->has_tee || !e->has_snp || !e->has_ucode) {
		verdict_skip(v, "snp.current_tcb", "the VEK lacks a TCB SPL extension");
		return;
	}
	snp_tcb_decode(r->current_tcb, p, &c);
	if (c.has_fmc && e->has_fmc && e->fmc > c.fmc)
		above = "FMC";
	else if (e->bl > c.bootloader)
		above = "bootloader";
	else if (e->tee > c.tee)
		above = "TEE";
	else if (e->snp > c.snp)
		above = "SNP";
	else if (e->ucode > c.microcode)
		above = "microcode";
	if (above)
		verdict_fail(v, "snp.current_tcb",
			     "the VEK's TCB (bl %u tee %u snp %u ucode %u) is above CURRENT_TCB (bl %u tee %u snp %u ucode %u) in its %s SPL: it certifies firmware the platform does not run",
			     e->bl, e->tee, e->snp, e->ucode, c.bootloader, c.tee, c.snp,
			     c.microcode, above);
	else
		verdict_pass(v, "snp.current_tcb");
}

static void check_hwid(const struct snp_report *r, const struct snp_vek_info *e,
		       enum snp_signing_key sk, struct verdict *v)
{
	char chip[129], hwid[129];

	if (sk != SNP_SIGNING_KEY_VCEK) {
		verdict_skip(v, "snp.hwid", "a VLEK is not bound to one chip");
		return;
	}
	if (bytes_all_zero(r->chip_id, 64)) {
		verdict_skip(v, "snp.hwid",
			     "CHIP_ID is all zero (the host set MASK_CHIP_ID): no HWID to compare; the VCEK's signature still binds the report to its chip");
		return;
	}
	if (!e->hwid_len) {
		verdict_fail(v, "snp.hwid", "the VCEK has no HWID extension");
		return;
	}
	/* Turin VCEKs carry the first 8 bytes of CHIP_ID. */
	if (memcmp(e->hwid, r->chip_id, e->hwid_len)) {
		hex_encode(r->chip_id, e->hwid_len, chip);
		hex_encode(e->hwid, e->hwid_len, hwid);
		verdict_fail(v, "snp.hwid", "CHIP_ID%s is %s, the VCEK's HWID is %s",
			     e->hwid_len < 64 ? " (first 8 bytes)" : "", chip, hwid);
		return;
	}
	verdict_pass(v, "snp.hwid");
}

static int check_signature(const struct snp_report *r, X509 *vek, enum snp_signing_key sk,
			   struct verdict *v)
{
	int ret;

	if (!sig_key_is_curve(X509_get0_pubkey(vek), NID_secp384r1)) {
		verdict_fail(v, "snp.signature", "the %s key is not an ECDSA P-384 key",
			     key_name(sk));
		return 0;
	}
	ret = sig_ecdsa_verify(X509_get0_pubkey(vek), EVP_sha384(), r->raw,
			       SNP_REPORT_SIGNED_LEN, r->sig_r, r->sig_s,
			       SNP_SIG_COMPONENT_LEN, true);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		verdict_fail(v, "snp.signature",
			     "the report signature does not verify with the %s key", key_name(sk));
	else
		verdict_pass(v, "snp.signature");
	return 0;
}

/* snp.report: @ret from snp_report_parse(). */
static void report_parse_failed(const struct snp_report *r, const uint8_t *buf,
				size_t len, int ret, struct verdict *v)
{
	if (ret == -EPROTONOSUPPORT)
		verdict_fail(v, "snp.report", "report version %u is not supported (%d to %d)",
			     r->version, SNP_REPORT_VERSION_MIN, SNP_REPORT_VERSION_MAX);
	else
		verdict_fail(v, "snp.report", "a report is %d bytes, this is %zu%s",
			     SNP_REPORT_SIZE, len,
			     buf && bytes_look_like_hex_text(buf, len) ?
			     "; this looks like hex text: convert it with xxd -r -p" : "");
	skip_rest(v, "the report did not decode");
}

/* Signing key, VEK, chain, binding and signature; the report decoded. */
static int verify_report(const struct snp_report *rp, const struct snp_trust *t,
			 const struct snp_verify_opts *o, json_t *claims,
			 enum snp_product *product, struct verdict *v)
{
	enum snp_signing_key sk = snp_report_signing_key(rp);
	STACK_OF(X509) *chain = NULL;
	struct snp_vek_info ext;
	json_t *certs;
	X509 *vek;
	int ret;

	if (rp->signature_algo != 1)
		verdict_fail(v, "snp.signature_algo",
			     "SIGNATURE_ALGO %u is not ECDSA P-384 with SHA-384",
			     rp->signature_algo);
	verdict_pass(v, "snp.signature_algo");
	if (sk != SNP_SIGNING_KEY_VCEK && sk != SNP_SIGNING_KEY_VLEK) {
		verdict_fail(v, "snp.signing_key",
			     "KEY_INFO.SIGNING_KEY %u: the report is not signed by a VCEK or VLEK",
			     sk);
		skip_rest(v, "the report has no VCEK or VLEK signature");
		return 0;
	}
	verdict_passf(v, "snp.signing_key", "%s", key_name(sk));
	vek = find_cn(o->certs, sk == SNP_SIGNING_KEY_VCEK ? "SEV-VCEK" : "SEV-VLEK");
	if (!vek) {
		verdict_fail(v, "snp.vek", "the report is signed by a %s but no %s certificate was given",
			     key_name(sk), key_name(sk));
		skip_rest(v, "no VEK certificate");
		return 0;
	}
	certs = json_object();
	json_object_set_new(claims, "certificates", certs);
	json_object_set_new(certs, "vek", cert_claims(vek));
	if (snp_vek_parse(vek, &ext)) {
		verdict_fail(v, "snp.vek", "malformed AMD extension in the %s", key_name(sk));
		skip_rest(v, "the VEK certificate did not decode");
		return 0;
	}
	json_object_set_new(json_object_get(certs, "vek"), "amd", snp_vek_claims(&ext));
	verdict_pass(v, "snp.vek");
	ret = verify_chain(t, o, vek, sk, certs, &chain, v);
	if (!ret) {
		*product = pick_product(rp, vek, chain, v);
		check_tcb(rp, &ext, *product, v);
		check_current_tcb(rp, &ext, *product, v);
		check_hwid(rp, &ext, sk, v);
		ret = check_signature(rp, vek, sk, v);
	}
	sk_X509_pop_free(chain, X509_free);
	return ret;
}

int snp_report_verify(const uint8_t *report, size_t len, const struct snp_trust *t,
	       const struct snp_verify_opts *o, json_t *claims,
	       struct verdict *v)
{
	struct snp_report *rp;
	struct policy defpol;
	const struct policy *pol = o->policy;
	enum snp_product product;
	int ret;

	if (!pol) {
		policy_default(&defpol);
		pol = &defpol;
	}
	claims_set_str(claims, "type", "sev-snp");
	claims_set_time(claims, "verification_time", o->at);
	rp = malloc(sizeof(*rp));
	if (!rp)
		return -ENOMEM;
	ret = snp_report_parse(report, len, rp);
	if (ret) {
		report_parse_failed(rp, report, len, ret, v);
		free(rp);
		return 0;
	}
	verdict_passf(v, "snp.report", "version %u", rp->version);
	/* decoded last, in the layout of the product found (the key keeps its place) */
	json_object_set_new(claims, "report", json_null());
	product = snp_report_product(rp);
	ret = verify_report(rp, t, o, claims, &product, v);
	if (!ret) {
		claims_set_str(claims, "product", snp_product_name(product));
		snp_policy_check(pol, rp, product, v);
		json_object_set_new(claims, "report", snp_report_claims(rp, product));
	}
	free(rp);
	ERR_clear_error();
	return ret;
}
