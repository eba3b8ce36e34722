// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "proto/simtee.h"
#include "util/err.h"

static struct err_msg why;

static struct simtee_req req(void)
{
	struct simtee_req r = {
		.kind = SIMTEE_KIND_SNP_REPORT, .flags = SIMTEE_F_CERTS, .vmpl = 1,
		.report_version = 5,
	};
	size_t i;

	for (i = 0; i < 64; i++)
		r.report_data[i] = (uint8_t)(i * 7 + 1);
	return r;
}

static void test_request_layout(void **state)
{
	struct simtee_req r = req(), back;
	uint8_t b[SIMTEE_REQ_SIZE];
	static const uint8_t head[20] = {
		'C', 'S', 'T', 'Q', 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0,
	};

	assert_int_equal(simtee_req_encode(&r, b), 0);
	assert_memory_equal(b, head, sizeof(head));
	for (size_t i = 20; i < 32; i++)
		assert_int_equal(b[i], 0);
	assert_memory_equal(b + 32, r.report_data, 64);
	assert_int_equal(simtee_req_parse(b, sizeof(b), &back), 0);
	assert_memory_equal(&back, &r, sizeof(r));
}

static void test_request_errors(void **state)
{
	struct simtee_req r = req(), back;
	uint8_t b[SIMTEE_REQ_SIZE], c[SIMTEE_REQ_SIZE];

	r.vmpl = 4;
	assert_int_equal(simtee_req_encode(&r, b), -EINVAL);
	r = req();
	r.report_version = 4;
	assert_int_equal(simtee_req_encode(&r, b), -EINVAL);
	r = req();
	r.flags = 2;
	assert_int_equal(simtee_req_encode(&r, b), -EINVAL);
	r = req();
	assert_int_equal(simtee_req_encode(&r, b), 0);
	assert_int_equal(simtee_req_parse(b, sizeof(b) - 1, &back), -EBADMSG);
	memcpy(c, b, sizeof(c));
	c[0] ^= 1;
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -EBADMSG);
	memcpy(c, b, sizeof(c));
	c[25] = 1;					/* reserved */
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -EBADMSG);
	memcpy(c, b, sizeof(c));
	c[4] = 2;					/* version */
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -EPROTONOSUPPORT);
	memcpy(c, b, sizeof(c));
	c[6] = 2;					/* kind */
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -EPROTONOSUPPORT);
	memcpy(c, b, sizeof(c));
	c[12] = 9;					/* VMPL */
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -ERANGE);
	memcpy(c, b, sizeof(c));
	c[16] = 2;					/* report version */
	assert_int_equal(simtee_req_parse(c, sizeof(c), &back), -ERANGE);
}

static void test_answer_header(void **state)
{
	struct simtee_req r = req();
	struct simtee_rsp_hdr h = {
		.kind = 1, .status = SIMTEE_OK, .report_len = 1184, .certs_len = 3000,
	}, back;
	uint8_t b[SIMTEE_RSP_HDR_SIZE], c[SIMTEE_RSP_HDR_SIZE];

	simtee_rsp_hdr_encode(&h, b);
	assert_memory_equal(b, "CSTR\x01\x00\x01\x00", 8);
	assert_int_equal(simtee_rsp_hdr_parse(b, sizeof(b), &r, &back, &why), 0);
	assert_int_equal(back.report_len, 1184);
	assert_int_equal(back.certs_len, 3000);

	memcpy(c, b, sizeof(c));
	c[3] = 'Q';
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	memcpy(c, b, sizeof(c));
	c[31] = 1;
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	h.report_len = 1183;
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	h.report_len = 1184;
	h.certs_len = SIMTEE_MAX_CERTS + 1;
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	h.certs_len = 10;
	r.flags = 0;					/* certificates not asked for */
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	/* a refusal: no body allowed */
	h = (struct simtee_rsp_hdr){ .kind = 1, .status = SIMTEE_ERR_BAD_VMPL };
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), 0);
	assert_int_equal(back.status, SIMTEE_ERR_BAD_VMPL);
	assert_string_equal(simtee_status_name(back.status), "bad VMPL");
	h.report_len = 1184;
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
	h = (struct simtee_rsp_hdr){ .kind = 2, .status = SIMTEE_OK, .report_len = 1184 };
	simtee_rsp_hdr_encode(&h, c);
	assert_int_equal(simtee_rsp_hdr_parse(c, sizeof(c), &r, &back, &why), -EBADMSG);
}

static void test_body(void **state)
{
	struct simtee_req r = req();
	uint8_t rep[1184] = { 0 };
	/* a table with one unknown-GUID entry pointing at 4 bytes */
	uint8_t tbl[48 + 4] = { 0 };

	rep[0] = 5;
	rep[0x30] = 1;
	memcpy(rep + 0x50, r.report_data, 64);
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), NULL, 0, &why), 0);
	tbl[0] = 0x11;
	tbl[16] = 48;
	tbl[20] = 4;
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), tbl, sizeof(tbl), &why), 0);
	tbl[20] = 5;					/* past the end */
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), tbl, sizeof(tbl), &why), -EBADMSG);
	rep[0x50] ^= 1;
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), NULL, 0, &why),
			 -EBADMSG);
	assert_non_null(strstr(why.msg, "REPORT_DATA"));
	rep[0x50] ^= 1;
	rep[0x30] = 0;
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), NULL, 0, &why),
			 -EBADMSG);
	rep[0x30] = 1;
	rep[0] = 3;
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), NULL, 0, &why),
			 -EBADMSG);
	r.report_version = 0;				/* default: 3 */
	assert_int_equal(simtee_rsp_body_check(&r, rep, sizeof(rep), NULL, 0, &why), 0);
	assert_int_equal(simtee_rsp_body_check(&r, rep, 1000, NULL, 0, &why), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_layout),
		cmocka_unit_test(test_request_errors),
		cmocka_unit_test(test_answer_header),
		cmocka_unit_test(test_body),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
