// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP evidence at /attest: decode (evidence_snp.h), complete the
 * certificates from the offline directory when the evidence carries no
 * VCEK, verify with snp_report_verify() against the vendor roots (then
 * the test roots, if given).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "attest/certs.h"
#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "broker/blog.h"
#include "broker/certs_offline.h"
#include "broker/evidence_snp.h"
#include "broker/verifier.h"
#include "util/err.h"
#include "util/num.h"

void digest_hex(const uint8_t *p, size_t n, char out[97])
{
	uint8_t md[48];
	unsigned int len = 0;

	if (!EVP_Digest(p, n, md, &len, EVP_sha384(), NULL))
		memset(md, 0, sizeof(md));
	hex_encode(md, 48, out);
	out[96] = 0;
}

static bool has_vek(STACK_OF(X509) *certs)
{
	char cn[64];
	int i;

	for (i = 0; i < sk_X509_num(certs); i++) {
		cert_cn(sk_X509_value(certs, i), cn, sizeof(cn));
		if (!strcmp(cn, "SEV-VCEK") || !strcmp(cn, "SEV-VLEK"))
			return true;
	}
	return false;
}

static int run(const struct snp_trust *t, struct snp_evidence *ev, int64_t now,
	       json_t **claims, struct verdict *v)
{
	struct snp_verify_opts o = { 0 };
	struct policy p;
	int ret;

	verifier_policy(&p);
	o.certs = ev->certs;
	o.crls = sk_X509_CRL_num(ev->crls) ? ev->crls : NULL;
	o.at = now;
	o.policy = &p;
	o.cache = verifier_cache();
	*claims = json_object();
	if (!*claims)
		return -ENOMEM;
	ret = snp_report_verify(ev->report, SNP_REPORT_SIZE, t, &o, *claims, v);
	policy_free(&p);
	return ret;
}

int verify_snp(const struct verifier *vf, const json_t *primary, int64_t now,
	       struct attestation *a, struct verdict *v, struct err_msg *why)
{
	struct snp_evidence ev;
	struct verdict tv;
	json_t *claims = NULL, *tclaims = NULL;
	int ret;

	ret = snp_evidence_parse(primary, &ev, why);
	if (ret)
		return ret;
	if (!has_vek(ev.certs) && vf->certs_dir)
		certs_offline_snp(vf->certs_dir, ev.report, ev.certs);
	if (!has_vek(ev.certs) && vf->kds) {
		unsigned retry;

		ret = kds_fetch_vcek(vf->kds, ev.report, ev.certs, &retry, why);
		if (ret == -EAGAIN || ret == -ENOMEM) {
			snp_evidence_free(&ev);
			return ret;
		}
		if (ret)
			bwarn("kds", "%s", why->msg);
		ret = 0;
	}
	ret = run(&vf->snp, &ev, now, &claims, v);
	if (!ret && !verdict_ok(v) && vf->have_test && verdict_has(v, "snp.chain")) {
		verdict_init(&tv);
		ret = run(&vf->snp_test, &ev, now, &tclaims, &tv);
		if (!ret && !verdict_has(&tv, "snp.chain")) {
			/* the test chain verified: its verdict replaces the first */
			verdict_free(v);
			*v = tv;
			json_decref(claims);
			claims = tclaims;
			tclaims = NULL;
			a->test_evidence = true;
			bwarn("test evidence", "SNP report verified against --test-roots,"
				 " not the AMD roots");
		} else {
			verdict_free(&tv);
		}
	}
	json_decref(tclaims);
	if (!ret) {
		a->claims = claims;
		claims = NULL;
		a->evidence = malloc(SNP_REPORT_SIZE);
		if (!a->evidence)
			ret = -ENOMEM;
	}
	if (!ret) {
		memcpy(a->evidence, ev.report, SNP_REPORT_SIZE);
		a->evidence_len = SNP_REPORT_SIZE;
		hex_encode(ev.report + 0x090, 48, a->measurement);
		digest_hex(ev.report, SNP_REPORT_SIZE, a->evidence_digest);
		memcpy(a->report_data, ev.report + 0x050, 64);
		memcpy(a->init_field, ev.report + 0x0C0, 32);
		a->init_len = 32;
	}
	json_decref(claims);
	snp_evidence_free(&ev);
	return ret;
}
