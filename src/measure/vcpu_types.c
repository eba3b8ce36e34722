// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "measure/vcpu_types.h"

uint32_t vcpu_sig_compute(unsigned int family, unsigned int model,
			  unsigned int stepping)
{
	unsigned int fam_low = family, fam_high = 0;

	if (family > 0xf) {
		fam_low = 0xf;
		fam_high = (family - 0xf) & 0xff;
	}
	return (uint32_t)(fam_high << 20 | ((model >> 4) & 0xf) << 16 |
			  fam_low << 8 | (model & 0xf) << 4 | (stepping & 0xf));
}

static const struct {
	const char *name;
	unsigned char family, model, stepping;
} vcpu_types[] = {
	/* the first of a signature is the name vcpu_type_of_sig() gives */
	{ "EPYC-v4", 23, 1, 2 },
	{ "EPYC", 23, 1, 2 },
	{ "EPYC-v1", 23, 1, 2 },
	{ "EPYC-v2", 23, 1, 2 },
	{ "EPYC-IBPB", 23, 1, 2 },
	{ "EPYC-v3", 23, 1, 2 },
	{ "EPYC-Rome", 23, 49, 0 },
	{ "EPYC-Rome-v1", 23, 49, 0 },
	{ "EPYC-Rome-v2", 23, 49, 0 },
	{ "EPYC-Rome-v3", 23, 49, 0 },
	{ "EPYC-Rome-v4", 23, 49, 0 },
	{ "EPYC-Milan", 25, 1, 1 },
	{ "EPYC-Milan-v1", 25, 1, 1 },
	{ "EPYC-Milan-v2", 25, 1, 1 },
	{ "EPYC-Genoa", 25, 17, 0 },
	{ "EPYC-Genoa-v1", 25, 17, 0 },
	{ "EPYC-Turin", 26, 0, 0 },
};

int vcpu_sig_lookup(const char *name, uint32_t *sig)
{
	unsigned int i;

	for (i = 0; i < sizeof(vcpu_types) / sizeof(vcpu_types[0]); i++) {
		if (!strcasecmp(name, vcpu_types[i].name)) {
			*sig = vcpu_sig_compute(vcpu_types[i].family,
						vcpu_types[i].model,
						vcpu_types[i].stepping);
			return 0;
		}
	}
	return -ENOENT;
}

const char *vcpu_type_name(unsigned int idx)
{
	if (idx >= sizeof(vcpu_types) / sizeof(vcpu_types[0]))
		return NULL;
	return vcpu_types[idx].name;
}

const char *vcpu_type_of_sig(uint32_t sig)
{
	unsigned int i;

	for (i = 0; i < sizeof(vcpu_types) / sizeof(vcpu_types[0]); i++)
		if (vcpu_sig_compute(vcpu_types[i].family, vcpu_types[i].model,
				     vcpu_types[i].stepping) == sig)
			return vcpu_types[i].name;
	return NULL;
}
