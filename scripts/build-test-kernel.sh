#!/bin/bash
# Build the test Linux guest used by tests/linux and bench/linux-boot.sh:
#   - an SMP kernel (vmlinux for PVH, bzImage for the Linux boot protocol)
#     from Debian's linux-source-6.1 package, configured and patched as
#     guests/linux/README.md describes (boot it with `nosmp` for one vCPU);
#   - a static /init (guests/linux/tiny-init.c) in an uncompressed newc
#     initramfs (guests/linux/initramfs.list, made with the kernel tree's
#     usr/gen_init_cpio).
#
# Both are cached under ${XDG_CACHE_HOME:-$HOME/.cache}/cvmm/linux/, in
# directories named by a hash of their inputs (this script, the config
# script, the patches, the initramfs list, tiny-init.c, the linux-source
# package version and the gcc version): they are rebuilt only when an input
# changes. A build runs in a temporary directory under the cache and is
# published with one rename(2), under a lock, so an interrupted or
# concurrent build never leaves a half-written result behind.
#
# usage: scripts/build-test-kernel.sh [--out FILE] [--force] [-j N] [--quiet]
#   Prints (and with --out also writes to FILE, atomically) shell-sourceable
#   lines:
#     CVMM_VMLINUX=<path>    CVMM_BZIMAGE=<path>    CVMM_INITRAMFS=<path>
#     CVMM_KERNEL_RELEASE=<uname -r of the guest kernel>
#   --force rebuilds even when the cache is valid; -j defaults to 2.
# Environment: CVMM_LINUX_SOURCE_TAR overrides /usr/src/linux-source-6.1.tar.xz.
set -euo pipefail
# The braces make bash read the whole script before running it, so editing
# this file while a build runs does not derail that build.
{

prog="cvmm: build-test-kernel"
die() {
	echo "$prog: $*" >&2
	exit 1
}
say() {
	[ "$quiet" = 1 ] || echo "build-test-kernel: $*" >&2
}

out_file=
force=0
jobs=2
quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--out) [ $# -ge 2 ] || die "--out needs a file name"; out_file=$2; shift 2 ;;
	--out=*) out_file=${1#--out=}; shift ;;
	--force) force=1; shift ;;
	-j) [ $# -ge 2 ] || die "-j needs a number"; jobs=$2; shift 2 ;;
	-j*) jobs=${1#-j}; shift ;;
	--quiet|-q) quiet=1; shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
case "$jobs" in
''|*[!0-9]*|0) die "-j: '$jobs' is not a positive number" ;;
esac

script=$(readlink -f "${BASH_SOURCE[0]}")
srcroot=$(cd "$(dirname "$script")/.." && pwd)
gl=$srcroot/guests/linux
ktar=${CVMM_LINUX_SOURCE_TAR:-/usr/src/linux-source-6.1.tar.xz}
kpkg=linux-source-6.1

# ---- what we need on the host -------------------------------------------
need_cmd() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install $2 (apt-get install $2)"
}
need_cmd sha256sum coreutils
need_cmd flock util-linux
need_cmd gcc gcc
need_cmd make make
need_cmd tar tar
need_cmd xz xz-utils
need_cmd patch patch
need_cmd bc bc
need_cmd flex flex
need_cmd bison bison
need_cmd perl perl
[ -r /usr/include/gelf.h ] || [ -r /usr/include/libelf.h ] ||
	die "libelf headers not found (objtool needs them): install libelf-dev (apt-get install libelf-dev)"
for f in tiny-config.sh tiny-init.c initramfs.list; do
	[ -r "$gl/$f" ] || die "$gl/$f missing: incomplete source tree"
done
shopt -s nullglob
patches=("$gl"/patches/*.patch)
shopt -u nullglob
[ ${#patches[@]} -gt 0 ] || die "no patches in $gl/patches: incomplete source tree"

# The package version keys the cache; without dpkg (or with an overridden
# tarball) the tarball's size and mtime stand in for it.
src_version=
if [ -z "${CVMM_LINUX_SOURCE_TAR:-}" ] && command -v dpkg-query >/dev/null 2>&1; then
	src_version=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$kpkg" 2>/dev/null |
		sed -n 's/^ii *//p') || true
fi
[ -r "$ktar" ] || die "$ktar not found: install $kpkg (apt-get install $kpkg)"
[ -n "$src_version" ] || src_version="tarball $(stat -c '%s %Y' "$ktar")"
gcc_version=$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)

