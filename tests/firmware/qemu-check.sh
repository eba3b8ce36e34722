#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Check cvmm's test firmware (guests/firmware) under QEMU + KVM, before cvmm
# has fw_cfg: QEMU provides fw_cfg (with and without DMA), etc/e820 and,
# on microvm with ACPI or on pc, etc/table-loader.
#
# usage: tests/firmware/qemu-check.sh [options]
#   --rom FILE        ROM to test (default: built now with scripts/build-firmware.py)
#   --build DIR       meson build directory holding guests/bootinfo.bzImage
#                     (default: build)
#   --bootinfo FILE   the bootinfo test guest (bzImage) to boot
#   --linux           also boot the test Linux kernel to /init through the
#                     firmware (scripts/build-test-kernel.sh; 30-60 s per boot
#                     on an idle machine, one boot at a time)
#   --kernel-env FILE for --linux: the CVMM_BZIMAGE=/CVMM_INITRAMFS=/
#                     CVMM_KERNEL_RELEASE= lines scripts/build-test-kernel.sh
#                     prints, instead of running that script
#   --cpus "N ..."    vCPU counts of the Linux boots (default "1")
#   --only REGEX      run only the cases whose name matches
#   --qemu PATH       qemu-system-x86_64 (default: on PATH)
#   --logs DIR        keep the logs there (default: a temporary directory,
#                     removed when everything passed)
#
# Cases (each one QEMU run, isa-debug-exit status (V << 1) | 1):
#   coco-parse        the ROM's GUID table, SEV/TDVF metadata and reset block
#                     parsed by cvmm's src/coco (tests/firmware/coco_check.c,
#                     when --build has it)
#   coco-measure      `cvmm measure` (when --build has cvmm) accepts the ROM
#                     for SNP (with kernel hashes, 2 vCPUs), SEV-ES, SEV, TDX
#   microvm           bootinfo via fw_cfg DMA, microvm's own ACPI tables via
#                     etc/table-loader; the command line and the e820 map the
#                     guest received equal what the firmware printed
#   microvm-noacpi    no etc/table-loader: boots without ACPI
#   microvm-nodma     fw_cfg byte interface only (and an initrd)
#   microvm-smp2      2 vCPUs: MP table for 2 CPUs
#   pc                the pc machine: read-only ROM, RSDP revision 0 + RSDT
#   loader-*          our own etc/table-loader (tests/firmware/table_loader.py):
#                     one good, the rest hostile; each must fail with its
#                     message and exit value, never corrupt memory
#   kernel-*          bootinfo with a broken setup header: no 64-bit entry,
#                     a header running into the zero page's e820 table, a
#                     pref_address outside RAM
#   kernel-relocatable  a relocatable payload (tests/firmware/reloc_guest.*):
#                     loaded at 32 MiB, entered at +0x200 in the state of the
#                     Linux 64-bit boot protocol (CS 0x10, DS/SS 0x18, IF 0)
#   linux-Ncpu        (--linux) the test kernel to /init: banner, command
#                     line, e820 equal to the firmware's, CPU count, marker
#
# Exit status: 0 all passed, 1 a case failed, 77 skipped (no QEMU or KVM).
set -u

script_dir=$(cd "$(dirname "$0")" && pwd)
srcroot=$(cd "$script_dir/../.." && pwd)

rom=
build=$srcroot/build
bootinfo=
linux=0
kernel_env=
cpus=1
only=
qemu="qemu-system-x86_64"
logs=

die() { echo "qemu-check: $*" >&2; exit 1; }
while [ $# -gt 0 ]; do
	case "$1" in
	--rom) rom=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--bootinfo) bootinfo=$2; shift 2 ;;
	--linux) linux=1; shift ;;
	--kernel-env) kernel_env=$2; shift 2 ;;
	--cpus) cpus=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	--qemu) qemu=$2; shift 2 ;;
	--logs) logs=$2; shift 2 ;;
	-h|--help) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

command -v "$qemu" >/dev/null 2>&1 || { echo "qemu-check: SKIP: $qemu not found"; exit 77; }
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
	echo "qemu-check: SKIP: /dev/kvm is not usable"
	exit 77
