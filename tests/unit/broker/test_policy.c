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