# ---- cache keys ----------------------------------------------------------
file_hash() {
	sha256sum "$1" | cut -d' ' -f1
}
kernel_inputs() {
	echo "build-test-kernel.sh $(file_hash "$script")"
	echo "tiny-config.sh $(file_hash "$gl/tiny-config.sh")"
	for p in "${patches[@]}"; do
		echo "patch $(basename "$p") $(file_hash "$p")"
	done
	echo "$kpkg $src_version"
	echo "gcc $gcc_version"
	echo "config smp"
}
initramfs_inputs() {
	echo "build-test-kernel.sh $(file_hash "$script")"
	echo "tiny-init.c $(file_hash "$gl/tiny-init.c")"
	echo "initramfs.list $(file_hash "$gl/initramfs.list")"
	echo "$kpkg $src_version"
	echo "gcc $gcc_version"
}
kernel_manifest=$(kernel_inputs)
initramfs_manifest=$(initramfs_inputs)
kkey=$(printf '%s\n' "$kernel_manifest" | sha256sum | cut -c1-16)
ikey=$(printf '%s\n' "$initramfs_manifest" | sha256sum | cut -c1-16)

cache=${XDG_CACHE_HOME:-$HOME/.cache}/cvmm/linux
kdir=$cache/kernel-$kkey
idir=$cache/initramfs-$ikey
mkdir -p "$cache" || die "cannot create the cache directory $cache"

kernel_ok() {
	[ -s "$kdir/vmlinux" ] && [ -s "$kdir/bzImage" ] && [ -x "$kdir/gen_init_cpio" ] &&
		[ -s "$kdir/release" ]
}
initramfs_ok() {
	[ -s "$idir/initramfs.cpio" ] && [ -x "$idir/init" ]
}

