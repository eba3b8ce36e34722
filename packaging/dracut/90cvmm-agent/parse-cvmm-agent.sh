#!/bin/sh
# dracut cmdline hook: when cvmm-agent is configured, queue the unlock in the
# initqueue (after udev settled), so that the root device it creates
# (root=/dev/mapper/<name>) appears while dracut waits for it.
CMDLINE=${CVMM_AGENT_CMDLINE:-/proc/cmdline}
if grep -q 'cvmm\.agent\.' "$CMDLINE" 2>/dev/null || [ -r /etc/cvmm-agent.conf ]; then
	"${INITQUEUE:-/sbin/initqueue}" --settled --onetime --unique --name cvmm-agent /sbin/cvmm-agent-unlock
fi
