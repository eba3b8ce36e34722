#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# cvmm verify throughput against the raw OpenSSL signature rate it is built on,
# measured side by side in one run:
#   - SEV-SNP reports verified per second, certificate chain memoised (one
#     ECDSA P-384 verify per report), against `openssl speed ecdsap384` verify/s;
#   - TDX quotes verified per second without collateral (--no-collateral),
#     PCK chain memoised (two ECDSA P-256 verifies per quote: quote and QE
#     report), against `openssl speed ecdsap256`.
# Each cvmm pass runs `cvmm verify ... --repeat N` (benchmark-only option)
# sized to last about as long as the openssl run; process start-up, decoding,
# claims JSON and policy evaluation are all included.
#
# usage: bench/verify.sh [BUILD_DIR]     (default: build)
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
CVMM=$BUILD/cvmm
DATA=$SRC/tests/data/attest
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}

[ -x "$CVMM" ] || { echo "verify.sh: $CVMM not built" >&2; exit 2; }
command -v openssl >/dev/null || { echo "verify.sh: openssl not found" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

# The Milan v2 report of virtee/sev is kept as hex text.
tr -d ' \n\r' < "$DATA/sev/report_milan.hex" | xxd -r -p > "$TMP/report.bin"

now_ns() { date +%s%N; }

# verify/s of `openssl speed -seconds N <alg>`: last column of the nistpNNN line
openssl_verify_rate() {
	openssl speed -seconds "$SECONDS_PER_RUN" "$1" 2>/dev/null |
		awk -v curve="$2" '$0 ~ "ecdsa \\(" curve "\\)" { v = $NF } END { print v }'
}

# rate N cmd...: runs cmd (which must exit 0) and prints N / elapsed seconds
rate() {
	n=$1
	shift
	t0=$(now_ns)
	"$@" > "$TMP/out.json"
	t1=$(now_ns)
	awk -v n="$n" -v ns="$((t1 - t0))" 'BEGIN { printf "%.1f", n / (ns / 1e9) }'
}

echo "openssl: $(openssl version)"
echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo

ossl384=$(openssl_verify_rate ecdsap384 nistp384)
n_snp=$(awk -v r="$ossl384" -v s="$SECONDS_PER_RUN" 'BEGIN { n = int(r * s); print n < 100 ? 100 : n }')
snp=$(rate "$n_snp" "$CVMM" verify snp "$TMP/report.bin" --vcek "$DATA/sev/vcek_milan.der" \
	--at 2025-01-01T00:00:00Z --repeat "$n_snp")
grep -q '"ok": true' "$TMP/out.json" || { echo "verify.sh: SNP verification failed" >&2; exit 1; }

ossl256=$(openssl_verify_rate ecdsap256 nistp256)
n_tdx=$(awk -v r="$ossl256" -v s="$SECONDS_PER_RUN" 'BEGIN { n = int(r * s / 2); print n < 100 ? 100 : n }')
# --no-collateral: the quote alone (its 2023 collateral does not cover it)
tdx=$(rate "$n_tdx" "$CVMM" verify tdx "$DATA/go-tdx-guest/tdx_prod_quote_SPR_E4.dat" \
	--at 2023-07-01T00:00:00Z --no-collateral --repeat "$n_tdx")
grep -q '"ok": true' "$TMP/out.json" || { echo "verify.sh: TDX verification failed" >&2; exit 1; }

printf '%-44s %12s %14s %8s\n' "" "cvmm /s" "openssl /s" "ratio"
printf '%-44s %12s %14s %8s\n' "SNP report (1 x P-384 verify), chain cached" "$snp" \
	"$ossl384" "$(awk -v a="$snp" -v b="$ossl384" 'BEGIN { printf "%.2f", a / b }')"
printf '%-44s %12s %14s %8s\n' "TDX quote (2 x P-256 verify), chain cached" "$tdx" \
	"$ossl256" "$(awk -v a="$tdx" -v b="$ossl256" 'BEGIN { printf "%.2f", a / b }')"
echo
echo "(ratio = cvmm verifications/s / openssl verify/s; the TDX ideal is 0.5)"
