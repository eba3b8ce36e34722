#!/bin/bash
# Linux boot benchmark: boot the test kernel + initramfs (built and cached by
# scripts/build-test-kernel.sh) to the /init marker under cvmm and under
# `qemu-system-x86_64 -M microvm` (same kernel, initramfs, command line,
# memory and vCPU count), for the PVH and bzImage paths with 1 and 2 vCPUs,
# alternating the two VMMs (and which goes first) run by run. Prints the
# median wall time from spawning the VMM to the init marker, and the
# cvmm/QEMU ratio. Every boot is checked by tests/linux/linux-boot.py (a
# boot that fails its checks does not count).
#
# usage: bench/linux-boot.sh [-n RUNS] [--cvmm PATH] [--qemu PATH]
#                            [--boot "pvh bzimage"] [--cpus "1 2"] [--timeout S]
#                            [--keep-logs]
#   RUNS defaults to 3; cvmm defaults to $CVMM or build/cvmm; S (per boot)
#   to 540.
# Timings here are only meaningful as ratios from the same run: this
# machine's KVM emulates every guest CPL0 instruction.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runner=$root/tests/linux/linux-boot.py
runs=3
cvmm=${CVMM:-$root/build/cvmm}
qemu="qemu-system-x86_64"
boots="pvh bzimage"
cpus_list="1 2"
keep=0
timeout=540

die() {
	echo "cvmm: bench/linux-boot: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs=${2:?}; shift 2 ;;
	--cvmm) cvmm=${2:?}; shift 2 ;;
	--qemu) qemu=${2:?}; shift 2 ;;
	--boot) boots=${2:?}; shift 2 ;;
	--cpus) cpus_list=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--keep-logs) keep=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$runs" in ''|*[!0-9]*|0) die "-n: '$runs' is not a positive number" ;; esac
[ -e /dev/kvm ] || die "/dev/kvm absent"
command -v python3 >/dev/null || die "python3 not found (apt-get install python3)"

logs=$(mktemp -d "${TMPDIR:-/tmp}/cvmm-bench-linux.XXXXXX")
cleanup() {
	if [ "$keep" = 1 ]; then
		echo "logs kept in $logs"
	else
		rm -rf "$logs"
	fi
}
trap cleanup EXIT

echo "building (or finding cached) test kernel and initramfs..."
kenv=$logs/kernel.env
"$root/scripts/build-test-kernel.sh" --quiet --out "$kenv" >/dev/null
# shellcheck disable=SC1090
. "$kenv"
echo "kernel $CVMM_KERNEL_RELEASE, initramfs $(stat -c %s "$CVMM_INITRAMFS") bytes"

have_qemu=1
command -v "$qemu" >/dev/null 2>&1 || have_qemu=0
have_cvmm=1
cvmm_why=
if [ ! -x "$cvmm" ]; then
	have_cvmm=0
	cvmm_why="no binary at $cvmm"
fi

# one_boot <vmm> <boot> <cpus> <run>: prints the marker time, or nothing
one_boot() {
	local vmm=$1 boot=$2 n=$3 i=$4 out log
	log=$logs/$vmm-$boot-$n-$i.log
	out=$(python3 "$runner" --vmm "$vmm" --cvmm "$cvmm" --qemu "$qemu" \
		--boot "$boot" --cpus "$n" --kernel-env "$kenv" --timeout "$timeout" \
		--log "$log" 2>&1) || {
		printf '%s\n' "$out" >"$log.fail"
		return 1
	}
	printf '%s\n' "$out" | sed -n 's/.*PASS .* marker=\([0-9.]*\) .*/\1/p'
}

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1}
		END { if (NR == 0) exit; if (NR % 2) print a[(NR+1)/2];
		      else printf "%.2f\n", (a[NR/2] + a[NR/2+1]) / 2 }'
}

declare -A times=()
declare -A cvmm_broken=()
for i in $(seq 1 "$runs"); do
	for boot in $boots; do
		for n in $cpus_list; do
			cfg="$boot-$n"
			if [ $((i % 2)) = 1 ]; then order="cvmm qemu"; else order="qemu cvmm"; fi
			for vmm in $order; do
				if [ "$vmm" = cvmm ] && { [ "$have_cvmm" = 0 ] || [ -n "${cvmm_broken[$cfg]:-}" ]; }; then
					continue
				fi
				[ "$vmm" = qemu ] && [ "$have_qemu" = 0 ] && continue
				printf 'run %d/%d  %-8s %-7s %d vCPU  ' "$i" "$runs" "$vmm" "$boot" "$n"
				if t=$(one_boot "$vmm" "$boot" "$n" "$i") && [ -n "$t" ]; then
					echo "init marker at ${t} s"
					times[$vmm,$cfg]="${times[$vmm,$cfg]:-} $t"
				else
					echo "FAILED (see $logs/$vmm-$boot-$n-$i.log*)"
					keep=1
					[ "$vmm" = cvmm ] && cvmm_broken[$cfg]=1
				fi
			done
		done
	done
done

echo
echo "Linux boot to /init, median of $runs (wall seconds from VMM spawn to the init marker)"
printf '%-16s %10s %10s %10s\n' config cvmm qemu cvmm/qemu
for boot in $boots; do
	for n in $cpus_list; do
		cfg="$boot-$n"
		c=$(echo "${times[cvmm,$cfg]:-}" | median)
		q=$(echo "${times[qemu,$cfg]:-}" | median)
		ratio=-
		if [ -n "$c" ] && [ -n "$q" ]; then
			ratio=$(awk -v c="$c" -v q="$q" 'BEGIN { printf "%.2f", c / q }')
		fi
		printf '%-16s %10s %10s %10s\n' "$boot ${n}vCPU" "${c:--}" "${q:--}" "$ratio"
	done
done
if [ "$have_cvmm" = 0 ]; then
	echo "cvmm: not runnable yet ($cvmm_why)"
elif [ ${#cvmm_broken[@]} -gt 0 ]; then
	echo "cvmm: not runnable yet for: ${!cvmm_broken[*]} (boot failed; logs in $logs)"
fi
[ "$have_qemu" = 1 ] || echo "qemu: $qemu not found (apt-get install qemu-system-x86)"
