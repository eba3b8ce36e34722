// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>

#include "attest/certs.h"
#include "attest/claims.h"
#include "attest/snp/certs.h"
#include "util/bytes.h"
#include "util/compiler.h"

#define AMD_OID "1.3.6.1.4.1.3704.1."

/* An extension holding a DER INTEGER.  1 found, 0 absent, -EINVAL. */
static int ext_int(X509 *c, const char *oid, int64_t *out)
{
	const unsigned char *p, *start;
	ASN1_INTEGER *ai;
	long len;
	int ret = cert_ext_get(c, oid, &p, &len);

	if (ret <= 0)
		return ret;
	start = p;
	ai = d2i_ASN1_INTEGER(NULL, &p, len);
	if (!ai || p - start != len || ASN1_INTEGER_get_int64(out, ai) != 1)
		ret = -EINVAL;
	ASN1_INTEGER_free(ai);
	ERR_clear_error();
	return ret;
}

/* An SPL: an INTEGER in 0..255. */
static int ext_spl(X509 *c, const char *oid, uint8_t *out, bool *has)
{
	int64_t v;
	int ret = ext_int(c, oid, &v);

	*has = false;
	if (ret <= 0)
		return ret;
	if (v < 0 || v > 255)
		return -EINVAL;
	*out = (uint8_t)v;
	*has = true;
	return 1;
}

/* An extension holding a DER IA5String. */
static int ext_ia5(X509 *c, const char *oid, char *buf, size_t size)
{
	const unsigned char *p, *start;
	ASN1_IA5STRING *s;
	long len;
	int ret = cert_ext_get(c, oid, &p, &len), n;

	if (ret <= 0)
		return ret;
	start = p;
	s = d2i_ASN1_IA5STRING(NULL, &p, len);
	if (!s || p - start != len) {
		ret = -EINVAL;
		goto out;
	}
	n = ASN1_STRING_length(s);
	if (n < 0 || (size_t)n >= size ||
	    memchr(ASN1_STRING_get0_data(s), 0, (size_t)n)) {
		ret = -EINVAL;
		goto out;
	}
	memcpy(buf, ASN1_STRING_get0_data(s), (size_t)n);
	buf[n] = 0;
out:
	ASN1_IA5STRING_free(s);
	ERR_clear_error();
	return ret;
}

/*
 * HWID: the real Milan/Genoa VCEKs carry the 64 bytes untagged, Turin
 * VCEKs 8 bytes; an OCTET STRING wrapping either is accepted too.
 */
static int ext_hwid(X509 *c, uint8_t *hwid, size_t *hwid_len)
{
	const unsigned char *p;
	long len;
	int ret = cert_ext_get(c, AMD_OID "4", &p, &len);

	*hwid_len = 0;
	if (ret <= 0)
		return ret;
	if (len == 64 || len == 8) {
		memcpy(hwid, p, (size_t)len);
		*hwid_len = (size_t)len;
		return 1;
	}
	if ((len == 66 || len == 10) && p[0] == 0x04 && p[1] == len - 2) {
		memcpy(hwid, p + 2, (size_t)len - 2);
		*hwid_len = (size_t)len - 2;
		return 1;
	}
	return -EINVAL;
}

int snp_vek_parse(X509 *c, struct snp_vek_info *v)
{
	char cn[64];
	int ret;

	memset(v, 0, sizeof(*v));
	cert_cn(c, cn, sizeof(cn));
	v->is_vcek = !strcmp(cn, "SEV-VCEK");
	v->is_vlek = !strcmp(cn, "SEV-VLEK");
	ret = ext_int(c, AMD_OID "1", &v->struct_version);
	if (ret < 0)
		return ret;
	v->has_struct_version = ret;
	ret = ext_ia5(c, AMD_OID "2", v->product, sizeof(v->product));
	if (ret < 0)
		return ret;
	if ((ret = ext_spl(c, AMD_OID "3.1", &v->bl, &v->has_bl)) < 0 ||
	    (ret = ext_spl(c, AMD_OID "3.2", &v->tee, &v->has_tee)) < 0 ||
	    (ret = ext_spl(c, AMD_OID "3.3", &v->snp, &v->has_snp)) < 0 ||
	    (ret = ext_spl(c, AMD_OID "3.8", &v->ucode, &v->has_ucode)) < 0 ||
	    (ret = ext_spl(c, AMD_OID "3.9", &v->fmc, &v->has_fmc)) < 0)
		return ret;
	ret = ext_hwid(c, v->hwid, &v->hwid_len);
	if (ret < 0)
		return ret;
	ret = ext_ia5(c, AMD_OID "5", v->csp_id, sizeof(v->csp_id));
	if (ret < 0)
		return ret;
	v->has_csp_id = ret;
	return 0;
}

json_t *snp_vek_claims(const struct snp_vek_info *v)
{
	json_t *o = json_object(), *tcb = json_object();

	claims_set_str(o, "type", v->is_vcek ? "vcek" : v->is_vlek ? "vlek" : "unknown");
	if (v->has_struct_version)
		claims_set_int(o, "struct_version", v->struct_version);
	claims_set_str(o, "product_name", v->product);
	if (v->has_fmc)
		claims_set_int(tcb, "fmc", v->fmc);
	if (v->has_bl)
		claims_set_int(tcb, "bootloader", v->bl);
	if (v->has_tee)
		claims_set_int(tcb, "tee", v->tee);
	if (v->has_snp)
		claims_set_int(tcb, "snp", v->snp);
	if (v->has_ucode)
		claims_set_int(tcb, "microcode", v->ucode);
	json_object_set_new(o, "tcb", tcb);
	if (v->hwid_len)
		claims_set_hex(o, "hwid", v->hwid, v->hwid_len);
	if (v->has_csp_id)
		claims_set_str(o, "csp_id", v->csp_id);
	return o;
}

