// SPDX-License-Identifier: GPL-2.0-only
/*
 * The broker's own uses of cryptography: envelope sealing under a KEK
 * (bound to the path and KEK id), KEK files, the runtime-data binding
 * (checked against a hand-built canonical JSON), the tee-pubkey rules,
 * admin tokens (one request, one use) and EAR tokens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "broker/admin_auth.h"
#include "broker/binding.h"
#include "broker/kek.h"
#include "broker/pem.h"
#include "broker/session.h"
#include "broker/token.h"
#include "jose/jwk.h"
#include "util/err.h"

static void test_seal_open(void **state)
{
	static const uint8_t msg[] = "the disk key";
	struct kek k, k2;
	struct sealed s;
	struct secret p;

	assert_int_equal(kek_generate(&k), 0);
	assert_int_equal(kek_generate(&k2), 0);
	assert_int_equal(strlen(k.id), KEK_ID_HEX);
	assert_string_not_equal(k.id, k2.id);
	assert_int_equal(kek_seal(&k, "r/t/g", msg, sizeof(msg), &s), 0);
	assert_null(memmem(s.data, s.data_len, msg, sizeof(msg) - 1));
	assert_int_equal(kek_open(&k, "r/t/g", &s, &p), 0);
	assert_int_equal(p.len, sizeof(msg));
	assert_memory_equal(p.data, msg, sizeof(msg));
	secret_free(&p);
	assert_null(p.data);
	/* another path (a row copied elsewhere), another KEK, a flipped bit */
	assert_int_equal(kek_open(&k, "r/t/h", &s, &p), -EBADMSG);
	assert_int_equal(kek_open(&k2, "r/t/g", &s, &p), -EKEYREJECTED);
	s.data[SEAL_IV] ^= 1;
	assert_int_equal(kek_open(&k, "r/t/g", &s, &p), -EBADMSG);
	s.data[SEAL_IV] ^= 1;
	/* rewrap: opens under the new KEK only */
	assert_int_equal(kek_rewrap(&k, &k2, "r/t/g", &s), 0);
	assert_string_equal(s.kek_id, k2.id);
	assert_int_equal(kek_open(&k, "r/t/g", &s, &p), -EKEYREJECTED);
	assert_int_equal(kek_open(&k2, "r/t/g", &s, &p), 0);
	secret_free(&p);
	assert_int_equal(kek_rewrap(&k, &k2, "r/t/g", &s), -EKEYREJECTED);
	sealed_free(&s);
	assert_int_equal(kek_seal(&k, "r/t/g", msg, 0, &s), -EINVAL);
	kek_free(&k);
	kek_free(&k2);
}

