// SPDX-License-Identifier: GPL-2.0-only
/* TDX TCB evaluation (platform, TDX module, QE identity) against PCS collateral. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "attest/certs.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/policy.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/roots.h"
#include "attest/tdx/tcb.h"
#include "attest/tdx/verify.h"
#include "helpers.h"
#include "tdx_common.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

/* PROVENANCE's derived table. */
static void test_tcb_evaluation(void **state)
{
	struct parsed p;
	struct tcb_info ti;
	struct tdx_tcb_eval e;
	struct verdict v;

	/* SPR_E4 + sample_tcbInfo: no matching level */
	load_quote(SPR, &p);
	parse_ti(GTI, &ti);
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	assert_false(e.matched);
	assert_int_equal(e.status, TCB_STATUS_UNKNOWN);
	EXPECT_ONLY(v, "tdx.tcb_level");
	free(p.buf);

	/* trustee quote 4 + the same: UpToDate (2023-02-15) */
	load_quote(Q4, &p);
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	expect_ok(&v);
	assert_true(e.matched);
	assert_int_equal(e.level, 0);
	assert_int_equal(e.status, TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[e.level].date, t_at("2023-02-15T00:00:00Z"));
	assert_false(e.has_module);
	/* FMSPC and PCE-ID must match the PCK */
	p.pck.fmspc[5] ^= 1;
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	EXPECT_ONLY(v, "tdx.fmspc");
	p.pck.fmspc[5] ^= 1;
	p.pck.pceid[0] ^= 1;
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	EXPECT_ONLY(v, "tdx.pceid");
	p.pck.pceid[0] ^= 1;
	/* a lower PCESVN falls to the OutOfDate level */
	p.pck.pcesvn = 5;
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	expect_ok(&v);
	assert_int_equal(e.level, 1);
	assert_int_equal(e.status, TCB_OUT_OF_DATE);
	/* MRSIGNERSEAM must match tdxModule */
	p.pck.pcesvn = 11;
	p.q.body.mrsignerseam[0] ^= 1;
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	EXPECT_ONLY(v, "tdx.tdx_module");
	free(p.buf);
	tcb_info_free(&ti);

	/* v5 + its TCB info: UpToDate (2024-11-13), TDX_01 UpToDate */
	load_quote(V5, &p);
	parse_ti(GTI5, &ti);
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	expect_ok(&v);
	assert_int_equal(e.platform, TCB_UP_TO_DATE);
	assert_int_equal(ti.levels[e.level].date, t_at("2024-11-13T00:00:00Z"));
	assert_true(e.has_module);
	assert_string_equal(e.module_id, "TDX_01");
	assert_int_equal(e.module, TCB_UP_TO_DATE);
	assert_int_equal(e.status, TCB_UP_TO_DATE);
	/* an unknown module version */
	p.q.body.tee_tcb_svn[1] = 0x7f;
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	assert_true(verdict_has(&v, "tdx.tdx_module"));
	assert_int_equal(e.status, TCB_STATUS_UNKNOWN);
	verdict_free(&v);
	free(p.buf);
	tcb_info_free(&ti);

	/* trustee quote 6 + its TCB info: platform OutOfDate, TDX_03 UpToDate -> OutOfDate */
	load_quote(Q6, &p);
	parse_ti(TTI, &ti);
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	expect_ok(&v);
	assert_int_equal(e.level, 1);
	assert_int_equal(e.platform, TCB_OUT_OF_DATE);
	assert_int_equal(ti.levels[e.level].date, t_at("2018-01-04T00:00:00Z"));
	assert_string_equal(e.module_id, "TDX_03");
	assert_int_equal(e.module, TCB_UP_TO_DATE);
	assert_int_equal(e.status, TCB_OUT_OF_DATE);
	/* policy: the default minimum is UpToDate; OutOfDate accepts it */
	{
		struct tdx_appraisal a = { .collateral = true, .status = e.status };
		struct policy pol;

		policy_default(&pol);
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.tcb_status");
		pol.tdx.min_tcb_status = TCB_SW_HARDENING_NEEDED;
		pol.tdx.has_min_tcb_status = true;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.tcb_status");
		pol.tdx.min_tcb_status = TCB_OUT_OF_DATE;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		expect_ok(&v);
		a.status = TCB_REVOKED;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.tcb_status");
		/* an unknown status never satisfies a minimum (no early return) */
		a.status = TCB_STATUS_UNKNOWN;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.tcb_status");
		/* without collateral: required by default, optional when opted out */
		a.collateral = false;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.collateral", "policy.tcb_status");
		a.no_collateral = true;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.tcb_status");	/* min_tcb_status was set above */
		pol.tdx.has_min_tcb_status = false;
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		expect_ok(&v);
		pol.tdx.require_collateral = 1;		/* the policy wins over --no-collateral */
		verdict_init(&v);
		tdx_policy_check(&pol, &p.q, &a, &v);
		EXPECT_ONLY(v, "policy.collateral");
	}
	free(p.buf);
	tcb_info_free(&ti);

	/* not TDX TCB info */
	load_quote(SPR, &p);
	parse_ti(GTI, &ti);
	strcpy(ti.id, "SGX");
	verdict_init(&v);
	tdx_tcb_evaluate(&ti, &p.pck, &p.q.body, &e, &v);
	EXPECT_ONLY(v, "tdx.tcb_info");
	free(p.buf);
	tcb_info_free(&ti);
}

