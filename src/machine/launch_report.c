// SPDX-License-Identifier: GPL-2.0-only
/* What a confidential launch is, as text, JSON and a `cvmm measure` line. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "coco/coco_policy.h"
#include "machine/launch_report.h"
#include "measure/digest.h"
#include "measure/id_block.h"
#include "measure/vcpu_types.h"
#include "util/bytes.h"
#include "util/num.h"

#define HEX_MAX		(2 * 64 + 1)

void launch_report_sig(uint32_t sig, char *buf, size_t len)
{
	const char *name = vcpu_type_of_sig(sig);

	snprintf(buf, len, "0x%08" PRIx32 "%s%s%s", sig, name ? " (" : "", name ? name : "",
		 name ? ")" : "");
}

static bool sig_measured(const struct launch_report *r)
{
	return (r->plan->type == COCO_SEV_ES || r->plan->type == COCO_SNP) && !r->firmware_only;
}

/* SHA-256 of the kernel, the initrd and the command line, as QEMU's hashes table. */
static int component_hashes(const struct launch_report *r, uint8_t k[32], uint8_t i[32],
			    uint8_t c[32])
{
	const char *cmd = r->cmdline ? r->cmdline : "";
	int ret = md_sha256(r->kernel, r->kernel_len, k);

	if (!ret)
		ret = md_sha256(r->initrd ? r->initrd : (const uint8_t *)"",
				r->initrd ? r->initrd_len : 0, i);
	if (!ret)
		ret = md_sha256(cmd, strlen(cmd) + 1, c);	/* with its NUL */
	return ret;
}

static void hex(const uint8_t *d, size_t len, char *out)
{
	hex_encode(d, len < 64 ? len : 64, out);
}

static const char *platform_name(enum coco_type t)
{
	return coco_type_name(t);
}

void launch_report_text(FILE *f, const struct launch_report *r)
{
	const struct launch_plan *p = r->plan;
	uint8_t k[32], i[32], c[32];
	char buf[160], h[HEX_MAX];

	fprintf(f, "launch: %s (vmm %s), %u vCPU%s, memory %" PRIu64 " MiB\n",
		platform_name(p->type), plan_vmm_name(r->vmm), r->cfg->cpu.count,
		r->cfg->cpu.count == 1 ? "" : "s", r->cfg->mem.size >> 20);
	if (p->type == COCO_TDX) {
		coco_tdx_attr_names(p->tdx_attr, buf, sizeof(buf));
		fprintf(f, "attributes: 0x%" PRIx64 " (%s)\n", p->tdx_attr, buf);
	} else if (p->type == COCO_SNP) {
		coco_snp_policy_names(p->policy, buf, sizeof(buf));
		fprintf(f, "policy: 0x%" PRIx64 " (%s)\n", p->policy, buf);
		coco_sev_feature_names(p->sev_features, buf, sizeof(buf));
		fprintf(f, "sev-features: 0x%" PRIx64 " (%s)\n", p->sev_features, buf);
	} else {
		fprintf(f, "policy: 0x%" PRIx64 "\n", p->policy);
	}
	launch_report_sig(r->vcpu_sig, buf, sizeof(buf));
	if (r->vcpu_sig)
		fprintf(f, "vcpu: signature %s%s\n", buf, sig_measured(r) ?
			", RDX of every VMSA" : ", not measured on this platform");
	if (r->kernel && !component_hashes(r, k, i, c)) {
		hex(k, 32, h);
		fprintf(f, "kernel: sha256 %s %s\n", h, r->cfg->kernel);
		hex(i, 32, h);
		fprintf(f, "initrd: sha256 %s %s\n", h, r->initrd ? r->cfg->initramfs : "(none)");
		hex(c, 32, h);
		fprintf(f, "cmdline: sha256 %s '%s'\n", h, r->cmdline ? r->cmdline : "");
		fprintf(f, "kernel hashes: %s\n", p->have_hashes ?
			"measured (the firmware checks them)" : "not measured on this platform");
	}
}

