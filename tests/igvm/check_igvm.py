#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of src/igvm through igvm-tool, against an independent model.

The SNP launch digest of every test file is recomputed here from the file's
bytes with hashlib, by a reader written from the IGVM definitions and the
PAGE_INFO description (shared/reference/igvm.md, attest-anchors.md 1.4),
not from src/igvm: for both zero-page semantics, and for each rule where
the references disagree both ways, so that the test pins the rule cvmm
follows (QEMU's) and fails if it drifts to the other.
"""
import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mkigvm  # noqa: E402

PAGE = 4096
NORMAL, VMSA, ZERO, UNMEASURED, SECRETS, CPUID = 1, 2, 3, 4, 5, 6
FAILS = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        FAILS.append(what)


# ---- an independent reader and digest ---------------------------------------
def read_igvm(data):
    """(platforms {type: mask}, directives [(type, fields)]) from the bytes."""
    magic, _ver, var_off, var_len, total, _crc = struct.unpack_from('<IIIIII', data)
    assert magic == 0x4D564749 and total == len(data)
    plats, dirs, pos = {}, [], var_off
    while pos < var_off + var_len:
        typ, length = struct.unpack_from('<II', data, pos)
        body = data[pos + 8:pos + 8 + length]
        pos += 8 + (length + 7) // 8 * 8
        typ &= 0x7fffffff
        if typ == 0x1:
            mask, _vtl, ptype = struct.unpack_from('<IBB', body)
            plats[ptype] = mask
        elif typ == 0x302:
            gpa, mask, off, flags, dt = struct.unpack_from('<QIIIH', body)
            dirs.append(('page', dict(gpa=gpa, mask=mask, flags=flags, dt=dt,
                                      data=data[off:off + PAGE] if off else None)))
        elif typ == 0x301:
            size, index, _off = struct.unpack_from('<QII', body)
            dirs.append(('area', dict(size=size, index=index)))
        elif typ == 0x303:
            gpa, mask, index = struct.unpack_from('<QII', body)
            dirs.append(('insert', dict(gpa=gpa, mask=mask, index=index)))
        elif typ == 0x304:
            gpa, mask, off, vp = struct.unpack_from('<QIIH', body)
            dirs.append(('vp', dict(gpa=gpa, mask=mask, vp=vp, data=data[off:off + PAGE])))
    return plats, dirs


def page_info(ld, contents, ptype, gpa):
    return hashlib.sha384(ld + contents + struct.pack('<HBBBBBBQ', 0x70, ptype, 0, 0, 0,
                                                      0, 0, gpa)).digest()


def py_digest(data, zero='normal', insert_pages='area', vmsa_last=True, shared='measure'):
    """The SNP digest; the keyword arguments select between the references' rules.

    cvmm (QEMU): insert_pages='area', vmsa_last=True, shared='measure'.
    igvmmeasure: insert_pages='one', vmsa_last=False; the IGVM definition's
    reading of SHARED: shared='unmeasured'.
    """
    plats, dirs = read_igvm(data)
    mask, ld, areas, vmsas = plats[2], bytes(48), {}, []
    zeros = bytes(PAGE)

    def fold(ptype, gpa, contents=bytes(48)):
        nonlocal ld
        ld = page_info(ld, contents, ptype, gpa)

    for kind, d in dirs:
        if kind == 'area':
            areas[d['index']] = d['size']
        if kind not in ('page', 'insert', 'vp') or not d['mask'] & mask:
            continue
        if kind == 'insert':
            n = areas[d['index']] // PAGE if insert_pages == 'area' else 1
            for i in range(n):
                fold(UNMEASURED, d['gpa'] + i * PAGE)
        elif kind == 'vp':
            vmsas.append(d)
            if not vmsa_last:
                fold(VMSA, 0xFFFFFFFFF000, hashlib.sha384(d['data']).digest())
        else:
            for i in range(512 if d['flags'] & 1 else 1):
                gpa = d['gpa'] + i * PAGE
                if d['dt'] == 1:
                    fold(SECRETS, gpa)
                elif d['dt'] in (2, 3):
                    fold(CPUID, gpa)
                elif d['flags'] & 2 or (d['flags'] & 4 and shared == 'unmeasured'):
                    fold(UNMEASURED, gpa)
                elif d['data'] is not None:
                    fold(NORMAL, gpa, hashlib.sha384(d['data']).digest())
                elif zero == 'zero':
                    fold(ZERO, gpa)
                else:
                    fold(NORMAL, gpa, hashlib.sha384(zeros).digest())
    if vmsa_last:
        for d in sorted(vmsas, key=lambda d: d['vp']):
            fold(VMSA, 0xFFFFFFFFF000, hashlib.sha384(d['data']).digest())
    return ld.hex()


# ---- running the tools ------------------------------------------------------
def run(argv):
    p = subprocess.run([str(a) for a in argv], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def tool_digest(a, path, zero):
    rc, out, err = run([a.tool, 'digest', path, '--zero', zero])
    if rc:
        print(err, end='')
        return None
    return out.split()[-1]


class Files:
    def __init__(self, tmp, rom):
        self.tmp, self.rom, self.n = tmp, rom, 0

    def make(self, data=None, **kw):
        self.n += 1
        path = os.path.join(self.tmp, 'f%d.igvm' % self.n)
        with open(path, 'wb') as f:
            f.write(data if data is not None else mkigvm.build(self.rom, **kw))
        return path


def check_digests(a, files):
    variants = {
        'testfw native+snp': {},
        'testfw 2 vCPUs, policy, params': dict(vcpus=2, policy=0x30000, param_pages=1),
        'testfw snp only, features 0x21': dict(platforms=('snp',), features=0x21),
        'no dedupe, native context': dict(dedupe=False, native_ctx=True),
        'unknown optional header': dict(optional_unknown=True),
    }
    for name, kw in variants.items():
        path = files.make(**kw)
        data = open(path, 'rb').read()
        for zero in ('normal', 'zero'):
            check(tool_digest(a, path, zero) == py_digest(data, zero),
                  'digest (%s zero pages) of %s equals the Python chain' % (zero, name))


def check_rules(a, files):
    """Each rule where the references disagree: cvmm's (QEMU's) and not the other."""
    cases = [
        ('a 2-page parameter area is inserted as 2 UNMEASURED pages (QEMU), '
         'not 1 (igvmmeasure)', dict(param_pages=2), dict(insert_pages='one')),
        ('a page after the VP context is measured before the VMSA (KVM measures VMSAs '
         'at SNP_LAUNCH_FINISH), not in file order (igvmmeasure)',
         dict(extra=[('after-vmsa', 0x5000)]), dict(vmsa_last=False)),
        ('a SHARED page is measured like any page (QEMU, igvmmeasure), not left '
         'unmeasured', dict(extra=[('shared', 0x5000)]), dict(shared='unmeasured')),
    ]
    for what, kw, other in cases:
        path = files.make(**kw)
        data = open(path, 'rb').read()
        for zero in ('normal', 'zero'):
            c = tool_digest(a, path, zero)
            check(c == py_digest(data, zero) and c != py_digest(data, zero, **other),
                  '%s [%s]' % (what, zero))
    path = files.make(extra=[('zero-2m', 0x200000), ('unmeasured', 0x5000)])
    data = open(path, 'rb').read()
    rc, out, _ = run([a.tool, 'digest', path, '--pages'])
    pages = [line.split() for line in out.splitlines() if line.startswith('page ')]
    big = [p for p in pages if 0x200000 <= int(p[1], 16) < 0x400000]
    check(rc == 0 and len(big) == 512 and all(p[2] == 'NORMAL' for p in big),
          'a 2 MiB page without data is 512 NORMAL zero pages')
    check(tool_digest(a, path, 'zero') == py_digest(data, 'zero') and
          tool_digest(a, path, 'normal') == py_digest(data, 'normal'),
          '2 MiB and UNMEASURED pages: digests equal the Python chain')


def check_equivalence(a, files):
    """An IGVM file expressing exactly the plan of `--coco snp --firmware ROM`."""
    for vcpus, feat in ((1, 0x1), (2, 0x21), (4, 0x1)):
        path = files.make(vcpus=vcpus, features=feat)
        rc, out, err = run([a.cvmm, 'measure', '--coco', 'snp', '--firmware', a.rom,
                            '--vcpu-sig', '0xa00f11', '--guest-features', hex(feat),
                            '--cpu', 'count=%d' % vcpus])
        plan = out.strip() if rc == 0 else err.strip()
        got = tool_digest(a, path, 'zero')
        check(got == plan, 'IGVM of the test firmware, %d vCPU(s), features 0x%x, '
              'zero pages as ZERO == cvmm measure --coco snp (%s)' % (vcpus, feat, plan[:16]))
        check(tool_digest(a, path, 'normal') != plan,
              '... and with zero pages as NORMAL it differs (SEC_MEM is ZERO in the plan)')


def check_select(a, files):
    path = files.make(platforms=('native', 'snp', 'tdx'))
    for allowed, want in (('snp,native', 'snp'), ('native,snp,tdx', 'snp'),
                          ('tdx,native', 'tdx'), ('native', 'native')):
        rc, out, _ = run([a.tool, 'select', path, allowed])
        check(rc == 0 and out.startswith('IGVM platform %s ' % want),
              'select from native+snp+tdx allowing %s: %s' % (allowed, want))
    path = files.make(platforms=('native',))
    rc, _, err = run([a.tool, 'select', path, 'snp'])
    check(rc == 2 and 'no platform this launch can use (it has: native)' in err,
          'select snp from a native-only file: refused with the platforms it has')


def check_load(a, files):
    path = files.make(param_pages=2)
    rc, out, err = run([a.tool, 'load', path, 'snp', '--vp-count', '4', '--cmdline',
                        'console=ttyS0 quiet', '--mem', '100000:1ff00000:0',
                        '--mem', '0:a0000:0', '--mem', 'fec00000:1000:1',
                        '--shared-memory'])
    area = [bytes.fromhex(line.split()[2]) for line in out.splitlines()
            if line.startswith('param 0x3000 ')]
    ok = rc == 0 and len(area) == 1 and len(area[0]) == 2 * PAGE
    if ok:
        p = area[0]
        mm = [struct.unpack_from('<QQHHI', p, 2 * PAGE - 240 + 24 * i) for i in range(4)]
        ok = (struct.unpack_from('<II', p) == (4, 1) and
              p[8:8 + 20] == b'console=ttyS0 quiet\0' and
              mm == [(0, 0xa0, 0, 0, 0), (0x100, 0x1ff00, 0, 0, 0),
                     (0xfec00, 1, 1, 0, 0), (0, 0, 0, 0, 0)])
    check(ok, 'parameter area: VP count, environment, command line, sorted memory map')
    rc, _, err = run([a.tool, 'load', path, 'snp', '--cmdline', 'x' * 9000])
    check(rc == 2 and 'does not fit' in err and len(err.splitlines()) == 1,
          'a command line longer than its area: one line, exit 2')
    rc, out, _ = run([a.tool, 'load', files.make(native_ctx=True), 'native'])
    check(rc == 0 and 'native context, rip 0xfff0 cr0 0x10' in out,
          'native platform: the ROM pages and the native VP context')


def check_id_block(a, files):
    try:
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec, utils
    except ImportError:
        print('skip ID block: python3 has no cryptography module')
        return
    keys = []
    for name in ('id', 'author'):
        k = ec.generate_private_key(ec.SECP384R1())
        pem = os.path.join(files.tmp, name + '.pem')
        with open(pem, 'wb') as f:
            f.write(k.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
        keys.append((k, pem))
    ld = bytes(range(48))
    blk = mkigvm.signed_id_block(ld, 0x30000, keys[0][1], keys[1][1], b'fam', b'img', 7)
    path = files.make(policy=0x30000, id_block=blk)
    bout, aout = os.path.join(files.tmp, 'blk'), os.path.join(files.tmp, 'auth')
    rc, out, _ = run([a.tool, 'id-block', path, bout, aout])
    psp_blk, auth = open(bout, 'rb').read(), open(aout, 'rb').read()

    def verify(pub_off, sig_off, data):
        curve = struct.unpack_from('<I', auth, pub_off)[0]
        x = int.from_bytes(auth[pub_off + 4:pub_off + 76], 'little')
        y = int.from_bytes(auth[pub_off + 76:pub_off + 148], 'little')
        r = int.from_bytes(auth[sig_off:sig_off + 72], 'little')
        s = int.from_bytes(auth[sig_off + 72:sig_off + 144], 'little')
        pub = ec.EllipticCurvePublicNumbers(x, y, ec.SECP384R1()).public_key()
        try:
            pub.verify(utils.encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA384()))
        except Exception:
            return False
        return curve == 2
    want = ld + b'fam'.ljust(16, b'\0') + b'img'.ljust(16, b'\0') + struct.pack('<IIQ', 1, 7,
                                                                               0x30000)
    check(rc == 0 and 'author key yes' in out and psp_blk == want,
          'ID block in the PSP layout with the GUEST_POLICY')
    check(rc == 0 and verify(0x240, 0x40, psp_blk) and
          verify(0x880, 0x680, auth[0x240:0x240 + 0x404]),
          'ID auth: both signatures verify at the PSP offsets')


def bad_files(rom):
    """(what, bytes, expected phrase) for malformed files."""
    good = mkigvm.build(rom)
    crc = bytearray(good)
    crc[20] ^= 1
    w = mkigvm.Writer()
    w.platform(1, 2)
    w.vp_context(1, 0xFFFFFFFFE000, 0, mkigvm.snp_vmsa(0xfffffff0, 0xa00f11, 1))
    vmsa_gpa = w.build()
    w = mkigvm.Writer()
    w.platform(1, 0)
    w.page(1, 0x1000, b'a' * PAGE)
    w.page(1, 0x1000, b'b' * PAGE)
    overlap = w.build()
    w = mkigvm.Writer()
    w.platform(1, 0)
    w.raw(0x350, b'required but unknown')
    unknown = w.build()
    w = mkigvm.Writer()
    w.platform(1, 0)
    w.insert(1, 0x1000, 3)
    insert = w.build()
    return [
        ('truncated', good[:len(good) - 100], 'truncated'),
        ('CRC wrong', bytes(crc), 'CRC32'),
        ('VMSA not at the fixed GPA', vmsa_gpa, "not at KVM's fixed 0xFFFFFFFFF000"),
        ('overlapping pages', overlap, 'both load GPA 0x1000'),
        ('unknown required header', unknown, 'unknown and not marked optional'),
        ('parameter insert without area', insert, 'parameter area 3 is not declared'),
        ('not an IGVM file', b'\0' * 64, 'not an IGVM file'),
    ]


def check_bad(a, files):
    for what, data, phrase in bad_files(files.rom):
        path = files.make(data)
        rc, out, err = run([a.tool, 'dump', path])
        lines = err.splitlines()
        check(rc == 2 and len(lines) == 1 and lines[0].startswith('cvmm: ') and
              phrase in lines[0], 'malformed (%s): one line, exit 2: %s' %
              (what, lines[0] if lines else '(nothing)'))


def cvmm_measure(a, path, *extra):
    """(status, stdout digest or None, stderr) of cvmm measure --igvm PATH ..."""
    rc, out, err = run([a.cvmm, 'measure', '--igvm', path] + list(extra))
    return rc, (out.strip() if rc == 0 else None), err


def check_measure(a, files):
    """cvmm measure --igvm: the Python chain, both rules named, the equivalence."""
    for name, kw in (('native+snp', {}), ('2 vCPUs, params, policy',
                                          dict(vcpus=2, param_pages=2, policy=0x30000))):
        path = files.make(**kw)
        data = open(path, 'rb').read()
        cpus = ['--cpu', 'count=%d' % kw.get('vcpus', 1)]
        rc, d, err = cvmm_measure(a, path, *cpus)
        check(d == py_digest(data, 'normal') and
              'zero pages measured as NORMAL pages of zeros (QEMU)' in err and
              'IGVM platform snp (compatibility mask 0x2) chosen from: native, snp' in err,
              'measure --igvm (%s): the Python chain, zero pages as NORMAL by default, '
              'the choice on stderr' % name)
        rc, dz, err = cvmm_measure(a, path, '--zero-pages', 'zero', *cpus)
        check(dz == py_digest(data, 'zero') and dz != d and
              'zero pages measured as ZERO pages (Cloud Hypervisor on KVM)' in err,
              'measure --igvm --zero-pages zero (%s): the Python chain, ZERO pages' % name)
        rc, out, _ = run([a.cvmm, 'measure', '--igvm', path, '--json', '-q'] + cpus)
        j = json.loads(out) if rc == 0 else {}
        check(j.get('measurement') == d and j.get('zero_pages') == 'normal' and
              j.get('igvm_platform') == 'snp' and j.get('igvm') == path,
              'measure --igvm --json (%s): measurement, zero_pages, igvm_platform' % name)
        cmd = j.get('command', '').split()
        rc, again, _ = run([a.cvmm] + cmd[1:] + ['-q']) if cmd else (1, '', '')
        check(again.strip() == d, 'the JSON command reproduces the digest: %s' % ' '.join(cmd))
    # the equivalence: an IGVM file expressing exactly the plan of a firmware launch
    for vcpus, feat in ((1, 0x1), (2, 0x21)):
        path = files.make(vcpus=vcpus, features=feat)
        rc, out, err = run([a.cvmm, 'measure', '--coco', 'snp', '--firmware', a.rom,
                            '--vcpu-sig', '0xa00f11', '--guest-features', hex(feat),
                            '--cpu', 'count=%d' % vcpus])
        _, d, _ = cvmm_measure(a, path, '--zero-pages', 'zero', '--cpu', 'count=%d' % vcpus)
        check(rc == 0 and d == out.strip(),
              'measure --igvm --zero-pages zero == measure --coco snp --firmware ROM '
              '(%d vCPUs, features 0x%x)' % (vcpus, feat))
    # the rules where the references disagree, through cvmm measure
    for what, kw, other in (
            ('2-page parameter area: 2 UNMEASURED pages', dict(param_pages=2),
             dict(insert_pages='one')),
            ('page after the VP context: before the VMSA', dict(extra=[('after-vmsa', 0x5000)]),
             dict(vmsa_last=False)),
            ('SHARED page: measured', dict(extra=[('shared', 0x5000)]),
             dict(shared='unmeasured'))):
        path = files.make(**kw)
        data = open(path, 'rb').read()
        _, d, _ = cvmm_measure(a, path)
        check(d == py_digest(data) and d != py_digest(data, **other), 'measure --igvm: ' + what)
    path = files.make(extra=[('zero-2m', 0x200000)])
    data = open(path, 'rb').read()
    _, d, _ = cvmm_measure(a, path)
    _, dz, _ = cvmm_measure(a, path, '--zero-pages', 'zero')
    check(d == py_digest(data) and dz == py_digest(data, 'zero'),
          'measure --igvm: a 2 MiB page without data is 512 zero pages (both rules)')


def dry_run(a, path, *extra):
    """The JSON of boot --igvm PATH --coco snp --dry-run, or the status and stderr."""
    rc, out, err = run([a.cvmm, 'boot', '--igvm', path, '--coco', 'snp', '--dry-run',
                        '--json', '-q'] + list(extra))
    return json.loads(out) if rc == 0 else None, rc, err


def check_dry_run(a, files):
    """boot --igvm --coco snp --dry-run: the simulated platform measures measure --igvm."""
    variants = [
        ('test firmware, 1 vCPU', {}),
        ('2 vCPUs, features 0x21, 2-page parameter area, page after the VMSA, shared page, '
         '2 MiB zero page', dict(vcpus=2, features=0x21, param_pages=2,
                                 extra=[('after-vmsa', 0x5000), ('shared', 0x6000),
                                        ('zero-2m', 0x200000)])),
    ]
    for what, kw in variants:
        path = files.make(**kw)
        cpus = ['--cpu', 'count=%d' % kw.get('vcpus', 1)]
        j, rc, err = dry_run(a, path, *cpus)
        _, d, _ = cvmm_measure(a, path, *cpus)
        check(j is not None and j.get('measurement') == d and j.get('predicted') == d and
              d == py_digest(open(path, 'rb').read()),
              'boot --igvm --coco snp --dry-run (%s): the simulated platform measured '
              'cvmm measure --igvm: %s' % (what, err.strip()[:120]))
    return path


def check_dry_run_no_rom(a, files):
    """An SNP file with no page below 4 GiB's firmware window: its VMSA starts vCPU 0."""
    w = mkigvm.Writer()
    w.platform(1, mkigvm.PLATFORM['snp'])
    w.page(1, 0x100000, bytes.fromhex('b02ae6f4f4').ljust(mkigvm.PAGE, b'\0'))
    w.vp_context(1, mkigvm.VMSA_GPA, 0, mkigvm.snp_vmsa(0x100000, 0xa00f11, 1))
    path = files.make(w.build())
    j, rc, err = dry_run(a, path)
    _, d, _ = cvmm_measure(a, path)
    check(j is not None and d is not None and j.get('measurement') == d,
          'boot --igvm --coco snp --dry-run, no page in the firmware window: the '
          'simulated platform measured cvmm measure --igvm: %s' % err.strip()[:160])


