#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`cvmm host-check`: one line per check, the verdicts, --json, --qgs, usage.

usage: host_check.py CVMM
On a host whose KVM offers neither the SNP nor the TDX VM type (this
test reads KVM_CAP_VM_TYPES itself), host-check must exit 1 and say
plainly that the host has neither, and why; elsewhere it must agree with
KVM_CAP_VM_TYPES.  The JSON has the same checks.  A QGS socket that
nobody listens on fails its check with the fix.
"""
import fcntl
import json
import os
import re
import subprocess
import sys

KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_VM_TYPES = 235
failures = []


def run(*args):
    p = subprocess.run(list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print('FAIL: ' + msg)


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
    cvmm = sys.argv[1]
    rc, out, err = run(cvmm, 'host-check')
    print(out)
    lines = [ln for ln in out.splitlines() if re.match(r'^(ok|FAIL|warn|skip|info) ', ln)]
    names = [ln.split()[1] for ln in lines]
    for want in ('kvm', 'cpu', 'kvm_amd', 'sev-firmware', 'sev-es-asids', 'tdx'):
        check(want in names, 'no %s check in %r' % (want, names))
    for ln in out.splitlines():
        if ln.startswith('FAIL'):
            i = out.splitlines().index(ln)
            nxt = out.splitlines()[i + 1] if i + 1 < len(out.splitlines()) else ''
            check('fix: ' in nxt or ln.split()[1] in ('sev-attributes',),
                  'failed check without a fix: %r' % ln)
    types = vm_types()
    snp = types is not None and bool(types & (1 << 4))
    tdx = types is not None and bool(types & (1 << 5))
    if not snp and not tdx:
        check(rc == 1, 'neither SNP nor TDX: status %d, expected 1' % rc)
        check('This host has neither SEV-SNP nor TDX' in out,
              'no plain "neither" sentence')
        check(re.search(r'^SEV-SNP: no: .*KVM offers no SNP VM type', out, re.M),
              'SEV-SNP verdict does not say why')
        check(re.search(r'^TDX: +no: .*', out, re.M), 'TDX verdict missing')
    rc2, js, err2 = run(cvmm, 'host-check', '--json', '--qgs', '/nonexistent/qgs.sock')
    check(rc2 == rc, '--json status %d, text %d' % (rc2, rc))
    try:
        j = json.loads(js)
    except ValueError as e:
        j = {}
        check(False, '--json is not JSON: %s' % e)
    jnames = [c.get('name') for c in j.get('checks', [])]
    check(jnames[:len(names)] == names, 'JSON checks %r differ from %r' % (jnames, names))
    check(j.get('snp', {}).get('ready') == snp, 'JSON snp.ready %r' % j.get('snp'))
    check(j.get('tdx', {}).get('ready') == tdx, 'JSON tdx.ready %r' % j.get('tdx'))
    qgs = [c for c in j.get('checks', []) if c.get('name') == 'qgs']
    check(len(qgs) == 1 and qgs[0]['status'] == 'FAIL' and 'qgsd' in qgs[0].get('fix', ''),
          'the QGS check: %r' % qgs)
    rc3, out3, err3 = run(cvmm, 'host-check', '--jsn')
    check(rc3 == 2 and err3 == 'cvmm host-check: --jsn: unknown option; did you mean --json?\n',
          'usage error: %d %r' % (rc3, err3))
    if failures:
        print('%d failures' % len(failures))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
