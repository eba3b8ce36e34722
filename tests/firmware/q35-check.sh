#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Q35 persona against QEMU's q35: the probe ROM (guests/firmware/q35probe*.c)
# performs OVMF's PlatformPei sequence and prints each result; its transcript
# under cvmm must equal its transcript under qemu-system-x86_64 -M q35 byte for
# byte once time values (printed as "~<digits>") are masked, for every memory
# size and vCPU count, under QEMU TCG and QEMU KVM.
#
# usage: tests/firmware/q35-check.sh --cvmm PATH --rom PATH [options]
#   --cvmm PATH       the cvmm binary
#   --rom PATH        the probe ROM (build/guests/firmware/cvmm-q35probe.rom)
#   --memory "M ..."  memory sizes (default "512M 2G 3G")
#   --cpus "N ..."    vCPU counts (default "1 2")
#   --accel "A ..."   QEMU accelerators (default "tcg kvm"; kvm needs /dev/kvm)
#   --kernel FILE, --initrd FILE, --append STRING
#                     served to the probe over fw_cfg by both (it prints their
#                     sizes, hashes and the command line as OVMF reads them)
#   --qemu PATH       qemu-system-x86_64 (default: on PATH)
#   --logs DIR        keep the transcripts there (default: a temporary directory,
#                     removed when everything passed)
#
# Both sides run with one virtio-rng at 00:01.0 (cvmm --entropy; QEMU
# virtio-rng-pci,disable-legacy=on) and no other PCI device (QEMU: sata=off,
# smbus=off; smm=off because cvmm has no SMM and QEMU's PM1_CNT then starts in
# ACPI mode as cvmm's does).  Each run must end in the probe's SLP_TYP 0
# power-off (exit status 0) with no failure word in the transcript.
#
# Exit status: 0 all equal, 1 a difference or a failure, 77 skipped (no QEMU or
# no usable /dev/kvm for cvmm).
set -u

cvmm=
rom=
mems="512M 2G 3G"
cpus="1 2"
accels="tcg kvm"
qemu=qemu-system-x86_64
logs=
kernel=
initrd=
append=

die() { echo "q35-check: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--cvmm) cvmm=$2; shift 2 ;;
	--rom) rom=$2; shift 2 ;;
	--memory) mems=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--accel) accels=$2; shift 2 ;;
	--qemu) qemu=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--initrd) initrd=$2; shift 2 ;;
	--append) append=$2; shift 2 ;;
	-h|--help) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[ -x "$cvmm" ] || die "--cvmm: '$cvmm' is not an executable"
[ -r "$rom" ] || die "--rom: '$rom' not found"
command -v "$qemu" >/dev/null 2>&1 || { echo "q35-check: SKIP: $qemu not found"; exit 77; }
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "q35-check: SKIP: /dev/kvm is not usable"
	exit 77
fi

cvmm_kernel=()
qemu_kernel=()
if [ -n "$kernel" ]; then
	cvmm_kernel=(--kernel "$kernel" --cmdline "$append")
	qemu_kernel=(-kernel "$kernel" -append "$append")
	if [ -n "$initrd" ]; then
		cvmm_kernel+=(--initramfs "$initrd")
		qemu_kernel+=(-initrd "$initrd")
	fi
fi

keep_logs=1
if [ -z "$logs" ]; then
	logs=$(mktemp -d /tmp/cvmm-q35-check.XXXXXX)
	keep_logs=0
fi
mkdir -p "$logs" || die "cannot create $logs"

# What the probe prints when a check fails (its good results are lower case).
FAILURE='\b(FATAL|WRONG|WENT BACKWARDS|DOES NOT COUNT|ZERO|STILL|MISALIGNED|OUTSIDE|NOT SEEN|SET|NO|YES)\b|could not|completed no'

transcript() { # LOG -> the probe's lines, time values masked
	tr -d '\r' <"$1" | grep '^q35probe: ' | sed 's/~[0-9][0-9]*/~N/g'
}

pass=0
fail=0
failed=

check_run() { # NAME STATUS: the run itself is sound
	local name=$1 status=$2 t=$logs/$1.txt
	transcript "$logs/$name.log" >"$t"
	if [ "$status" != 0 ]; then
		echo "q35-check: $name: exit status $status, expected 0 (SLP_TYP 0 power-off)"
		tail -n 5 "$logs/$name.log"
		return 1
	fi
	if ! tail -n 1 "$t" | grep -q '^q35probe: power-off: '; then
		echo "q35-check: $name: the transcript does not end with the power-off"
		return 1
	fi
	if grep -Eq "$FAILURE" "$t"; then
		echo "q35-check: $name: a check failed:"
		grep -E "$FAILURE" "$t" | head -n 5
		return 1
	fi
	return 0
}

for m in $mems; do
	for n in $cpus; do
		t0=$(date +%s.%N)
		timeout 120 "$cvmm" boot --firmware "$rom" --memory "size=$m" --cpu "count=$n" --entropy \
			--debug-exit --console "file,path=$logs/cvmm-$m-$n.log" "${cvmm_kernel[@]}" \
			</dev/null >"$logs/cvmm-$m-$n.err" 2>&1
		status=$?
		cat "$logs/cvmm-$m-$n.err" >>"$logs/cvmm-$m-$n.log"
		t1=$(date +%s.%N)
		ok=1
		check_run "cvmm-$m-$n" "$status" || ok=0
		for a in $accels; do
			name=qemu-$a-$m-$n
			extra=
			[ "$a" = kvm ] && extra="-cpu kvm64,-cx16,+xsaveerptr"
			# QEMU is the reference, not what is tested: a run of it that
			# fails its own check (its INTx wait timed out once at load 6
			# with 2 vCPUs) is run once more before it counts
			for try in 1 2; do
				# shellcheck disable=SC2086
				timeout 120 "$qemu" -M "q35,accel=$a,sata=off,smbus=off,smm=off" $extra \
					-nodefaults -no-user-config -nographic -serial stdio -bios "$rom" \
					-m "$m" -smp "$n" -device virtio-rng-pci,addr=0x1,disable-legacy=on \
					-device isa-debug-exit,iobase=0xf4 "${qemu_kernel[@]}" \
					</dev/null >"$logs/$name.log" 2>&1
				qstatus=$?
				check_run "$name" "$qstatus" && break
				[ "$try" = 2 ] && ok=0 || echo "q35-check: $name: running QEMU again"
			done
			if ! diff -u "$logs/$name.txt" "$logs/cvmm-$m-$n.txt" >"$logs/$name.diff"; then
				echo "q35-check: cvmm's transcript differs from QEMU $a's ($m, $n vCPUs):"
				head -n 20 "$logs/$name.diff"
				ok=0
			fi
		done
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
		if [ "$ok" = 1 ]; then
			pass=$((pass + 1))
			printf 'q35-check: PASS %-5s %s vCPU(s): %d lines equal to QEMU %s (cvmm %ss)\n' \
				"$m" "$n" "$(wc -l <"$logs/cvmm-$m-$n.txt")" "$accels" "$secs"
		else
			fail=$((fail + 1))
			failed="$failed $m/$n"
			printf 'q35-check: FAIL %-5s %s vCPU(s)\n' "$m" "$n"
		fi
	done
done

echo "q35-check: $pass passed, $fail failed${failed:+ ($failed )}"
if [ "$fail" = 0 ] && [ "$keep_logs" = 0 ]; then
	rm -rf "$logs"
else
	echo "q35-check: transcripts in $logs"
fi
[ "$fail" = 0 ]
