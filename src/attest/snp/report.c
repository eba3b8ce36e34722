// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "attest/snp/report.h"
#include "util/bytes.h"

int snp_report_parse(const uint8_t *buf, size_t len, struct snp_report *r)
{
	const uint8_t *p = buf;

	memset(r, 0, sizeof(*r));
	if (!buf || len != SNP_REPORT_SIZE)
		return -EINVAL;
	r->version = get_le32(p + 0x000);
	if (r->version < SNP_REPORT_VERSION_MIN || r->version > SNP_REPORT_VERSION_MAX)
		return -EPROTONOSUPPORT;
	memcpy(r->raw, buf, SNP_REPORT_SIZE);
	r->guest_svn = get_le32(p + 0x004);
	r->policy = get_le64(p + 0x008);
	memcpy(r->family_id, p + 0x010, 16);
	memcpy(r->image_id, p + 0x020, 16);
	r->vmpl = get_le32(p + 0x030);
	r->signature_algo = get_le32(p + 0x034);
	r->current_tcb = get_le64(p + 0x038);
	r->platform_info = get_le64(p + 0x040);
	r->key_info = get_le32(p + 0x048);
	memcpy(r->report_data, p + 0x050, 64);
	memcpy(r->measurement, p + 0x090, 48);
	memcpy(r->host_data, p + 0x0C0, 32);
	memcpy(r->id_key_digest, p + 0x0E0, 48);
	memcpy(r->author_key_digest, p + 0x110, 48);
	memcpy(r->report_id, p + 0x140, 32);
	memcpy(r->report_id_ma, p + 0x160, 32);
	r->reported_tcb = get_le64(p + 0x180);
	if (r->version >= 3) {
		r->cpuid_fam_id = p[0x188];
		r->cpuid_mod_id = p[0x189];
		r->cpuid_step = p[0x18A];
	}
	memcpy(r->chip_id, p + 0x1A0, 64);
	r->committed_tcb = get_le64(p + 0x1E0);
	r->current_build = p[0x1E8];
	r->current_minor = p[0x1E9];
	r->current_major = p[0x1EA];
	r->committed_build = p[0x1EC];
	r->committed_minor = p[0x1ED];
	r->committed_major = p[0x1EE];
	r->launch_tcb = get_le64(p + 0x1F0);
	if (r->version >= 5) {
		r->launch_mit_vector = get_le64(p + 0x1F8);
		r->current_mit_vector = get_le64(p + 0x200);
	}
	memcpy(r->sig_r, p + 0x2A0, SNP_SIG_COMPONENT_LEN);
	memcpy(r->sig_s, p + 0x2A0 + SNP_SIG_COMPONENT_LEN, SNP_SIG_COMPONENT_LEN);
	return 0;
}

enum snp_product snp_report_product(const struct snp_report *r)
{
	uint8_t fam = r->cpuid_fam_id, mod = r->cpuid_mod_id;

	if (r->version < 3)
		return SNP_PRODUCT_UNKNOWN;
	if (fam == 0x19) {
		if (mod <= 0x0F)
			return SNP_PRODUCT_MILAN;
		if ((mod >= 0x10 && mod <= 0x1F) || (mod >= 0xA0 && mod <= 0xAF))
			return SNP_PRODUCT_GENOA;
	}
	if (fam == 0x1A && mod <= 0x11)
		return SNP_PRODUCT_TURIN;
	return SNP_PRODUCT_UNKNOWN;
}

static const char *const product_names[SNP_PRODUCT_COUNT] = {
	[SNP_PRODUCT_UNKNOWN] = "unknown",
	[SNP_PRODUCT_MILAN] = "Milan",
	[SNP_PRODUCT_GENOA] = "Genoa",
	[SNP_PRODUCT_TURIN] = "Turin",
};

const char *snp_product_name(enum snp_product p)
{
	return (unsigned)p < SNP_PRODUCT_COUNT ? product_names[p] : "unknown";
}

