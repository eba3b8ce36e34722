#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# cvmm-broker throughput, side by side with the signature rate it is built on:
#   - full attestations per second over HTTPS on 127.0.0.1: each flow is
#     auth + attest (a freshly signed test-chain SEV-SNP report, verified by
#     the broker: ECDSA P-384, chain memoised) + resource (policy, unseal from
#     SQLite, ECDH-ES+A256KW JWE); CLIENTS concurrent clients, one keep-alive
#     connection each, FLOWS flows each (bounded);
#   - p50 / p99 latency of a whole flow;
#   - `openssl speed ecdsap384` verify/s in the same run, and the ratio.
# The clients (bench/broker_load.py, Python) run on the same 2 cores as the
# broker and sign every report themselves, so the rate is a lower bound for
# the broker alone.  Loopback only.
#
# usage: bench/broker.sh [BUILD_DIR]   (env: CLIENTS=4 FLOWS=50 SECONDS_PER_RUN=3)
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
BROKER=$BUILD/cvmm-broker
CLIENTS=${CLIENTS:-4}
FLOWS=${FLOWS:-50}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-3}

[ -x "$BROKER" ] || { echo "broker.sh: $BROKER not built" >&2; exit 2; }
command -v openssl >/dev/null || { echo "broker.sh: openssl not found" >&2; exit 2; }
/usr/bin/python3 -c 'import jwcrypto, requests' 2>/dev/null ||
	{ echo "broker.sh: needs python3-jwcrypto and python3-requests" >&2; exit 2; }

TMP=$(mktemp -d)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

python3 "$SRC/tests/broker/testpki.py" "$TMP/pki"
PKI=$TMP/pki
"$BROKER" serve --listen 127.0.0.1:0 --tls-cert "$PKI/tls.pem" --tls-key "$PKI/tls.key" \
	--store "sqlite:$TMP/bench.db" --kek "$PKI/kek" --admin-key "$PKI/admin.pub" \
	--test-roots "$PKI/test-roots.pem" --threads "$CLIENTS" 2> "$TMP/broker.log" &
PID=$!
i=0
while ! grep -q '"serve.started"' "$TMP/broker.log"; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "broker.sh: the broker did not start" >&2; cat "$TMP/broker.log" >&2; exit 1; }
	sleep 0.1
done
PORT=$(grep '"serve.started"' "$TMP/broker.log" | sed 's/.*"port":\([0-9]*\).*/\1/')
URL=https://127.0.0.1:$PORT

admin() { "$BROKER" admin --url "$URL" --admin-key "$PKI/admin.key" --cacert "$PKI/tls.pem" "$@" > /dev/null; }
head -c 32 /dev/urandom > "$TMP/secret"
admin put-secret bench/key/disk "$TMP/secret"
echo '{"snp": {"min_tcb": {"bootloader": 3, "snp": 8, "microcode": 115}}}' > "$TMP/policy.json"
admin set-policy 'bench/*' "$TMP/policy.json"

echo "openssl: $(openssl version)"
echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo) ($(nproc) cores)"
echo "clients: $CLIENTS x $FLOWS flows, keep-alive HTTPS on 127.0.0.1"
echo

RES=$(/usr/bin/python3 "$SRC/bench/broker_load.py" "$URL" "$PKI" "$CLIENTS" "$FLOWS")
OSSL=$(openssl speed -seconds "$SECONDS_PER_RUN" ecdsap384 2>/dev/null |
	awk '/ecdsa \(nistp384\)/ { v = $NF } END { print v }')

field() { echo "$RES" | sed "s/.*\"$1\": \([0-9.]*\).*/\1/"; }
rate=$(field rate)
fails=$(field failures)
printf "%-44s %10s/s   p50 %s ms   p99 %s ms\n" "cvmm-broker full attestations (auth+attest+resource)" \
	"$rate" "$(field p50_ms)" "$(field p99_ms)"
printf "%-44s %10s/s\n" "openssl speed ecdsap384 verify" "$OSSL"
awk -v a="$rate" -v b="$OSSL" 'BEGIN { printf "ratio: %.3f (one flow costs %.1f P-384 verifies)\n", a / b, b / a }'
[ "$fails" = 0 ] || { echo "broker.sh: $fails flows failed" >&2; exit 1; }
