// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sessions (one nonce, one use; expiry; capacity) and resource policies
 * (paths and patterns, most specific pattern first, the broker's stricter
 * defaults, reference values expanded, an empty reference set denies,
 * measure-style imports).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "broker/refval.h"
#include "broker/rpolicy.h"
#include "broker/session.h"
#include "util/err.h"

static void test_sessions(void **state)
{
	struct session_table t;
	struct session_new a, b, c;
	struct attestation *att;
	char nonce[SESSION_NONCE_LEN + 1];
	enum tee_type tee;
	int64_t exp;

	session_table_init(&t, 2, 1000);
	assert_int_equal(session_create(&t, TEE_SNP, 0, &a), 0);
	assert_true(session_id_valid(a.id));
	assert_int_equal(strlen(a.nonce), 44);
	assert_int_equal(session_create(&t, TEE_TDX, 0, &b), 0);
	assert_string_not_equal(a.id, b.id);
	assert_string_not_equal(a.nonce, b.nonce);
	assert_int_equal(session_create(&t, TEE_SNP, 10, &c), -ENOSPC);
	assert_int_equal(session_lookup(&t, a.id, 10, &att), -EACCES);
	assert_int_equal(session_take_nonce(&t, a.id, 10, nonce, &tee, &exp), 0);
	assert_string_equal(nonce, a.nonce);
	assert_int_equal(tee, TEE_SNP);
	assert_int_equal(exp, 1000);
	assert_int_equal(session_take_nonce(&t, a.id, 11, nonce, &tee, &exp), -EALREADY);
	assert_int_equal(session_attested(&t, a.id, 12, attestation_new()), 0);
	assert_int_equal(session_lookup(&t, a.id, 13, &att), 0);
	attestation_put(att);
	assert_int_equal(session_lookup(&t, a.id, 1000, &att), -ETIMEDOUT);
	assert_int_equal(session_take_nonce(&t, b.id, 1000, nonce, &tee, &exp), -ETIMEDOUT);
	assert_int_equal(session_lookup(&t, "0123456789abcdef0123456789abcdef", 0, &att),
			 -ENOENT);
	assert_int_equal(session_lookup(&t, "../etc", 0, &att), -ENOENT);
	/* expired sessions make room */
	assert_int_equal(session_create(&t, TEE_SNP, 2000, &c), 0);
	assert_int_equal(session_gc(&t, 5000), 1);
	session_table_free(&t);
}

static void test_paths(void **state)
{
	assert_true(rpolicy_path_valid("default/key/disk-1"));
	assert_true(rpolicy_path_valid("a.b/c_d/E-9"));
	assert_false(rpolicy_path_valid("a/b"));
	assert_false(rpolicy_path_valid("a/b/c/d"));
	assert_false(rpolicy_path_valid("a/../c"));
	assert_false(rpolicy_path_valid("a//c"));
	assert_false(rpolicy_path_valid("a/b/c%2f"));
	assert_false(rpolicy_path_valid("a/b/*"));
	assert_true(rpolicy_pattern_valid("a/b/*"));
	assert_true(rpolicy_pattern_valid("a/*"));
	assert_true(rpolicy_pattern_valid("*"));
	assert_true(rpolicy_pattern_valid("a/b/c"));
	assert_false(rpolicy_pattern_valid("a/b/c/*"));
	assert_false(rpolicy_pattern_valid("a/*/c"));
	assert_false(rpolicy_pattern_valid("a*"));
}

static struct store *open_mem(void)
{
	struct store *st;
	struct err_msg why;

	assert_int_equal(store_open("sqlite::memory:", &st, &why), 0);
	return st;
}

