// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/obj_mac.h>

#include "jose/b64url.h"
#include "jose/jwk_util.h"
#include "jose/secret.h"
#include "util/err.h"

static const struct jose_curve curves[] = {
	{ "P-256", "prime256v1", NID_X9_62_prime256v1, 32 },
	{ "P-384", "secp384r1", NID_secp384r1, 48 },
	{ "P-521", "secp521r1", NID_secp521r1, 66 },
};

const struct jose_curve *jose_curve_by_crv(const char *crv)
{
	size_t i;

	for (i = 0; crv && i < ARRAY_SIZE(curves); i++)
		if (!strcmp(curves[i].crv, crv))
			return &curves[i];
	return NULL;
}

const struct jose_curve *jose_curve_of(const EVP_PKEY *pkey)
{
	char name[64];
	size_t i, n = 0;

	if (!pkey || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
					    name, sizeof(name), &n))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(curves); i++)
		if (!strcmp(curves[i].group, name) ||
		    !strcmp(curves[i].crv, name))
			return &curves[i];
	return NULL;
}

int jose_b64_member(const json_t *obj, const char *name, size_t exact,
		    uint8_t **out, size_t *len, struct err_msg *why)
{
	json_t *v = json_object_get(obj, name);
	int ret;

	if (!v)
		return err_fail(why, -ENOENT, "\"%s\" is missing", name);
	if (!json_is_string(v))
		return err_fail(why, -EINVAL, "\"%s\" is not a string", name);
	ret = b64url_decode(json_string_value(v), json_string_length(v),
			    out, len);
	if (ret == -EINVAL)
		return err_fail(why, ret, "\"%s\" is not base64url", name);
	if (ret)
		return ret;
	if (exact && *len != exact) {
		jose_free_secret(*out, *len);
		*out = NULL;
		return err_fail(why, -EINVAL, "\"%s\" has %zu bytes, not %zu", name, *len,
				exact);
	}
	return 0;
}
