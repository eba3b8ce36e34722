// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "attest/claims.h"
#include "attest/tdx/tcb.h"
#include "util/num.h"

static bool level_matches(const struct tcb_level *l, const struct tdx_pck_info *pck,
			  const struct tdx_td_body *td)
{
	int i, first;

	for (i = 0; i < 16; i++)
		if (pck->comp_svn[i] < l->sgx_svn[i])
			return false;
	if (pck->pcesvn < l->pcesvn)
		return false;
	if (!l->has_tdx)
		return false;
	first = td->tee_tcb_svn[1] > 0 ? 2 : 0;
	for (i = first; i < 16; i++)
		if (td->tee_tcb_svn[i] < l->tdx_svn[i])
			return false;
	return true;
}

static bool masked_equal(const uint8_t *a, const uint8_t *b, const uint8_t *mask,
			 size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((a[i] & mask[i]) != (b[i] & mask[i]))
			return false;
	return true;
}

/* MRSIGNERSEAM and SEAM_ATTRIBUTES (under the mask) against a module identity. */
static void check_module_identity(const struct tdx_td_body *td, const uint8_t mrsigner[48],
				  const uint8_t attr[8], const uint8_t mask[8],
				  const char *what, struct verdict *v)
{
	char have[97], want[97];

	if (memcmp(td->mrsignerseam, mrsigner, 48)) {
		hex_encode(td->mrsignerseam, 48, have);
		hex_encode(mrsigner, 48, want);
		verdict_fail(v, "tdx.tdx_module", "MRSIGNERSEAM is %s, %s expects %s", have,
			     what, want);
	}
	if (!masked_equal(td->seam_attributes, attr, mask, 8)) {
		hex_encode(td->seam_attributes, 8, have);
		hex_encode(attr, 8, want);
		verdict_fail(v, "tdx.tdx_module",
			     "SEAM_ATTRIBUTES are %s, %s expects %s under its mask", have, what,
			     want);
	}
}

static void check_module(const struct tcb_info *ti, const struct tdx_td_body *td,
			 struct tdx_tcb_eval *out, struct verdict *v)
{
	const struct tdx_module_identity *m = NULL;
	uint8_t version = td->tee_tcb_svn[1], isvsvn = td->tee_tcb_svn[0];
	size_t i;

	out->module = TCB_UP_TO_DATE;
	if (!version) {
		if (!ti->has_module) {
			verdict_skip(v, "tdx.tdx_module",
				     "TEE_TCB_SVN[1] is 0 and the TCB info has no tdxModule");
			return;
		}
		check_module_identity(td, ti->module_mrsigner, ti->module_attributes,
				      ti->module_attributes_mask, "tdxModule", v);
		verdict_pass(v, "tdx.tdx_module");
		return;
	}
	snprintf(out->module_id, sizeof(out->module_id), "TDX_%02X", version);
	out->has_module = true;
	for (i = 0; i < ti->nmodules; i++)
		if (!strcasecmp(ti->modules[i].id, out->module_id))
			m = &ti->modules[i];
	if (!m) {
		verdict_fail(v, "tdx.tdx_module",
			     "the TCB info has no identity %s for TDX module version %u",
			     out->module_id, version);
		out->module = TCB_STATUS_UNKNOWN;
		return;
	}
	check_module_identity(td, m->mrsigner, m->attributes, m->attributes_mask, m->id, v);
	for (i = 0; i < m->nlevels; i++) {
		if (isvsvn >= m->levels[i].isvsvn) {
			out->module = m->levels[i].status;
			verdict_passf(v, "tdx.tdx_module", "%s level %zu: %s", m->id, i,
				      tcb_status_name(out->module));
			return;
		}
	}
	verdict_fail(v, "tdx.tdx_module",
		     "TDX module ISVSVN %u matches no TCB level of %s", isvsvn, m->id);
	out->module = TCB_STATUS_UNKNOWN;
}

void tdx_tcb_evaluate(const struct tcb_info *ti, const struct tdx_pck_info *pck,
		      const struct tdx_td_body *td, struct tdx_tcb_eval *out,
		      struct verdict *v)
{
	char a[16], b[16];
	size_t i;

