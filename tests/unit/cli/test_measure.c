// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cvmm measure` end to end: every sev-snp-measure case through the built
 * binary ($CVMM_BUILD/cvmm), the ID block output, error reporting and
 * `--vmm cvmm` == `--vmm qemu` on Debian's OVMF.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "measure/id_block.h"
#include "util/num.h"
#include "../coco/plan/vectors.h"
#include "../measure/tdata.h"

extern char **environ;

struct run {
	int status;
	char out[16384];
	char err[4096];
};

static void slurp(int fd, char *buf, size_t max)
{
	size_t n = 0;
	ssize_t r;

	while ((r = read(fd, buf + n, max - 1 - n)) > 0 && n < max - 1)
		n += (size_t)r;
	buf[n] = 0;
}

/* Run cvmm with NULL-terminated @args (after "cvmm"). */
static void cvmm(struct run *r, const char **args)
{
	const char *build = getenv("CVMM_BUILD");
	char exe[512], *argv[64];
	posix_spawn_file_actions_t fa;
	int out[2], err[2], n = 0;
	pid_t pid;

	snprintf(exe, sizeof(exe), "%s/cvmm", build ? build : ".");
	argv[n++] = exe;
	while (*args && n < 62)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(err), 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err[1], 2);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	posix_spawn_file_actions_addclose(&fa, err[0]);
	assert_int_equal(posix_spawn(&pid, exe, &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	close(err[1]);
	slurp(out[0], r->out, sizeof(r->out));
	slurp(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
}

static int exit_code(const struct run *r)
{
	return WIFEXITED(r->status) ? WEXITSTATUS(r->status) : 128;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#define MAXA 40

/* An empty regular file, made once: the empty kernel or initrd of the vectors. */
static char empty_path[] = "/tmp/cvmm-empty-XXXXXX";

static void empty_remove(void)
{
	unlink(empty_path);
}

static const char *empty_file(void)
{
	static int made;

	if (!made) {
		int fd = mkstemp(empty_path);

		assert_true(fd >= 0);
		close(fd);
		atexit(empty_remove);
		made = 1;
	}
	return empty_path;
}

struct argv_buf {
	const char *a[MAXA];
	char own[16][600];
	int n, no;
};

static void add(struct argv_buf *b, const char *s)
{
	b->a[b->n++] = s;
	b->a[b->n] = NULL;
}

static void case_args(struct argv_buf *b, const struct vcase *c, const char *vmm)
{
	const char *data = getenv("CVMM_TEST_DATA");
	char d[400];

	memset(b, 0, sizeof(*b));
	snprintf(d, sizeof(d), "%s/measure/sev-snp-measure", data ? data : "tests/data");
	add(b, "measure");
	add(b, "--coco");
	add(b, !strcmp(c->mode, "sev") ? "sev,policy=0x1" :
	       !strcmp(c->mode, "seves") ? "sev,policy=0x5" : "snp");
	add(b, "--firmware");
	snprintf(b->own[b->no], sizeof(b->own[0]), "%s/%s", d, c->ovmf);
	add(b, b->own[b->no++]);
	if (c->svsm) {
		add(b, "--svsm");
		snprintf(b->own[b->no], sizeof(b->own[0]), "%s/svsm.bin", d);
		add(b, b->own[b->no++]);
		add(b, "--vars-size");
		add(b, "540672");
	}
	if (!strcmp(c->mode, "snp:ovmf-hash"))
		add(b, "--ovmf-hash-only");
	if (c->kernel) {
		add(b, "--kernel");
		add(b, empty_file());
	}
	if (c->initrd) {
		add(b, "--initramfs");
		add(b, empty_file());
	}
	if (c->append) {
		add(b, "--cmdline");
		add(b, c->append);
	}
	add(b, "--cpu");
	snprintf(b->own[b->no], sizeof(b->own[0]), "count=%d", c->vcpus);
	add(b, b->own[b->no++]);
	if (c->vcpu_type) {
		add(b, "--vcpu-type");
		add(b, c->vcpu_type);
	}
	add(b, "--guest-features");
	snprintf(b->own[b->no], sizeof(b->own[0]), "0x%llx", (unsigned long long)c->features);
	add(b, b->own[b->no++]);
	if (c->ovmf_hash) {
		add(b, "--ovmf-hash");
		add(b, c->ovmf_hash);
	}
	add(b, "--vmm");
	add(b, vmm);
}

static void test_vectors(void **state)
{
	char *path = tdata_path("measure/sev-snp-measure/expected_digests.json");
	struct vcase *c = NULL;
	json_t *root = NULL;
	int i, n = vcases_load(path, &root, &c), errors = 0;

	assert_int_equal(n, 24);
	for (i = 0; i < n; i++) {
		const char *vmms[2] = { c[i].vmm, "cvmm" };
		int k, nv = strcmp(c[i].vmm, "qemu") ? 1 : 2;

		for (k = 0; k < nv; k++) {
			struct argv_buf b;
			struct run r;

			case_args(&b, &c[i], vmms[k]);
			cvmm(&r, b.a);
			if (!strncmp(c[i].expected, "ERROR: ", 7)) {
				const char *key = strstr(c[i].expected, "SNP_KERNEL") ?
						  "SNP_KERNEL_HASHES" :
						  "kernel/initrd/cmdline measurement";

				if (exit_code(&r) == 0 || r.out[0] || count_lines(r.err) != 1 ||
				    strncmp(r.err, "cvmm: ", 6) || !strstr(r.err, key)) {
					fprintf(stderr, "%s: rc %d out '%s' err '%s'\n", c[i].test,
						exit_code(&r), r.out, r.err);
					errors++;
				}
				continue;
			}
			if (exit_code(&r) || strlen(r.out) != strlen(c[i].expected) + 1 ||
			    strncmp(r.out, c[i].expected, strlen(c[i].expected))) {
				fprintf(stderr, "%s --vmm %s: rc %d out '%s' err '%s'\n",
					c[i].test, vmms[k], exit_code(&r), r.out, r.err);
				errors++;
			}
		}
	}
	assert_int_equal(errors, 0);
	free(c);
	json_decref(root);
	free(path);
}

/* sev-snp-measure test_id_block, with the measurement given on the command line */
static void test_id_block(void **state)
{
	char id_key[400], author_key[400], dir[] = "/tmp/cvmm-idb-XXXXXX", fb[64], fa[64];
	const char *data = getenv("CVMM_TEST_DATA");
	uint8_t ld[48], *blk, *auth, *pem, pub[SNP_PUBKEY_LEN];
	size_t bl, al, pl;
	EVP_PKEY *k;
	struct run r;
	char hex[97];

	snprintf(id_key, sizeof(id_key), "%s/measure/sev-snp-measure/id_key_test.pem", data);
	snprintf(author_key, sizeof(author_key), "%s/measure/sev-snp-measure/author_key_test.pem",
		 data);
	assert_non_null(mkdtemp(dir));
	snprintf(fb, sizeof(fb), "%s/block", dir);
	snprintf(fa, sizeof(fa), "%s/auth", dir);
	tdata_b64("B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t", ld, 48);
	hex_encode(ld, 48, hex);
	{
		const char *a[] = { "measure", "--id-block", "--measurement", hex,
				    "--id-key", id_key, "--author-key", author_key,
				    "--id-block-out", fb, "--id-auth-out", fa, NULL };

		cvmm(&r, a);
	}
	assert_int_equal(exit_code(&r), 0);
	assert_memory_equal(r.out, "id-block=B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB"
			    "/mPE+gdQRn7tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAA"
			    "AwAAAAAA,id-auth=", 146);
	assert_non_null(strstr(r.out, "\nid_key_hash: hwt+NcU/inLQ0yL3WrKvgmJ5Kq9leWIs5BMcPyHyied8sFYKXjuQs5MuZ07HCcsU\n"));
	assert_non_null(strstr(r.out, "\nauthor_key: YxEcNLv8Ckk4+aAJvQdJgNgXIyPmFZnJ/TNtqGcySOHcqY0L6PdjdqEGuK/UwKBX\n"));
	assert_int_equal(count_lines(r.out), 3);

	/* the raw files: the block, and an auth structure whose signature verifies */
	assert_int_equal(file_read(fb, 4096, &blk, &bl), 0);
	assert_int_equal(file_read(fa, 8192, &auth, &al), 0);
	assert_int_equal(bl, SNP_ID_BLOCK_LEN);
	assert_int_equal(al, SNP_ID_AUTH_LEN);
	assert_memory_equal(blk, ld, 48);
	pem = tdata_read("measure/sev-snp-measure/id_key_test.pem", &pl);
	assert_int_equal(snp_key_load_pem(pem, pl, &k), 0);
	assert_int_equal(snp_verify(k, blk, bl, auth + SNP_ID_AUTH_OFF_BLOCK_SIG), 0);
	assert_int_equal(snp_pubkey_encode(k, pub), 0);
	assert_memory_equal(auth + SNP_ID_AUTH_OFF_ID_KEY, pub, SNP_PUBKEY_LEN);
	snp_key_free(k);
	free(pem);
	free(blk);
	free(auth);
	unlink(fb);
	unlink(fa);
	rmdir(dir);
}

static void test_errors_and_help(void **state)
{
	/* usage errors exit 2 as "cvmm measure: <option>: <why>", the files' 1 as "cvmm: " */
	static struct {
		const char *args[10];
		int rc;
		const char *err;
	} bad[] = {
		{ { "measure", "--bogus", NULL }, 2, "cvmm measure: --bogus: unknown option" },
		{ { "measure", "--vcpu-typ", "EPYC", NULL }, 2,
		  "cvmm measure: --vcpu-typ: unknown option; did you mean --vcpu-type?" },
		{ { "measure", "--firmware", "/nonexistent", "--coco", "snp", "--vcpu-sig", "1",
		    NULL }, 1, "cvmm: /nonexistent: cannot read firmware" },
		{ { "measure", "--coco", "sev,policy=0x1", NULL }, 2,
		  "cvmm measure: --firmware: missing" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--vcpu-type", "Nope",
		    NULL }, 2, "cvmm measure: --vcpu-type: unknown CPU model 'Nope'" },
		{ { "measure", "--coco", "sev,policy=0x1", "--firmware", "/dev/null",
		    "--ovmf-hash-only", NULL }, 2, "cvmm measure: --ovmf-hash-only: needs --coco snp" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--vmm", "xen", NULL }, 2,
		  "cvmm measure: --vmm: 'xen': expected cvmm, qemu, ec2 or gce" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--vcpu-sig", "1", NULL },
		  1, "cvmm: /dev/null: the firmware must be a regular file" },
		{ { "measure", "--coco", "snp,policy=0x1", "--firmware", "/dev/null", NULL }, 2,
		  "cvmm measure: --coco: policy=0x1: SNP policy bit 17 is reserved and must be set" },
		{ { "measure", "--coco", "tdx,attr=0xffff", "--firmware", "/dev/null", NULL }, 2,
		  "cvmm measure: --coco: attr=0xffff: bits 0xfffe are reserved TD attributes" },
		/* what only boot uses is refused, not ignored */
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--blk", "path=d.img",
		    NULL }, 2, "cvmm measure: --blk: a cvmm boot option that is not part of a "
		  "launch measurement: leave it out" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--entropy", NULL }, 2,
		  "cvmm measure: --entropy: a cvmm boot option" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--cpu",
		    "model=EPYC-v4", "--vcpu-type", "EPYC-Milan", NULL }, 2,
		  "cvmm measure: --cpu: the signature 0x800f12 disagrees with 0xa00f11" },
		{ { "measure", "--coco", "snp,sev-features=0x1", "--guest-features", "0x21",
		    "--firmware", "/dev/null", NULL }, 2,
		  "cvmm measure: --guest-features: 0x21 disagrees with --coco sev-features=0x1" },
		{ { "measure", "--coco", "snp", "--firmware", "/dev/null", "--output-format",
		    "b64", NULL }, 2, "cvmm measure: --output-format: 'b64': expected hex or base64" },
	};
	unsigned int i;
	struct run r;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cvmm(&r, bad[i].args);
		if (exit_code(&r) != bad[i].rc || r.out[0] || count_lines(r.err) != 1 ||
		    strncmp(r.err, bad[i].err, strlen(bad[i].err))) {
			fprintf(stderr, "case %u: rc %d out '%s' err '%s' (want %d '%s')\n", i,
				exit_code(&r), r.out, r.err, bad[i].rc, bad[i].err);
			fail();
		}
	}
	{
		const char *a[] = { "measure", "--help", NULL };

		cvmm(&r, a);
		assert_int_equal(exit_code(&r), 0);
		assert_non_null(strstr(r.out, "--vcpu-type"));
		assert_non_null(strstr(r.out, "--coco"));
		assert_non_null(strstr(r.out, "EPYC-Genoa"));
	}
}

