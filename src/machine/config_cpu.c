// SPDX-License-Identifier: GPL-2.0-only
/*
 * --cpu count=N[,model=NAME|sig=0xHEX][,+feature][,-feature]...: the vCPU
 * count, the vCPU's CPUID signature (the one source of the signature a
 * confidential launch puts into every VMSA and `cvmm measure` models) and
 * the CPUID feature edits, all checked here so that a typo is a usage
 * error with a suggestion, not a failed VM build.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/cpuid.h"
#include "machine/config.h"
#include "machine/config_internal.h"
#include "measure/vcpu_types.h"
#include "util/log.h"
#include "util/num.h"
#include "util/opts.h"
#include "util/suggest.h"

/* The names --cpu +NAME / -NAME accepts, wrapped to 80 columns. */
void config_print_cpu_features(FILE *f)
{
	unsigned int i, col = 0, n = cpuid_feature_count();

	fputs("CPU feature names for --cpu +NAME / -NAME:\n", f);
	for (i = 0; i < n; i++) {
		const char *name = cpuid_feature_at(i)->name;
		unsigned int len = (unsigned int)strlen(name) + 1;

		if (col + len > 78) {
			fputc('\n', f);
			col = 0;
		}
		fprintf(f, "%s%s", col ? " " : "  ", name);
		col += len + (col ? 0 : 1);
	}
	fputc('\n', f);
}

int config_vcpu_model(const char *name, const char *flag, uint32_t *sig)
{
	struct suggest sg;
	const char *n;
	unsigned int i;

	if (!vcpu_sig_lookup(name, sig))
		return 0;
	suggest_init(&sg, name);
	suggest_add(&sg, "host");
	for (i = 0; (n = vcpu_type_name(i)); i++)
		suggest_add(&sg, n);
	if (suggest_best(&sg))
		log_err(flag, "unknown CPU model '%s'; did you mean %s?", name, suggest_best(&sg));
	else
		log_err(flag, "unknown CPU model '%s' (e.g. EPYC-v4, EPYC-Milan, EPYC-Genoa, "
			"host; cvmm measure --help lists them)", name);
	return -EINVAL;
}

/* model=NAME (a QEMU CPU model or host) or sig=0xHEX: the vCPU's CPUID signature. */
static int parse_cpu_identity(struct cpu_config *cpu, struct opts *o)
{
	const char *model = opts_get(o, "model");
	uint64_t sig;
	int ret;

	ret = opts_get_u64(o, "sig", &sig);
	if (ret < 0)
		return ret;
	if (ret && model) {
		log_err("--cpu", "give model=NAME or sig=0x%llx, not both",
			(unsigned long long)sig);
		return -EINVAL;
	}
	if (ret) {
		if (sig > 0xffffffffULL || !sig) {
			log_err("--cpu", "sig=0x%llx: a CPUID signature is 32 bits, not zero",
				(unsigned long long)sig);
			return -EINVAL;
		}
		cpu->have_sig = true;
		cpu->sig = (uint32_t)sig;
	}
	if (!model)
		return 0;
	cpu->have_sig = false;
	if (strcmp(model, "host")) {
		ret = config_vcpu_model(model, "--cpu", &cpu->sig);
		if (ret)
			return ret;
		cpu->have_sig = true;
	}
	free(cpu->model);
	cpu->model = strdup(model);
	return cpu->model ? 0 : -ENOMEM;
}

/* "+name" / "-name": a CPUID feature the table knows (checked here: a usage error). */
static int cpu_feature_word(const char *w)
{
	struct suggest sg;
	unsigned int i;

	if (cpuid_feature_find(w + 1))
		return 0;
	suggest_init(&sg, w + 1);
	for (i = 0; i < cpuid_feature_count(); i++)
		suggest_add(&sg, cpuid_feature_at(i)->name);
	if (suggest_best(&sg))
		log_err("--cpu", "unknown CPU feature '%s'; did you mean '%c%s'?", w + 1, w[0],
			suggest_best(&sg));
	else
		log_err("--cpu", "unknown CPU feature '%s' (cvmm boot --help lists them)", w + 1);
	return -EINVAL;
}

int config_parse_cpu(struct cpu_config *cpu, const char *arg)
{
	struct opts o;
	const char *w;
	uint64_t count = cpu->count, bare;
	int ret;

	ret = opts_parse(&o, "--cpu", arg);
	if (ret)
		return ret;
	ret = opts_get_u64(&o, "count", &count);
	if (ret < 0)
		goto out;
	if (count < 1 || count > CONFIG_MAX_VCPUS) {
		log_err("--cpu", "count=%llu: must be 1 to %d",
			(unsigned long long)count, CONFIG_MAX_VCPUS);
		ret = -EINVAL;
		goto out;
	}
	cpu->count = (unsigned int)count;
	ret = parse_cpu_identity(cpu, &o);
	if (ret < 0)
		goto out;
	while ((w = opts_next_word(&o))) {
		char **nf;

		if (!num_parse_u64(w, &bare)) {	/* "-p 2", as QEMU's -smp 2 */
			log_err("--cpu", "'%s': use --cpu count=%s", w, w);
			ret = -EINVAL;
			goto out;
		}
		if ((w[0] != '+' && w[0] != '-') || !w[1]) {
			log_err("--cpu", "'%s': expected count=N, model=NAME, sig=0xHEX, "
				"+feature or -feature", w);
			ret = -EINVAL;
			goto out;
		}
		ret = cpu_feature_word(w);
		if (ret)
			goto out;
		nf = realloc(cpu->features, (cpu->nr_features + 1) * sizeof(*nf));
		if (!nf) {
			ret = -ENOMEM;
			goto out;
		}
		cpu->features = nf;
		nf[cpu->nr_features] = strdup(w);
		if (!nf[cpu->nr_features]) {
			ret = -ENOMEM;
			goto out;
		}
		cpu->nr_features++;
	}
	ret = opts_finish(&o);
out:
	opts_free(&o);
	return ret < 0 ? ret : 1;
}