	memset(out, 0, sizeof(*out));
	out->platform = out->module = out->status = TCB_STATUS_UNKNOWN;
	if (strcmp(ti->id, "TDX") || ti->version < 3) {
		verdict_fail(v, "tdx.tcb_info",
			     "the TCB info is not TDX TCB info version 3 (id \"%s\", version %d)",
			     ti->id, ti->version);
		return;
	}
	if (memcmp(ti->fmspc, pck->fmspc, 6)) {
		hex_encode(ti->fmspc, 6, a);
		hex_encode(pck->fmspc, 6, b);
		verdict_fail(v, "tdx.fmspc",
			     "TCB info FMSPC %s does not match the PCK certificate's %s", a, b);
		return;
	}
	verdict_pass(v, "tdx.fmspc");
	if (memcmp(ti->pceid, pck->pceid, 2)) {
		hex_encode(ti->pceid, 2, a);
		hex_encode(pck->pceid, 2, b);
		verdict_fail(v, "tdx.pceid",
			     "TCB info PCE-ID %s does not match the PCK certificate's %s", a, b);
		return;
	}
	verdict_pass(v, "tdx.pceid");
	for (i = 0; i < ti->nlevels; i++) {
		if (level_matches(&ti->levels[i], pck, td)) {
			out->matched = true;
			out->level = i;
			out->platform = ti->levels[i].status;
			break;
		}
	}
	if (!out->matched) {
		verdict_fail(v, "tdx.tcb_level",
			     "no TCB level matches the PCK TCB and TEE_TCB_SVN (TCB not supported)");
		return;
	}
	verdict_passf(v, "tdx.tcb_level", "level %zu: %s", out->level,
		      tcb_status_name(out->platform));
	check_module(ti, td, out, v);
	out->status = tcb_status_converge(out->platform, out->module);
}

enum tcb_status tdx_qe_identity_evaluate(const struct qe_identity *qi,
					 const struct tdx_qe_report *r,
					 size_t *level, struct verdict *v)
{
	char have[65], want[65];
	bool ok = true;
	size_t i;

	if (strcmp(qi->id, "TD_QE")) {
		verdict_fail(v, "tdx.qe_identity",
			     "QE identity \"%s\" is not the TDX quoting enclave (TD_QE)",
			     qi->id);
		return TCB_STATUS_UNKNOWN;
	}
	if ((r->miscselect & qi->miscselect_mask) !=
	    (qi->miscselect & qi->miscselect_mask)) {
		verdict_fail(v, "tdx.qe_identity",
			     "QE MISCSELECT is 0x%08x, the identity expects 0x%08x under mask 0x%08x",
			     r->miscselect, qi->miscselect, qi->miscselect_mask);
		ok = false;
	}
	if (!masked_equal(r->attributes, qi->attributes, qi->attributes_mask, 16)) {
		hex_encode(r->attributes, 16, have);
		hex_encode(qi->attributes, 16, want);
		verdict_fail(v, "tdx.qe_identity",
			     "QE ATTRIBUTES are %s, the identity expects %s under its mask",
			     have, want);
		ok = false;
	}
	if (memcmp(r->mrsigner, qi->mrsigner, 32)) {
		hex_encode(r->mrsigner, 32, have);
		hex_encode(qi->mrsigner, 32, want);
		verdict_fail(v, "tdx.qe_identity", "QE MRSIGNER is %s, the identity expects %s",
			     have, want);
		ok = false;
	}
	if (r->isvprodid != qi->isvprodid) {
		verdict_fail(v, "tdx.qe_identity",
			     "QE ISVPRODID %u, the identity requires %u",
			     r->isvprodid, qi->isvprodid);
		ok = false;
	}
	if (!ok)
		return TCB_STATUS_UNKNOWN;
	for (i = 0; i < qi->nlevels; i++) {
		if (r->isvsvn >= qi->levels[i].isvsvn) {
			*level = i;
			verdict_passf(v, "tdx.qe_identity", "TD_QE level %zu: %s", i,
				      tcb_status_name(qi->levels[i].status));
			return qi->levels[i].status;
		}
	}
	verdict_fail(v, "tdx.qe_identity",
		     "QE ISVSVN %u matches no level of the QE identity", r->isvsvn);
	return TCB_STATUS_UNKNOWN;
}

json_t *tdx_tcb_eval_claims(const struct tcb_info *ti,
			    const struct tdx_tcb_eval *e)
{
	json_t *o = json_object();

	if (e->matched) {
		const struct tcb_level *l = &ti->levels[e->level];

		claims_set_int(o, "level", (int64_t)e->level);
		claims_set_str(o, "platform_status", tcb_status_name(e->platform));
		claims_set_time(o, "tcb_date", l->date);
		if (l->advisories)
			json_object_set(o, "advisory_ids", l->advisories);
	}
	if (e->has_module) {
		claims_set_str(o, "tdx_module_identity", e->module_id);
		claims_set_str(o, "tdx_module_status", tcb_status_name(e->module));
	}
	claims_set_str(o, "status", tcb_status_name(e->status));
	return o;
}
