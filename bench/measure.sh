#!/bin/bash
# cvmm measure benchmark: the SEV-SNP (SHA-384 PAGE_INFO chain) and SEV
# (SHA-256) launch digests of Debian's OVMF.fd, side by side with OpenSSL
# hashing the same bytes in the same run:
#   - `openssl dgst -sha384|-sha256 FILE` on the same firmware file (a whole
#     process, like cvmm measure), and
#   - `openssl speed -bytes 4096 sha384|sha256` throughput (no process
#     start), converted to the time for the same byte count.
# Prints median wall times and the cvmm/OpenSSL ratios.
#
# usage: bench/measure.sh [-n RUNS] [--cvmm PATH] [--firmware PATH]
#   RUNS (default 15) alternates cvmm and openssl; cvmm defaults to $CVMM or
#   build/cvmm.  Only the ratios are meaningful.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
runs=15
cvmm=${CVMM:-$root/build/cvmm}
fw=/usr/share/ovmf/OVMF.fd

die() {
	echo "cvmm: bench/measure: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case "$1" in
	-n) runs=$2; shift 2 ;;
	--cvmm) cvmm=$2; shift 2 ;;
	--firmware) fw=$2; shift 2 ;;
	-h|--help) sed -n '2,14p' "$0"; exit 0 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -x "$cvmm" ] || die "$cvmm: not built"
[ -r "$fw" ] || die "$fw: missing (apt-get install ovmf)"
command -v openssl >/dev/null || die "openssl: not installed"

size=$(stat -c %s "$fw")
pages=$((size / 4096))

# time_ms CMD...: wall time of one run in milliseconds (3 decimals)
time_ms() {
	local t0 t1
	t0=$EPOCHREALTIME
	"$@" >/dev/null
	t1=$EPOCHREALTIME
	echo "$t0 $t1" | awk '{ printf "%.3f\n", ($2 - $1) * 1000 }'
}

median() {
	sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

bench_pair() {	# label coco alg
	local label=$1 coco=$2 alg=$3 i c o
	local cf of
	cf=$(mktemp) of=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		if ((i % 2)); then
			time_ms openssl dgst "-$alg" "$fw" >>"$of"
			time_ms "$cvmm" measure --coco "$coco" --firmware "$fw" --vcpu-type EPYC-v4 >>"$cf"
		else
			time_ms "$cvmm" measure --coco "$coco" --firmware "$fw" --vcpu-type EPYC-v4 >>"$cf"
			time_ms openssl dgst "-$alg" "$fw" >>"$of"
		fi
	done
	c=$(median <"$cf")
	o=$(median <"$of")
	rm -f "$cf" "$of"
	# openssl speed: bytes/s for 4 KiB blocks -> ms for this firmware
	local rate sp
	rate=$(openssl speed -bytes 4096 -seconds 2 -evp "$alg" 2>/dev/null |
		awk -v a="$alg" '$1 == a { v = $NF; sub(/k$/, "", v); print v * 1000 }')
	sp=$(awk -v s="$size" -v r="$rate" 'BEGIN { printf "%.3f", s / r * 1000 }')
	printf '%-4s %8.3f ms   openssl dgst %8.3f ms (ratio %.2f)   openssl speed %s over %d bytes %8.3f ms (ratio %.2f)\n' \
		"$label" "$c" "$o" "$(awk -v a="$c" -v b="$o" 'BEGIN { print a / b }')" \
		"$alg" "$size" "$sp" "$(awk -v a="$c" -v b="$sp" 'BEGIN { print a / b }')"
}

# process start alone, to read the hashing part out of the totals
start_ms() {
	local i f
	f=$(mktemp)
	for ((i = 0; i < runs; i++)); do
		time_ms "$@" >>"$f"
	done
	median <"$f"
	rm -f "$f"
}

echo "firmware $fw: $size bytes, $pages pages; $runs runs each, medians"
printf 'process start: cvmm --version %.3f ms, openssl version %.3f ms\n' \
	"$(start_ms "$cvmm" --version)" "$(start_ms openssl version)"
echo "(SNP also hashes one 112-byte PAGE_INFO per page and builds a VMSA; both include process start)"
bench_pair snp snp sha384
bench_pair sev sev,policy=0x1 sha256