fi
[ -n "$bootinfo" ] || bootinfo=$build/guests/bootinfo.bzImage
[ -r "$bootinfo" ] || die "$bootinfo not found: build the project (ninja -C $build) or pass --bootinfo"

keep_logs=1
if [ -z "$logs" ]; then
	logs=$(mktemp -d /tmp/cvmm-fw-check.XXXXXX)
	keep_logs=0
fi
mkdir -p "$logs" || die "cannot create $logs"

if [ -z "$rom" ]; then
	# the sources and options of guests/firmware/meson.build
	rom=$logs/cvmm-testfw.rom
	fw=$srcroot/guests/firmware
	lib=$srcroot/guests/lib
	python3 "$srcroot/scripts/build-firmware.py" --lds "$fw/fw.ld" --size 64K -I "$lib" \
		-o "$rom" "$fw"/reset.S "$fw"/main.c "$fw"/fw_cfg.c "$fw"/console.c \
		"$fw"/ranges.c "$lib"/string.c "$lib"/format.c "$fw"/e820.c "$fw"/acpi.c \
		"$fw"/mptable.c "$fw"/linux.c ||
		die "building the ROM failed"
fi
[ -r "$rom" ] || die "$rom not found"

pass=0
fail=0
failed=

selected() { [ -z "$only" ] || [[ "$1" =~ $only ]]; }

ok() { pass=$((pass + 1)); printf 'qemu-check: PASS %-22s %s\n' "$1" "$2"; }
bad() {
	fail=$((fail + 1))
	failed="$failed $1"
	printf 'qemu-check: FAIL %-22s %s\n' "$1" "$2"
	if [ -r "$logs/$1.log" ]; then
		echo "---- last lines of $logs/$1.log"
		tail -n 25 "$logs/$1.log"
		echo "----"
	fi
}

# qemu_run NAME TIMEOUT MACHINE [qemu args...]: sets $status and $secs
qemu_run() {
	local name=$1 tmo=$2 machine=$3 t0 t1
	shift 3
	t0=$(date +%s.%N)
	timeout "$tmo" "$qemu" -M "$machine" -enable-kvm -cpu kvm64,-cx16,+xsaveerptr \
		-nodefaults -no-user-config -nographic -serial stdio \
		-device isa-debug-exit,iobase=0xf4 -bios "$rom" "$@" \
		</dev/null >"$logs/$name.log" 2>&1
	status=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
}

has() { grep -qF -- "$2" "$logs/$1.log"; }

# the e820 triples "start-end type" the firmware printed / the guest saw
fw_e820() {
	tr -d '\r' <"$1" |
		sed -n 's/^cvmm-testfw: e820 \[mem \(0x[0-9a-f]*-0x[0-9a-f]*\)\] .* (\([0-9]*\))$/\1 \2/p'
}
bootinfo_e820() {
	tr -d '\r' <"$1" |
		sed -n 's/^bootinfo: e820 \[mem \(0x[0-9a-f]*-0x[0-9a-f]*\)\] \([0-9]*\)$/\1 \2/p'
}
linux_e820() {
	tr -d '\r' <"$1" |
		sed -n 's/^.*BIOS-e820: \[mem \(0x[0-9a-f]*-0x[0-9a-f]*\)\] \(.*\)$/\1 \2/p' |
		sed 's/ usable$/ 1/; s/ reserved$/ 2/; s/ ACPI data$/ 3/; s/ ACPI NVS$/ 4/'
}

MICROVM=microvm,x-option-roms=off,isa-serial=on,rtc=on
DEBUG_PASS=65	# bootinfo writes 0x20
FAIL_KERNEL=137	# 0x44
FAIL_PLACEMENT=139	# 0x45

# ---- the ROM through cvmm's own metadata parsers -------------------------
if selected coco-parse; then
	coco_check=$build/tests/firmware/fw_coco_check
	if [ ! -x "$coco_check" ]; then
		echo "qemu-check: skip coco-parse: $coco_check not built"
	elif "$coco_check" "$rom" >"$logs/coco-parse.log" 2>&1; then
		ok coco-parse "SEV metadata, TDVF, hashes table, SEV-ES reset block"
	else
		bad coco-parse "see the log"
	fi
