#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Confidential launches on real hardware.

Runs where the host has SEV (/dev/sev and KVM's SEV), SEV-SNP (the SNP VM
type) or TDX (the TDX VM type); exits 77 (skip) with a one-line reason
elsewhere.  For each platform present, with Debian's OVMF.fd (or the
synthetic OVMF-shaped image) and the host's CPUID signature:

  launch   `cvmm boot -v --coco ...` must finish the launch ("launch of N
           operations finished"), the guest must then run: OVMF reaches its
           boot manager ("BdsDxe: " on COM1; the synthetic image: still
           running after 8 s), and cvmm must end with 143 on SIGTERM.  A
           triple fault (33), a KVM error (34), a fatal guest error (35) or
           any other end fails, before or after the launch.
  measure  the launch measurement must equal `cvmm measure` for the same
           machine.  SEV-SNP: the launch is repeated with an ID block that
           `cvmm measure --id-block` signs over its digest; the PSP checks
           it at SNP_LAUNCH_FINISH and refuses the launch when its own
           MEASUREMENT differs.  SEV/SEV-ES (LAUNCH_MEASURE is an HMAC under
           a key only the PSP holds) and TDX (MRTD is only in the guest's
           TDREPORT) give the host nothing to compare: the test says so.

usage: hw_check.py CVMM FWIMG
CVMM_HW_CHECK_PLATFORMS=sev,sev-es,snp,tdx (a comma list) stands in for the
detection, and CVMM_HW_CHECK_BOOT_SECONDS=S shortens the wait for OVMF's
boot manager (default 90), for tests of this script with a fake cvmm
(tests/fakes/check_fakes.py).
"""
import fcntl
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_VM_TYPES = 235
SPECS = {
    'sev': 'sev,policy=0x1',
    'sev-es': 'sev,policy=0x5',
    'snp': 'snp,policy=0x30000',
    'tdx': 'tdx,attr=0x10000000',
}
BDS = re.compile(r'BdsDxe: ')
RUN_SECONDS = 8
BOOT_SECONDS = int(os.environ.get('CVMM_HW_CHECK_BOOT_SECONDS', '90'))
GUEST_STATUS = {33: 'a triple fault', 34: 'a KVM error', 35: 'a fatal guest error'}


def vm_types():
    try:
        fd = os.open('/dev/kvm', os.O_RDWR)
    except OSError as e:
        return None, '/dev/kvm: %s' % e.strerror
    try:
        return fcntl.ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES), None
    except OSError:
        return 0, None
    finally:
        os.close(fd)


def platforms():
    """The platforms to check, or (None, why) to skip."""
    fake = os.environ.get('CVMM_HW_CHECK_PLATFORMS')
    if fake:
        return [p for p in fake.split(',') if p in SPECS], None
    types, why = vm_types()
    if types is None:
        return None, why
    sev = os.path.exists('/dev/sev')
    todo = []
    if sev:
        todo += ['sev', 'sev-es']
        if types & (1 << 4):
            todo.append('snp')
    if types & (1 << 5):
        todo.append('tdx')
    if not todo:
        return None, ('this host has no SEV (%s) and no TDX (KVM_CAP_VM_TYPES 0x%x)' %
                      ('/dev/sev exists' if sev else 'no /dev/sev', types))
    return todo, None


def host_signature():
    """CPUID 1 EAX of this host, from /proc/cpuinfo (what cvmm boot puts in RDX)."""
    info = {}
    with open('/proc/cpuinfo') as f:
        for line in f:
            k, _, v = line.partition(':')
            k = k.strip()
            if k in ('cpu family', 'model', 'stepping') and k not in info:
                info[k] = int(v.strip())
    fam, model, step = info['cpu family'], info['model'], info['stepping']
    ext_fam, fam_lo = (fam - 0xf, 0xf) if fam > 0xf else (0, fam)
    return (ext_fam << 20) | ((model >> 4) << 16) | (fam_lo << 8) | ((model & 0xf) << 4) | step


def launch(cvmm, spec, fw, ovmf, extra=()):
    """One launch; returns a list of problems (empty: fine)."""
    cmd = [cvmm, 'boot', '-v', '--coco', spec, '--firmware', fw] + list(extra)
    print('running: ' + ' '.join(cmd))
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    out = b''
    deadline = time.monotonic() + (BOOT_SECONDS if ovmf else RUN_SECONDS)
    reached = False
    while p.poll() is None and time.monotonic() < deadline and not reached:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            out += chunk
            reached = ovmf and bool(BDS.search(out.decode(errors='replace')))
    running = p.poll() is None
    if running:
        p.send_signal(signal.SIGTERM)
    try:
        rest, _ = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        p.kill()
        rest, _ = p.communicate()
    text = (out + rest).decode(errors='replace')
    errors = []
    launched = 'operations finished' in text
    if not launched:
        errors.append('the launch did not finish')
    if not running:
        what = GUEST_STATUS.get(p.returncode, 'status %d' % p.returncode)
        errors.append('cvmm ended by itself with %s%s' %
                      (what, ' after the launch' if launched else ''))
    elif p.returncode != 143:
        errors.append('exit status %d on SIGTERM, expected 143' % p.returncode)
    if ovmf and running and not reached:
        errors.append('OVMF did not reach its boot manager (no "BdsDxe: " on COM1)')
    if errors:
        tail = '\n'.join(text.strip().splitlines()[-15:])
        print(tail)
    return errors


def snp_id_block(cvmm, spec, fw, sig, tmp):
    """`cvmm measure --id-block` over this machine; returns (id-block, id-auth)."""
    keys = []
    for name in ('id', 'author'):
        k = os.path.join(tmp, name + '.pem')
        subprocess.run(['openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt',
                        'ec_paramgen_curve:P-384', '-out', k], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        keys.append(k)
    blk, auth = os.path.join(tmp, 'id-block.bin'), os.path.join(tmp, 'id-auth.bin')
    r = subprocess.run([cvmm, 'measure', '--coco', spec, '--firmware', fw,
                        '--vcpu-sig', '0x%x' % sig, '--id-block', '--id-key', keys[0],
                        '--author-key', keys[1], '--id-block-out', blk,
                        '--id-auth-out', auth], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if r.returncode:
        raise RuntimeError('cvmm measure --id-block: ' + r.stderr.strip())
    return blk, auth


def check(cvmm, name, fw, ovmf, sig, tmp):
    spec = SPECS[name]
    errors = ['launch: ' + e for e in launch(cvmm, spec, fw, ovmf)]
    if name == 'snp':
        try:
            blk, auth = snp_id_block(cvmm, spec, fw, sig, tmp)
            errors += ['launch with the ID block of `cvmm measure`: ' + e for e in
                       launch(cvmm, '%s,id-block=%s,id-auth=%s' % (spec, blk, auth), fw,
                              ovmf)]
        except (RuntimeError, subprocess.CalledProcessError) as e:
            errors.append(str(e))
        how = 'the PSP accepted the ID block over `cvmm measure`\'s digest'
    elif name == 'tdx':
        how = 'not compared: MRTD is visible only in the guest\'s TDREPORT'
    else:
        how = 'not compared: LAUNCH_MEASURE is an HMAC under a key only the PSP holds'
    for e in errors:
        print('FAIL: %s: %s' % (name, e))
    if not errors:
        print('%s: launched, ran, ended with 143 on SIGTERM; measurement: %s' % (name, how))
    return not errors


def main():
    cvmm, fwimg = sys.argv[1], sys.argv[2]
    todo, why = platforms()
    if todo is None:
        print('skip: %s' % why)
        return 77
    fw = '/usr/share/ovmf/OVMF.fd'
    tmp = tempfile.mkdtemp(prefix='cvmm-hw-')
    ovmf = os.path.exists(fw)
    if not ovmf:
        fw = os.path.join(tmp, 'ovmf.img')
        subprocess.run([fwimg, 'ovmf', fw], check=True)
    sig = host_signature()
    ok = all([check(cvmm, name, fw, ovmf, sig, tmp) for name in todo])
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