/*
 * An empty regular file is a valid kernel; kernel, initramfs and firmware
 * must be regular files, as for cvmm boot (a stream like /dev/zero would be
 * read up to the size limit).
 */
static void test_regular_files_only(void **state)
{
	static const char *const flags[] = { "--kernel", "--initramfs", "--firmware" };
	static const char *const what[] = { "kernel", "initramfs", "firmware" };
	const char *data = getenv("CVMM_TEST_DATA");
	char fw[400], want[200];
	struct run a, b;
	unsigned int i;

	snprintf(fw, sizeof(fw), "%s/measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", data);
	{
		const char *x[] = { "measure", "--coco", "snp", "--firmware", fw, "--kernel",
				    empty_file(), "--vcpu-type", "EPYC-v4", NULL };
		const char *y[] = { "measure", "--coco", "snp", "--firmware", fw, "--kernel",
				    empty_file(), "--vcpu-sig", "0x800f12", NULL };

		cvmm(&a, x);
		cvmm(&b, y);
	}
	assert_int_equal(exit_code(&a), 0);
	assert_string_equal(a.out, b.out);
	assert_int_equal(strlen(a.out), 97);
	for (i = 0; i < 3; i++) {
		const char *x[] = { "measure", "--coco", "snp", "--firmware", fw, "--vcpu-type",
				    "EPYC-v4", flags[i], "/dev/null", NULL };

		cvmm(&a, x);
		snprintf(want, sizeof(want),
			 "cvmm: /dev/null: the %s must be a regular file, not a pipe or device\n",
			 what[i]);
		assert_int_equal(exit_code(&a), 1);
		assert_string_equal(a.out, "");
		assert_string_equal(a.err, want);
	}
}

