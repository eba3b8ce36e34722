// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coco/coco_config.h"
#include "util/log.h"
#include "util/opts.h"
#include "util/suggest.h"

#define SEV_POLICY_ES	(1ULL << 2)

const char *coco_type_name(enum coco_type type)
{
	switch (type) {
	case COCO_NONE:
		return "none";
	case COCO_SEV:
		return "sev";
	case COCO_SEV_ES:
		return "sev-es";
	case COCO_SNP:
		return "snp";
	case COCO_TDX:
		return "tdx";
	}
	return "?";
}

static int dup_opt(struct opts *o, const char *key, char **out)
{
	const char *v = opts_get(o, key);

	if (!v)
		return 0;
	*out = strdup(v);
	return *out ? 0 : -ENOMEM;
}

/* platform=kvm|sim and sim-ca=, after the type's own options. */
static int parse_platform(struct opts *o, struct coco_config *cfg)
{
	const char *p = opts_get(o, "platform");
	int ret;

	if (p && strcmp(p, "kvm") && strcmp(p, "sim")) {
		log_err("--coco", "platform=%s: expected kvm or sim", p);
		return -EINVAL;
	}
	if (p && !strcmp(p, "sim"))
		cfg->platform = COCO_PLATFORM_SIM;
	ret = dup_opt(o, "sim-ca", &cfg->sim_ca_dir);
	if (ret)
		return ret;
	if (cfg->platform == COCO_PLATFORM_SIM && cfg->type != COCO_SNP) {
		log_err("--coco", "platform=sim: only snp runs on the simulated platform so "
			"far (%s has no simulated report service)", coco_type_name(cfg->type));
		return -EINVAL;
	}
	if (cfg->sim_ca_dir && cfg->platform != COCO_PLATFORM_SIM) {
		log_err("--coco", "sim-ca=%s: only with platform=sim", cfg->sim_ca_dir);
		return -EINVAL;
	}
	if (cfg->certs_dir && cfg->platform == COCO_PLATFORM_SIM) {
		log_err("--coco", "certs=%s: for real SNP hosts; platform=sim serves the "
			"certificates of sim-ca=", cfg->certs_dir);
		return -EINVAL;
	}
	return 0;
}

int coco_config_parse(struct coco_config *cfg, const char *spec)
{
	struct opts o;
	const char *kind;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = opts_parse(&o, "--coco", spec);
	if (ret)
		return ret;
	kind = opts_kind(&o);
	if (!kind) {
		log_err("--coco", "expected sev, snp or tdx first, e.g. snp,policy=0x30000");
		ret = -EINVAL;
		goto out;
	}
	if (!strcmp(kind, "sev")) {
		cfg->type = COCO_SEV;
		ret = opts_get_u64(&o, "policy", &cfg->policy);
		if (ret < 0)
			goto out;
		if (cfg->policy & SEV_POLICY_ES)
			cfg->type = COCO_SEV_ES;
	} else if (!strcmp(kind, "snp") || !strcmp(kind, "sev-snp")) {
		cfg->type = COCO_SNP;
		cfg->policy = 0x30000;
		cfg->sev_features = 0x1;
		ret = opts_get_u64(&o, "policy", &cfg->policy);
		if (ret < 0)
			goto out;
		ret = opts_get_u64(&o, "sev-features", &cfg->sev_features);
		if (ret < 0)
			goto out;
		cfg->have_sev_features = ret > 0;
		ret = opts_get_hex(&o, "host-data", cfg->host_data, sizeof(cfg->host_data));
		if (ret < 0)
			goto out;
		cfg->have_host_data = ret > 0;
		ret = dup_opt(&o, "id-block", &cfg->id_block_path);
		if (!ret)
			ret = dup_opt(&o, "id-auth", &cfg->id_auth_path);
		if (!ret)
			ret = dup_opt(&o, "certs", &cfg->certs_dir);
		if (ret)
			goto out;
	} else if (!strcmp(kind, "tdx")) {
		cfg->type = COCO_TDX;
		cfg->tdx_attr = 0x10000000;
		ret = opts_get_u64(&o, "attr", &cfg->tdx_attr);
		if (ret < 0)
			goto out;
		ret = dup_opt(&o, "qgs", &cfg->qgs_path);
		if (ret)
			goto out;
	} else {
		struct suggest sg;

		suggest_init(&sg, kind);
		suggest_add(&sg, "snp");
		suggest_add(&sg, "sev");
		suggest_add(&sg, "tdx");
		log_err("--coco", "unknown type '%s' (expected sev, snp or tdx)%s%s%s", kind,
			suggest_best(&sg) ? "; did you mean " : "",
			suggest_best(&sg) ? suggest_best(&sg) : "", suggest_best(&sg) ? "?" : "");
		ret = -EINVAL;
		goto out;
	}
	ret = parse_platform(&o, cfg);
	if (!ret)
		ret = opts_finish(&o);
out:
	opts_free(&o);
	if (ret < 0)
		coco_config_free(cfg);
	return ret < 0 ? ret : 0;
}

void coco_config_free(struct coco_config *cfg)
{
	free(cfg->id_block_path);
	free(cfg->id_auth_path);
	free(cfg->qgs_path);
	free(cfg->sim_ca_dir);
	free(cfg->certs_dir);
	memset(cfg, 0, sizeof(*cfg));
}
