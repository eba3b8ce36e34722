// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/evidence.h"

#define TSM_ROOT	"/sys/kernel/config/tsm/report"
#define SEV_GUEST_DEV	"/dev/sev-guest"
#define TDX_GUEST_DEV	"/dev/tdx_guest"
#define CCEL_TABLE	"/sys/firmware/acpi/tables/CCEL"
#define CCEL_DATA	"/sys/firmware/acpi/tables/data/CCEL"

static bool exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* configfs is not always mounted in an initramfs. */
static bool tsm_available(void)
{
	if (!exists(TSM_ROOT) && exists("/sys/kernel/config"))
		mount("configfs", "/sys/kernel/config", "configfs", MS_NOSUID |
		      MS_NODEV | MS_NOEXEC, NULL);
	return exists(TSM_ROOT);
}

int evidence_probe(const struct agent_config *c, enum agent_tee *tee,
		   const char **provider, char *why, size_t whylen)
{
	enum agent_tee_src src = c->tee;

	if (src == AGENT_TEE_AUTO) {
		if (tsm_available())
			src = AGENT_TEE_TSM;
		else if (exists(SEV_GUEST_DEV))
			src = AGENT_TEE_SEV_GUEST;
		else if (exists(TDX_GUEST_DEV))
			src = AGENT_TEE_TDX_GUEST;
		else {
			snprintf(why, whylen, "no evidence provider: neither %s nor %s nor %s "
				 "(a simulated platform needs cvmm.agent.tee=sim)",
				 TSM_ROOT, SEV_GUEST_DEV, TDX_GUEST_DEV);
			return -ENODEV;
		}
	}
	switch (src) {
	case AGENT_TEE_TSM:
		*provider = "tsm";
		if (!tsm_available()) {
			snprintf(why, whylen, "%s: not available (Linux >= 6.7 with "
				 "CONFIG_TSM_REPORTS)", TSM_ROOT);
			return -ENODEV;
		}
		return ev_tsm_probe(TSM_ROOT, tee, why, whylen);
	case AGENT_TEE_SEV_GUEST:
		*provider = "sev-guest";
		*tee = AGENT_TEE_SNP;
		return 0;
	case AGENT_TEE_TDX_GUEST:
		*provider = "tdx-guest";
		*tee = AGENT_TEE_TDX;
		return 0;
	default:
		*provider = "sim";
		*tee = AGENT_TEE_SNP;
		return 0;
	}
}

int evidence_collect(const struct agent_config *c, const char *provider,
		     const uint8_t report_data[64], uint64_t deadline,
		     struct evidence *ev, char *why, size_t whylen)
{
	int err;

	memset(ev, 0, sizeof(*ev));
	why[0] = 0;
	if (!strcmp(provider, "tsm"))
		err = ev_tsm_collect(TSM_ROOT, c, report_data, ev, why, whylen);
	else if (!strcmp(provider, "sev-guest"))
		err = ev_sev_guest_collect(SEV_GUEST_DEV, c, report_data, ev, why, whylen);
	else if (!strcmp(provider, "tdx-guest"))
		err = ev_tdx_guest_collect(TDX_GUEST_DEV, report_data, deadline, ev,
					   why, whylen);
	else
		err = ev_sim_collect(c, report_data, deadline, ev, why, whylen);
	if (!err && ev->tee == AGENT_TEE_TDX)
		err = ev_ccel_read(CCEL_TABLE, CCEL_DATA, &ev->eventlog,
				   &ev->eventlog_len, why, whylen);
	if (err)
		evidence_free(ev);
	return err;
}

void evidence_free(struct evidence *ev)
{
	free(ev->report);
	free(ev->certs);
	free(ev->eventlog);
	ev->report = ev->certs = ev->eventlog = NULL;
	ev->report_len = ev->certs_len = ev->eventlog_len = 0;
}
