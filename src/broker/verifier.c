// SPDX-License-Identifier: GPL-2.0-only
/* The Attestation message and its binding to the session (see verifier.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "attest/certs.h"
#include "broker/binding.h"
#include "broker/initdata.h"
#include "broker/verifier.h"
#include "util/err.h"
#include "util/file.h"
#include "util/num.h"

#define ROOTS_MAX	(1u << 20)

static int load_roots(const char *path, STACK_OF(X509) **ca, struct err_msg *why)
{
	uint8_t *buf;
	size_t len;
	int ret = file_read(path, ROOTS_MAX, &buf, &len);

	if (ret) {
		err_set(why, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = certs_parse(buf, len, ca);
	free(buf);
	if (ret)
		err_set(why, "%s: no certificates", path);
	return ret;
}

int verifier_init(struct verifier *vf, const char *test_roots, const char *certs_dir,
		  const char *kds_url, bool allow_rsa1_5, struct err_msg *why)
{
	STACK_OF(X509) *ca = NULL;
	int ret;

	memset(vf, 0, sizeof(*vf));
	vf->allow_rsa1_5 = allow_rsa1_5;
	if (snp_trust_init(&vf->snp, NULL) || tdx_trust_init(&vf->tdx, NULL)) {
		err_set(why, "cannot load the built-in vendor roots");
		return -EIO;
	}
	if (certs_dir && !(vf->certs_dir = strdup(certs_dir)))
		return -ENOMEM;
	if (kds_url) {
		vf->kds = malloc(sizeof(*vf->kds));
		if (!vf->kds || kds_init(vf->kds, kds_url, certs_dir)) {
			err_set(why, "cannot set up the KDS client");
			return -ENOMEM;
		}
	}
	if (!test_roots)
		return 0;
	ret = load_roots(test_roots, &ca, why);
	if (ret)
		return ret;
	ret = snp_trust_init(&vf->snp_test, ca);
	if (!ret)
		ret = tdx_trust_init(&vf->tdx_test, ca);
	sk_X509_pop_free(ca, X509_free);
	if (ret) {
		err_set(why, "%s: no self-signed root certificate", test_roots);
		return ret;
	}
	vf->have_test = true;
	return 0;
}

void verifier_free(struct verifier *vf)
{
	snp_trust_free(&vf->snp);
	tdx_trust_free(&vf->tdx);
	if (vf->have_test) {
		snp_trust_free(&vf->snp_test);
		tdx_trust_free(&vf->tdx_test);
	}
	free(vf->certs_dir);
	if (vf->kds)
		kds_free(vf->kds);
	free(vf->kds);
	memset(vf, 0, sizeof(*vf));
}

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_destroy(void *p)
{
	chain_cache_free(p);
	free(p);
}

static void cache_key_init(void)
{
	if (pthread_key_create(&cache_key, cache_destroy))
		abort();
}

struct chain_cache *verifier_cache(void)
{
	struct chain_cache *c;

	pthread_once(&cache_once, cache_key_init);
	c = pthread_getspecific(cache_key);
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (c && pthread_setspecific(cache_key, c)) {
			free(c);
			c = NULL;
		}
	}
	return c;
}

void verifier_policy(struct policy *p)
{
	policy_default(p);
	p->allow_debug = true;
	p->snp.vmpl_mask = ~0u;
	p->snp.allow_smt = -1;
	p->snp.allow_migration_agent = 1;	/* judged per resource */
	p->tdx.min_tcb_status = TCB_REVOKED;
	p->tdx.require_collateral = 0;
}

struct msg {
	const char *nonce;
	const json_t *pubkey;
	const json_t *primary;
	const char *additional;
	const char *init_format, *init_body;
	size_t init_len;
};

static int malformed(struct err_msg *why, const char *what)
{
	err_set(why, "malformed Attestation: %s", what);
	return -EINVAL;
}