enum snp_product snp_product_from_name(const char *name)
{
	static const char *const prefixes[] = { "SEV-VLEK-", "SEV-", "ARK-" };
	size_t i, n;
	int p;

	if (!name)
		return SNP_PRODUCT_UNKNOWN;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (!strncmp(name, prefixes[i], n)) {
			name += n;
			break;
		}
	}
	for (p = SNP_PRODUCT_MILAN; p < SNP_PRODUCT_COUNT; p++) {
		n = strlen(product_names[p]);
		/* "Milan" or "Milan-B0" (a stepping suffix) */
		if (!strncmp(name, product_names[p], n) &&
		    (name[n] == 0 || name[n] == '-'))
			return (enum snp_product)p;
	}
	return SNP_PRODUCT_UNKNOWN;
}

void snp_tcb_decode(uint64_t raw, enum snp_product p, struct snp_tcb *out)
{
	uint8_t b[8];

	put_le64(b, raw);
	memset(out, 0, sizeof(*out));
	if (p == SNP_PRODUCT_TURIN) {
		/* FMC, BL, TEE, SNP, 3 reserved, UCODE */
		out->fmc = b[0];
		out->bootloader = b[1];
		out->tee = b[2];
		out->snp = b[3];
		out->microcode = b[7];
		out->has_fmc = true;
	} else {
		/* BL, TEE, 4 reserved, SNP, UCODE */
		out->bootloader = b[0];
		out->tee = b[1];
		out->snp = b[6];
		out->microcode = b[7];
	}
}

json_t *snp_tcb_claims(uint64_t raw, enum snp_product p)
{
	json_t *o = json_object();
	struct snp_tcb t;

	snp_tcb_decode(raw, p, &t);
	claims_set_u64hex(o, "raw", raw);
	if (t.has_fmc)
		claims_set_int(o, "fmc", t.fmc);
	claims_set_int(o, "bootloader", t.bootloader);
	claims_set_int(o, "tee", t.tee);
	claims_set_int(o, "snp", t.snp);
	claims_set_int(o, "microcode", t.microcode);
	return o;
}

static json_t *policy_claims(uint64_t v)
{
	json_t *o = json_object();

	claims_set_u64hex(o, "raw", v);
	claims_set_int(o, "abi_minor", v & 0xff);
	claims_set_int(o, "abi_major", (v >> 8) & 0xff);
	claims_set_bool(o, "smt", v & SNP_POLICY_SMT);
	claims_set_bool(o, "migrate_ma", v & SNP_POLICY_MIGRATE_MA);
	claims_set_bool(o, "debug", v & SNP_POLICY_DEBUG);
	claims_set_bool(o, "single_socket", v & SNP_POLICY_SINGLE_SOCKET);
	claims_set_bool(o, "cxl_allow", v & SNP_POLICY_CXL_ALLOW);
	claims_set_bool(o, "mem_aes_256_xts", v & SNP_POLICY_MEM_AES_256_XTS);
	claims_set_bool(o, "rapl_dis", v & SNP_POLICY_RAPL_DIS);
	claims_set_bool(o, "ciphertext_hiding", v & SNP_POLICY_CIPHERTEXT_HIDING);
	claims_set_bool(o, "page_swap_disable", v & SNP_POLICY_PAGE_SWAP_DISABLE);
	return o;
}

static json_t *platform_info_claims(uint64_t v)
{
	json_t *o = json_object();

	claims_set_u64hex(o, "raw", v);
	claims_set_bool(o, "smt_en", v & (1 << 0));
	claims_set_bool(o, "tsme_en", v & (1 << 1));
	claims_set_bool(o, "ecc_en", v & (1 << 2));
	claims_set_bool(o, "rapl_dis", v & (1 << 3));
	claims_set_bool(o, "ciphertext_hiding_en", v & (1 << 4));
	claims_set_bool(o, "alias_check_complete", v & (1 << 5));
	claims_set_bool(o, "tio_en", v & (1 << 7));
	return o;
}