# ---- build (under the lock) ----------------------------------------------
tmp=
cleanup() {
	if [ -n "$tmp" ]; then
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

publish() { # publish <built dir> <final dir>
	if ! mv -T "$1" "$2" 2>/dev/null; then
		[ -d "$2" ] || die "cannot publish $2"
	fi
}

build_kernel() {
	local t=$tmp/kernel ksrc b
	say "building the test kernel into $kdir (about 5 minutes at -j$jobs)"
	mkdir -p "$t"
	say "unpacking $ktar"
	tar -C "$t" -xJf "$ktar" || die "cannot unpack $ktar"
	ksrc=$(find "$t" -mindepth 1 -maxdepth 1 -type d | head -n1)
	[ -n "$ksrc" ] && [ -f "$ksrc/Makefile" ] || die "$ktar does not hold a kernel tree"
	for p in "${patches[@]}"; do
		say "applying $(basename "$p")"
		patch -d "$ksrc" -p1 --batch --forward --quiet <"$p" >&2 ||
			die "patch $(basename "$p") does not apply to $kpkg $src_version"
	done
	b=$t/build
	mkdir -p "$b"
	# Reproducible: no time, user or host of the build in the image.
	export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 1970'
	export KBUILD_BUILD_USER=cvmm KBUILD_BUILD_HOST=cvmm KBUILD_BUILD_VERSION=1
	export ARCH=x86_64
	unset CROSS_COMPILE LOCALVERSION || true
	local mk=(make -C "$ksrc" O="$b" ARCH=x86_64 LOCALVERSION=)
	say "configuring: tinyconfig + tiny-config.sh smp + olddefconfig"
	local clog=$b/config.log
	{ "${mk[@]}" tinyconfig &&
		KSRC=$ksrc KCONFIG=$b/.config sh "$gl/tiny-config.sh" smp &&
		"${mk[@]}" olddefconfig; } >"$clog" 2>&1 || {
		tail -n 30 "$clog" >&2
		die "kernel configuration failed (last lines above)"
	}
	# olddefconfig silently drops options whose dependencies are missing:
	# check the ones the tests rely on.
	local opt
	for opt in CONFIG_64BIT=y CONFIG_SMP=y CONFIG_PVH=y CONFIG_SERIAL_8250_CONSOLE=y \
		CONFIG_BLK_DEV_INITRD=y CONFIG_DEVPORT=y CONFIG_PROC_FS=y CONFIG_PRINTK_TIME=y \
		CONFIG_KVM_GUEST=y CONFIG_X86_MPPARSE=y; do
		grep -qx "$opt" "$b/.config" || die "kernel config lacks $opt after olddefconfig"
	done
	# cvmm-agent's test guest (docs/agent.md): device-mapper, LUKS2 crypto
	# in generic C, ext2; and no x86 SIMD crypto driver (not emulated here).
	for opt in CONFIG_BLK_DEV_DM=y CONFIG_DM_CRYPT=y CONFIG_DM_VERITY=y CONFIG_DM_INIT=y \
		CONFIG_CRYPTO_AES=y CONFIG_CRYPTO_XTS=y CONFIG_CRYPTO_SHA256=y \
		CONFIG_CRYPTO_USER_API_SKCIPHER=y CONFIG_CRYPTO_USER_API_HASH=y CONFIG_EXT2_FS=y \
		CONFIG_FILE_LOCKING=y; do
		grep -qx "$opt" "$b/.config" || die "kernel config lacks $opt after olddefconfig"
	done
	if grep -E '^CONFIG_CRYPTO_[A-Z0-9_]*_(NI_INTEL|SSSE3|AVX[0-9]*|X86(_64)?|PCLMUL|INTEL|CLMUL_NI_INTEL)=y' \
		"$b/.config" >&2; then
		die "kernel config has x86 SIMD crypto drivers (listed above)"
	fi
	grep -qx 'CONFIG_MODULES=y' "$b/.config" && die "kernel config has CONFIG_MODULES=y"
	say "compiling vmlinux bzImage (make -j$jobs, log in $b/make.log)"
	if ! "${mk[@]}" -j"$jobs" vmlinux bzImage >"$b/make.log" 2>&1; then
		tail -n 30 "$b/make.log" >&2
		die "kernel build failed (last lines above)"
	fi
	local o=$tmp/kernel-out
	mkdir -p "$o"
	cp "$b/vmlinux" "$o/vmlinux"
	cp "$b/arch/x86/boot/bzImage" "$o/bzImage"
	cp "$b/.config" "$o/config"
	cp "$b/System.map" "$o/System.map"
	"${mk[@]}" -s kernelrelease >"$o/release" || die "make kernelrelease failed"
	gcc -O2 -o "$o/gen_init_cpio" "$ksrc/usr/gen_init_cpio.c" ||
		die "cannot compile usr/gen_init_cpio.c"
	printf '%s\n' "$kernel_manifest" >"$o/inputs"
	publish "$o" "$kdir"
	rm -rf "$t"
	say "kernel $(cat "$kdir/release") published in $kdir"
}

build_initramfs() {
	local o=$tmp/initramfs-out
	say "building the initramfs into $idir"
	mkdir -p "$o"
	gcc -static -nostdlib -ffreestanding -fno-builtin -O2 -fno-stack-protector \
		-mgeneral-regs-only -Wl,--build-id=none -o "$o/init" "$gl/tiny-init.c" ||
		die "cannot compile tiny-init.c (static, no libc)"
	touch -d @0 "$o/init" # gen_init_cpio stores the mtime of files
	sed "s|@INIT@|$o/init|" "$gl/initramfs.list" >"$o/initramfs.list"
	"$kdir/gen_init_cpio" -t 0 "$o/initramfs.list" >"$o/initramfs.cpio" ||
		die "gen_init_cpio failed"
	sed -i "s|$o/init|init|" "$o/initramfs.list"
	printf '%s\n' "$initramfs_manifest" >"$o/inputs"
	publish "$o" "$idir"
	say "initramfs published in $idir"
}

if [ "$force" = 1 ] || ! kernel_ok || ! initramfs_ok; then
	exec 9>"$cache/.lock"
	if ! flock -n 9; then
		say "waiting for another build-test-kernel to finish"
		flock 9
	fi
	# Holding the lock: any tmp.* directory is left over from a killed build.
	rm -rf "$cache"/tmp.*
	tmp=$(mktemp -d "$cache/tmp.XXXXXX")
	if [ "$force" = 1 ]; then
		rm -rf "$kdir" "$idir"
	fi
	kernel_ok || { rm -rf "$kdir"; build_kernel; }
	initramfs_ok || { rm -rf "$idir"; build_initramfs; }
	rm -rf "$tmp"
	tmp=
	flock -u 9
fi

result="CVMM_VMLINUX=$kdir/vmlinux
CVMM_BZIMAGE=$kdir/bzImage
CVMM_INITRAMFS=$idir/initramfs.cpio
CVMM_KERNEL_RELEASE=$(cat "$kdir/release")"
if [ -n "$out_file" ]; then
	mkdir -p "$(dirname "$out_file")"
	printf '%s\n' "$result" >"$out_file.tmp.$$" && mv -f "$out_file.tmp.$$" "$out_file" ||
		die "cannot write $out_file"
fi
printf '%s\n' "$result"
exit 0
}
