// SPDX-License-Identifier: GPL-2.0-only
/*
 * Init-data TOML: the spec's example parses and hashes the exact bytes
 * with its algorithm; the digest fills HOST_DATA (truncated) and
 * MRCONFIGID (padded); everything outside the subset is refused with a
 * line number.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "broker/initdata.h"
#include "util/err.h"

static const char spec[] =
	"algorithm = \"sha384\"\n"
	"version = \"0.1.0\"\n"
	"# digest = \"e474...\"\n"
	"\n"
	"[data]\n"
	"\"attestation-agent.json\" = '''\n"
	"{\n"
	"\"kbs_addr\": \"http://172.18.0.1:8080\"\n"
	"}\n"
	"'''\n"
	"\n"
	"\"policy.rego\" = '''\n"
	"package agent_policy\n"
	"default CopyFileRequest := false'''\n";

static void test_spec_example(void **state)
{
	struct initdata d;
	uint8_t md[48], f32[32], f48[48];
	unsigned int n;
	struct err_msg why;

	assert_int_equal(initdata_parse(spec, strlen(spec), &d, &why), 0);
	assert_string_equal(d.algorithm, "sha384");
	assert_int_equal(d.ndata, 2);
	assert_int_equal(d.digest_len, 48);
	assert_true(EVP_Digest(spec, strlen(spec), md, &n, EVP_sha384(), NULL));
	assert_memory_equal(d.digest, md, 48);
	initdata_field(&d, f32, 32);
	assert_memory_equal(f32, md, 32);
	initdata_field(&d, f48, 48);
	assert_memory_equal(f48, md, 48);
}

static void test_algorithms(void **state)
{
	static const char s256[] = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n"
				   "key1 = \"value1\"\nkey2 = \"va\\u00e9\\\"lue2\"\n";
	static const char s512[] = "version = '0.1.0'\r\nalgorithm = 'sha512'\r\n[data]\r\n";
	struct initdata d;
	uint8_t f48[48], md[32];
	unsigned int n;
	struct err_msg why;

	assert_int_equal(initdata_parse(s256, strlen(s256), &d, &why), 0);
	assert_int_equal(d.digest_len, 32);
	assert_true(EVP_Digest(s256, strlen(s256), md, &n, EVP_sha256(), NULL));
	initdata_field(&d, f48, 48);
	assert_memory_equal(f48, md, 32);
	assert_true(f48[32] == 0 && f48[47] == 0);		/* zero padded */
	assert_int_equal(initdata_parse(s512, strlen(s512), &d, &why), 0);
	assert_int_equal(d.digest_len, 64);
	assert_int_equal(d.ndata, 0);
}

static void refused(const char *text, const char *needle)
{
	struct initdata d;
	struct err_msg why = { "" };

	assert_int_equal(initdata_parse(text, strlen(text), &d, &why), -EINVAL);
	if (!strstr(why.msg, needle))
		fail_msg("'%s': '%s' does not mention '%s'", text, why.msg, needle);
}

static void test_refusals(void **state)
{
	static const char nul[] = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\na\0 = \"x\"\n";
	struct initdata d;
	struct err_msg why;

	refused("version = \"0.2.0\"\nalgorithm = \"sha384\"\n[data]\n", "version");
	refused("version = \"0.1.0\"\nalgorithm = \"md5\"\n[data]\n", "algorithm");
	refused("version = \"0.1.0\"\nalgorithm = \"sha384\"\n", "[data]");
	refused("version = \"0.1.0\"\nversion = \"0.1.0\"\n[data]\n", "duplicate");
	refused("version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\na = \"1\"\na = \"2\"\n",
		"line 5: duplicate");
	refused("version = \"0.1.0\"\n[data]\na.b = \"1\"\n", "dotted");
	refused("version = \"0.1.0\"\n[data]\nn = 1\n", "strings");
	refused("version = \"0.1.0\"\n[data]\nn = [\"a\"]\n", "strings");
	refused("version = \"0.1.0\"\n[other]\n", "[data]");
	refused("version = \"0.1.0\"\n[data]\n[data]\n", "duplicate table");
	refused("version = \"0.1.0\n", "control character");
	refused("version = \"0.1.0", "unterminated");
	refused("version = \"\\q\"", "escape");
	refused("version = \"\\ud800\"", "Unicode");
	refused("version = \"0.1.0\" x\n", "after a value");
	refused("= \"x\"\n", "key");
	assert_int_equal(initdata_parse(nul, sizeof(nul) - 1, &d, &why), -EINVAL);
}

static void test_limits(void **state)
{
	size_t n = INITDATA_MAX + 1;
	char *big = malloc(n), *many;
	struct initdata d;
	struct err_msg why;
	size_t i, off;

	assert_non_null(big);
	memset(big, '#', n);
	assert_int_equal(initdata_parse(big, n, &d, &why), -EINVAL);
	free(big);
	many = malloc(65536);
	assert_non_null(many);
	off = (size_t)sprintf(many, "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n");
	for (i = 0; i <= INITDATA_MAX_ENTRIES; i++)
		off += (size_t)sprintf(many + off, "k%zu = \"v\"\n", i);
	assert_int_equal(initdata_parse(many, off, &d, &why), -EINVAL);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_algorithms),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
