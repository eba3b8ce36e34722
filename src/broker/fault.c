// SPDX-License-Identifier: GPL-2.0-only
/* Test-only crash points (see fault.h). */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker/fault.h"

#define FAULT_ENV	"CVMM_BROKER_TEST_FAULT"

static atomic_ulong hits;

bool fault_armed(void)
{
	const char *e = getenv(FAULT_ENV);

	return e && *e;
}

void fault_point(const char *name)
{
	const char *e = getenv(FAULT_ENV), *colon;
	unsigned long want = 1, n;
	size_t len;

	if (!e || !*e)
		return;
	colon = strchr(e, ':');
	len = colon ? (size_t)(colon - e) : strlen(e);
	if (len != strlen(name) || strncmp(e, name, len))
		return;
	if (colon)
		want = strtoul(colon + 1, NULL, 10);
	n = atomic_fetch_add(&hits, 1) + 1;
	if (n == want) {
		static const char msg[] = "cvmm-broker: test fault injected: SIGKILL\n";

		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(137);
		raise(SIGKILL);
	}
}