static const char *tmpfile_with(const char *data, size_t len, mode_t mode)
{
	static char path[] = "/tmp/cvmm-broker-kek-XXXXXX";
	int fd;

	strcpy(path, "/tmp/cvmm-broker-kek-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	fchmod(fd, mode);
	close(fd);
	return path;
}

static void test_kek_files(void **state)
{
	static const char hex[] = "000102030405060708090a0b0c0d0e0f"
				  "101112131415161718191a1b1c1d1e1f\n";
	uint8_t raw[32];
	struct kek a, b;
	const char *p;
	struct err_msg why;
	int i;

	for (i = 0; i < 32; i++)
		raw[i] = (uint8_t)i;
	p = tmpfile_with(hex, strlen(hex), 0600);
	assert_int_equal(kek_load(p, &a, &why), 0);
	unlink(p);
	p = tmpfile_with((const char *)raw, 32, 0600);
	assert_int_equal(kek_load(p, &b, &why), 0);
	assert_string_equal(a.id, b.id);		/* same key, both encodings */
	unlink(p);
	kek_free(&a);
	kek_free(&b);
	p = tmpfile_with((const char *)raw, 32, 0644);
	assert_int_equal(kek_load(p, &a, &why), -EPERM);
	assert_non_null(strstr(why.msg, "chmod 600"));
	unlink(p);
	/* group-readable only when root owns it (a Kubernetes Secret with fsGroup) */
	p = tmpfile_with((const char *)raw, 32, 0640);
	assert_int_equal(kek_load(p, &a, &why), getuid() ? -EPERM : 0);
	kek_free(&a);
	if (!getuid()) {
		assert_int_equal(chown(p, 65534, (gid_t)-1), 0);
		assert_int_equal(kek_load(p, &a, &why), -EPERM);
	}
	unlink(p);
	p = tmpfile_with((const char *)raw, 32, 0660);
	assert_int_equal(kek_load(p, &a, &why), -EPERM);
	unlink(p);
	p = tmpfile_with((const char *)raw, 31, 0600);
	assert_int_equal(kek_load(p, &a, &why), -EINVAL);
	unlink(p);
	assert_int_equal(kek_load("/nonexistent/kek", &a, &why), -ENOENT);
}

static json_t *ec_jwk(const char *crv)
{
	EVP_PKEY *k = jwk_generate(crv);
	json_t *j = jwk_from_pkey(k, "ECDH-ES+A256KW");

	EVP_PKEY_free(k);
	return j;
}

static void test_tee_key_rules(void **state)
{
	struct tee_key k;
	json_t *j = ec_jwk("P-256"), *r;
	EVP_PKEY *rsa = jwk_generate("RSA-2048");
	struct err_msg why;

	assert_int_equal(tee_key_parse(j, false, &k, &why), 0);
	assert_int_equal(k.alg, JWE_ECDH_ES_A256KW);
	tee_key_free(&k);
	json_object_set_new(j, "kid", json_string("x"));
	assert_int_equal(tee_key_parse(j, false, &k, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "kid"));
	json_object_del(j, "kid");
	json_object_set_new(j, "alg", json_string("RSA-OAEP-256"));
	assert_int_equal(tee_key_parse(j, false, &k, &why), -EINVAL);
	json_object_del(j, "alg");
	assert_int_equal(tee_key_parse(j, false, &k, &why), -EINVAL);
	json_decref(j);
	r = jwk_from_pkey(rsa, "RSA1_5");
	assert_int_equal(tee_key_parse(r, false, &k, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "RSA1_5"));
	assert_int_equal(tee_key_parse(r, true, &k, &why), 0);
	assert_int_equal(k.alg, JWE_RSA1_5);
	tee_key_free(&k);
	json_object_set_new(r, "alg", json_string("RSA-OAEP-256"));
	assert_int_equal(tee_key_parse(r, false, &k, &why), 0);
	tee_key_free(&k);
	json_decref(r);
	EVP_PKEY_free(rsa);
}

/* The binding, against canonical JSON written out by hand. */
static void test_binding_by_hand(void **state)
{
	json_t *jwk = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256",
				"alg", "ECDH-ES+A256KW", "x", "AAA", "y", "BBB");
	static const char canon[] = "{\"additional-evidence\":\"\",\"nonce\":\"bm9uY2U=\","
		"\"tee-pubkey\":{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\","
		"\"x\":\"AAA\",\"y\":\"BBB\"}}";
	uint8_t got[64], want[48];
	unsigned int n;

	assert_int_equal(binding_report_data("bm9uY2U=", jwk, "", got), 0);
	assert_true(EVP_Digest(canon, strlen(canon), want, &n, EVP_sha384(), NULL));
	assert_memory_equal(got, want, 48);
	for (n = 48; n < 64; n++)
		assert_int_equal(got[n], 0);
	assert_int_equal(binding_report_data("bm9uY2V=", jwk, "", got), 0);
	assert_memory_not_equal(got, want, 48);
	json_decref(jwk);
}

static void test_admin_tokens(void **state)
{
	static const uint8_t body[] = "secret";
	EVP_PKEY *k = jwk_generate("Ed25519"), *other = jwk_generate("Ed25519");
	struct admin_auth a;
	struct err_msg why;
	char *tok = NULL, *auth = NULL, path[] = "/tmp/cvmm-admin-pub-XXXXXX";
	FILE *f;
	int fd;

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	assert_true(PEM_write_PUBKEY(f, k));
	fclose(f);
	assert_int_equal(admin_auth_init(&a, path, &why), 0);
	unlink(path);
	assert_int_equal(admin_token_make(k, "POST", "/kbs/v0/resource/a/b/c", body, 6,
					  1000, &tok), 0);
	assert_true(asprintf(&auth, "Bearer %s", tok) > 0);
	assert_int_equal(admin_auth_check(&a, auth, "POST", "/kbs/v0/resource/a/b/d", body, 6,
					  1000, &why), -EACCES);	/* path */
	assert_int_equal(admin_auth_check(&a, auth, "DELETE", "/kbs/v0/resource/a/b/c", body, 6,
					  1000, &why), -EACCES);	/* method */
	assert_int_equal(admin_auth_check(&a, auth, "POST", "/kbs/v0/resource/a/b/c", body, 5,
					  1000, &why), -EACCES);	/* body */
	assert_int_equal(admin_auth_check(&a, auth, "POST", "/kbs/v0/resource/a/b/c", body, 6,
					  2000, &why), -EACCES);	/* expired */
	assert_int_equal(admin_auth_check(&a, auth, "POST", "/kbs/v0/resource/a/b/c", body, 6,
					  1000, &why), 0);
	assert_int_equal(admin_auth_check(&a, auth, "POST", "/kbs/v0/resource/a/b/c", body, 6,
					  1001, &why), -EACCES);	/* replay */
	assert_non_null(strstr(why.msg, "already used"));
	free(tok);
	free(auth);
	assert_int_equal(admin_token_make(other, "GET", "/x", body, 0, 1000, &tok), 0);
	assert_true(asprintf(&auth, "Bearer %s", tok) > 0);
	assert_int_equal(admin_auth_check(&a, auth, "GET", "/x", body, 0, 1000, &why), -EACCES);		/* wrong key */
	assert_int_equal(admin_auth_check(&a, NULL, "GET", "/x", body, 0, 1000, &why), -EACCES);
	free(tok);
	free(auth);
	admin_auth_free(&a);
	EVP_PKEY_free(k);
	EVP_PKEY_free(other);
}

