// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "attest/claims.h"
#include "attest/sig.h"
#include "attest/snp_certs.h"
#include "attest/snp_policy.h"
#include "attest/snp_report.h"
#include "attest/snp_roots.h"
#include "attest/snp_verify.h"

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
	return p;
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
}

static void check_hwid(const struct snp_report *r, const struct snp_vek_info *e,
		       struct verdict *v)
{
	if (!e->hwid_len) {
		verdict_fail(v, "snp.hwid", "the VCEK has no HWID extension");
		return;
	}
	/* Turin VCEKs carry the first 8 bytes of CHIP_ID. */
	if (memcmp(e->hwid, r->chip_id, e->hwid_len))
		verdict_fail(v, "snp.hwid",
			     "CHIP_ID does not match the VCEK HWID%s",
			     (r->key_info & 2) ? " (MASK_CHIP_ID is set)" : "");
}

int snp_report_verify(const uint8_t *report, size_t len, const struct snp_trust *t,
	       const struct snp_verify_opts *o, json_t *claims,
	       struct verdict *v)
{
	struct snp_report *rp;
	struct policy defpol;
	const struct policy *pol = o->policy;
	struct snp_vek_info ext;
	STACK_OF(X509) *untrusted = NULL, *chain = NULL;
	enum snp_signing_key sk;
	enum snp_product product;
	json_t *certs;
	X509 *vek;
	char why[256];
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
	if (ret == -EPROTONOSUPPORT) {
		verdict_fail(v, "snp.report", "report version %u is not supported (2, 3 or 5)",
			     rp->version);
		ret = 0;
		goto out;
	}
	if (ret) {
		verdict_fail(v, "snp.report", "a report is %d bytes, this is %zu",
			     SNP_REPORT_SIZE, len);
		ret = 0;
		goto out;
	}
	/* decoded last, in the layout of the product found (the key keeps its place) */
	json_object_set_new(claims, "report", json_null());
	product = snp_report_product(rp);
	if (rp->signature_algo != 1)
		verdict_fail(v, "snp.signature_algo",
			     "SIGNATURE_ALGO %u is not ECDSA P-384 with SHA-384",
			     rp->signature_algo);
	sk = snp_report_signing_key(rp);
	if (sk != SNP_SIGNING_KEY_VCEK && sk != SNP_SIGNING_KEY_VLEK) {
		verdict_fail(v, "snp.signing_key",
			     "KEY_INFO.SIGNING_KEY %u: the report is not signed by a VCEK or VLEK",
			     sk);
		goto report;
	}
	vek = find_cn(o->certs, sk == SNP_SIGNING_KEY_VCEK ? "SEV-VCEK" : "SEV-VLEK");
	if (!vek) {
		verdict_fail(v, "snp.vek",
			     "the report is signed by a %s but no %s certificate was given",
			     sk == SNP_SIGNING_KEY_VCEK ? "VCEK" : "VLEK",
			     sk == SNP_SIGNING_KEY_VCEK ? "VCEK" : "VLEK");
		goto report;
	}
	certs = json_object();
	json_object_set_new(claims, "certificates", certs);
	json_object_set_new(certs, "vek", cert_claims(vek));
	if (snp_vek_parse(vek, &ext)) {
		verdict_fail(v, "snp.vek", "malformed AMD extension in the %s",
			     sk == SNP_SIGNING_KEY_VCEK ? "VCEK" : "VLEK");
		goto report;
	}
	json_object_set_new(json_object_get(certs, "vek"), "amd", snp_vek_claims(&ext));

	/*
	 * Chain: the known intermediates first, then the user's certificates.
	 * OpenSSL takes the first candidate issuer by name (and key type), so
	 * a forged ASK in a certificate table must not shadow the real one.
	 */
	untrusted = sk_X509_new_null();
	if (!untrusted || certs_append(untrusted, t->intermediates) ||
	    (o->certs && certs_append(untrusted, o->certs))) {
		ret = -ENOMEM;
		goto out;
	}
	ret = certs_verify_chain_cached(o->cache, vek, untrusted, t->anchors, o->at,
					&chain, why, sizeof(why));
	if (ret == -ENOMEM)
		goto out;
	if (ret) {
		verdict_fail(v, "snp.chain", "%s", why);
	} else {
		json_object_set_new(certs, "chain", certs_claims(chain));
		if (o->crls && sk_X509_CRL_num(o->crls) > 0) {
			json_t *cl = json_array();
			int i;

			for (i = 0; i < sk_X509_CRL_num(o->crls); i++)
				json_array_append_new(cl, crl_claims(sk_X509_CRL_value(o->crls, i)));
			json_object_set_new(certs, "crls", cl);
			if (certs_check_crls(chain, o->crls, o->at, true, why, sizeof(why)))
				verdict_fail(v, "snp.crl", "%s", why);
		}
	}
	ret = 0;

	product = pick_product(rp, vek, chain, v);
	claims_set_str(claims, "product", snp_product_name(product));

	check_tcb(rp, &ext, product, v);
	if (sk == SNP_SIGNING_KEY_VCEK)
		check_hwid(rp, &ext, v);
	if (!sig_key_is_curve(X509_get0_pubkey(vek), NID_secp384r1)) {
		verdict_fail(v, "snp.signature", "the VEK key is not an ECDSA P-384 key");
	} else {
		ret = sig_ecdsa_verify(X509_get0_pubkey(vek), EVP_sha384(), rp->raw,
				       SNP_REPORT_SIGNED_LEN, rp->sig_r, rp->sig_s,
				       SNP_SIG_COMPONENT_LEN, true);
		if (ret == -ENOMEM)
			goto out;
		if (ret)
			verdict_fail(v, "snp.signature",
				     "the report signature does not verify with the %s key",
				     sk == SNP_SIGNING_KEY_VCEK ? "VCEK" : "VLEK");
		ret = 0;
	}
	snp_policy_check(pol, rp, product, v);
report:
	json_object_set_new(claims, "report", snp_report_claims(rp, product));
out:
	free(rp);
	sk_X509_pop_free(untrusted, X509_free);
	sk_X509_pop_free(chain, X509_free);
	ERR_clear_error();
	return ret;
}