static void expect_hex(json_t *o, const char *key, size_t bytes)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (!v || strlen(v) != 2 * bytes || strspn(v, "0123456789abcdef") != 2 * bytes)
		fail_msg("%s: '%s' is not %zu bytes of lowercase hex", key, v ? v : "(none)", bytes);
}

/*
 * --json: the members cvmm-broker's add-reference imports (src/broker/refval.c,
 * tests/unit/broker/test_policy.c holds the same shape), the vCPU identity and
 * the command that reproduces the digest; --output-format base64.
 */
static void test_json_and_formats(void **state)
{
	const char *data = getenv("CVMM_TEST_DATA");
	char fw[400], ik[400], ak[400];
	struct run r, h, b;
	json_error_t e;
	json_t *j, *id;

	snprintf(fw, sizeof(fw), "%s/measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", data);
	snprintf(ik, sizeof(ik), "%s/measure/sev-snp-measure/id_key_test.pem", data);
	snprintf(ak, sizeof(ak), "%s/measure/sev-snp-measure/author_key_test.pem", data);
	{
		const char *a[] = { "measure", "--json", "--coco",
				    "snp,sev-features=0x21,host-data=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
				    "--firmware", fw, "--cpu", "count=2,model=EPYC-Milan",
				    "--id-block", "--id-key", ik, "--author-key", ak, NULL };
		const char *x[] = { "measure", "--coco", "snp,sev-features=0x21", "--firmware", fw,
				    "--cpu", "count=2,model=EPYC-Milan", NULL };
		const char *y[] = { "measure", "--coco", "snp,sev-features=0x21", "--firmware", fw,
				    "--cpu", "count=2,model=EPYC-Milan", "--output-format", "base64",
				    NULL };

		cvmm(&r, a);
		cvmm(&h, x);
		cvmm(&b, y);
	}
	assert_int_equal(exit_code(&r), 0);
	j = json_loads(r.out, 0, &e);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "platform")), "snp");
	expect_hex(j, "measurement", 48);
	assert_memory_equal(json_string_value(json_object_get(j, "measurement")), h.out, 96);
	expect_hex(j, "host_data", 32);
	assert_string_equal(json_string_value(json_object_get(j, "sev_features")), "0x21");
	assert_string_equal(json_string_value(json_object_get(j, "vcpu_signature")), "0x00a00f11");
	assert_string_equal(json_string_value(json_object_get(j, "vcpu_model")), "EPYC-Milan");
	assert_int_equal(json_integer_value(json_object_get(j, "vcpus")), 2);
	{
		const char *cmd = json_string_value(json_object_get(j, "command"));
		const char *tail = " --cpu count=2,model=EPYC-Milan";

		assert_non_null(cmd);
		assert_memory_equal(cmd, "cvmm measure --coco snp,policy=0x30000,sev-features=0x21 "
				    "--firmware ", 67);
		assert_non_null(strstr(cmd, "ovmf_AmdSev_suffix.bin"));
		assert_string_equal(cmd + strlen(cmd) - strlen(tail), tail);
	}
	id = json_object_get(j, "id_block");
	assert_non_null(id);
	expect_hex(id, "measurement", 48);
	expect_hex(id, "family_id", 16);
	expect_hex(id, "image_id", 16);
	expect_hex(id, "id_key_digest", 48);
	expect_hex(id, "author_key_digest", 48);
	json_decref(j);
	/* base64 of the same 48 bytes: 64 characters */
	assert_int_equal(exit_code(&b), 0);
	assert_int_equal(strlen(b.out), 65);
	{
		uint8_t raw[48], dec[49];
		char hex[97];

		assert_int_equal(EVP_DecodeBlock(dec, (const unsigned char *)b.out, 64), 48);
		memcpy(raw, dec, 48);
		hex_encode(raw, 48, hex);
		assert_memory_equal(hex, h.out, 96);
	}
}

