#!/bin/sh
# dracut initqueue job: attested unlock; on failure drop to dracut's
# emergency shell with the reason (cvmm-agent printed it in one line).
AGENT=${CVMM_AGENT:-/usr/bin/cvmm-agent}
command -v cvmm-agent >/dev/null 2>&1 && AGENT=$(command -v cvmm-agent)
for m in configfs tsm sev-guest tdx-guest vsock vmw_vsock_virtio_transport dm_crypt; do
	modprobe -q "$m" 2>/dev/null || true
done
if ! "$AGENT" unlock; then
	if command -v die >/dev/null 2>&1; then
		die "cvmm-agent: attested unlock failed"
	fi
	echo "cvmm-agent: attested unlock failed" >&2
	exit 1
fi
