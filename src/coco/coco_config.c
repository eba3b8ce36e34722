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
	memset(cfg, 0, sizeof(*cfg));
}