/* The digest tests/coco/measure_model.py (written separately, in Python) computes. */
static void model_digest(const char *coco, const char *fw, char *out, size_t max)
{
	const char *src = getenv("CVMM_SRC");
	char cmd[1024];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/coco/measure_model.py' --coco %s "
		 "--firmware '%s' --cpus 2 --vcpu-sig 0xa00f11", src ? src : ".", coco, fw);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(out, (int)max, p));
	assert_int_equal(pclose(p), 0);
}

/*
 * Debian's OVMF.fd: --vmm cvmm equals --vmm qemu, and both equal the value
 * an encoder outside cvmm computes (issue 21: this once compared cvmm only
 * with itself).
 */
static void test_debian_cvmm_equals_qemu(void **state)
{
	static const char *cocos[] = { "sev,policy=0x1", "sev,policy=0x5", "snp", "tdx" };
	static const char *models[] = { "sev", "sev-es", "snp", "tdx" };
	const char *fw = "/usr/share/ovmf/OVMF.fd";
	char want[200];
	unsigned int i;

	if (access(fw, R_OK)) {
		fprintf(stderr, "skipping: %s is not installed\n", fw);
		skip();
	}
	for (i = 0; i < 4; i++) {
		const char *x[] = { "measure", "--coco", cocos[i], "--firmware", fw, "--cpu",
				    "count=2", "--vcpu-type", "EPYC-Milan", "--vmm", "cvmm", NULL };
		const char *y[] = { "measure", "--coco", cocos[i], "--firmware", fw, "--cpu",
				    "count=2", "--vcpu-type", "EPYC-Milan", "--vmm", "qemu", NULL };
		struct run a, b;

		cvmm(&a, x);
		cvmm(&b, y);
		if (exit_code(&a) || exit_code(&b))
			fprintf(stderr, "%s: %s%s\n", cocos[i], a.err, b.err);
		assert_int_equal(exit_code(&a), 0);
		assert_string_equal(a.out, b.out);
		assert_int_equal(strlen(a.out), i < 2 ? 65 : 97);
		model_digest(models[i], fw, want, sizeof(want));
		assert_string_equal(a.out, want);
	}
}

