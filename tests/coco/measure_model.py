#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""An independent model of the launch measurements, for checking cvmm.

Written for the tests from the published descriptions alone
(/work/shared/reference/attest-anchors.md §1 and §2: sev-snp-measure's
algorithm, the SNP firmware ABI's PAGE_INFO, the TDX module's MRTD records)
with hashlib: it shares no code with cvmm's C implementation, so a wrong
byte in cvmm's PAGE_INFO, VMSA, kernel-hashes table or MRTD records makes
the two disagree.  It is itself checked against sev-snp-measure's expected
digests (tests/data/measure/sev-snp-measure/expected_digests.json) and
VMSA pages (derived/) before it is used as a reference (--self-test).

QEMU's launch only (cvmm's --vmm cvmm is the same launch): no EC2/GCE
variants, no SVSM.  TDX: KVM's per-page order (PAGE.ADD, then its 16
MR.EXTENDs).  There is no external MRTD vector with its input at hand
(shared/vectors/PROVENANCE.md §4: the firmware behind the published MRTDs
cannot be copied here), so TDX MRTD is checked against this model only.

usage: measure_model.py --coco sev|sev-es|snp|tdx --firmware PATH [--cpus N]
                        [--vcpu-sig HEX] [--guest-features HEX]
                        [--kernel PATH [--initrd PATH] [--cmdline STR]]
       measure_model.py --self-test DATA-DIR
Prints the digest (hex), like `cvmm measure`.
"""
import argparse
import hashlib
import json
import os
import struct
import sys
import uuid

FOOTER_GUID = "96b582de-1fb2-45f7-baea-a366c55a082d"
SEV_ES_RESET_GUID = "00f771de-1a7e-4fcb-890e-68c77e2fb44e"
SEV_HASH_TABLE_GUID = "7255371f-3a3b-4b04-927b-1da6efa8d454"
SEV_META_GUID = "dc886566-984a-4798-a75e-5585a7bf67cc"
TDX_META_GUID = "e47a6535-984a-4798-865e-4685a7bf8ec2"

SEC_MEM, SECRETS, CPUID, SVSM_CAA, KERNEL_HASHES = 1, 2, 3, 4, 0x10
PAGE_NORMAL, PAGE_VMSA, PAGE_ZERO, PAGE_UNMEASURED, PAGE_SECRETS, PAGE_CPUID = 1, 2, 3, 4, 5, 6
VMSA_GPA = 0xFFFFFFFFF000
EPYC_V4 = 0x800F12


class ModelError(Exception):
    pass


# ---------------------------------------------------------------- firmware

def guid_table(fw):
    """{guid: data} from the footer GUID table (entries walked backwards)."""
    end = len(fw) - 32
    if end < 18 or str(uuid.UUID(bytes_le=fw[end - 16:end])) != FOOTER_GUID:
        return {}
    size = struct.unpack_from("<H", fw, end - 18)[0]
    start = end - size
    pos = end - 18
    out = {}
    while pos > start:
        g = str(uuid.UUID(bytes_le=fw[pos - 16:pos]))
        n = struct.unpack_from("<H", fw, pos - 18)[0]
        if n < 18 or pos - n < start:
            break
        out[g] = fw[pos - n:pos - 18]
        pos -= n
    return out


def sev_sections(fw, table):
    if SEV_META_GUID not in table:
        return []
    off = len(fw) - struct.unpack_from("<I", table[SEV_META_GUID])[0]
    sig, _, _, n = struct.unpack_from("<4sIII", fw, off)
    if sig != b"ASEV":
        raise ModelError("no ASEV metadata")
    return [struct.unpack_from("<III", fw, off + 16 + 12 * i) for i in range(n)]


def tdvf_sections(fw, table):
    if TDX_META_GUID not in table:
        raise ModelError("no TDVF metadata")
    off = len(fw) - struct.unpack_from("<I", table[TDX_META_GUID])[0]
    sig, _, _, n = struct.unpack_from("<4sIII", fw, off)
    if sig != b"TDVF":
        raise ModelError("no TDVF descriptor")
    return [struct.unpack_from("<IIQQII", fw, off + 16 + 32 * i) for i in range(n)]


# ---------------------------------------------------------------- pieces

def hashes_table(kernel, initrd, cmdline):
    """QEMU's 176-byte kernel-hashes table (the 168-byte struct, padded)."""
    def entry(g, h):
        return uuid.UUID(g).bytes_le + struct.pack("<H", 50) + h
    body = entry("97d02dd8-bd20-4c94-aa78-e7714d36ab2a",
                 hashlib.sha256((cmdline or "").encode() + b"\0").digest())
    body += entry("44baf731-3a2f-4bd7-9af1-41e29169781d", hashlib.sha256(initrd or b"").digest())
    body += entry("4de79437-abd2-427f-b835-d5b172d2045b", hashlib.sha256(kernel).digest())
    t = uuid.UUID("9438d606-4f22-4cc9-b479-a793d411fd21").bytes_le + struct.pack("<H", 168) + body
    return t + bytes(176 - len(t))


