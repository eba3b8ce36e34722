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
#include "util/file.h"
#include "util/num.h"

#define ROOTS_MAX	(1u << 20)

static int load_roots(const char *path, STACK_OF(X509) **ca, char *why, size_t whylen)
{
	uint8_t *buf;
	size_t len;
	int ret = file_read(path, ROOTS_MAX, &buf, &len);

	if (ret) {
		snprintf(why, whylen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = certs_parse(buf, len, ca);
	free(buf);
	if (ret)
		snprintf(why, whylen, "%s: no certificates", path);
	return ret;
}

int verifier_init(struct verifier *vf, const char *test_roots, const char *certs_dir,
		  bool allow_rsa1_5, char *why, size_t whylen)
{
	STACK_OF(X509) *ca = NULL;
	int ret;

	memset(vf, 0, sizeof(*vf));
	vf->allow_rsa1_5 = allow_rsa1_5;
	if (snp_trust_init(&vf->snp, NULL) || tdx_trust_init(&vf->tdx, NULL)) {
		snprintf(why, whylen, "cannot load the built-in vendor roots");
		return -EIO;
	}
	if (certs_dir && !(vf->certs_dir = strdup(certs_dir)))
		return -ENOMEM;
	if (!test_roots)
		return 0;
	ret = load_roots(test_roots, &ca, why, whylen);
	if (ret)
		return ret;
	ret = snp_trust_init(&vf->snp_test, ca);
	if (!ret)
		ret = tdx_trust_init(&vf->tdx_test, ca);
	sk_X509_pop_free(ca, X509_free);
	if (ret) {
		snprintf(why, whylen, "%s: no self-signed root certificate", test_roots);
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
	p->snp.vmpl = -1;
	p->snp.allow_smt = -1;
	p->snp.allow_migration_agent = -1;
	p->tdx.min_tcb_status = TCB_REVOKED;
	p->tdx.require_collateral = false;
}

struct msg {
	const char *nonce;
	const json_t *pubkey;
	const json_t *primary;
	const char *additional;
	const char *init_format, *init_body;
	size_t init_len;
};

static int malformed(char *why, size_t whylen, const char *what)
{
	snprintf(why, whylen, "malformed Attestation: %s", what);
	return -EINVAL;
}

static int parse_msg(const json_t *body, struct msg *m, char *why, size_t whylen)
{
	const json_t *rd = json_object_get(body, "runtime-data");
	const json_t *te = json_object_get(body, "tee-evidence");
	const json_t *id = json_object_get(body, "init-data");
	const json_t *ae;

	memset(m, 0, sizeof(*m));
	if (!json_is_object(body) || !json_is_object(rd) || !json_is_object(te))
		return malformed(why, whylen, "expected runtime-data and tee-evidence objects");
	m->nonce = json_string_value(json_object_get(rd, "nonce"));
	m->pubkey = json_object_get(rd, "tee-pubkey");
	if (!m->nonce || !m->pubkey)
		return malformed(why, whylen, "runtime-data needs nonce and tee-pubkey");
	m->primary = json_object_get(te, "primary_evidence");
	if (!m->primary)
		return malformed(why, whylen, "tee-evidence needs primary_evidence");
	ae = json_object_get(te, "additional_evidence");
	if (ae && !json_is_string(ae))
		return malformed(why, whylen, "additional_evidence must be a string");
	m->additional = ae ? json_string_value(ae) : "";
	if (*m->additional)
		return malformed(why, whylen, "additional evidence (device TEEs) is not supported");
	if (id && !json_is_null(id)) {
		m->init_format = json_string_value(json_object_get(id, "format"));
		m->init_body = json_string_value(json_object_get(id, "body"));
		if (!m->init_format || !m->init_body)
			return malformed(why, whylen, "init-data needs format and body");
		if (strcmp(m->init_format, "toml"))
			return malformed(why, whylen, "init-data format must be toml");
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
		    json_t **runtime_data, struct verdict *v, char *why, size_t whylen)
{
	struct initdata idata;
	struct attestation *a;
	struct msg m;
	int ret;

	*out = NULL;
	*runtime_data = NULL;
	ret = parse_msg(body, &m, why, whylen);
	if (ret)
		return ret;
	if (strcmp(m.nonce, nonce)) {
		snprintf(why, whylen, "the nonce is not this session's");
		return -EPERM;
	}
	if (m.init_body && initdata_parse(m.init_body, m.init_len, &idata, why, whylen))
		return -EINVAL;
	a = attestation_new();
	if (!a)
		return -ENOMEM;
	a->tee = tee;
	a->has_init_data = m.init_body != NULL;
	ret = tee_key_parse(m.pubkey, vf->allow_rsa1_5, &a->key, why, whylen);
	if (!ret)
		ret = tee == TEE_SNP ? verify_snp(vf, m.primary, now, a, v, why, whylen) :
				       verify_tdx(vf, m.primary, now, a, v, why, whylen);
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