static void test_lookup_order(void **state)
{
	struct store *st = open_mem();
	char pattern[STORE_PATH_MAX + 1], *text;

	assert_int_equal(rpolicy_lookup(st, "a/b/c", &text, pattern), -ENOENT);
	assert_int_equal(STORE_CALL(st, policy_put, "*", "1"), 0);
	assert_int_equal(STORE_CALL(st, policy_put, "a/*", "2"), 0);
	assert_int_equal(STORE_CALL(st, policy_put, "a/b/*", "3"), 0);
	assert_int_equal(STORE_CALL(st, policy_put, "a/b/c", "4"), 0);
	assert_int_equal(rpolicy_lookup(st, "a/b/c", &text, pattern), 0);
	assert_string_equal(text, "4");
	free(text);
	assert_int_equal(rpolicy_lookup(st, "a/b/d", &text, pattern), 0);
	assert_string_equal(pattern, "a/b/*");
	free(text);
	assert_int_equal(rpolicy_lookup(st, "a/x/d", &text, pattern), 0);
	assert_string_equal(pattern, "a/*");
	free(text);
	assert_int_equal(rpolicy_lookup(st, "z/x/d", &text, pattern), 0);
	assert_string_equal(pattern, "*");
	free(text);
	store_close(st);
}

static void test_compile(void **state)
{
	struct store *st = open_mem();
	struct policy p;
	struct err_msg why;
	const char *m = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
			"00112233445566778899aabbccddeeff";

	assert_int_equal(rpolicy_compile(st, "{}", &p, &why), 0);
	assert_int_equal(p.snp.vmpl_mask, 1);				/* broker defaults */
	assert_int_equal(p.snp.allow_migration_agent, 0);
	assert_int_equal(p.tdx.require_collateral, 1);
	assert_false(p.allow_debug);
	policy_free(&p);
	assert_int_equal(rpolicy_compile(st, "{\"snp\":{\"vmpl\":2},\"tdx\":"
					 "{\"require_collateral\":false}}", &p, &why), 0);
	assert_int_equal(p.snp.vmpl_mask, 1u << 2);				/* explicit wins */
	assert_int_equal(p.tdx.require_collateral, 0);
	policy_free(&p);
	assert_int_equal(rpolicy_compile(st, "{\"snp\":{\"vmlp\":0}}", &p, &why),
			 -EINVAL);					/* typo */
	assert_int_equal(rpolicy_compile(st, "{\"reference_values\":\"gold\"}", &p, &why), -EINVAL);	/* empty set */
	assert_non_null(strstr(why.msg, "gold"));
	assert_int_equal(STORE_CALL(st, refval_add, "gold", "snp.measurement", m), 0);
	assert_int_equal(rpolicy_compile(st, "{\"reference_values\":[\"gold\"],\"snp\":"
					 "{\"measurement\":\"" "ff" "ff" "ff" "ff" "ff" "ff" "ff" "ff"
					 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
					 "\"}}", &p, &why), 0);
	assert_int_equal(p.snp.measurement.n, 2);			/* appended */
	policy_free(&p);
	store_close(st);
}

/*
 * What `cvmm measure --json` prints (docs/measure.md; tests/unit/cli/test_measure.c
 * checks the binary prints these members): SNP with an ID block and host data,
 * TDX (its "measurement" is the MRTD), SEV (refused: no SNP or TDX evidence).
 */
