// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: an IGVM file through everything src/igvm does with one --
 * parse, platform selection, the load of every platform with and without
 * host values (both zero-page semantics), the SNP digest, the VMSA and
 * native-context checks, the launch plan of an SNP load (its digest must
 * be the load's) -- and the invariants the parser promises.  Each
 * input is tried as it is (the CRC check) and with its CRC made right, so
 * that mutations behind the header reach the record decoders.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "coco/plan/plan_igvm.h"
#include "igvm/load.h"
#include "measure/vmsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_load(const struct igvm_file *f, const struct igvm_load *l)
{
	unsigned int i;

	for (i = 0; i < l->nr_ops; i++) {
		const struct igvm_op *o = &l->ops[i];

		if (o->gpa % 4096 || !o->len || o->len % 4096 ||
		    o->gpa + o->len > IGVM_GPA_LIMIT || o->gpa + o->len < o->gpa)
			__builtin_trap();
		if ((o->kind == IGVM_OP_DATA || o->kind == IGVM_OP_PARAM) && !o->data)
			__builtin_trap();
	}
	if (l->platform->type == IGVM_PLAT_SNP && !l->nr_vmsas)
		__builtin_trap();
	(void)f;
}

/* The launch plan of an SNP load (cvmm measure/boot --igvm): its digest is the load's. */
static void try_plan(const struct igvm_load *l, const uint8_t load_digest[48])
{
	static const struct coco_config snp = { .type = COCO_SNP, .policy = 0x30000 };
	struct plan_igvm_params pp = { l, &snp, l->nr_vmsas, 2ULL << 30 };
	struct launch_plan *plan;
	struct err_msg err;
	struct plan_digest dg;

	if (plan_from_igvm(&pp, &plan, &err))
		return;
	if (plan_measure(plan, NULL, &dg) || dg.len != 48 || memcmp(dg.d, load_digest, 48))
		__builtin_trap();
	plan_free(plan);
}

static void try_platform(const struct igvm_file *f, const struct igvm_platform *p)
{
	static const struct igvm_mem_entry mem[] = {
		{ 0x100000, 0x7ff00000, IGVM_MEM_MEMORY }, { 0, 0xa0000, IGVM_MEM_MEMORY },
	};
	static const struct igvm_host host = { mem, 2, 2, "console=ttyS0", false };
	struct igvm_load *l;
	struct err_msg err;
	struct vmsa_state s;
	uint8_t d[48];
	unsigned int z;

	for (z = 0; z < 2; z++) {
		if (igvm_load_build(f, p, z ? &host : NULL, (enum igvm_zero_pages)z, z, &l,
				    &err))
			continue;
		check_load(f, l);
		if (p->type == IGVM_PLAT_SNP) {
			if (!igvm_load_snp_digest(l, NULL, NULL, d))
				try_plan(l, d);
			if (l->nr_vmsas)
				igvm_vmsa_decode(l->vmsas[0], &s, &err);
		}
		if (l->have_native_ctx)
			igvm_native_to_state(&l->native_ctx, &s, &err);
		igvm_load_free(l);
	}
}

static void one(const uint8_t *data, size_t size)
{
	const struct igvm_platform *p;
	struct igvm_snp_id_block b;
	struct igvm_file *f;
	struct err_msg err;
	uint8_t blk[96], auth[4096];
	unsigned int i;
	bool ake;

	if (igvm_parse(data, size, &f, &err))
		return;
	if (!f->nr_platforms)
		__builtin_trap();
	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];

		if (d->type == IGVM_VHT_PAGE_DATA && d->u.page.data &&
		    (d->u.page.data < data + f->data_off || d->u.page.data + 4096 > data + size))
			__builtin_trap();
	}
	igvm_select_platform(f, ~0u, &p, &err);
	for (i = 0; i < f->nr_platforms; i++) {
		try_platform(f, &f->platforms[i]);
		if (!igvm_snp_id_block(f, &f->platforms[i], &b))
			igvm_id_block_to_psp(&b, 0x30000, blk, auth, &ake);
	}
	igvm_free(f);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* The input with a right CRC, or NULL when its header cannot have one. */
static uint8_t *with_crc(const uint8_t *data, size_t size)
{
	uint32_t hdr = size >= 8 && le32(data + 4) == 2 ? 32 : 24, off, len;
	uint8_t *copy;
	uLong crc;

	if (size < hdr)
		return NULL;
	off = le32(data + 8);
	len = le32(data + 12);
	if (off < hdr || off > size || len > size - off)
		return NULL;
	copy = malloc(size);
	if (!copy)
		return NULL;
	memcpy(copy, data, size);
	memset(copy + 20, 0, 4);
	crc = crc32(crc32(0L, Z_NULL, 0), copy, hdr);
	crc = crc32(crc, copy + off, len);
	copy[20] = (uint8_t)crc;
	copy[21] = (uint8_t)(crc >> 8);
	copy[22] = (uint8_t)(crc >> 16);
	copy[23] = (uint8_t)(crc >> 24);
	return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *fixed = with_crc(data, size);

	one(data, size);
	if (fixed) {
		one(fixed, size);
		free(fixed);
	}
	return 0;
}
