#!/bin/sh
# Run every test: unit, fuzz-corpus replay, test guests and the Linux guest
# boots in the normal build, then the unit, fuzz-corpus and test-guest
# suites again with cvmm built with AddressSanitizer + UndefinedBehaviorSanitizer.
# usage: ./test.sh [meson test arguments, e.g. --suite unit]
set -eu
cd "$(dirname "$0")"

[ -d build ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs "$@"

if [ $# -eq 0 ]; then
	[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug
	ninja -C build-asan
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1 \
		meson test -C build-asan --print-errorlogs --suite unit --suite fuzz-corpus \
			--suite guest
fi