static void test_import_measure_json(void)
{
	static const char snp[] = "{\"platform\": \"snp\", \"vmm\": \"cvmm\","
		"\"measurement\": \"19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ecabe033c48dd6f6db5d6d76e7c5df632d\","
		"\"policy\": \"0x30000\", \"sev_features\": \"0x1\", \"sev_feature_names\": \"SNPActive\","
		"\"host_data\": \"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\","
		"\"vcpus\": 1, \"vcpu_signature\": \"0x00800f12\", \"vcpu_model\": \"EPYC-v4\","
		"\"vcpu_signature_measured\": true, \"memory\": 536870912, \"firmware\": \"OVMF.fd\","
		"\"command\": \"cvmm measure --coco snp,policy=0x30000,sev-features=0x1 --firmware OVMF.fd --cpu count=1,model=EPYC-v4\","
		"\"id_block\": {"
		"\"measurement\": \"19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ecabe033c48dd6f6db5d6d76e7c5df632d\","
		"\"family_id\": \"0102030405060708090a0b0c0d0e0f10\", \"image_id\": \"00000000000000000000000000000000\","
		"\"guest_svn\": 0, \"policy\": \"0x30000\","
		"\"id_key_digest\": \"870b7e35c53f8a72d0d322f75ab2af8262792aaf6579622ce4131c3f21f289e77cb0560a5e3b90b3932e674ec709cb14\","
		"\"author_key_digest\": \"63111c34bbfc0a4938f9a009bd074980d8172323e61599c9fd336da8673248e1dca98d0be8f76376a106b8afd4c0a057\","
		"\"id_block\": \"GTWL\", \"id_auth\": \"AQAA\"}}";
	static const char tdx[] = "{\"platform\": \"tdx\", \"vmm\": \"cvmm\","
		"\"measurement\": \"4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47\","
		"\"tdx_attributes\": \"0x10000000\", \"vcpus\": 1, \"vcpu_signature\": null,"
		"\"vcpu_model\": null, \"memory\": 536870912, \"firmware\": \"OVMF.fd\"}";
	static const char sev[] = "{\"platform\": \"sev-es\", \"measurement\": "
		"\"0dccbcaba8e90b261bd0d2e1863a2f9da714768b7b2a19363cd6ae35aa90de91\"}";
	struct err_msg why;
	json_t *v;

	assert_int_equal(refval_import(snp, strlen(snp), &v, &why), 0);
	/* the measurement twice (top level and the ID block's): both listed */
	assert_int_equal(json_array_size(json_object_get(v, "snp.measurement")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "snp.host_data"), 0)),
			    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "snp.id_key_digest"), 0)),
			    "870b7e35c53f8a72d0d322f75ab2af8262792aaf6579622ce4131c3f21f289e77cb0560a5e3b90b3932e674ec709cb14");
	assert_non_null(json_object_get(v, "snp.author_key_digest"));
	assert_non_null(json_object_get(v, "snp.family_id"));
	assert_non_null(json_object_get(v, "snp.image_id"));
	assert_int_equal(json_object_size(v), 6);
	json_decref(v);
	assert_int_equal(refval_import(tdx, strlen(tdx), &v, &why), 0);
	assert_int_equal(json_object_size(v), 1);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "tdx.mrtd"), 0)),
			    "4c7206f0f483c524f12c366c711e9049030a8d47c471ee5aa9c4999a08de4057fb887fed0744d5631a212967fb231c47");
	json_decref(v);
	assert_int_equal(refval_import(sev, strlen(sev), &v, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "SEV-SNP and TDX"));
}

static void test_import(void **state)
{
	static const char measure[] = "{\"coco\":\"snp\",\"measurement\":\"" "AA"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"\",\"id_block\":{\"family_id\":\"00000000000000000000000000000001\"},\"other\":1}";
	static const char tdx[] = "{\"type\":\"tdx\",\"mrtd\":\"" "bb"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
		"\",\"rtmr\":[\"" "00" "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "\",\""
		"01" "0101010101010101010101010101010101010101010101010101010101010101010101010101010101010101010101" "\",\""
		"02" "0202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202" "\",\""
		"03" "0303030303030303030303030303030303030303030303030303030303030303030303030303030303030303030303" "\"]}";
	json_t *v;
	struct err_msg why;

	assert_int_equal(refval_import(measure, strlen(measure), &v, &why), 0);
	assert_string_equal(json_string_value(json_array_get(
		json_object_get(v, "snp.measurement"), 0)), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_non_null(json_object_get(v, "snp.family_id"));
	json_decref(v);
	assert_int_equal(refval_import(tdx, strlen(tdx), &v, &why), 0);
	assert_int_equal(json_object_size(v), 5);
	assert_non_null(json_object_get(v, "tdx.rtmr3"));
	json_decref(v);
	assert_int_equal(refval_import("{\"snp.measurement\":\"00\"}", 24, &v, &why), -EINVAL);		/* length */
	assert_int_equal(refval_import("{\"snp.nope\":\"00\"}", 17, &v, &why),
			 -EINVAL);
	assert_int_equal(refval_import("{\"coco\":\"snp\"}", 14, &v, &why), -EINVAL);
	test_import_measure_json();
	assert_int_equal(refval_import("[]", 2, &v, &why), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lookup_order),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
