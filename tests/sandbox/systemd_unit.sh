#!/bin/bash
# packaging/systemd/cvmm@.service: systemd accepts it (systemd-analyze
# verify, with the built cvmm in place of /usr/local/bin/cvmm) and rates its
# hardening "OK" or better (systemd-analyze security, exposure below 4.0).
# usage: systemd_unit.sh SOURCE_ROOT BUILD_DIR.  77 without systemd-analyze.
set -euo pipefail
src=$1
build=$2
command -v systemd-analyze >/dev/null || { echo "SKIP: no systemd-analyze"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/local/bin/cvmm|$build/cvmm|g" "$src/packaging/systemd/cvmm@.service" \
	>"$tmp/cvmm@.service"
ln -s cvmm@.service "$tmp/cvmm@test.service"
systemd-analyze verify "$tmp/cvmm@test.service"
out=$(systemd-analyze security --offline=true "$tmp/cvmm@test.service" 2>&1)
level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
echo "exposure level: ${level:-?}"
[ -n "$level" ] || { printf '%s\n' "$out" | tail -5; exit 1; }
awk -v l="$level" 'BEGIN { exit !(l < 4.0) }' || { echo "FAIL: exposure $level >= 4.0"; exit 1; }