def check_dry_run_id_block(a, files):
    """The file's ID block reaches SNP_LAUNCH_FINISH: bound to the digest it passes."""
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        print('skip ID block dry run: python3 has no cryptography module')
        return
    pem = os.path.join(files.tmp, 'idkey.pem')
    with open(pem, 'wb') as f:
        f.write(ec.generate_private_key(ec.SECP384R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    _, d, _ = cvmm_measure(a, files.make(policy=0x30000))
    for what, ld, ok in (('binding the launch digest', bytes.fromhex(d), True),
                         ('binding another digest', bytes(48), False)):
        blk = mkigvm.signed_id_block(ld, 0x30000, pem, None, b'fam', b'img', 1)
        path = files.make(policy=0x30000, id_block=blk)
        j, rc, err = dry_run(a, path)
        _, again, _ = cvmm_measure(a, path)
        if ok:
            check(j is not None and j.get('measurement') == d and again == d and
                  j.get('id_block', {}).get('measurement') == d,
                  'dry run with the file\'s ID block %s: launched' % what)
        else:
            check(rc == 1 and len(err.splitlines()) == 1 and 'BAD_MEASUREMENT' in err,
                  'dry run with the file\'s ID block %s: refused, one line: %s' %
                  (what, err.strip()))


def check_measure_refusals(a, files):
    """Malformed or unusable files: one line 'cvmm: FILE: why', status 1 (README)."""
    cases = [(what, files.make(data), phrase) for what, data, phrase in bad_files(files.rom)]
    cases += [
        ('no SEV-SNP platform', files.make(platforms=('native',)),
         'no platform this launch can use (it has: native)'),
        ('pages outside guest RAM', files.make(extra=[('unmeasured', 0x7ff00000)]),
         'lie outside guest RAM'),
        ('fewer vCPUs than VP contexts', files.make(vcpus=2),
         'cvmm launches one vCPU per context (give --cpu count=2)'),
    ]
    for what, path, phrase in cases:
        rc, out, err = run([a.cvmm, 'measure', '--igvm', path, '--memory', 'size=1G'])
        lines = err.splitlines()
        check(rc == 1 and out == '' and len(lines) == 1 and
              lines[0].startswith('cvmm: %s: ' % path) and phrase in lines[0],
              'measure --igvm, %s: one line, status 1: %s' %
              (what, lines[0] if lines else '(nothing)'))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tool', required=True)
    ap.add_argument('--cvmm', required=True)
    ap.add_argument('--rom', required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = Files(tmp, open(a.rom, 'rb').read())
        for step in (check_digests, check_rules, check_equivalence, check_select,
                     check_load, check_id_block, check_bad, check_measure,
                     check_measure_refusals, check_dry_run, check_dry_run_no_rom,
                     check_dry_run_id_block):
            step(a, files)
    if FAILS:
        print('%d check(s) failed' % len(FAILS))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
