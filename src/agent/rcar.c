// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/alog.h"
#include "agent/rcar.h"
#include "jose/jcs.h"
#include "jose/jwe.h"
#include "jose/jwk.h"

EVP_PKEY *rcar_tee_key(const char *type)
{
	return jwk_generate(!strcmp(type, "RSA") ? "RSA-2048" : type);
}

json_t *rcar_tee_jwk(EVP_PKEY *key)
{
	return jwk_from_pkey(key, jwk_pkey_is_rsa(key) ? "RSA-OAEP-256" :
			     "ECDH-ES+A256KW");
}

char *rcar_auth_body(enum agent_tee tee)
{
	json_t *o = json_pack("{s:s,s:s,s:{}}", "version", RCAR_VERSION,
			      "tee", agent_tee_name(tee), "extra-params");
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

static json_t *load_object(const char *body, size_t len, char *why, size_t whylen)
{
	json_error_t e;
	json_t *o;

	if (len > RCAR_RESPONSE_MAX) {
		snprintf(why, whylen, "answer larger than %u bytes", RCAR_RESPONSE_MAX);
		return NULL;
	}
	o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &e);
	if (!o || !json_is_object(o)) {
		snprintf(why, whylen, "answer is not a JSON object");
		json_decref(o);
		return NULL;
	}
	return o;
}

int rcar_parse_challenge(const char *body, size_t len, char *nonce,
			 size_t nsize, char *why, size_t whylen)
{
	json_t *o = load_object(body, len, why, whylen);
	const char *n;
	size_t i, nl;
	int err = -EBADMSG;

	if (!o)
		return -EBADMSG;
	n = json_string_value(json_object_get(o, "nonce"));
	nl = n ? json_string_length(json_object_get(o, "nonce")) : 0;
	if (!n || !nl || nl >= nsize || nl >= RCAR_NONCE_MAX) {
		snprintf(why, whylen, "no usable nonce in the challenge");
		goto out;
	}
	for (i = 0; i < nl; i++) {
		if (n[i] < 0x20 || n[i] > 0x7e) {
			snprintf(why, whylen, "the nonce is not printable ASCII");
			goto out;
		}
	}
	memcpy(nonce, n, nl + 1);
	err = 0;
out:
	json_decref(o);
	return err;
}

int rcar_report_data(const char *nonce, const json_t *jwk, uint8_t out[64])
{
	json_t *b = json_pack("{s:s,s:s,s:O}", "additional-evidence", "",
			      "nonce", nonce, "tee-pubkey", jwk);
	int err;

	if (!b)
		return -ENOMEM;
	memset(out, 0, 64);
	err = jcs_sha384(b, out);
	json_decref(b);
	return err;
}

char *rcar_attest_body(const char *nonce, const json_t *jwk, const json_t *primary)
{
	json_t *o = json_pack("{s:{s:s,s:O},s:{s:O,s:s}}",
			      "runtime-data", "nonce", nonce, "tee-pubkey", jwk,
			      "tee-evidence", "primary_evidence", primary,
			      "additional_evidence", "");
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	return s;
}

static bool b64url_part(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

int rcar_parse_token(const char *body, size_t len, char *why, size_t whylen)
{
	json_t *o = load_object(body, len, why, whylen);
	const char *t, *d1, *d2;
	int err = -EBADMSG;

	if (!o)
		return -EBADMSG;
	t = json_string_value(json_object_get(o, "token"));
	d1 = t ? strchr(t, '.') : NULL;
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (d2 && b64url_part(t, (size_t)(d1 - t)) &&
	    b64url_part(d1 + 1, (size_t)(d2 - d1 - 1)) && b64url_part(d2 + 1, strlen(d2 + 1)))
		err = 0;
	else
		snprintf(why, whylen, "the attest answer holds no token");
	json_decref(o);
	return err;
}

int rcar_parse_set_cookie(const char *line, size_t len, char *out, size_t outlen)
{
	static const char hdr[] = "set-cookie:", name[] = "kbs-session-id=";
	size_t i = sizeof(hdr) - 1, n = 0;

	if (len < i || strncasecmp(line, hdr, i))
		return 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < sizeof(name) - 1 || strncmp(line + i, name, sizeof(name) - 1))
		return 0;
	for (i += sizeof(name) - 1; i < len && line[i] != ';' && line[i] != '\r'; i++) {
		char c = line[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_') || n + 1 >= outlen ||
		    n + 1 >= RCAR_SESSION_MAX)
			return -EBADMSG;
		out[n++] = c;
	}
	if (!n)
		return -EBADMSG;
	out[n] = 0;
	return 1;
}

void rcar_error_reason(long status, const char *body, size_t len,
		       char *out, size_t outlen)
{
	char clean[256], why[8];
	json_t *o = len ? load_object(body, len, why, sizeof(why)) : NULL;
	const char *type = o ? json_string_value(json_object_get(o, "type")) : NULL;
	const char *detail = o ? json_string_value(json_object_get(o, "detail")) : NULL;
	const char *slash = type ? strrchr(type, '/') : NULL;
	char variant[64] = "";

	if (slash)
		alog_clean(slash + 1, strlen(slash + 1), variant, sizeof(variant));
	if (type && detail) {
		alog_clean(detail, strlen(detail), clean, sizeof(clean));
		snprintf(out, outlen, "HTTP %ld: %s: %s", status, variant, clean);
	} else {
		alog_clean(body, len, clean, sizeof(clean) < 120 ? sizeof(clean) : 120);
		snprintf(out, outlen, "HTTP %ld%s%s", status, len ? ": " : "",
			 len ? clean : "");
	}
	json_decref(o);
}

int rcar_decrypt_resource(EVP_PKEY *key, const char *body, size_t len,
			  uint8_t **secret, size_t *slen, char *why, size_t whylen)
{
	json_t *o = load_object(body, len, why, whylen);
	struct err_msg jwhy = { "" };
	int err;

	if (!o)
		return -EBADMSG;
	err = jwe_decrypt(key, o, secret, slen, &jwhy);
	json_decref(o);
	if (err == -ENOMEM)
		return err;
	if (err) {
		snprintf(why, whylen, "the resource is not a JWE we can decrypt: %s",
			 jwhy.msg[0] ? jwhy.msg : "decryption failed");
		return -EBADMSG;
	}
	if (!*slen) {
		jose_free_secret(*secret, *slen);
		*secret = NULL;
		snprintf(why, whylen, "the resource is empty");
		return -EBADMSG;
	}
	return 0;
}
