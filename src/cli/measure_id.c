// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm measure --id-block: the SNP ID block and ID auth for a measurement,
 * as sev-snp-measure's snp-create-id-block makes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "cli/cli.h"
#include "cli/measure_internal.h"
#include "measure/id_block.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

enum {
	OPT_ID_BLOCK = MEASURE_OPT_ID_BLOCK,
	OPT_ID_KEY,
	OPT_AUTHOR_KEY,
	OPT_FAMILY_ID,
	OPT_IMAGE_ID,
	OPT_GUEST_SVN,
	OPT_MEASUREMENT,
	OPT_ID_BLOCK_OUT,
	OPT_ID_AUTH_OUT,
};

const struct arg_opt measure_id_opts[] = {
	{ "id-block", 0, ARG_NONE, OPT_ID_BLOCK, NULL,
	  "sign an ID block for the measurement (default: the one computed for\n"
	  "the machine) and the --coco snp policy; prints id-block=B64,id-auth=B64,\n"
	  "id_key_hash and author_key", 0 },
	{ "id-key", 0, ARG_REQUIRED, OPT_ID_KEY, "PEM", "the ID key (ECDSA P-384)", 0 },
	{ "author-key", 0, ARG_REQUIRED, OPT_AUTHOR_KEY, "PEM", "the author key (ECDSA P-384)", 0 },
	{ "family-id", 0, ARG_REQUIRED, OPT_FAMILY_ID, "HEX16", "FAMILY_ID (16 bytes)", 0 },
	{ "image-id", 0, ARG_REQUIRED, OPT_IMAGE_ID, "HEX16", "IMAGE_ID (16 bytes)", 0 },
	{ "guest-svn", 0, ARG_REQUIRED, OPT_GUEST_SVN, "N", "GUEST_SVN", 0 },
	{ "measurement", 0, ARG_REQUIRED, OPT_MEASUREMENT, "HEX48",
	  "bind this measurement instead of computing one", 0 },
	{ "id-block-out", 0, ARG_REQUIRED, OPT_ID_BLOCK_OUT, "FILE",
	  "write the 96-byte ID block (for --coco snp,id-block=FILE)", 0 },
	{ "id-auth-out", 0, ARG_REQUIRED, OPT_ID_AUTH_OUT, "FILE",
	  "write the 4096-byte ID auth (for --coco snp,id-auth=FILE)", 0 },
	ARG_END,
};

