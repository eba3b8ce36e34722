// SPDX-License-Identifier: GPL-2.0-only
/*
 * igvm-tool: prints what src/igvm makes of an IGVM file, for the Python
 * checks in this directory (not installed).
 *
 *   igvm-tool dump FILE
 *   igvm-tool digest FILE [--zero normal|zero] [--pages] [--any-vmsa]
 *   igvm-tool load FILE PLATFORM [--zero Z] [--vp-count N] [--cmdline S]
 *                 [--mem GPA:LEN:TYPE]... [--shared-memory]
 *   igvm-tool select FILE PLATFORM[,PLATFORM...]
 *   igvm-tool id-block FILE BLOCK_OUT AUTH_OUT
 *
 * A file src/igvm refuses: one line "cvmm: FILE: why" and exit status 2.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/load.h"
#include "measure/snp.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define MAX_MEM		64

struct opts {
	enum igvm_zero_pages zero;
	bool pages, any_vmsa, have_host;
	struct igvm_host host;
	struct igvm_mem_entry mem[MAX_MEM];
};

static int platform_parse(const char *s, unsigned int *type)
{
	static const char *const names[] = { "native", "snp", "tdx" };
	static const unsigned int types[] = { IGVM_PLAT_NATIVE, IGVM_PLAT_SNP, IGVM_PLAT_TDX };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		if (!strcmp(s, names[i])) {
			*type = types[i];
			return 0;
		}
	}
	return -EINVAL;
}

static int mem_parse(const char *s, struct igvm_mem_entry *e)
{
	unsigned long long gpa, len;
	unsigned int type;

	if (sscanf(s, "%llx:%llx:%u", &gpa, &len, &type) != 3)
		return -EINVAL;
	e->gpa = gpa;
	e->len = len;
	e->type = (uint16_t)type;
	return 0;
}

static int opts_parse(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--pages")) {
			o->pages = true;
		} else if (!strcmp(a, "--any-vmsa")) {
			o->any_vmsa = true;
		} else if (!strcmp(a, "--shared-memory")) {
			o->host.memory_is_shared = o->have_host = true;
		} else if (!v) {
			return -EINVAL;
		} else if (!strcmp(a, "--zero")) {
			if (igvm_zero_parse(v, &o->zero))
				return -EINVAL;
			i++;
		} else if (!strcmp(a, "--vp-count")) {
			o->host.vp_count = (uint32_t)strtoul(v, NULL, 0);
			o->have_host = true;
			i++;
		} else if (!strcmp(a, "--cmdline")) {
			o->host.cmdline = v;
			o->have_host = true;
			i++;
		} else if (!strcmp(a, "--mem") && o->host.nr_mem < MAX_MEM) {
			if (mem_parse(v, &o->mem[o->host.nr_mem++]))
				return -EINVAL;
			o->have_host = true;
			i++;
		} else {
			return -EINVAL;
		}
	}
	o->host.mem = o->mem;
	return 0;
}

static void print_page(void *ctx, uint64_t gpa, unsigned int type, const uint8_t ld[48])
{
	char hex[97];

	hex_encode(ld, 48, hex);
	printf("page 0x%012" PRIx64 " %-10s %s\n", gpa,
	       snp_page_type_name((enum snp_page_type)type), hex);
}

static int cmd_digest(const struct igvm_file *f, const char *path, const struct opts *o)
{
	const struct igvm_platform *p = igvm_platform_find(f, IGVM_PLAT_SNP);
	struct igvm_load *l;
	struct err_msg err;
	uint8_t d[48];
	char hex[97];

	if (!p) {
		log_err(path, "the file has no SEV-SNP platform to measure");
		return 2;
	}
	if (igvm_load_build(f, p, NULL, o->zero, o->any_vmsa, &l, &err)) {
		log_err(path, "%s", err.msg);
		return 2;
	}
	if (igvm_load_snp_digest(l, o->pages ? print_page : NULL, NULL, d)) {
		igvm_load_free(l);
		log_err(path, "SHA-384 failed");
		return 1;
	}
	igvm_load_free(l);
	hex_encode(d, 48, hex);
	printf("%s\n", hex);
	return 0;
}

static void print_param_ops(const struct igvm_load *l)
{
	unsigned int i;
	uint64_t j;

	for (i = 0; i < l->nr_ops; i++) {
		if (l->ops[i].kind != IGVM_OP_PARAM)
			continue;
		printf("param 0x%" PRIx64 " ", l->ops[i].gpa);
		for (j = 0; j < l->ops[i].len; j++)
			printf("%02x", l->ops[i].data[j]);
		printf("\n");
	}
}

static int cmd_load(const struct igvm_file *f, const char *path, const char *plat,
		    const struct opts *o)
{
	const struct igvm_platform *p;
	struct igvm_load *l;
	struct err_msg err;
	unsigned int type;

	if (platform_parse(plat, &type) || !(p = igvm_platform_find(f, type))) {
		log_err(path, "no platform %s", plat);
		return 2;
	}
	if (igvm_load_build(f, p, o->have_host ? &o->host : NULL, o->zero, o->any_vmsa,
			    &l, &err)) {
		log_err(path, "%s", err.msg);
		return 2;
	}
	igvm_load_print(l, stdout);
	print_param_ops(l);
	igvm_load_free(l);
	return 0;
}

static int cmd_select(const struct igvm_file *f, const char *path, char *list)
{
	const struct igvm_platform *p;
	unsigned int allowed = 0, type;
	struct err_msg err;
	char reason[256], *tok;

	for (tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (platform_parse(tok, &type))
			return 1;
		allowed |= 1u << type;
	}
	if (igvm_select_platform(f, allowed, &p, &err)) {
		log_err(path, "%s", err.msg);
		return 2;
	}
	igvm_select_reason(f, p, reason, sizeof(reason));
	printf("%s\n", reason);
	return 0;
}

static int cmd_id_block(const struct igvm_file *f, const char *path, char **out)
{
	const struct igvm_platform *p = igvm_platform_find(f, IGVM_PLAT_SNP);
	struct igvm_snp_id_block b;
	uint8_t blk[96], auth[4096];
	uint64_t policy = 0x30000;
	bool ake;

	if (!p || igvm_snp_id_block(f, p, &b)) {
		log_err(path, "no SNP ID block");
		return 2;
	}
	igvm_guest_policy(f, p, &policy);
	igvm_id_block_to_psp(&b, policy, blk, auth, &ake);
	if (file_write_atomic(out[0], blk, sizeof(blk)) ||
	    file_write_atomic(out[1], auth, sizeof(auth)))
		return 1;
	printf("author key %s\n", ake ? "yes" : "no");
	return 0;
}

static int run(const char *cmd, const struct igvm_file *f, const char *path,
	       int argc, char **argv)
{
	struct opts o = { .zero = IGVM_ZERO_AS_NORMAL };

	if (!strcmp(cmd, "dump")) {
		igvm_print(f, stdout);
		return 0;
	}
	if (!strcmp(cmd, "select") && argc == 1)
		return cmd_select(f, path, argv[0]);
	if (!strcmp(cmd, "id-block") && argc == 2)
		return cmd_id_block(f, path, argv);
	if (!strcmp(cmd, "digest") && !opts_parse(argc, argv, &o))
		return cmd_digest(f, path, &o);
	if (!strcmp(cmd, "load") && argc >= 1 && !opts_parse(argc - 1, argv + 1, &o))
		return cmd_load(f, path, argv[0], &o);
	fprintf(stderr, "usage: igvm-tool dump|digest|load|select|id-block FILE ...\n");
	return 1;
}

int main(int argc, char **argv)
{
	struct igvm_file *f;
	struct err_msg err;
	uint8_t *buf;
	size_t len;
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: igvm-tool dump|digest|load|select|id-block FILE ...\n");
		return 1;
	}
	ret = file_read_flags(argv[2], 1u << 30, FILE_REGULAR, &buf, &len);
	if (ret) {
		log_errno(argv[2], ret);
		return 1;
	}
	ret = igvm_parse(buf, len, &f, &err);
	if (ret) {
		log_err(argv[2], "%s", err.msg);
		free(buf);
		return 2;
	}
	ret = run(argv[1], f, argv[2], argc - 3, argv + 3);
	igvm_free(f);
	free(buf);
	return ret;
}
