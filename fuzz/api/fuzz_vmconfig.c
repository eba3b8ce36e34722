// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm.create's body (src/api/vmconfig*.c) on hostile JSON: parsed as a
 * VmConfig and as each device body.  Invariants: a refusal says why; an
 * accepted configuration renders (vm.info) into a VmConfig that parses
 * again into the same machine.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/vmconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct vm_config *a, const struct vm_config *b)
{
	unsigned int i;

	if (a->cpu.count != b->cpu.count || a->mem.size != b->mem.size ||
	    a->nr_blk != b->nr_blk || a->nr_net != b->nr_net ||
	    a->vsock.enabled != b->vsock.enabled || a->entropy != b->entropy ||
	    a->coco.type != b->coco.type || a->console.kind != b->console.kind)
		abort();
	for (i = 0; i < a->nr_blk; i++)
		if (strcmp(a->blk[i].path, b->blk[i].path) || strcmp(a->blk[i].id, b->blk[i].id) ||
		    a->blk[i].readonly != b->blk[i].readonly)
			abort();
	if ((a->kernel == NULL) != (b->kernel == NULL) || (a->kernel && strcmp(a->kernel, b->kernel)))
		abort();
}

static void round_trip(const struct vm_config *cfg)
{
	char why[VMCONFIG_WHY_LEN];
	struct vm_config again;
	json_t *r = vmconfig_render(cfg);

	if (!r)
		return;		/* out of memory */
	config_init(&again);
	if (vmconfig_parse(r, &again, why, sizeof(why)))
		abort();
	same(cfg, &again);
	config_free(&again);
	json_decref(r);
}

static void devices(const json_t *doc)
{
	char why[VMCONFIG_WHY_LEN];
	struct blk_config b = { 0 };
	struct net_config n = { 0 };
	struct vsock_config v = { 0 };

	if (vmconfig_parse_disk(doc, "", &b, why, sizeof(why)) && !why[0])
		abort();
	if (vmconfig_parse_net(doc, "", true, &n, why, sizeof(why)) && !why[0])
		abort();
	if (vmconfig_parse_vsock(doc, "", &v, why, sizeof(why)) && !why[0])
		abort();
	free(b.path);
	free(b.id);
	free(n.tap);
	free(n.id);
	free(v.uds);
	free(v.id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[VMCONFIG_WHY_LEN];
	struct vm_config cfg;
	json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);

	if (!doc)
		return 0;
	config_init(&cfg);
	why[0] = '\0';
	if (vmconfig_parse(doc, &cfg, why, sizeof(why))) {
		if (!why[0])
			abort();
	} else {
		round_trip(&cfg);
	}
	config_free(&cfg);
	devices(doc);
	json_decref(doc);
	return 0;
}