static int parse_msg(const json_t *body, struct msg *m, struct err_msg *why)
{
	const json_t *rd = json_object_get(body, "runtime-data");
	const json_t *te = json_object_get(body, "tee-evidence");
	const json_t *id = json_object_get(body, "init-data");
	const json_t *ae;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(body) || !json_is_object(rd) || !json_is_object(te))
		return malformed(why, "expected runtime-data and tee-evidence objects");
	m->nonce = json_string_value(json_object_get(rd, "nonce"));
	m->pubkey = json_object_get(rd, "tee-pubkey");
	if (!m->nonce || !m->pubkey)
		return malformed(why, "runtime-data needs nonce and tee-pubkey");
	m->primary = json_object_get(te, "primary_evidence");
	if (!m->primary)
		return malformed(why, "tee-evidence needs primary_evidence");
	ae = json_object_get(te, "additional_evidence");
	if (ae && !json_is_string(ae))
		return malformed(why, "additional_evidence must be a string");
	m->additional = ae ? json_string_value(ae) : "";
	if (*m->additional)
		return malformed(why, "additional evidence (device TEEs) is not supported");
	if (id && !json_is_null(id)) {
		m->init_format = json_string_value(json_object_get(id, "format"));
		m->init_body = json_string_value(json_object_get(id, "body"));
		if (!m->init_format || !m->init_body)
			return malformed(why, "init-data needs format and body");
		if (strcmp(m->init_format, "toml"))
			return malformed(why, "init-data format must be toml");
		m->init_len = json_string_length(json_object_get(id, "body"));
	}
	return 0;
}

static void check_binding(const struct msg *m, const struct attestation *a,
			  const struct initdata *idata, struct verdict *v)
{
	uint8_t want[64], field[64];
	const uint8_t *have;
	char hex[129];
	size_t n;

	have = a->report_data;
	if (binding_report_data(m->nonce, a->key.jwk, m->additional, want)) {
		verdict_fail(v, "broker.report_data", "cannot compute the binding");
	} else if (CRYPTO_memcmp(have, want, 64)) {
		hex_encode(want, 48, hex);
		verdict_fail(v, "broker.report_data",
			     "REPORT_DATA is not SHA-384(JCS(runtime-data)) = %s…: evidence"
			     " from another session, or another tee-pubkey", hex);
	}
	if (!m->init_body)
		return;
	have = a->init_field;
	n = a->init_len;
	initdata_field(idata, field, n);
	if (CRYPTO_memcmp(have, field, n)) {
		hex_encode(field, n, hex);
		verdict_fail(v, "broker.init_data", "%s is not the init-data digest %s",
			     a->tee == TEE_SNP ? "HOST_DATA" : "MRCONFIGID", hex);
	}
}

int verifier_attest(const struct verifier *vf, enum tee_type tee, const char *nonce,
		    const json_t *body, int64_t now, struct attestation **out,
		    json_t **runtime_data, struct verdict *v, struct err_msg *why)
{
	struct initdata idata;
	struct attestation *a;
	struct msg m;
	int ret;

	*out = NULL;
	*runtime_data = NULL;
	ret = parse_msg(body, &m, why);
	if (ret)
		return ret;
	if (strcmp(m.nonce, nonce)) {
		err_set(why, "the nonce is not this session's");
		return -EPERM;
	}
	if (m.init_body && initdata_parse(m.init_body, m.init_len, &idata, why))
		return -EINVAL;
	a = attestation_new();
	if (!a)
		return -ENOMEM;
	a->tee = tee;
	a->has_init_data = m.init_body != NULL;
	ret = tee_key_parse(m.pubkey, vf->allow_rsa1_5, &a->key, why);
	if (!ret)
		ret = tee == TEE_SNP ? verify_snp(vf, m.primary, now, a, v, why) :
				       verify_tdx(vf, m.primary, now, a, v, why);
	if (ret) {
		attestation_put(a);
		return ret;
	}
	if (a->evidence)
		check_binding(&m, a, &idata, v);
	*runtime_data = json_pack("{s:s,s:O}", "nonce", m.nonce, "tee-pubkey", a->key.jwk);
	*out = a;
	if (!*runtime_data)
		return -ENOMEM;
	return verdict_ok(v) ? 0 : -EACCES;
}
