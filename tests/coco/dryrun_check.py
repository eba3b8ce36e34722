#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`cvmm boot --dry-run` against `cvmm measure`.

The dry run executes the whole confidential launch on the simulated
platform, which measures what it is given; `cvmm measure` computes the
digest from the launch plan alone.  Both must print the same value for
every platform, image, vCPU count, RAM size and measured direct boot.
Also checks the one-line errors of --dry-run without --coco and of a host
without the hardware (when this host has none).

usage: dryrun_check.py CVMM FWIMG
"""
import fcntl
import os
import re
import subprocess
import sys
import tempfile

KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_VM_TYPES = 235
SIM_VCPU_TYPE = 'EPYC-Milan'	# the simulated AMD host's CPUID signature

failures = []


def run(args):
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def fail(msg):
    failures.append(msg)
    print('FAIL: ' + msg)


def dry_run(cvmm, flags):
    rc, out, err = run([cvmm, 'boot', '--dry-run'] + flags)
    m = re.search(r'^measurement: ([0-9a-f]+)$', out, re.M)
    return rc, (m.group(1) if m else None), out, err


def measure(cvmm, flags):
    rc, out, err = run([cvmm, 'measure', '--vcpu-type', SIM_VCPU_TYPE] + flags)
    return rc, out.strip(), err


def compare(cvmm, name, flags):
    rc_b, dig_b, out_b, err_b = dry_run(cvmm, flags)
    rc_m, dig_m, err_m = measure(cvmm, flags)
    if rc_b != 0 or rc_m != 0:
        # a plan both refuse is consistent; anything else is not
        if (rc_b == 0) != (rc_m == 0):
            fail('%s: boot --dry-run rc %d (%s), measure rc %d (%s)' %
                 (name, rc_b, err_b.strip(), rc_m, err_m.strip()))
        elif len(err_b.strip().splitlines()) != 1:
            fail('%s: boot --dry-run error is not one line: %r' % (name, err_b))
        return 'refused'
    if not re.search(r'^plan: ', out_b, re.M):
        fail('%s: dry run did not print the plan: %r' % (name, out_b[:80]))
    if dig_b != dig_m:
        fail('%s: dry run measured %s, cvmm measure says %s' % (name, dig_b, dig_m))
        return 'differ'
    return 'ok'


def vm_types():
    try:
        fd = os.open('/dev/kvm', os.O_RDWR)
    except OSError:
        return None
    try:
        return fcntl.ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES)
    except OSError:
        return 0
    finally:
        os.close(fd)


def main():
    cvmm, fwimg = sys.argv[1], sys.argv[2]
    build = os.environ.get('CVMM_BUILD', '')
    tmp = tempfile.mkdtemp(prefix='cvmm-dryrun-')
    images = {}
    for kind in ('stage0-sev', 'stage0-tdx', 'ovmf'):
        path = os.path.join(tmp, kind + '.img')
        subprocess.run([fwimg, kind, path], check=True)
        images[kind] = path
    if os.path.exists('/usr/share/ovmf/OVMF.fd'):
        images['OVMF.fd'] = '/usr/share/ovmf/OVMF.fd'
    for rom in ('guests/firmware/cvmm-testfw.rom', 'guests/cvmm-testfw.rom'):
        if os.path.exists(os.path.join(build, rom)):
            images['testfw'] = os.path.join(build, rom)
            break
    kernel = os.path.join(build, 'guests', 'exit.bzImage')

    specs = {
        'sev': 'sev,policy=0x1',
        'sev-es': 'sev,policy=0x5',
        'snp': 'snp,policy=0x30000',
        'tdx': 'tdx,attr=0x10000000',
    }
    results = {}
    for pname, spec in specs.items():
        for iname, img in images.items():
            if (pname == 'tdx') != (iname == 'stage0-tdx') and iname.startswith('stage0'):
                continue
            for cpus in (1, 2, 4):
                for mem in ('512M', '5G'):
                    if mem == '5G' and cpus != 2:
                        continue
                    name = '%s/%s/%dcpu/%s' % (pname, iname, cpus, mem)
                    flags = ['--coco', spec, '--firmware', img,
                             '--cpu', 'count=%d' % cpus, '--memory', 'size=' + mem]
                    results[name] = compare(cvmm, name, flags)
            # measured direct boot: the kernel-hashes table is in the digest
            if pname != 'tdx' and os.path.exists(kernel):
                name = '%s/%s/kernel' % (pname, iname)
                flags = ['--coco', spec, '--firmware', img, '--kernel', kernel,
                         '--cmdline', 'console=ttyS0 quiet']
                results[name] = compare(cvmm, name, flags)

    ok = sum(1 for r in results.values() if r == 'ok')
    refused = sorted(n for n, r in results.items() if r == 'refused')
    print('%d cases equal, %d refused by both (%s)' % (ok, len(refused), ', '.join(refused)))
    # every platform must have been exercised on its synthetic images
    for p in specs:
        if not any(n.startswith(p + '/ovmf/') and r == 'ok' for n, r in results.items()):
            fail('%s: no OVMF-shaped launch compared' % p)
        stage0 = 'stage0-tdx' if p == 'tdx' else 'stage0-sev'
        if not any(n.startswith('%s/%s/' % (p, stage0)) and r == 'ok' for n, r in results.items()):
            fail('%s: no stage0-shaped launch compared' % p)
        if p != 'tdx' and os.path.exists(kernel) and results.get(p + '/ovmf/kernel') != 'ok':
            fail('%s: no measured direct boot compared' % p)

    # one line, non-zero, without --coco
    rc, out, err = run([cvmm, 'boot', '--dry-run', '--firmware', images['ovmf']])
    if rc != 2 or err.strip() != 'cvmm boot: --dry-run: runs a confidential launch: add --coco':
        fail('--dry-run without --coco: rc %d, %r' % (rc, err))

    # a host without the hardware: one line naming what is missing
    types = vm_types()
    if types is None:
        print('no /dev/kvm: the missing-hardware messages are not checked')
    else:
        for bit, spec, what in ((4, specs['snp'], 'SNP'), (5, specs['tdx'], 'TDX')):
            if types & (1 << bit):
                continue
            rc, out, err = run([cvmm, 'boot', '--coco', spec, '--firmware', images['ovmf'],
                                '--console', 'none'])
            want = ('cvmm: --coco: KVM does not offer the %s VM type (KVM_CAP_VM_TYPES 0x%x): '
                    'this host has no ' % (what, types))
            if rc == 0 or len(err.strip().splitlines()) != 1 or not err.startswith(want):
                fail('%s on a host without it: rc %d, %r' % (what, rc, err))
        if not os.path.exists('/dev/sev') and not types & (1 << 2):
            rc, out, err = run([cvmm, 'boot', '--coco', specs['sev'], '--firmware',
                                images['ovmf'], '--console', 'none'])
            if rc == 0 or len(err.strip().splitlines()) != 1 or 'this host has no SEV' not in err:
                fail('SEV on a host without it: rc %d, %r' % (rc, err))

    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    if failures:
        print('%d failures' % len(failures))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