def vmsa(eip, sig, features):
    """QEMU's VMSA page for a vCPU starting at @eip."""
    p = bytearray(4096)

    def seg(off, sel, attr, limit, base):
        struct.pack_into("<HHIQ", p, off, sel, attr, limit, base)
    for off in (0x00, 0x30, 0x40, 0x50):		# es, ds, fs, gs
        seg(off, 0, 0x93, 0xFFFF, 0)
    seg(0x10, 0xF000, 0x9B, 0xFFFF, eip & 0xFFFF0000)	# cs
    seg(0x20, 0, 0x93, 0xFFFF, 0)			# ss
    seg(0x60, 0, 0, 0xFFFF, 0)				# gdtr
    seg(0x70, 0, 0x82, 0xFFFF, 0)			# ldtr
    seg(0x80, 0, 0, 0xFFFF, 0)				# idtr
    seg(0x90, 0, 0x8B, 0xFFFF, 0)			# tr
    for off, v in ((0xD0, 0x1000), (0x148, 0x40), (0x158, 0x10), (0x160, 0x400),
                   (0x168, 0xFFFF0FF0), (0x170, 0x2), (0x178, eip & 0xFFFF),
                   (0x268, 0x0007040600070406), (0x310, sig), (0x3B0, features),
                   (0x3E8, 1)):
        struct.pack_into("<Q", p, off, v)
    struct.pack_into("<I", p, 0x408, 0x1F80)
    struct.pack_into("<H", p, 0x410, 0x37F)
    return bytes(p)


def ap_eip(table):
    if SEV_ES_RESET_GUID not in table:
        raise ModelError("no SEV-ES reset block")
    return struct.unpack_from("<I", table[SEV_ES_RESET_GUID])[0]


def vmsas(table, cpus, sig, features):
    return [vmsa(0xFFFFFFF0, sig, features)] + \
           [vmsa(ap_eip(table), sig, features)] * (cpus - 1)


class PageInfo:
    """The SNP launch digest: LD' = SHA-384(PAGE_INFO(LD, ...))."""

    def __init__(self, seed=None):
        self.ld = seed or bytes(48)

    def update(self, typ, gpa, contents=bytes(48)):
        info = self.ld + contents + struct.pack("<HBBBBBBQ", 0x70, typ, 0, 0, 0, 0, 0, gpa)
        assert len(info) == 0x70
        self.ld = hashlib.sha384(info).digest()

    def pages(self, typ, gpa, data):
        for off in range(0, len(data), 4096):
            page = data[off:off + 4096]
            self.update(typ, gpa + off, hashlib.sha384(page).digest())


# ---------------------------------------------------------------- digests

def sev(fw, kernel=None, initrd=None, cmdline=None, es=False, cpus=1, sig=EPYC_V4):
    table = guid_table(fw)
    h = hashlib.sha256(fw)
    if kernel is not None:
        if SEV_HASH_TABLE_GUID not in table or \
                not struct.unpack_from("<I", table[SEV_HASH_TABLE_GUID])[0]:
            raise ModelError("Kernel specified but OVMF doesn't support kernel/initrd/cmdline "
                             "measurement")
        h.update(hashes_table(kernel, initrd, cmdline))
    if es:
        for page in vmsas(table, cpus, sig, 0):
            h.update(page)
    return h.hexdigest()


def snp(fw, kernel=None, initrd=None, cmdline=None, cpus=1, sig=EPYC_V4, features=1,
        seed=None, firmware_only=False):
    table = guid_table(fw)
    g = PageInfo(seed)
    if seed is None:
        g.pages(PAGE_NORMAL, (1 << 32) - len(fw), fw)
    if firmware_only:
        return g.ld.hex()
    sections = sev_sections(fw, table)
    if kernel is not None and not any(t == KERNEL_HASHES for _, _, t in sections):
        raise ModelError("Kernel specified but OVMF metadata doesn't include "
                         "SNP_KERNEL_HASHES section")
    for gpa, size, typ in sections:
        if typ in (SEC_MEM, SVSM_CAA):
            for off in range(0, size, 4096):
                g.update(PAGE_ZERO, gpa + off)
        elif typ == SECRETS:
            g.update(PAGE_SECRETS, gpa)
        elif typ == CPUID:
            g.update(PAGE_CPUID, gpa)
        elif typ == KERNEL_HASHES:
            if kernel is None:
                for off in range(0, size, 4096):
                    g.update(PAGE_ZERO, gpa + off)
            else:
                at = struct.unpack_from("<I", table[SEV_HASH_TABLE_GUID])[0]
                page = bytearray(4096)
                t = hashes_table(kernel, initrd, cmdline)
                page[at & 0xFFF:(at & 0xFFF) + len(t)] = t
                g.pages(PAGE_NORMAL, gpa, bytes(page))
        else:
            raise ModelError("unknown SEV metadata section type %d" % typ)
    for page in vmsas(table, cpus, sig, features):
        g.update(PAGE_VMSA, VMSA_GPA, hashlib.sha384(page).digest())
    return g.ld.hex()


