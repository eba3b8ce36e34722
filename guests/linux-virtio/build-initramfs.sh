#!/bin/bash
# Build the initramfs of the virtio Linux test guest: guests/linux-virtio/
# init.c, static and without libc, in an uncompressed newc cpio made by the
# kernel tree's usr/gen_init_cpio (which scripts/build-test-kernel.sh builds
# next to the cached kernel).
#
# usage: guests/linux-virtio/build-initramfs.sh GEN_INIT_CPIO OUT.cpio [SOURCE.c]
# SOURCE.c is the /init to build (default init.c here; soak.c for the soak).
# The output is written atomically; one line "cvmm: ..." on failure.
set -euo pipefail

die() {
	echo "cvmm: build-initramfs: $*" >&2
	exit 1
}

[ $# -eq 2 ] || [ $# -eq 3 ] || die "usage: $0 GEN_INIT_CPIO OUT.cpio [SOURCE.c]"
gen=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${3:-$here/init.c}
[ -x "$gen" ] || die "$gen: not an executable gen_init_cpio"
command -v gcc >/dev/null || die "gcc not found"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvmm-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

gcc -static -nostdlib -ffreestanding -fno-builtin -O2 -fno-stack-protector \
	-mgeneral-regs-only -fno-pic -no-pie -Wall -Werror -Wl,--build-id=none \
	-o "$tmp/init" "$src" || die "cannot compile $src"
touch -d @0 "$tmp/init"
sed "s|@INIT@|$tmp/init|" "$here/initramfs.list" >"$tmp/list"
"$gen" -t 0 "$tmp/list" >"$tmp/out.cpio" || die "gen_init_cpio failed"
mkdir -p "$(dirname "$out")"
mv -f "$tmp/out.cpio" "$out" || die "cannot write $out"
