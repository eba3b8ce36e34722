#!/bin/bash
# Exercises cvmm-agent's packaging (packaging/) as far as this machine allows:
# runs shellcheck on every script; the initramfs-tools hook and local-top script,
# the dracut module and its hooks run against stubs of the functions their
# frameworks provide (recording what they install and run); the systemd unit
# through systemd-analyze verify; the agent's check-config on a packaged
# configuration.  Prints "N passed, M failed"; exit 77 without shellcheck.
# usage: tests/agent/packaging_test.sh BUILD_DIR
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?usage: $0 BUILD_DIR}" && pwd)
pkg=$src/packaging
command -v shellcheck >/dev/null || { echo "SKIP: shellcheck not installed"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvmm-agent-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # check NAME COMMAND...
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		pass=$((pass + 1))
		echo "ok   $name"
	else
		fail=$((fail + 1))
		echo "FAIL $name"
		sed 's/^/     /' "$tmp/out"
	fi
}

check shellcheck shellcheck -x "$pkg"/initramfs-tools/hooks/cvmm-agent \
	"$pkg"/initramfs-tools/scripts/local-top/cvmm-agent "$pkg"/dracut/90cvmm-agent/*.sh \
	"$src"/scripts/build-agent-image.sh "$src"/guests/linux/build-agent-initramfs.sh "$0"

# a fake installation: cvmm-agent and cryptsetup on PATH, a configuration
# naming a pin file
mkdir -p "$tmp/bin"
for t in cvmm-agent cryptsetup; do
	# shellcheck disable=SC2016 # the stub expands them when it runs
	printf '#!/bin/sh\necho "%s $*" >>"%s/ran"\nexit "${STUB_STATUS:-0}"\n' "$t" "$tmp" >"$tmp/bin/$t"
	chmod +x "$tmp/bin/$t"
done
echo "fake key" >"$tmp/broker.pub"
cat >"$tmp/agent.conf" <<CONF
url = https://kbs.example:8443
pin = $tmp/broker.pub
resource = default/key/root
name = cvmm-root
CONF
cat >"$tmp/hook-functions" <<'STUB'
copy_exec() { echo "copy_exec $*" >>"$LOG"; }
copy_file() { echo "copy_file $*" >>"$LOG"; }
manual_add_modules() { echo "modules $*" >>"$LOG"; }
STUB

hook() {
	LOG=$tmp/hook.log HOOK_FUNCTIONS=$tmp/hook-functions CVMM_AGENT_CONF=$tmp/agent.conf \
		PATH=$tmp/bin:$PATH sh "$pkg/initramfs-tools/hooks/cvmm-agent" &&
		grep -qx "copy_exec $tmp/bin/cvmm-agent /sbin/cvmm-agent" "$tmp/hook.log" &&
		grep -qx "copy_exec $tmp/bin/cryptsetup /sbin/cryptsetup" "$tmp/hook.log" &&
		grep -qx "copy_file config $tmp/agent.conf /etc/cvmm-agent.conf" "$tmp/hook.log" &&
		grep -qx "copy_file key $tmp/broker.pub $tmp/broker.pub" "$tmp/hook.log" &&
		grep -q "^modules .*dm_crypt.*sev-guest.*vmw_vsock_virtio_transport" "$tmp/hook.log" &&
		[ "$(sh "$pkg/initramfs-tools/hooks/cvmm-agent" prereqs)" = "" ]
}
check initramfs-tools-hook hook

# shellcheck disable=SC2016
printf 'panic() { echo "panic $*" >>"%s/ran"; exit 1; }\n' "$tmp" >"$tmp/functions"
localtop() { # localtop CMDLINE CONF STATUS
	echo "$1" >"$tmp/cmdline"
	rm -f "$tmp/ran"
	STUB_STATUS=$3 CVMM_AGENT=$tmp/bin/cvmm-agent CVMM_AGENT_CONF=$2 \
		CVMM_AGENT_CMDLINE=$tmp/cmdline CVMM_AGENT_FUNCTIONS=$tmp/functions \
		PATH=$tmp/bin:$PATH sh "$pkg/initramfs-tools/scripts/local-top/cvmm-agent"
}
local_top() {
	localtop "root=/dev/mapper/cvmm-root" "$tmp/agent.conf" 0 &&
		grep -qx "cvmm-agent unlock --config $tmp/agent.conf --cmdline $tmp/cmdline" "$tmp/ran" &&
		! localtop "root=/dev/mapper/cvmm-root" "$tmp/agent.conf" 2 &&
		grep -q "^panic cvmm-agent: attested unlock failed (status 2" "$tmp/ran" &&
		localtop "root=/dev/vda1" "$tmp/none.conf" 0 && [ ! -e "$tmp/ran" ] &&
		localtop "cvmm.agent.url=https://x root=/dev/vda1" "$tmp/none.conf" 0 &&
		grep -q "^cvmm-agent unlock" "$tmp/ran"
}
check initramfs-tools-local-top local_top

# shellcheck disable=SC2317,SC2016 # stubs called by the sourced module; $* is the stub's
dracut() {
	(
		# dracut's module API, recorded
		require_binaries() { PATH=$tmp/bin:$PATH command -v "$@" >/dev/null; }
		instmods() { echo "instmods $*" >>"$tmp/dracut.log"; }
		inst_multiple() { echo "inst_multiple $*" >>"$tmp/dracut.log"; }
		inst_simple() { echo "inst_simple $*" >>"$tmp/dracut.log"; }
		inst_script() { echo "inst_script $*" >>"$tmp/dracut.log"; }
		inst_hook() { echo "inst_hook $*" >>"$tmp/dracut.log"; }
		moddir=$pkg/dracut/90cvmm-agent
		export CVMM_AGENT_CONF=$tmp/agent.conf
		# shellcheck source=/dev/null
		. "$moddir/module-setup.sh"
		check
		[ $? -eq 255 ] || exit 1
		[ "$(depends)" = crypt ] || exit 1
		installkernel && install
	) && grep -qx "inst_multiple cvmm-agent cryptsetup" "$tmp/dracut.log" &&
		grep -qx "inst_simple $tmp/agent.conf /etc/cvmm-agent.conf" "$tmp/dracut.log" &&
		grep -qx "inst_simple $tmp/broker.pub" "$tmp/dracut.log" &&
		grep -qx "inst_hook cmdline 90 $pkg/dracut/90cvmm-agent/parse-cvmm-agent.sh" "$tmp/dracut.log" &&
		grep -q "^instmods .*dm_crypt" "$tmp/dracut.log" &&
		printf '#!/bin/sh\necho "initqueue $*" >>"%s/ran"\n' "$tmp" >"$tmp/bin/initqueue" &&
		chmod +x "$tmp/bin/initqueue" && rm -f "$tmp/ran" &&
		echo "quiet cvmm.agent.device=/dev/vdb" >"$tmp/cmdline" &&
		INITQUEUE=$tmp/bin/initqueue CVMM_AGENT_CMDLINE=$tmp/cmdline \
			sh "$pkg/dracut/90cvmm-agent/parse-cvmm-agent.sh" &&
		grep -qx "initqueue --settled --onetime --unique --name cvmm-agent /sbin/cvmm-agent-unlock" "$tmp/ran" &&
		rm -f "$tmp/ran" && CVMM_AGENT=$tmp/bin/cvmm-agent PATH=/usr/bin:/bin \
			sh "$pkg/dracut/90cvmm-agent/cvmm-agent-unlock.sh" &&
		grep -qx "cvmm-agent unlock" "$tmp/ran"
}
check dracut-module dracut

unit() {
	command -v systemd-analyze >/dev/null || return 0
	sed "s|/usr/local/bin/cvmm-agent|$build/cvmm-agent|g" "$pkg/systemd/cvmm-agent@.service" \
		>"$tmp/cvmm-agent@.service" &&
		ln -sf "cvmm-agent@.service" "$tmp/cvmm-agent@data.service" &&
		systemd-analyze verify "$tmp/cvmm-agent@data.service"
}
check systemd-unit unit

config() {
	"$build/cvmm-agent" check-config --config "$tmp/agent.conf" --cmdline /dev/null >"$tmp/cfg" &&
		grep -qx "name=cvmm-root" "$tmp/cfg" && grep -qx "pin=$tmp/broker.pub" "$tmp/cfg"
}
check agent-config config

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
