// SPDX-License-Identifier: GPL-2.0-only
/* Reference-counted attestation results (see attestation.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "broker/attestation.h"

struct attestation *attestation_new(void)
{
	struct attestation *a = calloc(1, sizeof(*a));

	if (a)
		a->refs = 1;
	return a;
}

struct attestation *attestation_get(struct attestation *a)
{
	__atomic_add_fetch(&a->refs, 1, __ATOMIC_RELAXED);
	return a;
}

void attestation_put(struct attestation *a)
{
	if (!a || __atomic_sub_fetch(&a->refs, 1, __ATOMIC_ACQ_REL))
		return;
	tee_key_free(&a->key);
	free(a->evidence);
	json_decref(a->claims);
	free(a->token);
	free(a);
}

const char *tee_name(enum tee_type t)
{
	return t == TEE_TDX ? "tdx" : "snp";
}

int tee_parse(const char *name, enum tee_type *t)
{
	if (name && !strcmp(name, "snp"))
		*t = TEE_SNP;
	else if (name && !strcmp(name, "tdx"))
		*t = TEE_TDX;
	else
		return -EINVAL;
	return 0;
}