fi

# ---- the ROM as a confidential launch subject: cvmm measure ----------------
if selected coco-measure; then
	cvmm=$build/cvmm
	if [ ! -x "$cvmm" ]; then
		echo "qemu-check: skip coco-measure: $cvmm not built"
	else
		: >"$logs/coco-measure.log"
		why=
		for spec in "snp,policy=0x30000|-p count=2" \
			"snp,policy=0x30000|--kernel $bootinfo --cmdline x" \
			"sev,policy=0x5|-p count=2" "sev,policy=0x1|--kernel $bootinfo" \
			"tdx,attr=0x10000000|-m size=512M"; do
			coco=${spec%%|*}
			# shellcheck disable=SC2086
			out=$("$cvmm" measure --coco "$coco" --firmware "$rom" --vcpu-type EPYC-v4 \
				${spec#*|} --print-plan 2>>"$logs/coco-measure.log")
			echo "$coco ${spec#*|}: $out" >>"$logs/coco-measure.log"
			[[ "$out" =~ ^[0-9a-f]{64}([0-9a-f]{32})?$ ]] || why="cvmm measure --coco $coco failed"
			[ -z "$why" ] || break
		done
		if [ -z "$why" ]; then
			ok coco-measure "SNP (2 vCPUs, kernel hashes), SEV-ES, SEV, TDX plans"
		else
			bad coco-measure "$why"
		fi
	fi
fi

# ---- bootinfo on microvm / pc ---------------------------------------------
bootinfo_case() { # NAME MACHINE WANT-LINE... -- QEMU-ARGS...
	local name=$1 machine=$2 cl="firmware check $1" want=() fw g
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do want+=("$1"); shift; done
	shift
	selected "$name" || return 0
	qemu_run "$name" 120 "$machine" -m 256M -kernel "$bootinfo" -append "$cl" "$@"
	if [ "$status" != $DEBUG_PASS ]; then
		bad "$name" "exit status $status, expected $DEBUG_PASS"
		return
	fi
	if ! has "$name" "bootinfo: cmdline '$cl'"; then
		bad "$name" "the guest did not get the command line"
		return
	fi
	fw=$(fw_e820 "$logs/$name.log")
	g=$(bootinfo_e820 "$logs/$name.log")
	if [ -z "$fw" ] || [ "$fw" != "$g" ]; then
		bad "$name" "the guest's e820 differs from the firmware's"
		return
	fi
	for w in "${want[@]}"; do
		if ! has "$name" "$w"; then
			bad "$name" "no line with '$w'"
			return
		fi
	done
	ok "$name" "${secs}s, e820 $(echo "$fw" | wc -l) entries"
}

bootinfo_case microvm "$MICROVM" "(DMA)" "acpi: RSDP rev 2 at 0x80000" \
	"ACPI RSDP at 0x80000" "booting: 64-bit entry 0x100200" --
bootinfo_case microvm-noacpi "$MICROVM,acpi=off" "no etc/table-loader" \
	"ACPI RSDP at 0x0" --
bootinfo_case microvm-nodma "$MICROVM" "no DMA: byte interface" "initrd 0x" \
	"acpi: RSDP rev 2" -- -global fw_cfg_io.dma_enabled=off -initrd "$rom"
bootinfo_case microvm-smp2 "$MICROVM" "MP table for 2 CPUs at 0x9fc00" -- -smp 2
bootinfo_case pc pc "acpi: RSDP rev 0 at 0x80000 -> RSDT" "FACP DSDT" --

# ---- our own etc/table-loader, good and hostile ---------------------------
for c in $(python3 "$script_dir/table_loader.py" --list); do
	name=loader-$c
	selected "$name" || continue
	out=$(python3 "$script_dir/table_loader.py" "$c" "$logs/$name") || die "table_loader.py $c"
	read -r -a fwcfg <<<"$(echo "$out" | head -n1)"
	expect=$(echo "$out" | tail -n1)
	qemu_run "$name" 60 "$MICROVM,acpi=off" -m 256M -kernel "$bootinfo" "${fwcfg[@]}"
	if [ "$expect" = ok ]; then
		if [ "$status" = $DEBUG_PASS ] && has "$name" "XSDT at 0xff00000: CVMT (checksums ok)"; then
			ok "$name" "RSDP -> XSDT -> CVMT linked and checksummed"
		else
			bad "$name" "exit status $status, or no checked XSDT/CVMT"
		fi
		continue
	fi
	code=$(echo "$expect" | cut -d' ' -f2)
	msg=$(echo "$expect" | cut -d' ' -f3-)
	wstatus=$(( (code << 1) | 1 ))
	if [ "$status" = "$wstatus" ] && has "$name" "FATAL: " && has "$name" "$msg"; then
		ok "$name" "exit $status: $msg"
	else
		bad "$name" "exit status $status (want $wstatus) or no FATAL line with '$msg'"
	fi
done

# ---- broken setup headers --------------------------------------------------
patch_kernel() { # OUT PYTHON-STATEMENTS (on bytearray k)
	python3 - "$bootinfo" "$1" "$2" <<'EOF'
import struct, sys
k = bytearray(open(sys.argv[1], "rb").read())
exec(sys.argv[3])
open(sys.argv[2], "wb").write(k)
EOF
}
kernel_case() { # NAME WANT-STATUS MESSAGE PYTHON
	local name=$1 wstatus=$2 msg=$3
	selected "$name" || return 0
	patch_kernel "$logs/$name.bzImage" "$4" || die "patching bootinfo failed"
	qemu_run "$name" 60 "$MICROVM" -m 256M -kernel "$logs/$name.bzImage"
	if [ "$status" = "$wstatus" ] && has "$name" "FATAL: " && has "$name" "$msg"; then
		ok "$name" "exit $status: $msg"
	else
		bad "$name" "exit status $status (want $wstatus) or no FATAL line with '$msg'"
	fi
}
kernel_case kernel-no64bit $FAIL_KERNEL "has no 64-bit entry point" \
	'struct.pack_into("<H", k, 0x236, 0)'
kernel_case kernel-header-end $FAIL_KERNEL "setup header ends at 0x301" \
	'k[0x201] = 0xff'
kernel_case kernel-pref-address $FAIL_PLACEMENT "non-relocatable kernel needs RAM at [0x40000000" \
	'struct.pack_into("<Q", k, 0x258, 0x40000000)'

# ---- a relocatable payload: loaded at 32 MiB, not at its pref_address -----
if selected kernel-relocatable; then
	name=kernel-relocatable
	cf="-std=gnu11 -O2 -ffreestanding -fno-builtin -fpie -fvisibility=hidden
	    -mgeneral-regs-only -mno-red-zone -fno-stack-protector -fno-jump-tables
	    -fno-asynchronous-unwind-tables -fcf-protection=none -Wall -Wextra -Werror"
	# shellcheck disable=SC2086
	if gcc $cf -c "$script_dir/reloc_guest.S" -o "$logs/reloc1.o" &&
		gcc $cf -c "$script_dir/reloc_guest.c" -o "$logs/reloc2.o" &&
		ld -nostdlib -static -z noexecstack --build-id=none -e _start -Ttext=0 \
			-o "$logs/reloc.elf" "$logs/reloc1.o" "$logs/reloc2.o" &&
		objcopy -O binary --set-section-flags .bss=alloc,load,contents \
			"$logs/reloc.elf" "$logs/reloc.bin" &&
		python3 - "$logs/reloc.bin" "$logs/reloc.bzImage" <<'EOF'
import struct, sys
payload = open(sys.argv[1], "rb").read()
s = bytearray(1024)                                   # setup_sects = 1
s[0x1f1] = 1
struct.pack_into("<I", s, 0x1f4, (len(payload) + 15) // 16)
struct.pack_into("<H", s, 0x1fe, 0xaa55)
s[0x200], s[0x201] = 0xeb, 0x6a                       # header ends at 0x26c
s[0x202:0x206] = b"HdrS"
struct.pack_into("<H", s, 0x206, 0x020f)
s[0x211] = 1                                          # LOADED_HIGH
struct.pack_into("<I", s, 0x214, 0x100000)
struct.pack_into("<I", s, 0x22c, 0x7fffffff)
struct.pack_into("<I", s, 0x230, 0x200000)            # kernel_alignment
s[0x234] = 1                                          # relocatable_kernel
struct.pack_into("<H", s, 0x236, 1)                   # XLF_KERNEL_64
struct.pack_into("<I", s, 0x238, 4095)
struct.pack_into("<Q", s, 0x258, 0x1000000)           # pref_address: not used
struct.pack_into("<I", s, 0x260, (len(payload) + 0xfff) & ~0xfff)
open(sys.argv[2], "wb").write(bytes(s) + payload)
EOF
	then
		qemu_run "$name" 60 "$MICROVM" -m 256M -kernel "$logs/reloc.bzImage" -append "reloc check"
		why=
		[ "$status" = $DEBUG_PASS ] || why="exit status $status, expected $DEBUG_PASS"
		for w in "at 0x2000000 (relocatable" "reloc: 64-bit entry at 0x2000200" \
			"reloc: cs 0x10 ds 0x18 ss 0x18 if 0x0" "reloc: boot_params 0x27000" \
			"loader 0xff" "reloc: cmdline 'reloc check'"; do
			[ -n "$why" ] || has "$name" "$w" || why="no line with '$w'"
		done
		if [ -z "$why" ]; then
			ok "$name" "${secs}s, entered at 0x2000200 in the 64-bit boot protocol state"
		else
			bad "$name" "$why"
		fi
	else
		bad "$name" "building the relocatable payload failed"
	fi
fi

# ---- the test Linux kernel to /init ---------------------------------------
if [ "$linux" = 1 ]; then
	env_file=$kernel_env
	if [ -z "$env_file" ]; then
		env_file=$logs/kernel.env
		"$srcroot/scripts/build-test-kernel.sh" --quiet --out "$env_file" >/dev/null ||
			die "scripts/build-test-kernel.sh failed"
	fi
	[ -r "$env_file" ] || die "$env_file not found"
	# shellcheck disable=SC1090
	. "$env_file"
	base="console=ttyS0 panic=-1 tsc=reliable noxsave no_int3_selftest clearcpuid=smap,popcnt,erms,fsrm nofsgsbase rodata=off initramfs_async=0 pvm_syscall_fixup"
	for n in $cpus; do
		name=linux-${n}cpu
		selected "$name" || continue
		cl=$base
		[ "$n" = 1 ] && cl="$cl nosmp"
		qemu_run "$name" 600 "$MICROVM" -m 256M -smp "$n" -kernel "$CVMM_BZIMAGE" \
			-initrd "$CVMM_INITRAMFS" -append "$cl"
		why=
		[ "$status" = 3 ] || why="exit status $status, expected 3 (tiny-init)"
		[ -n "$why" ] || has "$name" "Linux version $CVMM_KERNEL_RELEASE " || why="no kernel banner"
		[ -n "$why" ] || has "$name" "Command line: $cl" || why="the kernel did not get the command line"
		[ -n "$why" ] || [ "$(fw_e820 "$logs/$name.log")" = "$(linux_e820 "$logs/$name.log")" ] ||
			why="the kernel's BIOS-e820 map differs from the firmware's"
		[ -n "$why" ] || has "$name" "smpboot: Total of $n processors activated" ||
			why="not $n processors activated"
		[ -n "$why" ] || has "$name" "INIT-MARKER tiny-init uptime=" || why="no init marker"
		if [ -z "$why" ]; then
			ok "$name" "${secs}s to power-off, $(grep -o 'INIT-MARKER tiny-init uptime=[0-9.]*' "$logs/$name.log")"
		else
			bad "$name" "$why"
		fi
	done
fi

echo "qemu-check: $pass passed, $fail failed${failed:+ ($failed )} -- ROM $rom"
if [ "$fail" = 0 ] && [ "$keep_logs" = 0 ]; then
	rm -rf "$logs"
else
	echo "qemu-check: logs in $logs"
fi
[ "$fail" = 0 ]
