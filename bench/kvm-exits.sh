#!/bin/bash
# KVM exits while the Linux test kernel boots to /init, cvmm against
# `qemu-system-x86_64 -M microvm` (same kernel, initramfs, command line,
# memory, vCPUs: tests/linux/linux-boot.py runs and checks both boots; the
# boot ends when tiny-init writes the debug-exit port after its marker).
# Counted per VMM with KVM's tracepoints:
#   - kvm:kvm_exit, the hardware exits (VMX/SVM hosts; a PVM host, like
#     this project's, emits none: the exit-cause tracepoints stand in),
#   - the exit causes: pio, mmio, msr, cpuid, cr, apic, hypercall,
#     emulate_insn, page_fault, inj_virq, vcpu_wakeup,
#   - kvm:kvm_userspace_exit by KVM_EXIT_* reason and kvm:kvm_pio by port
#     (the exits that reach the VMM: what each device model costs).
# Prints both counts per row and marks the rows where cvmm has more.
# Needs root (tracepoints) and perf (linux-perf).
#
# usage: bench/kvm-exits.sh [--cvmm PATH] [--boot pvh|bzimage] [--cpus N]
#                           [--timeout S]
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cvmm=${CVMM:-$root/build/cvmm}
boot=pvh
cpus=1
timeout=900

die() {
	echo "cvmm: bench/kvm-exits: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	--cvmm) cvmm=${2:?}; shift 2 ;;
	--boot) boot=${2:?}; shift 2 ;;
	--cpus) cpus=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
command -v perf >/dev/null || die "perf not installed (apt-get install linux-perf)"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not installed"
[ -x "$cvmm" ] || die "$cvmm: not built"
[ -d /sys/kernel/tracing/events/kvm ] || die "no kvm tracepoints in /sys/kernel/tracing (root?)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cvmm-bench-exits.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cvmm=$(readlink -f "$cvmm")

stat_events=
for e in exit pio mmio msr cpuid cr apic hypercall emulate_insn page_fault inj_virq \
	vcpu_wakeup userspace_exit; do
	[ -d "/sys/kernel/tracing/events/kvm/kvm_$e" ] && stat_events="$stat_events,kvm:kvm_$e"
done
stat_events=${stat_events#,}

# a VMM wrapped in perf stat (counts) and perf record (userspace exits,
# ports): linux-boot.py runs it like the VMM itself
wrap() {	# name real-binary
	printf '#!/bin/sh\nexec perf stat -x , -o "%s" -e "%s" -- perf record -q -o "%s" -e kvm:kvm_userspace_exit -e kvm:kvm_pio -- "%s" "$@"\n' \
		"$tmp/$1.stat" "$stat_events" "$tmp/$1.data" "$2" >"$tmp/$1"
	chmod +x "$tmp/$1"
}
wrap cvmm "$cvmm"
wrap qemu "$(command -v qemu-system-x86_64)"

"$root/scripts/build-test-kernel.sh" --quiet --out "$tmp/kernel.env" >/dev/null
for vmm in cvmm qemu; do
	python3 "$root/tests/linux/linux-boot.py" --vmm "$vmm" --cvmm "$tmp/cvmm" \
		--qemu "$tmp/qemu" --boot "$boot" --cpus "$cpus" --timeout "$timeout" \
		--kernel-env "$tmp/kernel.env" --log "$tmp/$vmm.log" | grep -E 'PASS|FAIL' ||
		die "$vmm: the boot failed (log: $tmp/$vmm.log)"
	# perf stat -x,: "count,,kvm:kvm_pio,..."
	awk -F, -v v="$vmm" '$3 ~ /^kvm:/ { sub(/^kvm:kvm_/, "", $3); print v, "event", $3, $1 + 0 }' \
		"$tmp/$vmm.stat" >>"$tmp/counts"
	# "kvm:kvm_userspace_exit: reason KVM_EXIT_IO (2)"; "kvm:kvm_pio: pio_write at 0x3f8 size 1 ..."
	perf script -i "$tmp/$vmm.data" -F event,trace 2>/dev/null | sed -n \
		-e 's/^ *kvm:kvm_userspace_exit: *reason \([A-Za-z0-9_]*\).*/userspace_exit \1/p' \
		-e 's/^ *kvm:kvm_pio: *\(pio_[a-z]*\) at \(0x[0-9a-f]*\).*/port \2_\1/p' |
		sort | uniq -c | awk -v v="$vmm" '{ print v, $2, $3, $1 }' >>"$tmp/counts"
done

echo "KVM exits, Linux test kernel ($boot, $cpus vCPU) to /init: cvmm vs QEMU microvm"
printf '%-16s %-28s %10s %10s\n' kind reason cvmm qemu
awk '
	{ n[$1, $2, $3] = $4; key[$2 " " $3] = 1 }
	END {
		for (k in key) {
			split(k, a, " ")
			c = n["cvmm", a[1], a[2]] + 0
			q = n["qemu", a[1], a[2]] + 0
			more = (c > q) ? "   <- cvmm more" : ""
			printf "%-16s %-28s %10d %10d%s\n", a[1], a[2], c, q, more
		}
	}' "$tmp/counts" | sort -k1,1 -k3,3nr
