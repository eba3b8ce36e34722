// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP evidence JSON (Trustee's serde form, cvmm's raw form) and its encoder. */
#include <stdint.h>
#include <stdlib.h>

#include "broker/evidence_snp.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, 0, NULL);
	struct snp_evidence ev;
	struct err_msg why;

	if (j && !snp_evidence_parse(j, &ev, &why)) {
		json_decref(snp_report_to_serde(ev.report));
		snp_evidence_free(&ev);
	}
	json_decref(j);
	return 0;
}
