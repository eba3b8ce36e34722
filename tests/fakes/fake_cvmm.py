#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A fake cvmm for testing the tests (tests/fakes/check_fakes.py).

Its behaviour is FAKE_CVMM_MODE's (see MODES); each mode is a way a broken
cvmm could behave that some test must notice.  Only the few commands the
checked tests run are understood.
"""
import os
import signal
import sys
import time

MODES = {
    # hw_check.py (coco-hardware)
    "hw-good": "launches, OVMF reaches BdsDxe, 143 on SIGTERM, the PSP takes the ID block",
    "hw-triple-fault": "launches, then the guest triple-faults (33)",
    "hw-kvm-error": "launches, then KVM fails (34)",
    "hw-guest-fatal": "launches, then the guest reports a fatal error (35)",
    "hw-no-bds": "launches and runs, but OVMF never reaches its boot manager",
    "hw-bad-measurement": "the PSP refuses the ID block: its measurement differs",
    "hw-sigterm-0": "ends with 0 instead of 143 on SIGTERM",
    "hw-no-launch": "runs without finishing the launch",
    # run_guest.py / ovmf_check.py
    "sleep": "prints nothing and sleeps until killed",
    "exit-130": "exits 130 at once (as if it had been interrupted)",
    "idle-no-raw": "prints the idle guest's line, 130 on SIGINT, never makes the tty raw",
    "garbage-other-line": "fails the kernel with an unrelated message and prints the "
                          "expected phrase on a line of its own",
    "x87-wrong-bytes": "the x87 diagnosis with code bytes that are not the firmware's",
    "x87-good": "the x87 diagnosis quoting the firmware's bytes at RIP",
    # dryrun_check.py (coco-dryrun-vs-measure)
    "coco-self-consistent": "its dry runs and `measure` agree with each other on a digest "
                            "that is not the launch's",
    # bench/boot.py
    "bench-idle-dies": "boots and exits as expected, but dies at once with the idle guest",
    "bench-status-0": "every boot ends with status 0, also where the guest writes debug-exit",
}


def on_signals(status_on_term=143):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(status_on_term))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(130))


def wait_for_signal(status_on_term=143):
    on_signals(status_on_term)
    while True:
        time.sleep(0.1)


def hw(mode, args):
    if args[0] == "measure":
        for flag in ("--id-block-out", "--id-auth-out"):
            with open(args[args.index(flag) + 1], "wb") as f:
                f.write(bytes(96 if "block" in flag else 4096))
        print("id-block=AAAA,id-auth=AAAA")
        return 0
    spec = args[args.index("--coco") + 1]
    on_signals(0 if mode == "hw-sigterm-0" else 143)
    if mode == "hw-no-launch":
        wait_for_signal()
    if mode == "hw-bad-measurement" and "id-block=" in spec:
        sys.stderr.write("cvmm: --coco: KVM_SEV_SNP_LAUNCH_FINISH: BAD_MEASUREMENT\n")
        return 1
    sys.stderr.write("cvmm: --coco: SNP launch of 9 operations finished\n")
    sys.stderr.flush()
    status = {"hw-triple-fault": 33, "hw-kvm-error": 34, "hw-guest-fatal": 35}.get(mode)
    if status:
        time.sleep(0.5)
        sys.stderr.write("cvmm: vCPU 0: guest triple fault (exit SHUTDOWN)\n")
        return status
    if mode != "hw-no-bds":
        print("BdsDxe: failed to load Boot0001 \"UEFI Non-Block Boot Device\"", flush=True)
    wait_for_signal(0 if mode == "hw-sigterm-0" else 143)


def x87(mode, args):
    fw = args[args.index("--firmware") + 1]
    with open(fw, "rb") as f:
        data = f.read()
    rip = (1 << 32) - len(data) + 0x1000
    code = data[0x1000:0x1008]
    if mode == "x87-wrong-bytes":
        code = bytes([0x9b, 0xdb, 0xe3, 0, 0, 0, 0, 0]) if code[2] != 0xe3 else bytes(8)
    sys.stderr.write("cvmm: vCPU 0: the host's KVM cannot emulate an x87 FPU instruction at "
                     "RIP 0x%x (CS 0x18 base 0x0, CR0 0xc0000033), code %s (exit "
                     "INTERNAL_ERROR, emulation failure): this host's KVM cannot run this "
                     "guest code, a hardware-virtualized KVM can\n" % (rip, code.hex(" ")))
    return 34


def self_consistent(args):
    """One made-up digest per machine, printed alike by boot --dry-run and measure."""
    import hashlib
    if "--coco" not in args:
        sys.stderr.write("cvmm: --dry-run: runs a confidential launch: add --coco\n")
        return 1
    keep = [a for i, a in enumerate(args[1:], 1) if a not in ("--dry-run", "--vcpu-type")
            and args[i - 1] != "--vcpu-type"]
    h = hashlib.sha384(" ".join(keep).encode()).hexdigest()
    if args[args.index("--coco") + 1].startswith("sev"):
        h = h[:64]
    if args[0] == "boot" and "--dry-run" in args:
        print("plan: fake")
        print("measurement: " + h)
    elif args[0] == "measure":
        print(h)
    else:
        sys.stderr.write("cvmm: --coco: KVM does not offer it here\n")
        return 1
    return 0


def main():
    mode = os.environ.get("FAKE_CVMM_MODE", "")
    args = sys.argv[1:]
    if mode not in MODES:
        sys.exit("fake_cvmm: unknown FAKE_CVMM_MODE %r" % mode)
    if mode.startswith("hw-"):
        return hw(mode, args)
    if mode.startswith("x87-"):
        return x87(mode, args)
    if mode == "coco-self-consistent":
        return self_consistent(args)
    if mode == "bench-idle-dies":
        if any("idle" in x for x in args):
            sys.stderr.write("cvmm: fake: dies\n")
            return 1
        return 65 if "--debug-exit" in args else 0
    if mode == "bench-status-0":
        if any("idle" in x for x in args):
            wait_for_signal()
        return 0
    if mode == "sleep":
        time.sleep(3600)
    if mode == "exit-130":
        return 130
    if mode == "idle-no-raw":
        on_signals()
        print("idle: halting", flush=True)
        wait_for_signal()
    if mode == "garbage-other-line":
        sys.stderr.write("cvmm: garbage.bin: cannot map the kernel: out of luck\n"
                         "no HdrS signature\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
