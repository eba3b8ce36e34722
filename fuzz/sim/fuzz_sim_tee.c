// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV-SNP firmware's report service (sim/sim_tee.h): any
 * bytes a guest sends on vsock port 4051, answered (or not) as cvmm does,
 * with an in-memory test VCEK and a launch.  Every answer must be one the
 * agent's checks accept for that request.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "proto/simtee.h"
#include "sim/sim_tee.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct sim_tee *tee(void)
{
	static struct sim_tee *t;
	struct sim_launch l = { .type = COCO_SNP, .len = 48, .policy = 0x30000 };
	struct sim_ca ca = { .tcb = 3 | 8ULL << 48 | 115ULL << 56 };

	if (t)
		return t;
	ca.vcek_key = EVP_EC_gen("P-384");
	if (!ca.vcek_key || coco_certs_table(NULL, false, NULL, NULL, &ca.certs.table,
					     &ca.certs.len) || sim_tee_create(&ca, &t) ||
	    sim_tee_set_launch(t, &l))
		abort();
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct simtee_rsp_hdr h;
	struct simtee_req q;
	uint8_t *a = NULL;
	size_t len;
	struct err_msg why;
	int parsed = simtee_req_parse(data, size, &q);

	if (sim_tee_answer(tee(), data, size, &a, &len)) {
		if (parsed != -EBADMSG)		/* only malformed requests go unanswered */
			abort();
		return 0;
	}
	if (len < SIMTEE_RSP_HDR_SIZE ||
	    simtee_rsp_hdr_parse(a, SIMTEE_RSP_HDR_SIZE, &q, &h, &why) ||
	    len != SIMTEE_RSP_HDR_SIZE + h.report_len + h.certs_len ||
	    (h.status == SIMTEE_OK) != (parsed == 0))
		abort();
	if (h.status == SIMTEE_OK &&
	    simtee_rsp_body_check(&q, a + SIMTEE_RSP_HDR_SIZE, h.report_len,
				  a + SIMTEE_RSP_HDR_SIZE + h.report_len, h.certs_len,
				  &why))
		abort();
	free(a);
	return 0;
}
