// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "attest/tcb_status.h"

static const char *const names[] = {
	[TCB_UP_TO_DATE] = "UpToDate",
	[TCB_SW_HARDENING_NEEDED] = "SWHardeningNeeded",
	[TCB_CONFIGURATION_NEEDED] = "ConfigurationNeeded",
	[TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED] = "ConfigurationAndSWHardeningNeeded",
	[TCB_OUT_OF_DATE] = "OutOfDate",
	[TCB_OUT_OF_DATE_CONFIGURATION_NEEDED] = "OutOfDateConfigurationNeeded",
	[TCB_REVOKED] = "Revoked",
	[TCB_STATUS_UNKNOWN] = "Unknown",
};

const char *tcb_status_name(enum tcb_status s)
{
	if ((unsigned)s > TCB_STATUS_UNKNOWN)
		s = TCB_STATUS_UNKNOWN;
	return names[s];
}

int tcb_status_parse(const char *name, enum tcb_status *out)
{
	unsigned i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < TCB_STATUS_UNKNOWN; i++) {
		if (!strcmp(name, names[i])) {
			*out = (enum tcb_status)i;
			return 0;
		}
	}
	return -EINVAL;
}

enum tcb_status tcb_status_converge(enum tcb_status platform,
				    enum tcb_status other)
{
	if (other == TCB_OUT_OF_DATE) {
		if (platform == TCB_UP_TO_DATE || platform == TCB_SW_HARDENING_NEEDED)
			return TCB_OUT_OF_DATE;
		if (platform == TCB_CONFIGURATION_NEEDED ||
		    platform == TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED)
			return TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
	}
	if (other == TCB_REVOKED)
		return TCB_REVOKED;
	if (other == TCB_STATUS_UNKNOWN)
		return TCB_STATUS_UNKNOWN;
	return platform;
}