/* Print @s as one shell word: quoted unless it is plain. */
static void shell_word(FILE *f, const char *s)
{
	const char *c;

	for (c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_./,=:+-@%", *c))
			break;
	if (*s && !*c) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (c = s; *c; c++) {
		if (*c == '\'')
			fputs("'\\''", f);
		else
			fputc(*c, f);
	}
	fputc('\'', f);
}

static void flag(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s ", name);
	shell_word(f, value);
}

static void coco_spec(const struct launch_plan *p, char *buf, size_t len)
{
	if (p->type == COCO_TDX)
		snprintf(buf, len, "tdx,attr=0x%" PRIx64, p->tdx_attr);
	else if (p->type == COCO_SNP)
		snprintf(buf, len, "snp,policy=0x%" PRIx64 ",sev-features=0x%" PRIx64, p->policy,
			 p->sev_features);
	else
		snprintf(buf, len, "sev,policy=0x%" PRIx64, p->policy);
}

static void cpu_spec(const struct launch_report *r, char *buf, size_t len)
{
	const char *model = vcpu_type_of_sig(r->vcpu_sig);
	int n = snprintf(buf, len, "count=%u", r->cfg->cpu.count);

	if (n < 0 || (size_t)n >= len || !sig_measured(r))
		return;
	if (model)
		snprintf(buf + n, len - (size_t)n, ",model=%s", model);
	else
		snprintf(buf + n, len - (size_t)n, ",sig=0x%" PRIx32, r->vcpu_sig);
}

void launch_report_command(FILE *f, const struct launch_report *r)
{
	const struct vm_config *cfg = r->cfg;
	char buf[160];

	fputs("cvmm measure", f);
	coco_spec(r->plan, buf, sizeof(buf));
	flag(f, "--coco", buf);
	if (cfg->igvm)
		flag(f, "--igvm", cfg->igvm);
	else
		flag(f, "--firmware", cfg->firmware);
	if (r->kernel) {
		flag(f, "--kernel", cfg->kernel);
		if (r->initrd)
			flag(f, "--initramfs", cfg->initramfs);
		if (cfg->cmdline)
			flag(f, "--cmdline", cfg->cmdline);
	}
	cpu_spec(r, buf, sizeof(buf));
	flag(f, "--cpu", buf);
	if (cfg->mem.size != CONFIG_DEFAULT_MEM) {
		if (cfg->mem.size % (1ULL << 20))
			snprintf(buf, sizeof(buf), "size=%" PRIu64, cfg->mem.size);
		else
			snprintf(buf, sizeof(buf), "size=%" PRIu64 "M", cfg->mem.size >> 20);
		flag(f, "--memory", buf);
	}
	if (r->vmm != PLAN_VMM_CVMM)
		flag(f, "--vmm", plan_vmm_name(r->vmm));
	if (r->firmware_only)
		fputs(" --ovmf-hash-only", f);
	fputc('\n', f);
}

static int set_hex(json_t *o, const char *key, const uint8_t *d, size_t len)
{
	char h[HEX_MAX];

	hex(d, len, h);
	return json_object_set_new(o, key, json_string(h));
}

/* "0x..." (at least @width digits) */
static int set_hexnum(json_t *o, const char *key, uint64_t v, int width)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%0*" PRIx64, width, v);
	return json_object_set_new(o, key, json_string(buf));
}

static json_t *component(const char *path, const uint8_t d[32], const char *key)
{
	json_t *o = json_object();

	if (o && path)
		json_object_set_new(o, key, json_string(path));
	if (o)
		set_hex(o, "sha256", d, 32);
	return o;
}

static int json_components(json_t *o, const struct launch_report *r)
{
	uint8_t k[32], i[32], c[32];
	int ret = component_hashes(r, k, i, c);

	if (ret)
		return ret;
	json_object_set_new(o, "kernel", component(r->cfg->kernel, k, "path"));
	if (r->initrd)
		json_object_set_new(o, "initrd", component(r->cfg->initramfs, i, "path"));
	json_object_set_new(o, "cmdline", component(r->cmdline ? r->cmdline : "", c, "value"));
	json_object_set_new(o, "kernel_hashes_measured", json_boolean(r->plan->have_hashes));
	return 0;
}

