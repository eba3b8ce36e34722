#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""A small IGVM writer for cvmm's tests (not a user-facing tool).

Wraps a firmware ROM (cvmm's test firmware, or any ROM mapped to end at
4 GiB) into an IGVM file for the native and SEV-SNP (and, for selection
tests, TDX) platforms:

  - the ROM as PAGE_DATA for every platform (identical pages share their
    file data);
  - SNP: the pages the ROM's SEV metadata names (OVMF/stage0 GUID table:
    SEC_MEM and SVSM_CAA and KERNEL_HASHES as pages without data, SECRETS,
    CPUID with a template), in metadata order, then one VP_CONTEXT per vCPU
    with the VMSA cvmm's launch plan gives that vCPU (QEMU's reset state:
    coco/plan_vcpu.c), at KVM's fixed GPA;
  - optionally a native VP context (the real-mode reset state), a
    GUEST_POLICY, a parameter area with VP_COUNT / MEMORY_MAP /
    COMMAND_LINE / ENVIRONMENT_INFO and its PARAMETER_INSERT, an SNP ID
    block signed with P-384 keys, and the extra directives that pin the
    digest rules (shared, unmeasured, 2 MiB zero page, a page after the VP
    context, an unknown optional header).

Layout (igvm_defs): fixed header v1 (24 bytes), variable headers at 24,
8-byte aligned and zero padded, then the file data; CRC32 (zlib's) over the
fixed header with its checksum field zeroed and the variable headers.
"""
import argparse
import struct
import sys
import uuid
import zlib

PAGE = 4096
MAGIC = 0x4D564749
VMSA_GPA = 0xFFFFFFFFF000

VHT = {
    'SUPPORTED_PLATFORM': 0x1, 'GUEST_POLICY': 0x101, 'PARAMETER_AREA': 0x301,
    'PAGE_DATA': 0x302, 'PARAMETER_INSERT': 0x303, 'VP_CONTEXT': 0x304,
    'REQUIRED_MEMORY': 0x305, 'VP_COUNT': 0x307, 'SNP_ID_BLOCK': 0x30B,
    'MEMORY_MAP': 0x30C, 'ERROR_RANGE': 0x30D, 'COMMAND_LINE': 0x30E,
    'ENVIRONMENT_INFO': 0x313,
}
PLATFORM = {'native': 0, 'snp': 2, 'tdx': 3}
PAGE_2MB, PAGE_UNMEASURED, PAGE_SHARED = 1, 2, 4
DT_NORMAL, DT_SECRETS, DT_CPUID = 0, 1, 2


class Writer:
    """Records in order; file data shared by content; offsets fixed at build()."""

    def __init__(self, dedupe=True):
        self.records = []          # (type, fn(data_base) -> bytes)
        self.data = bytearray()
        self.offsets = {}
        self.dedupe = dedupe

    def put_data(self, blob):
        """Relative offset of blob in the data section."""
        blob = bytes(blob)
        if self.dedupe and blob in self.offsets:
            return self.offsets[blob]
        off = len(self.data)
        self.data += blob
        self.offsets.setdefault(blob, off)
        return off

    def raw(self, typ, body):
        self.records.append((typ, lambda base, b=body: b))

    def with_data(self, typ, blob, pack):
        """A record whose file_offset field points at blob (None: offset 0)."""
        rel = None if blob is None else self.put_data(blob)
        self.records.append((typ, lambda base: pack(0 if rel is None else base + rel)))

    def build(self):
        var_len = sum(8 + (len(fn(0)) + 7) // 8 * 8 for _, fn in self.records)
        base = 24 + var_len
        var = bytearray()
        for typ, fn in self.records:
            body = fn(base)
            var += struct.pack('<II', typ, len(body)) + body
            var += bytes(-len(body) % 8)
        assert len(var) == var_len
        total = base + len(self.data)
        hdr = struct.pack('<IIIIII', MAGIC, 1, 24, var_len, total, 0)
        crc = zlib.crc32(hdr + var) & 0xffffffff
        hdr = hdr[:20] + struct.pack('<I', crc)
        return bytes(hdr + var + self.data)

    # ---- records ---------------------------------------------------------
    def platform(self, mask, ptype):
        self.raw(VHT['SUPPORTED_PLATFORM'], struct.pack('<IBBHQ', mask, 0, ptype, 1, 0))

    def policy(self, mask, policy):
        self.raw(VHT['GUEST_POLICY'], struct.pack('<QII', policy, mask, 0))

    def page(self, mask, gpa, data=None, flags=0, dtype=DT_NORMAL):
        self.with_data(VHT['PAGE_DATA'], data,
                       lambda off: struct.pack('<QIIIHH', gpa, mask, off, flags, dtype, 0))

    def area(self, index, size, data=None):
        self.with_data(VHT['PARAMETER_AREA'], data,
                       lambda off: struct.pack('<QII', size, index, off))

    def param(self, typ, index, offset):
        self.raw(VHT[typ], struct.pack('<II', index, offset))

    def insert(self, mask, gpa, index):
        self.raw(VHT['PARAMETER_INSERT'], struct.pack('<QII', gpa, mask, index))

    def vp_context(self, mask, gpa, vp_index, data):
        self.with_data(VHT['VP_CONTEXT'], data,
                       lambda off: struct.pack('<QIIHH', gpa, mask, off, vp_index, 0))

    def id_block(self, mask, blk):
        self.raw(VHT['SNP_ID_BLOCK'], struct.pack('<I', mask) + blk)


# ---- the firmware's SEV metadata (OVMF footer GUID table) ------------------
FOOTER_GUID = uuid.UUID('96b582de-1fb2-45f7-baea-a366c55a082d').bytes_le
SEV_META_GUID = uuid.UUID('dc886566-984a-4798-a75e-5585a7bf67cc').bytes_le
RESET_BLOCK_GUID = uuid.UUID('00f771de-1a7e-4fcb-890e-68c77e2fb44e').bytes_le


def guid_table(rom):
    """{guid: data} of the footer GUID table, or {} without one."""
    end = len(rom) - 32
    if end < 18 or rom[end - 16:end] != FOOTER_GUID:
        return {}
    size = struct.unpack_from('<H', rom, end - 18)[0]
    start, pos, out = end - size, end - 18, {}
    while pos - 18 >= start:
        esize = struct.unpack_from('<H', rom, pos - 18)[0]
        guid = rom[pos - 16:pos]
        if esize < 18 or pos - esize < start:
            break
        out[guid] = rom[pos - esize:pos - 18]
        pos -= esize
    return out


def sev_sections(rom):
    """[(gpa, size, type)] of the SEV metadata ("ASEV"), or []."""
    t = guid_table(rom)
    if SEV_META_GUID not in t:
        return []
    off = struct.unpack_from('<I', t[SEV_META_GUID])[0]
    h = len(rom) - off
    sig, _size, _ver, n = struct.unpack_from('<4sIII', rom, h)
    assert sig == b'ASEV'
    return [struct.unpack_from('<III', rom, h + 16 + 12 * i) for i in range(n)]


def ap_reset_eip(rom):
    t = guid_table(rom)
    return struct.unpack_from('<I', t[RESET_BLOCK_GUID])[0] if RESET_BLOCK_GUID in t else None


# ---- vCPU state --------------------------------------------------------------
def snp_vmsa(eip, sig, features):
    """QEMU's (and cvmm's plan's) reset VMSA for a vCPU starting at eip."""
    v = bytearray(PAGE)
    segs = [(0, 0x93, 0xffff, 0), (0xf000, 0x9b, 0xffff, eip & 0xffff0000),
            (0, 0x93, 0xffff, 0), (0, 0x93, 0xffff, 0), (0, 0x93, 0xffff, 0),
            (0, 0x93, 0xffff, 0), (0, 0, 0xffff, 0), (0, 0x82, 0xffff, 0),
            (0, 0, 0xffff, 0), (0, 0x8b, 0xffff, 0)]
    for i, s in enumerate(segs):        # es cs ss ds fs gs gdtr ldtr idtr tr
        struct.pack_into('<HHIQ', v, 16 * i, *s)
    for off, val in ((0xd0, 0x1000), (0x148, 0x40), (0x158, 0x10), (0x160, 0x400),
                     (0x168, 0xffff0ff0), (0x170, 2), (0x178, eip & 0xffff),
                     (0x268, 0x0007040600070406), (0x310, sig), (0x3b0, features),
                     (0x3e8, 1)):
        struct.pack_into('<Q', v, off, val)
    struct.pack_into('<I', v, 0x408, 0x1f80)
    struct.pack_into('<H', v, 0x410, 0x37f)
    return bytes(v)


def native_context(sig, cs_sel=0xf000, cs_base=0xffff0000, rip=0xfff0):
    """IgvmNativeVpContextX64 of the real-mode reset state (or another real-mode
    entry CS:RIP), padded to 4 KiB."""
    gprs = [0, 0, sig, 0, 0, 0, 0, 0] + [0] * 8 + [rip, 2, 0]      # .., rip, rflags, idtr base
    c = struct.pack('<19Q', *gprs)
    c += struct.pack('<HHHHQ', 0xffff, 0, 0, 0xffff, 0)              # idtr limit, rsvd, gdtr
    c += struct.pack('<HHII', cs_sel, 0x9b, cs_base, 0xffff)         # code
    c += struct.pack('<HHII', 0, 0x93, 0, 0xffff)                    # data
    c += struct.pack('<5Q', 0, 0x10, 0, 0, 0)                        # gs base, cr0, cr3, cr4, efer
    assert len(c) == 0xe8
    return c + bytes(PAGE - len(c))


def cpuid_template():
    """An SNP CPUID page template: count 2, leaves 0 and 1 (outputs zero)."""
    page = bytearray(PAGE)
    struct.pack_into('<I', page, 0, 2)
    struct.pack_into('<IIQQ', page, 16, 0, 0, 1, 0)
    struct.pack_into('<IIQQ', page, 16 + 48, 1, 0, 1, 0)
    return bytes(page)


# ---- the SNP ID block ------------------------------------------------------
def signed_id_block(ld, policy, id_key_pem, author_key_pem=None, family=b'', image=b'',
                    svn=0):
    """IGVM_VHS_SNP_ID_BLOCK (after its mask) signed like the PSP checks it."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils

    def key(pem):
        return serialization.load_pem_private_key(open(pem, 'rb').read(), None)

    def pub(k):       # curve u32, reserved u32, qx[72], qy[72] (little endian)
        n = k.public_key().public_numbers()
        return struct.pack('<II', 2, 0) + n.x.to_bytes(72, 'little') + n.y.to_bytes(72, 'little')

    def sign(k, data):
        r, s = utils.decode_dss_signature(k.sign(data, ec.ECDSA(hashes.SHA384())))
        return r.to_bytes(72, 'little') + s.to_bytes(72, 'little')

    family, image = family.ljust(16, b'\0'), image.ljust(16, b'\0')
    psp_block = ld + family + image + struct.pack('<IIQ', 1, svn, policy)
    idk = key(id_key_pem)
    idpub = pub(idk)
    id_sig = sign(idk, psp_block)
    if author_key_pem:
        ak = key(author_key_pem)
        apub = pub(ak)
        # the PSP signs the ID key as the 0x404-byte structure: curve, qx, qy, zeros
        psp_idkey = struct.pack('<I', 2) + idpub[8:] + bytes(0x404 - 148)
        author_sig = sign(ak, psp_idkey)
    else:
        apub, author_sig = bytes(152), bytes(144)
    return (struct.pack('<B3x', 1 if author_key_pem else 0) + ld + family + image +
            struct.pack('<IIII', 1, svn, 1, 1 if author_key_pem else 0) +
            id_sig + idpub + author_sig + apub)


# ---- the file ---------------------------------------------------------------
def build(rom, platforms=('native', 'snp'), vcpus=1, sig=0xa00f11, features=0x1,
          policy=None, param_pages=0, param_gpa=0x3000, native_ctx=False,
          id_block=None, extra=(), dedupe=True, optional_unknown=False, sections=None,
          native_entry=None):
    """The IGVM file's bytes; sections: [(gpa, size, SEV type)] instead of the ROM's;
    native_entry: (gpa, code), a native page of real-mode code vCPU 0 starts at."""
    w = Writer(dedupe)
    masks = {}
    for i, name in enumerate(platforms):
        masks[name] = 1 << i
        w.platform(1 << i, PLATFORM[name])
    everyone = sum(masks.values())
    snp = masks.get('snp', 0)
    if policy is not None and snp:
        w.policy(snp, policy)
    if optional_unknown:
        w.raw(0x80000350, b'optional and unknown')
    base = (1 << 32) - len(rom)
    for off in range(0, len(rom), PAGE):
        w.page(everyone, base + off, rom[off:off + PAGE])
    if snp:
        snp_metadata_pages(w, snp, sev_sections(rom) if sections is None else sections)
    if param_pages:
        params(w, everyone, param_pages, param_gpa)
    for kind, gpa in extra:
        extra_page(w, snp, kind, gpa, before_vmsa=True)
    if snp:
        ap_eip = ap_reset_eip(rom) or 0xfffffff0
        for i in range(vcpus):
            w.vp_context(snp, VMSA_GPA, i, snp_vmsa(0xfffffff0 if i == 0 else ap_eip,
                                                    sig, features))
    if native_entry and 'native' in masks:
        gpa, code = native_entry
        w.page(masks['native'], gpa, bytes(code).ljust(PAGE, b'\0'))
        w.vp_context(masks['native'], 0, 0, native_context(sig, gpa >> 4, gpa, 0))
    elif native_ctx and 'native' in masks:
        w.vp_context(masks['native'], 0, 0, native_context(sig))
    for kind, gpa in extra:
        extra_page(w, snp, kind, gpa, before_vmsa=False)
    if id_block is not None and snp:
        w.id_block(snp, id_block)
    return w.build()


def snp_metadata_pages(w, mask, sections):
    for gpa, size, typ in sections:
        for off in range(0, size, PAGE):
            if typ == 2:
                w.page(mask, gpa + off, None, 0, DT_SECRETS)
            elif typ == 3:
                w.page(mask, gpa + off, cpuid_template(), 0, DT_CPUID)
            else:               # SEC_MEM, SVSM_CAA, KERNEL_HASHES (no kernel)
                w.page(mask, gpa + off)


def params(w, mask, pages, gpa):
    size = pages * PAGE
    w.area(0, size)
    w.param('VP_COUNT', 0, 0)
    w.param('ENVIRONMENT_INFO', 0, 4)
    w.param('COMMAND_LINE', 0, 8)
    w.param('MEMORY_MAP', 0, size - 10 * 24)
    w.insert(mask, gpa, 0)


def extra_page(w, mask, kind, gpa, before_vmsa):
    if (kind == 'after-vmsa') == before_vmsa:
        return
    if kind == 'shared':
        w.page(mask, gpa, b'shared page'.ljust(PAGE, b'\0'), PAGE_SHARED)
    elif kind == 'unmeasured':
        w.page(mask, gpa, b'unmeasured page'.ljust(PAGE, b'\0'), PAGE_UNMEASURED)
    elif kind == 'zero-2m':
        w.page(mask, gpa, None, PAGE_2MB)
    elif kind == 'after-vmsa':
        w.page(mask, gpa, b'after the VMSA'.ljust(PAGE, b'\0'))
    else:
        raise ValueError(kind)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-o', '--output', required=True)
    ap.add_argument('--rom', required=True)
    ap.add_argument('--platforms', default='native,snp')
    ap.add_argument('--vcpus', type=int, default=1)
    ap.add_argument('--vcpu-sig', type=lambda s: int(s, 16), default=0xa00f11)
    ap.add_argument('--features', type=lambda s: int(s, 16), default=0x1)
    ap.add_argument('--policy', type=lambda s: int(s, 16))
    ap.add_argument('--params', type=int, default=0, metavar='PAGES')
    ap.add_argument('--param-gpa', type=lambda s: int(s, 16), default=0x3000)
    ap.add_argument('--native-ctx', action='store_true')
    ap.add_argument('--native-entry', metavar='GPA:HEXCODE',
                    help='a native page of real-mode code at GPA where vCPU 0 starts')
    ap.add_argument('--id-key')
    ap.add_argument('--author-key')
    ap.add_argument('--id-ld', default='00' * 48, help='launch digest in the ID block')
    ap.add_argument('--extra', action='append', default=[], metavar='KIND:GPA',
                    help='shared, unmeasured, zero-2m or after-vmsa page at GPA (snp)')
    ap.add_argument('--optional-unknown', action='store_true')
    ap.add_argument('--no-dedupe', action='store_true')
    a = ap.parse_args()
    rom = open(a.rom, 'rb').read()
    extra = [(k, int(g, 16)) for k, g in (e.split(':') for e in a.extra)]
    blk = None
    if a.id_key:
        blk = signed_id_block(bytes.fromhex(a.id_ld), a.policy or 0x30000, a.id_key,
                              a.author_key)
    data = build(rom, tuple(a.platforms.split(',')), a.vcpus, a.vcpu_sig, a.features,
                 a.policy, a.params, a.param_gpa, a.native_ctx, blk, extra,
                 not a.no_dedupe, a.optional_unknown,
                 native_entry=((int(a.native_entry.split(':')[0], 16),
                                bytes.fromhex(a.native_entry.split(':')[1]))
                               if a.native_entry else None))
    with open(a.output, 'wb') as f:
        f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