/* --id-block binds the measurement computed for the machine and its policy */
static void test_id_block_computed(void **state)
{
	const char *data = getenv("CVMM_TEST_DATA");
	char fw[400], ik[400], ak[400], b64[200];
	uint8_t blk[96], want[48];
	const char *comma;
	struct run r;

	snprintf(fw, sizeof(fw), "%s/measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", data);
	snprintf(ik, sizeof(ik), "%s/measure/sev-snp-measure/id_key_test.pem", data);
	snprintf(ak, sizeof(ak), "%s/measure/sev-snp-measure/author_key_test.pem", data);
	{
		const char *a[] = { "measure", "--coco", "snp,policy=0x70000", "--firmware", fw,
				    "--vcpu-type", "EPYC-v4", "--id-block", "--id-key", ik,
				    "--author-key", ak, "--guest-svn", "7", "--family-id",
				    "000102030405060708090a0b0c0d0e0f", NULL };

		cvmm(&r, a);
	}
	assert_int_equal(exit_code(&r), 0);
	assert_memory_equal(r.out, "id-block=", 9);
	comma = strchr(r.out, ',');
	assert_non_null(comma);
	memcpy(b64, r.out + 9, (size_t)(comma - r.out - 9));
	b64[comma - r.out - 9] = 0;
	assert_int_equal(tdata_b64(b64, blk, sizeof(blk)), 96);
	/* test_snp_without_kernel_feature_snp_only */
	tdata_hex("19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ec"
		  "abe033c48dd6f6db5d6d76e7c5df632d", want, 48);
	assert_memory_equal(blk, want, 48);
	assert_int_equal(blk[48 + 15], 0x0f);		/* family id */
	assert_int_equal(blk[80], 1);			/* version */
	assert_int_equal(blk[84], 7);			/* guest svn */
	assert_int_equal(blk[90], 0x07);		/* policy 0x70000 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_id_block),
		cmocka_unit_test(test_id_block_computed),
		cmocka_unit_test(test_errors_and_help),
		cmocka_unit_test(test_regular_files_only),
		cmocka_unit_test(test_json_and_formats),
		cmocka_unit_test(test_debian_cvmm_equals_qemu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