static const struct {
	uint8_t guid[16];
	enum snp_cert_kind kind;
} known_guids[] = {
	/* c0b406a4-a803-4952-9743-3fb6014cd0ae */
	{ { 0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52,
	    0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0, 0xae }, SNP_CERT_ARK },
	/* 4ab7b379-bbac-4fe4-a02f-05aef327c782 */
	{ { 0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4,
	    0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7, 0x82 }, SNP_CERT_ASK },
	/* 63da758d-e664-4564-adc5-f4b93be8accd */
	{ { 0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64,
	    0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac, 0xcd }, SNP_CERT_VCEK },
	/* a8074bc2-a25a-483e-aae6-39c045a0b8a1 */
	{ { 0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
	    0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1 }, SNP_CERT_VLEK },
	/* 92f81bc3-5811-4d3d-97ff-d19f88dc67ea */
	{ { 0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d, 0x3d,
	    0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67, 0xea }, SNP_CERT_CRL },
};

const uint8_t *snp_cert_guid(enum snp_cert_kind kind)
{
	size_t k;

	for (k = 0; k < sizeof(known_guids) / sizeof(known_guids[0]); k++)
		if (known_guids[k].kind == kind)
			return known_guids[k].guid;
	return NULL;
}

int snp_cert_file_kind(const char *name)
{
	static const char *const bases[] = {
		"vcek", "vlek", "ask", "asvk", "ark", "cert_chain", "crl",
	};
	static const char *const exts[] = { "", ".pem", ".der", ".crt", ".cer" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		size_t n = strlen(bases[i]);

		if (strncmp(name, bases[i], n))
			continue;
		for (j = 0; j < ARRAY_SIZE(exts); j++)
			if (!strcmp(name + n, exts[j]))
				return strcmp(bases[i], "crl") ? SNP_CERT_OTHER : SNP_CERT_CRL;
	}
	return -1;
}

int snp_cert_table_parse(const uint8_t *buf, size_t len,
			 struct snp_cert_entry *entries, size_t max, size_t *n)
{
	size_t i, k, count = 0, table_end;

	*n = 0;
	if (!buf)
		return -EINVAL;
	/* Find the terminator first: blobs must not overlap the table. */
	for (i = 0;; i++) {
		const uint8_t *e = buf + i * SNP_CERT_TABLE_ENTRY;

		if ((i + 1) * SNP_CERT_TABLE_ENTRY > len)
			return -EINVAL;
		if (bytes_all_zero(e, SNP_CERT_TABLE_ENTRY))
			break;
		if (++count > max)
			return -E2BIG;
	}
	table_end = (count + 1) * SNP_CERT_TABLE_ENTRY;
	for (i = 0; i < count; i++) {
		const uint8_t *e = buf + i * SNP_CERT_TABLE_ENTRY;
		struct snp_cert_entry *out = &entries[i];

		memcpy(out->guid, e, 16);
		out->offset = get_le32(e + 16);
		out->length = get_le32(e + 20);
		if (out->offset < table_end || !out->length ||
		    !range_within(out->offset, out->length, 0, len))
			return -EINVAL;
		out->kind = SNP_CERT_OTHER;
		for (k = 0; k < sizeof(known_guids) / sizeof(known_guids[0]); k++)
			if (!memcmp(out->guid, known_guids[k].guid, 16))
				out->kind = known_guids[k].kind;
	}
	*n = count;
	return 0;
}

/* One certificate per entry; zero padding after the DER is tolerated. */
static int load_cert_blob(const uint8_t *p, size_t len, STACK_OF(X509) *certs)
{
	const unsigned char *q = p;
	STACK_OF(X509) *sk = NULL;
	X509 *c;
	int ret;

	if (memmem(p, len, "-----BEGIN ", 11)) {
		ret = certs_parse(p, len, &sk);
		if (!ret)
			ret = certs_append(certs, sk);
		sk_X509_pop_free(sk, X509_free);
		return ret;
	}
	c = d2i_X509(NULL, &q, (long)len);
	if (!c || !bytes_all_zero(q, len - (size_t)(q - p))) {
		X509_free(c);
		ERR_clear_error();
		return -EINVAL;
	}
	if (!sk_X509_push(certs, c)) {
		X509_free(c);
		return -ENOMEM;
	}
	return 0;
}

int snp_cert_table_load(const uint8_t *buf, size_t len, STACK_OF(X509) *certs,
			STACK_OF(X509_CRL) *crls)
{
	struct snp_cert_entry e[SNP_CERT_TABLE_MAX];
	STACK_OF(X509_CRL) *sk;
	size_t n, i;
	int ret;

	ret = snp_cert_table_parse(buf, len, e, SNP_CERT_TABLE_MAX, &n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		const uint8_t *p = buf + e[i].offset;

		switch (e[i].kind) {
		case SNP_CERT_ARK:
		case SNP_CERT_ASK:
		case SNP_CERT_VCEK:
		case SNP_CERT_VLEK:
			ret = load_cert_blob(p, e[i].length, certs);
			break;
		case SNP_CERT_CRL:
			ret = crls_parse(p, e[i].length, &sk);
			if (!ret)
				ret = crls_append(crls, sk);
			sk_X509_CRL_pop_free(sk, X509_CRL_free);
			break;
		default:
			ret = 0;
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}