static void test_ear_token(void **state)
{
	struct token_signer s, s2;
	struct attestation *a = attestation_new();
	json_t *rd = json_pack("{s:s}", "nonce", "n");
	struct err_msg why;
	char sid[33], *jwt = NULL;
	const char *id = "0123456789abcdef0123456789abcdef";

	assert_int_equal(token_signer_init(&s, NULL, &why), 0);
	assert_int_equal(token_signer_init(&s2, NULL, &why), 0);
	a->tee = TEE_SNP;
	a->evidence = calloc(1, 0x4A0);
	a->evidence_len = 0x4A0;
	a->claims = json_pack("{s:s,s:{}}", "product", "Milan", "certificates");
	assert_int_equal(token_issue(&s, a, rd, id, 1000, 1300, &jwt), 0);
	assert_int_equal(token_check(&s, jwt, 1100, sid, &why), 0);
	assert_string_equal(sid, id);
	assert_int_not_equal(token_check(&s, jwt, 1400, sid, &why), 0);
	assert_int_not_equal(token_check(&s2, jwt, 1100, sid, &why), 0);
	free(jwt);
	token_signer_free(&s);
	token_signer_free(&s2);
	attestation_put(a);
	json_decref(rd);
}

/* PEM key files: the kind asked for, and the reason when the file is not one. */
static void test_pem_key_files(void **state)
{
	EVP_PKEY *k = jwk_generate("P-256"), *got;
	char priv[] = "/tmp/cvmm-pem-priv-XXXXXX", pub[] = "/tmp/cvmm-pem-pub-XXXXXX";
	struct token_signer s;
	struct admin_auth a;
	struct err_msg why;
	FILE *f;

	f = fdopen(mkstemp(priv), "w");
	assert_true(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	f = fdopen(mkstemp(pub), "w");
	assert_true(PEM_write_PUBKEY(f, k));
	fclose(f);
	assert_int_equal(pem_key_load(priv, true, &got, &why), 0);
	assert_int_equal(EVP_PKEY_eq(k, got), 1);
	EVP_PKEY_free(got);
	assert_int_equal(pem_key_load(pub, false, &got, &why), 0);
	assert_int_equal(EVP_PKEY_eq(k, got), 1);
	EVP_PKEY_free(got);
	assert_int_equal(pem_key_load(pub, true, &got, &why), -EINVAL);
	assert_null(got);
	assert_string_equal(why.msg, "not a PEM private key");
	assert_int_equal(pem_key_load(priv, false, &got, &why), -EINVAL);
	assert_string_equal(why.msg, "not a PEM public key");
	assert_int_equal(pem_key_load("/nonexistent", true, &got, &why), -ENOENT);
	assert_string_equal(why.msg, "No such file or directory");
	/* the users word their refusals as before */
	assert_int_equal(token_signer_init(&s, priv, &why), 0);
	token_signer_free(&s);
	assert_int_equal(token_signer_init(&s, pub, &why), -EINVAL);
	assert_non_null(strstr(why.msg, ": not a P-256 private key (PEM)"));
	assert_int_equal(token_signer_init(&s, "/nonexistent", &why), -ENOENT);
	assert_string_equal(why.msg, "/nonexistent: No such file or directory");
	assert_int_equal(admin_auth_init(&a, priv, &why), -EINVAL);
	assert_string_equal(why.msg, "not an Ed25519, P-256 or P-384 public key (PEM)");
	admin_auth_free(&a);
	unlink(priv);
	unlink(pub);
	EVP_PKEY_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_open),
		cmocka_unit_test(test_kek_files),
		cmocka_unit_test(test_tee_key_rules),
		cmocka_unit_test(test_binding_by_hand),
		cmocka_unit_test(test_admin_tokens),
		cmocka_unit_test(test_ear_token),
		cmocka_unit_test(test_pem_key_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
