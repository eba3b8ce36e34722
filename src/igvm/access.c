// SPDX-License-Identifier: GPL-2.0-only
/* Typed accessors for one platform: policy, ID block, VP contexts. */
#include <errno.h>
#include <string.h>

#include "igvm/igvm_internal.h"
#include "measure/id_block.h"

int igvm_guest_policy(const struct igvm_file *f, const struct igvm_platform *p,
		      uint64_t *policy)
{
	unsigned int i;

	for (i = 0; i < f->nr_inits; i++) {
		const struct igvm_init *n = &f->inits[i];

		if (n->type == IGVM_VHT_GUEST_POLICY && (n->mask & p->mask)) {
			*policy = n->u.policy;
			return 0;
		}
	}
	return -ENOENT;
}

/* IGVM_VHS_SNP_ID_BLOCK field offsets */
#define IDB_AKE		4
#define IDB_LD		8
#define IDB_FAMILY	56
#define IDB_IMAGE	72
#define IDB_VERSION	88
#define IDB_SVN		92
#define IDB_ID_ALGO	96
#define IDB_AUTHOR_ALGO	100
#define IDB_ID_SIG	104	/* r[72] s[72] */
#define IDB_ID_KEY	248	/* curve u32, reserved u32, qx[72], qy[72] */
#define IDB_AUTHOR_SIG	400
#define IDB_AUTHOR_KEY	544

static void id_block_decode(const uint8_t *r, struct igvm_snp_id_block *b)
{
	b->author_key_enabled = r[IDB_AKE];
	memcpy(b->ld, r + IDB_LD, 48);
	memcpy(b->family_id, r + IDB_FAMILY, 16);
	memcpy(b->image_id, r + IDB_IMAGE, 16);
	b->version = get_le32(r + IDB_VERSION);
	b->guest_svn = get_le32(r + IDB_SVN);
	b->id_key_algorithm = get_le32(r + IDB_ID_ALGO);
	b->author_key_algorithm = get_le32(r + IDB_AUTHOR_ALGO);
	memcpy(b->id_key_sig_r, r + IDB_ID_SIG, 72);
	memcpy(b->id_key_sig_s, r + IDB_ID_SIG + 72, 72);
	b->id_key_curve = get_le32(r + IDB_ID_KEY);
	memcpy(b->id_key_qx, r + IDB_ID_KEY + 8, 72);
	memcpy(b->id_key_qy, r + IDB_ID_KEY + 80, 72);
	memcpy(b->author_key_sig_r, r + IDB_AUTHOR_SIG, 72);
	memcpy(b->author_key_sig_s, r + IDB_AUTHOR_SIG + 72, 72);
	b->author_key_curve = get_le32(r + IDB_AUTHOR_KEY);
	memcpy(b->author_key_qx, r + IDB_AUTHOR_KEY + 8, 72);
	memcpy(b->author_key_qy, r + IDB_AUTHOR_KEY + 80, 72);
}

int igvm_snp_id_block(const struct igvm_file *f, const struct igvm_platform *p,
		      struct igvm_snp_id_block *out)
{
	unsigned int i;

	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];

		if (d->type == IGVM_VHT_SNP_ID_BLOCK && (d->mask & p->mask)) {
			id_block_decode(d->u.raw, out);
			return 0;
		}
	}
	return -ENOENT;
}

static void put_key(uint8_t *k, uint32_t curve, const uint8_t qx[72], const uint8_t qy[72])
{
	put_le(k, curve, 4);
	memcpy(k + 4, qx, 72);
	memcpy(k + 76, qy, 72);
}

void igvm_id_block_to_psp(const struct igvm_snp_id_block *b, uint64_t policy,
			  uint8_t id_block[96], uint8_t id_auth[4096], bool *auth_key_en)
{
	struct snp_id_block blk = {
		.version = 1,		/* the PSP knows only version 1; QEMU sets it */
		.guest_svn = b->guest_svn,
		.policy = policy,
	};
	uint8_t *a = id_auth;

	memcpy(blk.ld, b->ld, 48);
	memcpy(blk.family_id, b->family_id, 16);
	memcpy(blk.image_id, b->image_id, 16);
	snp_id_block_encode(&blk, id_block);

	memset(a, 0, SNP_ID_AUTH_LEN);
	put_le(a, b->id_key_algorithm, 4);
	put_le(a + 4, b->author_key_algorithm, 4);
	memcpy(a + SNP_ID_AUTH_OFF_BLOCK_SIG, b->id_key_sig_r, 72);
	memcpy(a + SNP_ID_AUTH_OFF_BLOCK_SIG + 72, b->id_key_sig_s, 72);
	put_key(a + SNP_ID_AUTH_OFF_ID_KEY, b->id_key_curve, b->id_key_qx, b->id_key_qy);
	memcpy(a + SNP_ID_AUTH_OFF_ID_KEY_SIG, b->author_key_sig_r, 72);
	memcpy(a + SNP_ID_AUTH_OFF_ID_KEY_SIG + 72, b->author_key_sig_s, 72);
	put_key(a + SNP_ID_AUTH_OFF_AUTHOR_KEY, b->author_key_curve, b->author_key_qx,
		b->author_key_qy);
	*auth_key_en = b->author_key_enabled;
}

const struct igvm_dir *igvm_vp_context(const struct igvm_file *f,
				       const struct igvm_platform *p,
				       unsigned int vp_index)
{
	unsigned int i;

	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];

		if (d->type == IGVM_VHT_VP_CONTEXT && d->mask == p->mask &&
		    d->u.vp.vp_index == vp_index)
			return d;
	}
	return NULL;
}

int igvm_vp_count(const struct igvm_file *f, const struct igvm_platform *p,
		  unsigned int *n, struct err_msg *err)
{
	unsigned int i, count = 0, max = 0;

	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];

		if (d->type != IGVM_VHT_VP_CONTEXT || d->mask != p->mask)
			continue;
		count++;
		if (d->u.vp.vp_index > max)
			max = d->u.vp.vp_index;
	}
	*n = count;
	if (count && max + 1 != count) {
		err_set(err, "platform %s: VP contexts for %u vCPUs up to vCPU %u leave "
			     "gaps (they must be vCPUs 0..n-1)", igvm_platform_name(p->type),
			     count, max);
		return -EINVAL;
	}
	return 0;
}
