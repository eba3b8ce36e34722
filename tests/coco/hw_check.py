#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Confidential launches on real hardware.

Runs where the host has SEV (/dev/sev and KVM's SEV), SEV-SNP (the SNP VM
type) or TDX (the TDX VM type); exits 77 (skip) with a one-line reason
elsewhere.  For each platform present: `cvmm boot -v --coco ...` with
Debian's OVMF.fd (or the synthetic OVMF-shaped image) must finish the
launch ("launch of N operations finished") and then run until stopped:
SIGTERM after a few seconds gives 143, or the guest stops by itself with
a guest status (33 triple fault, 34 KVM error, 35 fatal guest error).

usage: hw_check.py CVMM FWIMG
"""
import fcntl
import os
import signal
import subprocess
import sys
import tempfile
import time

KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_VM_TYPES = 235


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


def launch(cvmm, spec, fw):
    p = subprocess.Popen([cvmm, 'boot', '-v', '--coco', spec, '--firmware', fw,
                          '--console', 'none'], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 8
    while time.time() < deadline and p.poll() is None:
        time.sleep(0.2)
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=30)
    ok = 'operations finished' in err and p.returncode in (143, 33, 34, 35)
    print('%s: exit %d%s' % (spec, p.returncode, '' if ok else ': ' + err.strip()))
    return ok


def main():
    cvmm, fwimg = sys.argv[1], sys.argv[2]
    types, why = vm_types()
    if types is None:
        print('skip: %s' % why)
        return 77
    sev = os.path.exists('/dev/sev')
    todo = []
    if sev:
        todo += ['sev,policy=0x1', 'sev,policy=0x5']
        if types & (1 << 4):
            todo.append('snp,policy=0x30000')
    if types & (1 << 5):
        todo.append('tdx,attr=0x10000000')
    if not todo:
        print('skip: this host has no SEV (%s) and no TDX (KVM_CAP_VM_TYPES 0x%x)' %
              ('/dev/sev exists' if sev else 'no /dev/sev', types))
        return 77
    fw = '/usr/share/ovmf/OVMF.fd'
    tmp = None
    if not os.path.exists(fw):
        tmp = tempfile.mkdtemp(prefix='cvmm-hw-')
        fw = os.path.join(tmp, 'ovmf.img')
        subprocess.run([fwimg, 'ovmf', fw], check=True)
    ok = all([launch(cvmm, spec, fw) for spec in todo])
    if tmp:
        os.unlink(fw)
        os.rmdir(tmp)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
