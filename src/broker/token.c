// SPDX-License-Identifier: GPL-2.0-only
/* EAR attestation tokens (see token.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "broker/pem.h"
#include "broker/session.h"
#include "broker/token.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "util/err.h"
#include "util/num.h"

#define EAR_PROFILE	"tag:github.com,2023:veraison/ear"

static int load_key(const char *pem, EVP_PKEY **key, struct err_msg *why)
{
	int ret = pem_key_load(pem, true, key, why);

	if (ret == -EINVAL || (!ret && (!jwk_pkey_crv(*key) ||
					strcmp(jwk_pkey_crv(*key), "P-256")))) {
		EVP_PKEY_free(*key);
		*key = NULL;
		return err_fail(why, -EINVAL, "%s: not a P-256 private key (PEM)", pem);
	}
	if (ret)
		err_prefix(why, "%s", pem);
	return ret;
}

int token_signer_init(struct token_signer *s, const char *pem, struct err_msg *why)
{
	json_t *jwk;
	int ret;

	memset(s, 0, sizeof(*s));
	if (pem) {
		ret = load_key(pem, &s->key, why);
		if (ret)
			return ret;
	} else {
		s->key = jwk_generate("P-256");
		if (!s->key) {
			err_set(why, "cannot generate a P-256 key");
			return -EIO;
		}
	}
	jwk = jwk_from_pkey(s->key, "ES256");
	s->header = jwk ? json_pack("{s:s,s:o}", "typ", "JWT", "jwk", jwk) : NULL;
	if (!s->header) {
		token_signer_free(s);
		err_set(why, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void token_signer_free(struct token_signer *s)
{
	EVP_PKEY_free(s->key);
	json_decref(s->header);
	memset(s, 0, sizeof(*s));
}

static json_t *annotated(const struct attestation *a, const json_t *runtime_data)
{
	char rd[129];
	json_t *ev, *claims = json_deep_copy(a->claims);

	if (!claims)
		return NULL;
	json_object_del(claims, "certificates");
	if (a->tee == TEE_SNP)
		hex_encode(a->evidence + 0x50, 64, rd);
	else
		rd[0] = 0;
	ev = json_pack("{s:o,s:O}", tee_name(a->tee), claims,
		       "runtime_data_claims", runtime_data);
	if (ev && rd[0])
		json_object_set_new(ev, "report_data", json_string(rd));
	if (ev && a->test_evidence)
		json_object_set_new(ev, "test_evidence", json_true());
	return ev;
}

int token_issue(const struct token_signer *s, const struct attestation *a,
		const json_t *runtime_data, const char *sid, int64_t iat,
		int64_t exp, char **jwt)
{
	json_t *ev = annotated(a, runtime_data), *claims;
	int ret;

	*jwt = NULL;
	if (!ev)
		return -ENOMEM;
	claims = json_pack("{s:s,s:I,s:I,s:s,s:s,s:{s:s,s:s},s:{s:{s:s,s:{s:i,s:i},s:s,s:o}}}",
			   "eat_profile", EAR_PROFILE, "iat", (json_int_t)iat,
			   "exp", (json_int_t)exp, "iss", "cvmm-broker", "jti", sid,
			   "ear.verifier-id", "build", "cvmm-broker 0.1.0",
			   "developer", "cvmm",
			   "submods", "cpu0", "ear.status", "affirming",
			   "ear.trustworthiness-vector", "hardware", 2,
			   "instance-identity", 2,
			   "ear.veraison.policy-id", "cvmm-broker/evidence",
			   "ear.veraison.annotated-evidence", ev);
	if (!claims)
		return -ENOMEM;
	ret = jws_sign(s->key, "ES256", s->header, claims, jwt);
	json_decref(claims);
	return ret;
}

int token_check(const struct token_signer *s, const char *jwt, int64_t now,
		char sid[33], struct err_msg *why)
{
	json_t *claims = NULL;
	const char *jti;
	int ret;

	ret = jws_verify(jwt, s ? s->key : NULL, NULL, &claims, why);
	if (ret)
		return ret;
	ret = jwt_check_time(claims, (time_t)now, 0, 1, why);
	if (!ret) {
		jti = json_string_value(json_object_get(claims, "jti"));
		if (!jti || !session_id_valid(jti)) {
			err_set(why, "the token names no session");
			ret = -EINVAL;
		} else {
			memcpy(sid, jti, 33);
		}
	}
	json_decref(claims);
	return ret;
}