def tdx(fw):
    """MRTD, KVM's per-page order: PAGE.ADD, then its 16 MR.EXTENDs."""
    h = hashlib.sha384()

    def record(tag, gpa):
        buf = bytearray(128)
        buf[:len(tag)] = tag
        struct.pack_into("<Q", buf, 16, gpa)
        h.update(buf)
    for data_off, raw, gpa, size, _typ, attr in tdvf_sections(fw, guid_table(fw)):
        if attr & 2:		# PAGE_AUG: added later by the guest, not measured
            continue
        data = fw[data_off:data_off + raw] + bytes(max(0, size - raw))
        for page in range(0, size, 4096):
            record(b"MEM.PAGE.ADD", gpa + page)
            if attr & 1:
                for c in range(page, page + 4096, 256):
                    record(b"MR.EXTEND", gpa + c)
                    h.update(data[c:c + 128])
                    h.update(data[c + 128:c + 256])
    return h.hexdigest()


def measure(coco, fw, cpus=1, sig=EPYC_V4, features=1, kernel=None, initrd=None,
            cmdline=None):
    if coco == "sev":
        return sev(fw, kernel, initrd, cmdline)
    if coco == "sev-es":
        return sev(fw, kernel, initrd, cmdline, es=True, cpus=cpus, sig=sig)
    if coco == "snp":
        return snp(fw, kernel, initrd, cmdline, cpus, sig, features)
    if coco == "tdx":
        return tdx(fw)
    raise ModelError("unknown platform %s" % coco)


# ---------------------------------------------------------------- self test

def self_test(data):
    """The model against sev-snp-measure's expected values; returns failures."""
    d = os.path.join(data, "measure", "sev-snp-measure")
    with open(os.path.join(d, "expected_digests.json")) as f:
        cases = json.load(f)["cases"]
    errors, done = [], 0
    for c in cases:
        if c["mode"] == "snp:svsm" or (c["vmm_type"] or "QEMU") != "QEMU":
            continue			# not modelled (SVSM, EC2, GCE)
        with open(os.path.join(d, c["ovmf"]), "rb") as f:
            fw = f.read()
        sig = EPYC_V4 if c["vcpu_type"] in ("EPYC-v4", None) else None
        feats = int(c["guest_features"] or "0x1", 16)
        kern = b"" if c["kernel"] else None
        initrd = b"" if c["initrd"] else None
        try:
            if c["mode"] == "snp:ovmf-hash":
                got = snp(fw, firmware_only=True)
            elif c["mode"] == "snp":
                seed = bytes.fromhex(c["snp_ovmf_hash"]) if c["snp_ovmf_hash"] else None
                got = snp(fw, kern, initrd, c["append"], c["vcpus"] or 1, sig, feats, seed)
            else:
                got = sev(fw, kern, initrd, c["append"], es=c["mode"] == "seves",
                          cpus=c["vcpus"] or 1, sig=sig)
        except ModelError as e:
            got = "ERROR: %s" % e
        done += 1
        if got != c["expected"]:
            errors.append("%s: model %s, sev-snp-measure %s" % (c["test"], got, c["expected"]))
    table = guid_table(open(os.path.join(d, "ovmf_AmdSev_suffix.bin"), "rb").read())
    for name, page in (("vmsa_snp_qemu_epycv4_feat0x1_bsp.bin", vmsas(table, 1, EPYC_V4, 1)[0]),
                       ("vmsa_snp_qemu_epycv4_feat0x21_ap.bin", vmsas(table, 2, EPYC_V4, 0x21)[1]),
                       ("vmsa_seves_qemu_epycv4_bsp.bin", vmsas(table, 1, EPYC_V4, 0)[0])):
        with open(os.path.join(d, "derived", name), "rb") as f:
            if f.read() != page:
                errors.append("VMSA %s differs from sev-snp-measure's" % name)
        done += 1
    return done, errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--coco", choices=("sev", "sev-es", "snp", "tdx"))
    ap.add_argument("--firmware")
    ap.add_argument("--cpus", type=int, default=1)
    ap.add_argument("--vcpu-sig", default="0x800f12")
    ap.add_argument("--guest-features", default="0x1")
    ap.add_argument("--kernel")
    ap.add_argument("--initrd")
    ap.add_argument("--cmdline")
    ap.add_argument("--self-test", metavar="DATA-DIR")
    a = ap.parse_args()
    if a.self_test:
        done, errors = self_test(a.self_test)
        for e in errors:
            print("FAIL:", e)
        print("%d reference values, %d differ" % (done, len(errors)))
        return 1 if errors else 0
    if not a.coco or not a.firmware:
        ap.error("--coco and --firmware are needed")

    def rd(p):
        if p is None:
            return None
        with open(p, "rb") as f:
            return f.read()
    try:
        print(measure(a.coco, rd(a.firmware), a.cpus, int(a.vcpu_sig, 16),
                      int(a.guest_features, 16), rd(a.kernel), rd(a.initrd),
                      a.cmdline if a.kernel else None))
    except ModelError as e:
        sys.exit("measure_model: %s" % e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
