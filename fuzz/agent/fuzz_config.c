// SPDX-License-Identifier: GPL-2.0-only
/* cvmm-agent configuration: the first byte picks file (even) or kernel
 * command line (odd) syntax for the rest; then the whole-config check. */
#include <stdint.h>
#include <string.h>

#include "agent/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_config c;
	char why[256];
	int err;

	if (!size)
		return 0;
	agent_config_init(&c);
	if (data[0] & 1)
		err = agent_config_parse_cmdline(&c, (const char *)data + 1, size - 1, why, sizeof(why));
	else
		err = agent_config_parse_file(&c, (const char *)data + 1, size - 1, why, sizeof(why));
	if (memchr(why, 0, sizeof(why)) == NULL && err)
		__builtin_trap();
	if (!memchr(c.url, 0, sizeof(c.url)) || !memchr(c.pin, 0, sizeof(c.pin)) ||
	    !memchr(c.resource, 0, sizeof(c.resource)) || !memchr(c.mount, 0, sizeof(c.mount)))
		__builtin_trap();
	agent_config_check(&c, true, data[0] & 2, why, sizeof(why));
	return 0;
}
