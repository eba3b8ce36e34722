// SPDX-License-Identifier: GPL-2.0-only
/* cvmm verify: reading and checking its inputs (see verify_internal.h). */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/x509.h>

#include "attest/certs.h"
#include "attest/policy.h"
#include "attest/rfc3339.h"
#include "attest/snp/certs.h"
#include "cli/verify_internal.h"
#include "util/err.h"
#include "util/file.h"
#include "util/log.h"

/* A whole file; "-" is stdin (documented for the evidence). */
int verify_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	bool in = !strcmp(path, "-");
	int ret = file_read(in ? "/dev/stdin" : path, max, data, len);

	if (ret == -EFBIG)
		log_err(in ? "stdin" : path, "larger than %zu bytes", max);
	else if (ret)
		log_errno(in ? "stdin" : path, ret);
	return ret;
}

/*
 * Parse a certificate (@certs) or CRL (@crls) file and append what it
 * holds; malformed contents are evidence, recorded in @v.
 */
static int load_pki_file(const char *path, STACK_OF(X509) *certs,
			 STACK_OF(X509_CRL) *crls, struct verdict *v)
{
	STACK_OF(X509_CRL) *crl_sk = NULL;
	STACK_OF(X509) *sk = NULL;
	uint8_t *data;
	size_t len;
	int ret;

	ret = verify_read_file(path, MAX_EVIDENCE, &data, &len);
	if (ret)
		return ret;
	ret = certs ? certs_parse(data, len, &sk) : crls_parse(data, len, &crl_sk);
	free(data);
	if (ret) {
		verdict_fail(v, certs ? "snp.certs" : "crl.format", "%s: not a PEM or DER %s",
			     path, certs ? "certificate" : "CRL");
		return 0;
	}
	ret = certs ? certs_append(certs, sk) : crls_append(crls, crl_sk);
	sk_X509_pop_free(sk, X509_free);
	sk_X509_CRL_pop_free(crl_sk, X509_CRL_free);
	return ret ? log_errno("verify", ret) : 0;
}

void verify_common_free(struct common *c)
{
	if (c->have_policy)
		policy_free(&c->policy);
	sk_X509_pop_free(c->ca, X509_free);
	sk_X509_CRL_pop_free(c->crls, X509_CRL_free);
}

/*
 * --at, --policy, --ca: configuration (usage errors).  --crl: evidence, a
 * malformed CRL is recorded in @v.
 */
int verify_load_common(const struct args *a, struct common *c, struct verdict *v)
{
	uint8_t *data;
	size_t len;
	int i, ret;

	memset(c, 0, sizeof(*c));
	c->at = (int64_t)time(NULL);
	if (a->at && rfc3339_parse(a->at, &c->at)) {
		log_err("--at", "'%s' is not an RFC 3339 time such as 2025-06-01T00:00:00Z",
			a->at);
		return -EINVAL;
	}
	if (a->policy) {
		struct err_msg why;

		ret = verify_read_file(a->policy, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		ret = policy_parse((const char *)data, len, &c->policy, &why);
		free(data);
		if (ret) {
			log_err(a->policy, "%s", why.msg);
			return ret;
		}
		c->have_policy = true;
	}
	if (a->ca) {
		ret = verify_read_file(a->ca, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		ret = certs_parse(data, len, &c->ca);
		free(data);
		if (ret) {
			log_err(a->ca, "no PEM or DER certificates");
			return -EINVAL;
		}
	}
	c->crls = sk_X509_CRL_new_null();
	if (!c->crls)
		return log_errno("verify", -ENOMEM);
	for (i = 0; i < a->ncrl; i++) {
		ret = load_pki_file(a->crl[i], NULL, c->crls, v);
		if (ret)
			return ret;
	}
	return 0;
}

static int load_cert_dir(const char *dir, STACK_OF(X509) *certs,
			 STACK_OF(X509_CRL) *crls, struct verdict *v)
{
	struct dirent *de;
	int ret = 0, found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return log_errno(dir, -errno);
	while ((de = readdir(d)) && !ret) {
		int kind = snp_cert_file_kind(de->d_name);
		char path[4096];

		if (kind < 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    sizeof(path)) {
			ret = log_errno(dir, -ENAMETOOLONG);
			break;
		}
		found++;
		ret = load_pki_file(path, kind == SNP_CERT_CRL ? NULL : certs, crls, v);
	}
	closedir(d);
	if (!ret && !found) {
		log_err(dir, "no certificate files (vcek, vlek, ask, asvk, ark, cert_chain, crl)");
		return -ENOENT;
	}
	return ret;
}

/* snp_trust_init() or tdx_trust_init() failed. */
int verify_trust_error(const struct args *a, int ret)
{
	if (ret == -EINVAL)
		log_err(a->ca, "no self-signed root certificate");
	else
		log_errno("verify", ret);
	return ret;
}

/*
 * --vcek, --certs and --auxblob: certificates to @certs, CRLs to @crls;
 * malformed ones are evidence, recorded in @v.
 */
int verify_load_snp_certs(const struct args *a, STACK_OF(X509) *certs,
			  STACK_OF(X509_CRL) *crls, struct verdict *v)
{
	uint8_t *blob;
	size_t blen;
	int ret;

	if (a->vcek && load_pki_file(a->vcek, certs, NULL, v))
		return -EINVAL;
	if (a->certs_dir && load_cert_dir(a->certs_dir, certs, crls, v))
		return -EINVAL;
	if (!a->auxblob)
		return 0;
	if (verify_read_file(a->auxblob, MAX_EVIDENCE, &blob, &blen))
		return -EINVAL;
	ret = snp_cert_table_load(blob, blen, certs, crls);
	free(blob);
	if (ret == -ENOMEM)
		return log_errno("verify", ret);
	if (ret)
		verdict_fail(v, "snp.cert_table", "%s: malformed certificate table", a->auxblob);
	return 0;
}

void verify_tdx_inputs_free(struct tdx_inputs *in)
{
	tdx_trust_free(&in->trust);
	sk_X509_pop_free(in->tcb_chain, X509_free);
	free(in->tcb_info);
	free(in->qe_identity);
}

int verify_load_tdx(const struct args *a, struct common *c, struct tdx_inputs *in,
		    struct verdict *v)
{
	uint8_t *data;
	size_t len;
	int ret;

	memset(in, 0, sizeof(*in));
	in->o.no_collateral = a->no_collateral;
	if (a->tcb_info) {
		ret = verify_read_file(a->tcb_info, MAX_EVIDENCE, &in->tcb_info, &len);
		if (ret)
			return ret;
		in->o.tcb_info = (const char *)in->tcb_info;
		in->o.tcb_info_len = len;
	}
	if (a->qe_identity) {
		ret = verify_read_file(a->qe_identity, MAX_EVIDENCE, &in->qe_identity, &len);
		if (ret)
			return ret;
		in->o.qe_identity = (const char *)in->qe_identity;
		in->o.qe_identity_len = len;
	}
	if (a->tcb_chain) {
		ret = verify_read_file(a->tcb_chain, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		if (certs_parse(data, len, &in->tcb_chain))
			verdict_fail(v, "tdx.tcb_chain", "%s: not PEM or DER certificates",
				     a->tcb_chain);
		free(data);
	}
	ret = tdx_trust_init(&in->trust, c->ca);
	if (ret)
		return verify_trust_error(a, ret);
	in->o.tcb_chain = in->tcb_chain;
	in->o.crls = c->crls;
	in->o.at = c->at;
	in->o.policy = c->have_policy ? &c->policy : NULL;
	return 0;
}
