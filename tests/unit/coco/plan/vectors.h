/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sev-snp-measure cases (tests/data/measure/sev-snp-measure/
 * expected_digests.json) as cvmm inputs: shared by the library test and
 * the CLI test.
 */
#ifndef CVMM_TESTS_VECTORS_H
#define CVMM_TESTS_VECTORS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vcase {
	const char *test;
	const char *mode;	/* sev, seves, snp, snp:ovmf-hash, snp:svsm */
	int vcpus;
	const char *vcpu_type;	/* or NULL */
	const char *ovmf;	/* file under measure/sev-snp-measure/ */
	bool svsm;
	bool kernel, initrd;	/* /dev/null = empty file */
	const char *append;	/* NULL: none */
	uint64_t features;
	const char *ovmf_hash;	/* or NULL */
	const char *vmm;	/* "qemu", "ec2", "gce" */
	const char *expected;	/* hex, or "ERROR: ..." */
};

static inline const char *vjs(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Load every case; returns the count (cases stay valid while *root lives). */
static inline int vcases_load(const char *path, json_t **root, struct vcase **out)
{
	json_error_t e;
	json_t *cases;
	struct vcase *c;
	size_t i, n;

	*root = json_load_file(path, 0, &e);
	if (!*root)
		return -1;
	cases = json_object_get(*root, "cases");
	n = json_array_size(cases);
	c = calloc(n, sizeof(*c));
	for (i = 0; i < n; i++) {
		json_t *o = json_array_get(cases, i);
		const char *s, *ovmf = vjs(o, "ovmf");

		c[i].test = vjs(o, "test");
		c[i].mode = vjs(o, "mode");
		c[i].vcpus = json_is_integer(json_object_get(o, "vcpus")) ?
			     (int)json_integer_value(json_object_get(o, "vcpus")) : 1;
		c[i].vcpu_type = vjs(o, "vcpu_type");
		c[i].svsm = !strcmp(c[i].mode, "snp:svsm");
		c[i].ovmf = c[i].svsm ? "svsm_ovmf.fd" : ovmf;
		c[i].kernel = vjs(o, "kernel") != NULL;
		c[i].initrd = vjs(o, "initrd") != NULL;
		c[i].append = vjs(o, "append");
		s = vjs(o, "guest_features");
		c[i].features = s ? strtoull(s, NULL, 16) : 0x1;
		c[i].ovmf_hash = vjs(o, "snp_ovmf_hash");
		s = vjs(o, "vmm_type");
		c[i].vmm = !s ? "qemu" : !strcmp(s, "QEMU") ? "qemu" : s;
		c[i].expected = vjs(o, "expected");
	}
	*out = c;
	return (int)n;
}

#endif