int measure_id_option(struct measure_args *a, int id, const char *arg)
{
	switch (id) {
	case OPT_ID_BLOCK:
		a->id_block = true;
		return 0;
	case OPT_ID_KEY:
		a->id_key = arg;
		return 0;
	case OPT_AUTHOR_KEY:
		a->author_key = arg;
		return 0;
	case OPT_FAMILY_ID:
		return measure_parse_hex("--family-id", arg, a->family_id, 16);
	case OPT_IMAGE_ID:
		return measure_parse_hex("--image-id", arg, a->image_id, 16);
	case OPT_GUEST_SVN:
		if (num_parse_u64(arg, &a->guest_svn)) {
			log_err("--guest-svn", "'%s' is not a number", arg);
			return -EINVAL;
		}
		if (a->guest_svn > 0xffffffffULL) {
			log_err("--guest-svn", "%s does not fit 32 bits", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_MEASUREMENT:
		a->have_measurement = true;
		return measure_parse_hex("--measurement", arg, a->measurement, 48);
	case OPT_ID_BLOCK_OUT:
		a->id_block_out = arg;
		return 0;
	}
	/* OPT_ID_AUTH_OUT */
	a->id_auth_out = arg;
	return 0;
}

static int b64(const uint8_t *d, size_t len, char **out)
{
	*out = malloc(4 * ((len + 2) / 3) + 1);
	if (!*out)
		return -ENOMEM;
	EVP_EncodeBlock((unsigned char *)*out, d, (int)len);
	return 0;
}

void measure_print_digest(const struct measure_args *a, const uint8_t *d, size_t len)
{
	char out[2 * 64 + 1], *s = NULL;

	if (a->format == FORMAT_BASE64 && !b64(d, len, &s)) {
		printf("%s\n", s);
		free(s);
		return;
	}
	hex_encode(d, len < 64 ? len : 64, out);
	printf("%s\n", out);
}

static int load_key(const char *flag, const char *path, EVP_PKEY **key)
{
	uint8_t *pem;
	size_t len;
	int ret = measure_read_file("key", path, MEASURE_MAX_SMALL, 0, &pem, &len);

	if (ret)
		return ret;
	ret = snp_key_load_pem(pem, len, key);
	OPENSSL_cleanse(pem, len);	/* a private key */
	free(pem);
	if (ret)
		log_err(flag, "%s: not a PEM ECDSA P-384 private key", path);
	return ret;
}

static int write_out(const char *path, const uint8_t *d, size_t len)
{
	int ret;

	if (!path)
		return 0;
	ret = file_write_atomic(path, d, len);
	if (ret)
		log_err(path, "cannot write: %s", strerror(-ret));
	return ret;
}

struct id_out {
	uint8_t block[SNP_ID_BLOCK_LEN], auth[SNP_ID_AUTH_LEN];
	char *b_block, *b_auth, *b_id, *b_author;
	char h_id[2 * 48 + 1], h_author[2 * 48 + 1];
};

/* Base64 of the block and auth, base64 and hex of the key digests. */
static int encode(struct id_out *o, EVP_PKEY *id_key, EVP_PKEY *author_key)
{
	uint8_t dig[48];
	int ret = b64(o->block, sizeof(o->block), &o->b_block);

	if (!ret)
		ret = b64(o->auth, sizeof(o->auth), &o->b_auth);
	if (!ret && !(ret = snp_key_digest(id_key, dig))) {
		hex_encode(dig, 48, o->h_id);
		ret = b64(dig, sizeof(dig), &o->b_id);
	}
	if (!ret && !(ret = snp_key_digest(author_key, dig))) {
		hex_encode(dig, 48, o->h_author);
		ret = b64(dig, sizeof(dig), &o->b_author);
	}
	return ret;
}

static void add_json(json_t *json, const struct id_out *o, const struct snp_id_block *ib)
{
	json_t *id = json_object_get(json, "id_block");
	char h[2 * 48 + 1], pol[32];

	if (!id) {
		id = json_object();
		json_object_set_new(json, "id_block", id);
	}
	hex_encode(ib->ld, 48, h);
	json_object_set_new(id, "measurement", json_string(h));
	hex_encode(ib->family_id, 16, h);
	json_object_set_new(id, "family_id", json_string(h));
	hex_encode(ib->image_id, 16, h);
	json_object_set_new(id, "image_id", json_string(h));
	json_object_set_new(id, "guest_svn", json_integer(ib->guest_svn));
	snprintf(pol, sizeof(pol), "0x%llx", (unsigned long long)ib->policy);
	json_object_set_new(id, "policy", json_string(pol));
	json_object_set_new(id, "id_key_digest", json_string(o->h_id));
	json_object_set_new(id, "author_key_digest", json_string(o->h_author));
	json_object_set_new(id, "id_block", json_string(o->b_block));
	json_object_set_new(id, "id_auth", json_string(o->b_auth));
}

int measure_id_block(const struct measure_args *a, const uint8_t ld[48], json_t *json)
{
	struct snp_id_block ib = { .version = 1 };
	EVP_PKEY *id_key = NULL, *author_key = NULL;
	struct id_out o = { .b_block = NULL };
	int ret;

	ret = load_key("--id-key", a->id_key, &id_key);
	if (!ret)
		ret = load_key("--author-key", a->author_key, &author_key);
	if (ret)
		goto out;
	memcpy(ib.ld, ld, 48);
	memcpy(ib.family_id, a->family_id, 16);
	memcpy(ib.image_id, a->image_id, 16);
	ib.guest_svn = (uint32_t)a->guest_svn;
	ib.policy = a->cfg.coco.type == COCO_SNP ? a->cfg.coco.policy : 0x30000;
	snp_id_block_encode(&ib, o.block);
	ret = snp_id_auth_build(id_key, author_key, o.block, o.auth);
	if (ret) {
		log_err("--id-block", "signing failed");
		goto out;
	}
	ret = write_out(a->id_block_out, o.block, sizeof(o.block));
	if (!ret)
		ret = write_out(a->id_auth_out, o.auth, sizeof(o.auth));
	if (ret)
		goto out;
	ret = encode(&o, id_key, author_key);
	if (ret) {
		log_errno("--id-block", ret);
		goto out;
	}
	if (json)
		add_json(json, &o, &ib);
	else
		printf("id-block=%s,id-auth=%s\nid_key_hash: %s\nauthor_key: %s\n",
		       o.b_block, o.b_auth, o.b_id, o.b_author);
out:
	free(o.b_block);
	free(o.b_auth);
	free(o.b_id);
	free(o.b_author);
	snp_key_free(id_key);
	snp_key_free(author_key);
	return ret;
}
