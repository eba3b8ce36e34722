#!/bin/bash
# dracut module: cvmm-agent's attested unlock in the initramfs.
# Install into /usr/lib/dracut/modules.d/90cvmm-agent/, enable with
# add_dracutmodules+=" cvmm-agent " in /etc/dracut.conf.d/cvmm-agent.conf,
# then dracut -f.  See docs/agent.md.

# only when asked for (255), and only with the binaries present
check() {
	require_binaries cvmm-agent cryptsetup || return 1
	return 255
}

depends() {
	echo crypt
	return 0
}

installkernel() {
	instmods dm_mod dm_crypt configfs tsm sev-guest tdx-guest vsock \
		vmw_vsock_virtio_transport
}

install() {
	local conf=${CVMM_AGENT_CONF:-/etc/cvmm-agent.conf} pin
	inst_multiple cvmm-agent cryptsetup
	inst_multiple -o mke2fs
	if [[ -r $conf ]]; then
		inst_simple "$conf" /etc/cvmm-agent.conf
		pin=$(sed -n 's/^[[:space:]]*pin[[:space:]]*=[[:space:]]*\(\/[^[:space:]]*\).*/\1/p' "$conf")
		[[ -n $pin ]] && inst_simple "$pin"
	fi
	# shellcheck disable=SC2154 # dracut sets moddir
	inst_script "$moddir/cvmm-agent-unlock.sh" /sbin/cvmm-agent-unlock
	inst_hook cmdline 90 "$moddir/parse-cvmm-agent.sh"
}
