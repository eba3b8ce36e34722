#!/bin/bash
# The sandbox's cost: boot time and virtio-blk IOPS with the seccomp
# filters on and off, same binary and guests, one run (bench/sandbox.py).
#
# usage: bench/sandbox.sh [-n RUNS] [--build DIR] [--ops N] [--qd N] [--size-mib N]
#   RUNS defaults to 5 (boots: twice that), DIR to build.
# Compare the on/off ratios, not the absolute numbers: this machine's KVM
# interprets guest kernel code.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
build=$root/build
args=()

die() {
	echo "cvmm: bench/sandbox: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-n) args+=(--runs "${2:?}"); shift 2 ;;
	--build) build=${2:?}; shift 2 ;;
	--ops|--qd|--size-mib) args+=("$1" "${2:?}"); shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -w /dev/kvm ] || die "/dev/kvm is not usable"
exec python3 "$root/bench/sandbox.py" --build "$build" "${args[@]}"
