#!/bin/sh
# Set up a fresh Debian 12 machine, build cvmm, and boot the built-in guest.
# usage: ./setup.sh            (as root, or with sudo available)
set -eu
cd "$(dirname "$0")"

PKGS="build-essential meson ninja-build pkg-config libssl-dev libcmocka-dev libjansson-dev zlib1g-dev libseccomp-dev
      clang libclang-rt-14-dev lld
      libmicrohttpd-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev python3-requests
      postgresql python3-yaml
      cryptsetup-bin e2fsprogs openssl shellcheck systemd nettle-dev
      linux-source-6.1 bc flex bison libelf-dev cpio xz-utils
      qemu-system-x86 ovmf python3 python3-jwcrypto jose xxd groff-base
      python3-jsonschema"

if [ "${CVMM_SKIP_APT:-0}" != 1 ]; then
	SUDO=
	[ "$(id -u)" = 0 ] || SUDO=sudo
	missing=
	for p in $PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "setup: installing$missing"
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
	fi
fi

[ -d build ] || meson setup build
ninja -C build
opts=$(meson configure build)
if echo "$opts" | grep -q 'static_crypto *true'; then
	if echo "$opts" | grep -q 'static_libc *true'; then
		echo "setup: cvmm links glibc, libcrypto, jansson and zlib statically" \
			"(docs/startup.md): rebuild it after Debian updates of libc6, libssl3," \
			"libjansson4 or zlib1g, or reconfigure with" \
			"'meson configure build -Dstatic_libc=false' (glibc dynamic) or" \
			"'-Dstatic_crypto=false' (everything dynamic)"
	else
		echo "setup: cvmm links libcrypto and jansson statically (docs/startup.md): rebuild it" \
			"after Debian updates of libssl3/libjansson4, or reconfigure with" \
			"'meson configure build -Dstatic_crypto=false' to link them dynamically"
	fi
fi

echo "setup: booting the built-in guest: ./build/cvmm boot"
./build/cvmm boot
