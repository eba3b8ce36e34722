#!/bin/bash
# Build the initramfs of cvmm-agent's test guest: guests/linux/agent-init.c
# and agent-tools.c (static, glibc + nettle for the tools archive's SHA-256)
# and an agent configuration file, in an uncompressed newc cpio made by the
# kernel tree's usr/gen_init_cpio (next to the cached kernel).  About 700 KiB:
# the kernel's cpio unpack is interpreted on this KVM (~4-5 s per MB).
#
# usage: guests/linux/build-agent-initramfs.sh GEN_INIT_CPIO AGENT.CONF OUT.cpio
# The output is written atomically; one line "cvmm: ..." on failure.
set -euo pipefail

die() {
	echo "cvmm: build-agent-initramfs: $*" >&2
	exit 1
}

[ $# -eq 3 ] || die "usage: $0 GEN_INIT_CPIO AGENT.CONF OUT.cpio"
gen=$1
conf=$2
out=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -x "$gen" ] || die "$gen: not an executable gen_init_cpio"
[ -r "$conf" ] || die "$conf: cannot read the agent configuration"
command -v gcc >/dev/null || die "gcc not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvmm-agent-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -r /usr/include/nettle/sha2.h ] || die "nettle headers not found: apt-get install nettle-dev"
gcc -static -O2 -fno-pic -no-pie -Wall -Werror -Wl,--build-id=none -s \
	-o "$tmp/init" "$here/agent-init.c" "$here/agent-tools.c" -lnettle ||
	die "cannot compile agent-init.c"
cp "$conf" "$tmp/agent.conf"
touch -d @0 "$tmp/init" "$tmp/agent.conf"
sed -e "s|@INIT@|$tmp/init|" -e "s|@CONF@|$tmp/agent.conf|" \
	"$here/agent-initramfs.list" >"$tmp/list"
"$gen" -t 0 "$tmp/list" >"$tmp/out.cpio" || die "gen_init_cpio failed"
mkdir -p "$(dirname "$out")"
mv -f "$tmp/out.cpio" "$out" || die "cannot write $out"