static void test_qe_identity(void **state)
{
	struct qe_identity qi;
	struct parsed p;
	struct verdict v;
	size_t level = 99;

	load_quote(SPR, &p);
	parse_qi(GQE, &qi);
	assert_string_equal(qi.id, "TD_QE");
	assert_int_equal(qi.isvprodid, 2);
	verdict_init(&v);
	assert_int_equal(tdx_qe_identity_evaluate(&qi, &p.q.qe_report, &level, &v),
			 TCB_UP_TO_DATE);
	assert_int_equal(level, 0);
	expect_ok(&v);
	/* go-tdx-guest TestVerifyUsingQeIdentityV4 mutations */
#define QE_MUT(stmt, undo) do {						\
	stmt;								\
	verdict_init(&v);						\
	assert_int_equal(tdx_qe_identity_evaluate(&qi, &p.q.qe_report, &level, &v), \
			 TCB_STATUS_UNKNOWN);				\
	EXPECT_ONLY(v, "tdx.qe_identity");				\
	undo;								\
} while (0)
	QE_MUT(p.q.qe_report.miscselect ^= 1, p.q.qe_report.miscselect ^= 1);
	QE_MUT(p.q.qe_report.attributes[0] ^= 1, p.q.qe_report.attributes[0] ^= 1);
	QE_MUT(p.q.qe_report.mrsigner[0] ^= 1, p.q.qe_report.mrsigner[0] ^= 1);
	QE_MUT(p.q.qe_report.isvprodid = 3, p.q.qe_report.isvprodid = 2);
	QE_MUT(p.q.qe_report.isvsvn = 3, p.q.qe_report.isvsvn = 4);	/* below every level */
	/* masked-out attribute bits do not matter */
	p.q.qe_report.attributes[15] ^= 0xff;
	verdict_init(&v);
	assert_int_equal(tdx_qe_identity_evaluate(&qi, &p.q.qe_report, &level, &v),
			 TCB_UP_TO_DATE);
	expect_ok(&v);
	p.q.qe_report.attributes[15] ^= 0xff;
	/* not the TDX QE */
	strcpy(qi.id, "QE");
	QE_MUT((void)0, (void)0);
#undef QE_MUT
	qe_identity_free(&qi);
	free(p.buf);

	/* malformed identities */
	{
		static const char *const bad[] = {
			"not json", "[]", "{\"id\":\"TD_QE\",\"version\":3}",
			"{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"2023-01-01T00:00:00Z\","
			"\"nextUpdate\":\"2023-02-01T00:00:00Z\",\"tcbEvaluationDataNumber\":1,"
			"\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\","
			"\"attributes\":\"00000000000000000000000000000000\","
			"\"attributesMask\":\"00000000000000000000000000000000\","
			"\"mrsigner\":\"0000000000000000000000000000000000000000000000000000000000000000\","
			"\"isvprodid\":2,\"tcbLevels\":[]}",
		};
		struct err_msg why;
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_int_equal(qe_identity_parse(bad[i], strlen(bad[i]), &qi, &why), -EINVAL);
			assert_int_equal(qi.nlevels, 0);
		}
		assert_non_null(strstr(why.msg, "tcbLevels"));
	}
	/* trustee: QE ISVSVN 7 >= 4 */
	load_quote(Q6, &p);
	parse_qi(TQE, &qi);
	verdict_init(&v);
	assert_int_equal(tdx_qe_identity_evaluate(&qi, &p.q.qe_report, &level, &v),
			 TCB_UP_TO_DATE);
	expect_ok(&v);
	qe_identity_free(&qi);
	free(p.buf);

	/* Intel's synthetic set: the MRSIGNER differs (expected by its provenance) */
	{
		size_t len;
		struct err_msg why;
		uint8_t *b = td_read("intel-qvl/quote.dat", &len);
		struct tdx_quote q;

		assert_int_equal(tdx_quote_parse(b, len, &q, &why), 0);
		parse_qi("intel-qvl/qeIdentity.json", &qi);
		verdict_init(&v);
		assert_int_equal(tdx_qe_identity_evaluate(&qi, &q.qe_report, &level, &v),
				 TCB_STATUS_UNKNOWN);
		EXPECT_ONLY(v, "tdx.qe_identity");
		qe_identity_free(&qi);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcb_evaluation),
		cmocka_unit_test(test_qe_identity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
