#!/bin/bash
# virtio-blk throughput, cvmm vs QEMU, same guest and image, one run.
#
# The guest is the freestanding bench guest (guests/virtio/bench.c, built
# as build/guests/virtio-bench.elf): it drives virtio-blk through the
# modern PCI transport with MSI-X, queue depth 32, in four phases of 4 KiB
# requests (sequential read, sequential write, random read, random write).
# cvmm boots it as a PVH ELF; QEMU boots the same ELF with -M pc (SeaBIOS,
# PVH option ROM) and -device virtio-blk-pci,disable-legacy=on on the same
# raw image; both use the host page cache.  The host timestamps the
# guest's phase lines.  Prints requests/s and MB/s per phase and the
# cvmm/QEMU ratio (medians over the runs; VMMs alternate run by run).
#
# usage: bench/blk.sh [-n RUNS] [--build DIR] [--cvmm PATH] [--qemu PATH]
#                     [--ops N] [--qd N] [--size-mib N]
#   RUNS defaults to 3, DIR to build (cvmm and the guest come from there).
# This machine's KVM interprets guest kernel code: compare the ratio, not
# the absolute numbers.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=$root/build
cvmm=
qemu=qemu-system-x86_64
args=()

die() {
	echo "cvmm: bench/blk: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-n) args+=(--runs "${2:?}"); shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	--cvmm) cvmm=${2:?}; shift 2 ;;
	--qemu) qemu=${2:?}; shift 2 ;;
	--ops|--qd|--size-mib) args+=("$1" "${2:?}"); shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
cvmm=${cvmm:-$build/cvmm}
guest=$build/guests/virtio-bench.elf
[ -x "$cvmm" ] || die "$cvmm: not built (ninja -C $build)"
[ -f "$guest" ] || die "$guest: not built (ninja -C $build)"
command -v "$qemu" >/dev/null || die "$qemu not found (apt-get install qemu-system-x86)"
[ -w /dev/kvm ] || die "/dev/kvm is not usable"
exec python3 "$root/bench/blk/run_bench.py" --cvmm "$cvmm" --guest "$guest" \
	--qemu "$qemu" "${args[@]}"
