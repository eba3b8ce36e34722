// SPDX-License-Identifier: GPL-2.0-only
/* Attestation results as text for the shared store (see att_codec.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "broker/att_codec.h"
#include "jose/b64url.h"
#include "util/num.h"
#include "util/err.h"

#define ATT_CODEC_VERSION	1

char *att_encode(const struct attestation *a)
{
	char rd[129], init[97], *b64, *text = NULL;
	json_t *o;

	hex_encode(a->report_data, sizeof(a->report_data), rd);
	hex_encode(a->init_field, a->init_len <= 48 ? a->init_len : 48, init);
	b64 = b64_encode(a->evidence ? a->evidence : (const uint8_t *)"", a->evidence_len);
	if (!b64)
		return NULL;
	o = json_pack("{s:i,s:s,s:O,s:s,s:O,s:s,s:s,s:s,s:s,s:b,s:b}",
		      "v", ATT_CODEC_VERSION, "tee", tee_name(a->tee), "key", a->key.jwk,
		      "evidence", b64, "claims", a->claims ? a->claims : json_null(),
		      "measurement", a->measurement, "evidence_digest", a->evidence_digest,
		      "report_data", rd, "init_field", init,
		      "has_init_data", a->has_init_data, "test_evidence", a->test_evidence);
	free(b64);
	if (o)
		text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* A hex string of at most @max characters (even) into @out; its byte count. */
static int hex_field(const json_t *o, const char *key, size_t max, uint8_t *out)
{
	const char *s = json_string_value(json_object_get(o, key));
	size_t n = s ? strlen(s) : 0;

	if (!s || n > max || n % 2 || (n && hex_decode(s, out, n / 2)))
		return -EINVAL;
	return (int)(n / 2);
}

/* A lowercase hex string shorter than @size into @out. */
static int text_field(const json_t *o, const char *key, char *out, size_t size)
{
	const char *s = json_string_value(json_object_get(o, key));
	size_t n = s ? strlen(s) : size, i;

	if (n >= size || n % 2)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -EINVAL;
	memcpy(out, s, n + 1);
	return 0;
}

static int fill(struct attestation *a, const json_t *o)
{
	const char *ev = json_string_value(json_object_get(o, "evidence"));
	struct err_msg why;
	int n;

	if (json_integer_value(json_object_get(o, "v")) != ATT_CODEC_VERSION ||
	    tee_parse(json_string_value(json_object_get(o, "tee")), &a->tee) ||
	    !ev || strlen(ev) > ATT_EVIDENCE_MAX * 4 / 3 + 4 ||
	    !json_is_boolean(json_object_get(o, "has_init_data")) ||
	    !json_is_boolean(json_object_get(o, "test_evidence")) ||
	    text_field(o, "measurement", a->measurement, sizeof(a->measurement)) ||
	    text_field(o, "evidence_digest", a->evidence_digest, sizeof(a->evidence_digest)) ||
	    hex_field(o, "report_data", 128, a->report_data) != 64)
		return -EINVAL;
	n = hex_field(o, "init_field", 96, a->init_field);
	if (n < 0)
		return -EINVAL;
	a->init_len = (size_t)n;
	a->has_init_data = json_is_true(json_object_get(o, "has_init_data"));
	a->test_evidence = json_is_true(json_object_get(o, "test_evidence"));
	if (b64_decode(ev, strlen(ev), &a->evidence, &a->evidence_len) || !a->evidence_len)
		return -EINVAL;
	a->claims = json_incref(json_object_get(o, "claims"));
	if (!json_is_object(a->claims))
		return -EINVAL;
	/* the key was judged at /attest (RSA1_5 included, if that replica allowed it) */
	return tee_key_parse(json_object_get(o, "key"), true, &a->key, &why);
}

int att_decode(const char *text, size_t len, struct attestation **out)
{
	struct attestation *a;
	json_t *o;
	int ret;

	*out = NULL;
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(o)) {
		json_decref(o);
		return -EINVAL;
	}
	a = attestation_new();
	ret = a ? fill(a, o) : -ENOMEM;
	json_decref(o);
	if (ret) {
		attestation_put(a);
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	*out = a;
	return 0;
}
