// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "attest/certs.h"
#include "attest/claims.h"
#include "attest/tdx/pck.h"

#define SGX_OID		"1.2.840.113741.1.13.1"

/* Bits recording which fields were seen, to reject duplicates. */
enum {
	SEEN_PPID = 1 << 0,
	SEEN_TCB = 1 << 1,
	SEEN_PCEID = 1 << 2,
	SEEN_FMSPC = 1 << 3,
	SEEN_TYPE = 1 << 4,
	SEEN_PIID = 1 << 5,
	SEEN_CONFIG = 1 << 6,
	SEEN_REQUIRED = SEEN_PPID | SEEN_TCB | SEEN_PCEID | SEEN_FMSPC | SEEN_TYPE,
};

/* Parse DER @p as a SEQUENCE OF ANY; NULL on error or trailing bytes. */
static STACK_OF(ASN1_TYPE) *seq_parse(const unsigned char *p, long len)
{
	const unsigned char *q = p;
	STACK_OF(ASN1_TYPE) *sk = d2i_ASN1_SEQUENCE_ANY(NULL, &q, len);

	if (sk && q != p + len) {
		sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
		return NULL;
	}
	return sk;
}

/* The elements of @v, which must be a SEQUENCE; NULL otherwise. */
static STACK_OF(ASN1_TYPE) *seq_value(ASN1_TYPE *v)
{
	if (ASN1_TYPE_get(v) != V_ASN1_SEQUENCE)
		return NULL;
	return seq_parse(ASN1_STRING_get0_data(v->value.sequence),
			 ASN1_STRING_length(v->value.sequence));
}

/* Split a SEQUENCE { OID, value } element. */
static int oid_pair(ASN1_TYPE *t, STACK_OF(ASN1_TYPE) **pair, char *oid,
		    size_t oidlen, ASN1_TYPE **val)
{
	ASN1_TYPE *o;

	*pair = seq_value(t);
	if (!*pair || sk_ASN1_TYPE_num(*pair) != 2)
		return -EINVAL;
	o = sk_ASN1_TYPE_value(*pair, 0);
	if (ASN1_TYPE_get(o) != V_ASN1_OBJECT ||
	    OBJ_obj2txt(oid, (int)oidlen, o->value.object, 1) <= 0)
		return -EINVAL;
	*val = sk_ASN1_TYPE_value(*pair, 1);
	return 0;
}

static int octets(ASN1_TYPE *v, uint8_t *out, size_t len)
{
	if (ASN1_TYPE_get(v) != V_ASN1_OCTET_STRING ||
	    ASN1_STRING_length(v->value.octet_string) != (int)len)
		return -EINVAL;
	memcpy(out, ASN1_STRING_get0_data(v->value.octet_string), len);
	return 0;
}

static int integer(ASN1_TYPE *v, int type, int64_t max, int64_t *out)
{
	int ok;

	if (ASN1_TYPE_get(v) != type)
		return -EINVAL;
	if (type == V_ASN1_ENUMERATED)
		ok = ASN1_ENUMERATED_get_int64(out, v->value.enumerated);
	else
		ok = ASN1_INTEGER_get_int64(out, v->value.integer);
	if (ok != 1 || *out < 0 || *out > max)
		return -EINVAL;
	return 0;
}

/* .2: SEQUENCE of { .2.1..16 comp SVNs, .2.17 PCESVN, .2.18 CPUSVN } */
static int parse_tcb(ASN1_TYPE *v, struct tdx_pck_info *out)
{
	STACK_OF(ASN1_TYPE) *sk, *pair = NULL;
	uint32_t seen = 0;
	int i, ret = -EINVAL;

	sk = seq_value(v);
	if (!sk)
		return -EINVAL;
	for (i = 0; i < sk_ASN1_TYPE_num(sk); i++) {
		static const char prefix[] = SGX_OID ".2.";
		char oid[80], *end;
		ASN1_TYPE *val;
		long n;
		int64_t x;

		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
		pair = NULL;
		if (oid_pair(sk_ASN1_TYPE_value(sk, i), &pair, oid, sizeof(oid), &val))
			goto out;
		if (strncmp(oid, prefix, sizeof(prefix) - 1))
			goto out;
		n = strtol(oid + sizeof(prefix) - 1, &end, 10);
		if (*end || n < 1 || n > 18 || (seen & (1u << n)))
			goto out;
		seen |= 1u << n;
		if (n <= 16) {
			if (integer(val, V_ASN1_INTEGER, 255, &x))
				goto out;
			out->comp_svn[n - 1] = (uint8_t)x;
		} else if (n == 17) {
			if (integer(val, V_ASN1_INTEGER, 65535, &x))
				goto out;
			out->pcesvn = (uint16_t)x;
		} else if (octets(val, out->cpusvn, 16)) {
			goto out;
		}
	}
	/* all of .2.1 .. .2.18 */
	if (seen == 0x7fffeu)
		ret = 0;
out:
	sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
	return ret;
}