static int key_digest(const uint8_t key[SNP_PUBKEY_LEN], json_t *o, const char *name)
{
	uint8_t d[48];
	int ret = md_sha384(key, SNP_PUBKEY_LEN, d);

	return ret ? ret : set_hex(o, name, d, 48);
}

/* The ID block and the digests of its keys, as the attestation report will show them. */
static json_t *json_id_block(const struct launch_report *r)
{
	const uint8_t *b = r->id_block;
	json_t *o = json_object();

	if (!o)
		return NULL;
	set_hex(o, "measurement", b, 48);
	set_hex(o, "family_id", b + 48, 16);
	set_hex(o, "image_id", b + 64, 16);
	json_object_set_new(o, "guest_svn", json_integer(get_le32(b + 84)));
	set_hexnum(o, "policy", get_le64(b + 88), 1);
	key_digest(r->id_auth + SNP_ID_AUTH_OFF_ID_KEY, o, "id_key_digest");
	if (r->author_key)
		key_digest(r->id_auth + SNP_ID_AUTH_OFF_AUTHOR_KEY, o, "author_key_digest");
	return o;
}

static void json_platform(json_t *o, const struct launch_report *r)
{
	const struct launch_plan *p = r->plan;
	char buf[160];

	if (p->type == COCO_TDX) {
		set_hexnum(o, "tdx_attributes", p->tdx_attr, 1);
		return;
	}
	set_hexnum(o, "policy", p->policy, 1);
	if (p->type == COCO_SNP) {
		set_hexnum(o, "sev_features", p->sev_features, 1);
		coco_sev_feature_names(p->sev_features, buf, sizeof(buf));
		json_object_set_new(o, "sev_feature_names", json_string(buf));
		if (r->cfg->coco.have_host_data)
			set_hex(o, "host_data", r->cfg->coco.host_data, 32);
	}
}

json_t *launch_report_json(const struct launch_report *r)
{
	const char *model = vcpu_type_of_sig(r->vcpu_sig);
	json_t *o = json_object();
	char *cmd = NULL;
	size_t len = 0;
	FILE *f;

	if (!o)
		return NULL;
	json_object_set_new(o, "platform", json_string(platform_name(r->plan->type)));
	json_object_set_new(o, "vmm", json_string(plan_vmm_name(r->vmm)));
	if (r->digest)
		set_hex(o, "measurement", r->digest, r->digest_len);
	if (r->predicted)
		set_hex(o, "predicted", r->predicted, r->digest_len);
	if (r->launch_measure)
		set_hex(o, "launch_measure", r->launch_measure, r->launch_measure_len);
	json_platform(o, r);
	json_object_set_new(o, "vcpus", json_integer(r->cfg->cpu.count));
	if (r->vcpu_sig)
		set_hexnum(o, "vcpu_signature", r->vcpu_sig, 8);
	else
		json_object_set_new(o, "vcpu_signature", json_null());
	json_object_set_new(o, "vcpu_model", model && r->vcpu_sig ? json_string(model) :
			    json_null());
	json_object_set_new(o, "vcpu_signature_measured", json_boolean(sig_measured(r)));
	json_object_set_new(o, "memory", json_integer((json_int_t)r->cfg->mem.size));
	if (r->cfg->igvm)
		json_object_set_new(o, "igvm", json_string(r->cfg->igvm));
	else
		json_object_set_new(o, "firmware", json_string(r->cfg->firmware));
	if (r->kernel && json_components(o, r))
		goto fail;
	if (r->id_block && r->id_auth)
		json_object_set_new(o, "id_block", json_id_block(r));
	f = open_memstream(&cmd, &len);
	if (!f)
		goto fail;
	launch_report_command(f, r);
	if (fclose(f) || !len)
		goto fail;
	cmd[len - 1] = 0;	/* the newline */
	json_object_set_new(o, "command", json_string(cmd));
	free(cmd);
	return o;
fail:
	free(cmd);
	json_decref(o);
	return NULL;
}

int launch_report_print_json(FILE *f, const struct launch_report *r)
{
	json_t *o = launch_report_json(r);
	int ret = -ENOMEM;

	if (o) {
		ret = json_dumpf(o, f, JSON_INDENT(2)) || fputc('\n', f) == EOF ? -EIO : 0;
		json_decref(o);
	}
	return ret;
}
