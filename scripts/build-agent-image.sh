#!/bin/bash
# Build the read-only tools of cvmm-agent's test guest -- cvmm-agent,
# cryptsetup and mke2fs with every shared library they load (their ldd
# closure, glibc's loader included) -- in two forms:
#   - tools.cpio: a newc cpio padded to 4 KiB; the guest's /init checks its
#     SHA-256 (cvmm.tools=<hex> on the measured command line) and unpacks it
#     into a tmpfs (guests/linux/agent-tools.c);
#   - tools.img: an ext2 file system followed by its dm-verity hash tree,
#     for dm-mod.create= (CONFIG_DM_INIT): the root hash is measured with the
#     command line and every block the guest reads is checked against it --
#     at ~90 s per MiB on a KVM that emulates guest kernel code.
#
# Nothing here needs device-mapper or root on the host: `mke2fs -d` fills
# the file system from a directory, `veritysetup format` hashes a file.
# The image is reproducible: fixed UUIDs, salt, hash seed and timestamps.
#
# usage: scripts/build-agent-image.sh AGENT_BINARY OUT_DIR
#   writes OUT_DIR/tools.img and prints (and writes to OUT_DIR/tools.env)
#   shell-sourceable lines:
#     CVMM_AGENT_ARCHIVE=<path>       tools.cpio
#     CVMM_AGENT_ARCHIVE_SHA256=<hex> its SHA-256, for cvmm.tools=<hex>
#     CVMM_AGENT_IMAGE=<path>         the image (data, then the hash tree)
#     CVMM_AGENT_ROOT_HASH=<hex>      dm-verity root hash (sha256)
#     CVMM_AGENT_DM_CREATE=<value>    for dm-mod.create="<value>" on the
#                                     kernel command line, the image being
#                                     the guest's first disk (/dev/vda)
# One line "cvmm: build-agent-image: ..." on failure.
set -euo pipefail

die() {
	echo "cvmm: build-agent-image: $*" >&2
	exit 1
}

[ $# -eq 2 ] || die "usage: $0 AGENT_BINARY OUT_DIR"
agent=$1
out=$2
PATH=$PATH:/usr/sbin:/sbin
for t in mke2fs veritysetup cryptsetup ldd cpio; do
	command -v "$t" >/dev/null ||
		die "'$t' not found: apt-get install e2fsprogs cryptsetup-bin libc-bin cpio"
done
[ -x "$agent" ] || die "$agent: not an executable"

salt=6376766d2d6167656e742d746f6f6c732d696d6167652d73616c74  # "cvmm-agent-tools-image-salt"
fsuuid=6a1c5f0e-7d1b-4c67-9a51-2f3b9c1d0a11
vuuid=0c9a7b3e-54a2-4f0b-8a0e-6d3f2e1c7b55
bs=4096

mkdir -p "$out"
tmp=$(mktemp -d "$out/tools.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{usr/sbin,etc,dev,proc,sys,run,mnt,tmp}
ln -s usr/sbin "$root/sbin"

bins=("$agent" "$(command -v cryptsetup)" "$(command -v mke2fs)")
install -m 0755 "$agent" "$root/usr/sbin/cvmm-agent"
install -m 0755 "${bins[1]}" "$root/usr/sbin/cryptsetup"
install -m 0755 "${bins[2]}" "$root/usr/sbin/mke2fs"
[ -r /etc/mke2fs.conf ] && install -m 0644 /etc/mke2fs.conf "$root/etc/mke2fs.conf"

# The shared libraries, at the paths the loader looks them up by.
for b in "${bins[@]}"; do
	ldd "$b" || die "ldd $b failed"
done | awk '/=> \//{print $3} /^\t\/[^ ]*ld-linux/{print $1}' | sort -u | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
[ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the dynamic loader was not found by ldd"
find "$root" -exec touch -h -d @0 {} +

arch=$tmp/tools.cpio
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio -o -0 -H newc --reproducible -R 0:0 --quiet) >"$arch" || die "cpio failed"
truncate -s "$(( ($(stat -c %s "$arch") + bs - 1) / bs * bs ))" "$arch"
arch_sha=$(sha256sum "$arch" | cut -d' ' -f1)

data=$(du -s -B1 --apparent-size "$root" | cut -f1)
size=$(( (data * 13 / 10 / bs + 1024) * bs ))	# + 30 % and 4 MiB of metadata
img=$tmp/tools.img
E2FSPROGS_FAKE_TIME=1 mke2fs -q -F -t ext2 -b "$bs" -m 0 -L cvmm-tools -U "$fsuuid" \
	-E "hash_seed=$fsuuid,root_owner=0:0" -d "$root" "$img" "$((size / 1024))k" >/dev/null ||
	die "mke2fs failed"
[ "$(stat -c %s "$img")" -eq "$size" ] || die "unexpected image size"
vout=$(veritysetup format --no-superblock --hash sha256 --data-block-size "$bs" \
	--hash-block-size "$bs" --salt "$salt" --uuid "$vuuid" --hash-offset "$size" \
	"$img" "$img") || die "veritysetup format failed"
root_hash=$(printf '%s\n' "$vout" | sed -n 's/^Root hash:[[:space:]]*//p')
[ ${#root_hash} -eq 64 ] || die "no root hash in veritysetup's output"

blocks=$((size / bs))
dm="cvmm-tools,,,ro,0 $((size / 512)) verity 1 /dev/vda /dev/vda $bs $bs $blocks $blocks sha256 $root_hash $salt"
mv -f "$img" "$out/tools.img"
mv -f "$arch" "$out/tools.cpio"
env="CVMM_AGENT_ARCHIVE=$out/tools.cpio
CVMM_AGENT_ARCHIVE_SHA256=$arch_sha
CVMM_AGENT_IMAGE=$out/tools.img
CVMM_AGENT_ROOT_HASH=$root_hash
CVMM_AGENT_DM_CREATE=$dm"
printf '%s\n' "$env" >"$out/tools.env.tmp" && mv -f "$out/tools.env.tmp" "$out/tools.env"
printf '%s\n' "$env"