static const char *signing_key_name(enum snp_signing_key k)
{
	switch (k) {
	case SNP_SIGNING_KEY_VCEK:
		return "vcek";
	case SNP_SIGNING_KEY_VLEK:
		return "vlek";
	case SNP_SIGNING_KEY_NONE:
		return "none";
	default:
		return "reserved";
	}
}

static json_t *version_claims(uint8_t major, uint8_t minor, uint8_t build)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u.%u.%u", major, minor, build);
	return json_string(buf);
}

json_t *snp_report_claims(const struct snp_report *r, enum snp_product p)
{
	json_t *o = json_object(), *k;

	claims_set_int(o, "version", r->version);
	claims_set_int(o, "guest_svn", r->guest_svn);
	json_object_set_new(o, "policy", policy_claims(r->policy));
	claims_set_hex(o, "family_id", r->family_id, 16);
	claims_set_hex(o, "image_id", r->image_id, 16);
	claims_set_int(o, "vmpl", r->vmpl);
	claims_set_int(o, "signature_algo", r->signature_algo);
	json_object_set_new(o, "current_tcb", snp_tcb_claims(r->current_tcb, p));
	json_object_set_new(o, "platform_info", platform_info_claims(r->platform_info));
	k = json_object();
	claims_set_u64hex(k, "raw", r->key_info);
	claims_set_bool(k, "author_key_en", r->key_info & 1);
	claims_set_bool(k, "mask_chip_key", r->key_info & 2);
	claims_set_str(k, "signing_key", signing_key_name(snp_report_signing_key(r)));
	json_object_set_new(o, "key_info", k);
	claims_set_hex(o, "report_data", r->report_data, 64);
	claims_set_hex(o, "measurement", r->measurement, 48);
	claims_set_hex(o, "host_data", r->host_data, 32);
	claims_set_hex(o, "id_key_digest", r->id_key_digest, 48);
	claims_set_hex(o, "author_key_digest", r->author_key_digest, 48);
	claims_set_hex(o, "report_id", r->report_id, 32);
	claims_set_hex(o, "report_id_ma", r->report_id_ma, 32);
	json_object_set_new(o, "reported_tcb", snp_tcb_claims(r->reported_tcb, p));
	if (r->version >= 3) {
		json_t *c = json_object();

		claims_set_int(c, "family", r->cpuid_fam_id);
		claims_set_int(c, "model", r->cpuid_mod_id);
		claims_set_int(c, "stepping", r->cpuid_step);
		json_object_set_new(o, "cpuid", c);
	}
	claims_set_hex(o, "chip_id", r->chip_id, 64);
	/* all zero: the host set MASK_CHIP_ID, no HWID to compare */
	claims_set_bool(o, "chip_id_masked", bytes_all_zero(r->chip_id, 64));
	json_object_set_new(o, "committed_tcb", snp_tcb_claims(r->committed_tcb, p));
	json_object_set_new(o, "current_version",
			    version_claims(r->current_major, r->current_minor,
					   r->current_build));
	json_object_set_new(o, "committed_version",
			    version_claims(r->committed_major, r->committed_minor,
					   r->committed_build));
	json_object_set_new(o, "launch_tcb", snp_tcb_claims(r->launch_tcb, p));
	if (r->version >= 5) {
		claims_set_u64hex(o, "launch_mit_vector", r->launch_mit_vector);
		claims_set_u64hex(o, "current_mit_vector", r->current_mit_vector);
	}
	k = json_object();
	claims_set_hex(k, "r", r->sig_r, SNP_SIG_COMPONENT_LEN);
	claims_set_hex(k, "s", r->sig_s, SNP_SIG_COMPONENT_LEN);
	json_object_set_new(o, "signature", k);
	return o;
}
