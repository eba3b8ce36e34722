#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The real cvmm-broker binary given a store URI with a password in the
# wrong place: mistyped options, stray arguments, a --config file with a
# bad line.  Each must fail (exit 2) with one line on stderr that does not
# contain the password.
# usage: cli_secrets.sh CVMM_BROKER
set -u
broker=$1
pw=hunter2-Zq9
uri="postgresql://u:$pw@h/db"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0

# expect STATUS ARGS...: exit STATUS, one stderr line, no password in it
expect() {
	want=$1
	shift
	"$broker" "$@" >"$work/out" 2>"$work/err"
	rc=$?
	lines=$(wc -l <"$work/err")
	if [ "$rc" != "$want" ] || [ "$lines" != 1 ] || grep -q "$pw" "$work/err"; then
		echo "FAIL: cvmm-broker $*: exit $rc (want $want), stderr:"
		sed 's/^/    /' "$work/err"
		fails=$((fails + 1))
	else
		echo "ok   cvmm-broker $* -> $(cat "$work/err")"
	fi
}

printf 'threads = 2\n%s?sslmode=require\n' "$uri" >"$work/bad-line.conf"
printf 'stroe = %s\n' "$uri" >"$work/bad-key.conf"

expect 2 serve "--stor=$uri"
expect 2 serve --listen unix:/s "$uri"
expect 2 serve --threads "--store=$uri"
expect 2 serve "--insecure-http=$uri"
expect 2 serve --config "$work/bad-line.conf"
expect 2 serve --config "$work/bad-key.conf"
expect 2 audit "--stre=$uri"
expect 2 audit "--s=$uri"
expect 2 audit "--json=$uri"
expect 2 audit --limit "--store=$uri"
expect 2 audit --store=sqlite:/nonexistent/db "$uri"
[ "$fails" = 0 ] || exit 1