/* .7: SEQUENCE of { .7.1 dynamicPlatform, .7.2 cachedKeys, .7.3 SMTEnabled } */
static int parse_config(ASN1_TYPE *v, struct tdx_pck_info *out)
{
	STACK_OF(ASN1_TYPE) *sk, *pair = NULL;
	int i, ret = -EINVAL;

	sk = seq_value(v);
	if (!sk)
		return -EINVAL;
	for (i = 0; i < sk_ASN1_TYPE_num(sk); i++) {
		char oid[80];
		ASN1_TYPE *val;
		int *dst;

		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
		pair = NULL;
		if (oid_pair(sk_ASN1_TYPE_value(sk, i), &pair, oid, sizeof(oid), &val))
			goto out;
		if (!strcmp(oid, SGX_OID ".7.1"))
			dst = &out->dynamic_platform;
		else if (!strcmp(oid, SGX_OID ".7.2"))
			dst = &out->cached_keys;
		else if (!strcmp(oid, SGX_OID ".7.3"))
			dst = &out->smt_enabled;
		else
			goto out;
		if (*dst != -1 || ASN1_TYPE_get(val) != V_ASN1_BOOLEAN)
			goto out;
		*dst = val->value.boolean ? 1 : 0;
	}
	ret = 0;
out:
	sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
	return ret;
}

int tdx_pck_parse_ext(const uint8_t *der, size_t len, struct tdx_pck_info *out)
{
	STACK_OF(ASN1_TYPE) *sk, *pair = NULL;
	uint32_t seen = 0;
	int i, ret = -EINVAL;

	memset(out, 0, sizeof(*out));
	out->dynamic_platform = out->cached_keys = out->smt_enabled = -1;
	if (!der || len > 65536)
		return -EINVAL;
	sk = seq_parse(der, (long)len);
	if (!sk)
		goto out;
	for (i = 0; i < sk_ASN1_TYPE_num(sk); i++) {
		char oid[80];
		ASN1_TYPE *val;
		int64_t x;
		uint32_t bit;

		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
		pair = NULL;
		if (oid_pair(sk_ASN1_TYPE_value(sk, i), &pair, oid, sizeof(oid), &val))
			goto out;
		if (!strcmp(oid, SGX_OID ".1")) {
			bit = SEEN_PPID;
			if ((seen & bit) || octets(val, out->ppid, 16))
				goto out;
		} else if (!strcmp(oid, SGX_OID ".2")) {
			bit = SEEN_TCB;
			if ((seen & bit) || parse_tcb(val, out))
				goto out;
		} else if (!strcmp(oid, SGX_OID ".3")) {
			bit = SEEN_PCEID;
			if ((seen & bit) || octets(val, out->pceid, 2))
				goto out;
		} else if (!strcmp(oid, SGX_OID ".4")) {
			bit = SEEN_FMSPC;
			if ((seen & bit) || octets(val, out->fmspc, 6))
				goto out;
		} else if (!strcmp(oid, SGX_OID ".5")) {
			bit = SEEN_TYPE;
			if ((seen & bit) || integer(val, V_ASN1_ENUMERATED, 2, &x))
				goto out;
			out->sgx_type = (int)x;
		} else if (!strcmp(oid, SGX_OID ".6")) {
			bit = SEEN_PIID;
			if ((seen & bit) || octets(val, out->platform_instance_id, 16))
				goto out;
			out->has_platform_instance_id = true;
		} else if (!strcmp(oid, SGX_OID ".7")) {
			bit = SEEN_CONFIG;
			if ((seen & bit) || parse_config(val, out))
				goto out;
		} else {
			continue;	/* future fields */
		}
		seen |= bit;
	}
	if ((seen & SEEN_REQUIRED) == SEEN_REQUIRED)
		ret = 0;
out:
	sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
	sk_ASN1_TYPE_pop_free(sk, ASN1_TYPE_free);
	ERR_clear_error();
	return ret;
}

int tdx_pck_parse(X509 *pck, struct tdx_pck_info *out)
{
	const unsigned char *der;
	long len;
	int ret = cert_ext_get(pck, SGX_OID, &der, &len);

	if (ret <= 0) {
		memset(out, 0, sizeof(*out));
		return ret ? ret : -ENOENT;
	}
	return tdx_pck_parse_ext(der, (size_t)len, out);
}

json_t *tdx_pck_claims(const struct tdx_pck_info *p)
{
	static const char *const types[] = {
		"Standard", "Scalable", "ScalableWithIntegrity"
	};
	json_t *o = json_object(), *svn = json_array();
	int i;

	claims_set_hex(o, "ppid", p->ppid, 16);
	for (i = 0; i < 16; i++)
		json_array_append_new(svn, json_integer(p->comp_svn[i]));
	json_object_set_new(o, "tcb_comp_svn", svn);
	claims_set_int(o, "pcesvn", p->pcesvn);
	claims_set_hex(o, "cpusvn", p->cpusvn, 16);
	claims_set_hex(o, "pceid", p->pceid, 2);
	claims_set_hex(o, "fmspc", p->fmspc, 6);
	claims_set_str(o, "sgx_type", types[p->sgx_type % 3]);
	if (p->has_platform_instance_id)
		claims_set_hex(o, "platform_instance_id", p->platform_instance_id, 16);
	if (p->dynamic_platform >= 0)
		claims_set_bool(o, "dynamic_platform", p->dynamic_platform);
	if (p->cached_keys >= 0)
		claims_set_bool(o, "cached_keys", p->cached_keys);
	if (p->smt_enabled >= 0)
		claims_set_bool(o, "smt_enabled", p->smt_enabled);
	return o;
}
