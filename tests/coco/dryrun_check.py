#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`cvmm boot --dry-run` against `cvmm measure` and against outside values.

The dry run executes the whole confidential launch on the simulated
platform, which measures what it is given; `cvmm measure` computes the
digest from the launch plan alone.  Both must print the same value for
every platform, image, vCPU count, RAM size and measured direct boot.
Both use cvmm's own hashing, PAGE_INFO and VMSA code, so each of these
dry runs is also checked against tests/coco/measure_model.py, an encoder
written separately for the tests and itself checked against
sev-snp-measure's values first (issue 21).
Also checks the one-line errors of --dry-run without --coco and of a host
without the hardware (when this host has none).

Issue 11: the vCPU identity has one source.  With each vCPU model
(--cpu model=NAME, host, sig=0xHEX) and SEV feature set (--coco
snp,sev-features=), `boot --dry-run` equals `cvmm measure` with exactly
the same flags; the `cvmm measure` line the dry run prints reproduces its
digest; and sev-snp-measure's 24 vectors, expressed as boot flags where
boot can express them, give the vectors' digests.

usage: dryrun_check.py CVMM FWIMG
"""
import json
import shlex
import fcntl
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_model  # noqa: E402

KVM_CHECK_EXTENSION = 0xAE03
KVM_CAP_VM_TYPES = 235
SIM_VCPU_TYPE = 'EPYC-Milan'	# the simulated AMD host's CPUID signature
SIM_VCPU_SIG = 0x00A00F11

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


def model_digest(pname, flags):
    """The independent model's digest for these flags (issue 21: the dry run
    and measure share cvmm's hashing, PAGE_INFO and VMSA code), or why it
    refuses.  Without a model or signature the vCPUs are the simulated
    host's (EPYC-Milan)."""
    def opt(name):
        return flags[flags.index(name) + 1] if name in flags else None

    def rd(path):
        if path is None:
            return None
        with open(path, 'rb') as f:
            return f.read()
    cpu = dict(kv.split('=', 1) for kv in (opt('--cpu') or 'count=1').split(','))
    cpus = int(cpu.get('count', 1))
    try:
        return measure_model.measure(pname, rd(opt('--firmware')), cpus, SIM_VCPU_SIG, 1,
                                     rd(opt('--kernel')), None,
                                     opt('--cmdline') if opt('--kernel') else None)
    except (measure_model.ModelError, struct.error, IndexError) as e:
        return 'refused: %s' % e


def printed_line(cvmm, out):
    """the `cvmm measure ...` line of a dry run, with this cvmm"""
    lines = [ln for ln in out.splitlines() if ln.startswith('cvmm measure ')]
    if len(lines) != 1:
        return None
    return [cvmm] + shlex.split(lines[0])[1:]


def check_printed_line(cvmm, name, out, digest):
    args = printed_line(cvmm, out)
    if not args:
        fail('%s: the dry run printed no `cvmm measure` line' % name)
        return
    rc, got, err = run(args)
    if rc != 0 or got.strip() != digest:
        fail('%s: the printed line %r gives %r (rc %d, %s), the dry run %s' %
             (name, ' '.join(args[1:]), got.strip(), rc, err.strip(), digest))


def same_flags(cvmm, name, flags):
    """boot --dry-run and measure with exactly the same flags"""
    rc_b, dig_b, out_b, err_b = dry_run(cvmm, flags)
    rc_m, out_m, err_m = run([cvmm, 'measure'] + flags)
    if rc_b != 0 or rc_m != 0 or dig_b != out_m.strip():
        fail('%s: dry run rc %d %s (%s), measure rc %d %s (%s)' %
             (name, rc_b, dig_b, err_b.strip(), rc_m, out_m.strip(), err_m.strip()))
        return None
    check_printed_line(cvmm, name, out_b, dig_b)
    return dig_b


def identity_matrix(cvmm, images):
    """every vCPU model, signature and SEV feature set: boot = measure"""
    n = 0
    models = ['model=EPYC-v4', 'model=EPYC-Milan', 'model=EPYC-Genoa', 'model=EPYC-Rome',
              'model=EPYC-Turin', 'sig=0xa10f11']
    seen = {}
    for img in ('ovmf', 'stage0-sev'):
        for spec in ('snp,sev-features=0x1', 'snp,sev-features=0x21', 'sev,policy=0x5'):
            for model in models:
                flags = ['--coco', spec, '--firmware', images[img], '--cpu',
                         'count=2,' + model]
                name = 'identity/%s/%s/%s' % (img, spec, model)
                d = same_flags(cvmm, name, flags)
                if d:
                    n += 1
                    seen.setdefault((img, spec), set()).add(d)
    # the signature and the features are in the digest: all different
    for key, digests in seen.items():
        if len(digests) != len(models):
            fail('%s: %d models gave %d digests' % (key, len(models), len(digests)))
    # the host's model: the simulated host is an EPYC Milan, which the line says
    flags = ['--coco', 'snp', '--firmware', images['ovmf'], '--cpu', 'count=2,model=host']
    rc, dig, out, err = dry_run(cvmm, flags)
    if rc or 'model=EPYC-Milan' not in out or 'vcpu: signature 0x00a00f11 (EPYC-Milan)' not in out:
        fail('model=host on the simulated host: %r' % out[-400:])
    else:
        check_printed_line(cvmm, 'identity/host', out, dig)
        n += 1
    # --json says the same
    rc, out, err = run([cvmm, 'boot', '--dry-run', '--json'] + flags)
    try:
        j = json.loads(out)
        if j['measurement'] != dig or j['predicted'] != dig or \
                j['vcpu_signature'] != '0x00a00f11' or j['vcpu_model'] != 'EPYC-Milan' or \
                j['sev_features'] != '0x1' or j['policy'] != '0x30000':
            fail('--dry-run --json: %r' % j)
    except (ValueError, KeyError) as e:
        fail('--dry-run --json: %s: %r' % (e, out[:200]))
    # an ID block made by measure: the dry run launches it (the PSP checks its
    # digest) and reports the same key digests in its JSON
    data = os.environ.get('CVMM_TEST_DATA', 'tests/data')
    keys = os.path.join(data, 'measure', 'sev-snp-measure')
    tmp = tempfile.mkdtemp(prefix='cvmm-idb-')
    ib, ia = os.path.join(tmp, 'id.bin'), os.path.join(tmp, 'auth.bin')
    flags = flags[:-1] + ['count=2,model=EPYC-Milan']
    rc, out, err = run([cvmm, 'measure', '--json'] + flags + [
        '--id-block', '--id-key', os.path.join(keys, 'id_key_test.pem'), '--author-key',
        os.path.join(keys, 'author_key_test.pem'), '--id-block-out', ib, '--id-auth-out', ia])
    rc2, out2, err2 = run([cvmm, 'boot', '--dry-run', '--json', '--coco',
                           'snp,id-block=%s,id-auth=%s' % (ib, ia)] + flags[2:])
    try:
        a, b = json.loads(out)['id_block'], json.loads(out2)['id_block']
        for k in ('measurement', 'id_key_digest', 'author_key_digest', 'policy'):
            if a[k] != b[k]:
                fail('id block %s: measure %s, dry run %s' % (k, a[k], b[k]))
    except (ValueError, KeyError) as e:
        fail('id block: %s (%d %s; %d %s)' % (e, rc, err.strip(), rc2, err2.strip()))
    # ... and one for another vCPU model is refused, saying why
    rc3, out3, err3 = run([cvmm, 'boot', '--dry-run', '--coco', 'snp,id-block=%s,id-auth=%s' %
                           (ib, ia)] + flags[2:-1] + ['count=2,model=EPYC-v4'])
    if rc3 != 1 or 'BAD_MEASUREMENT: the ID block binds another measurement' not in err3:
        fail('an ID block of another launch: rc %d %r' % (rc3, err3))
    for f in (ib, ia):
        if os.path.exists(f):
            os.unlink(f)
    os.rmdir(tmp)
    # an SEV feature KVM does not offer is refused in one line (exit 1)
    rc, dig, out, err = dry_run(cvmm, ['--coco', 'snp,sev-features=0x41', '--firmware',
                                       images['ovmf']])
    if rc != 1 or not err.startswith('cvmm: --coco: sev-features=0x41: this KVM does not '
                                     'offer 0x40'):
        fail('an SEV feature the host lacks: rc %d %r' % (rc, err))
    return n


def vectors(cvmm, kernel):
    """sev-snp-measure's 24 cases as boot flags, where boot can express them"""
    data = os.environ.get('CVMM_TEST_DATA', 'tests/data')
    d = os.path.join(data, 'measure', 'sev-snp-measure')
    with open(os.path.join(d, 'expected_digests.json')) as f:
        cases = json.load(f)['cases']
    exact = substituted = errors = 0
    skipped = []
    for c in cases:
        why = None
        if c['vmm_type'] in ('ec2', 'gce'):
            why = 'vmm %s' % c['vmm_type']
        elif c['mode'] in ('snp:svsm', 'snp:ovmf-hash') or c['snp_ovmf_hash']:
            why = c['mode'] if not c['snp_ovmf_hash'] else '--snp-ovmf-hash'
        if why:
            skipped.append('%s (%s)' % (c['test'], why))
            continue
        flags = ['--coco', {'sev': 'sev,policy=0x1', 'seves': 'sev,policy=0x5'}.get(
            c['mode'], 'snp,sev-features=' + (c['guest_features'] or '0x1')),
                 '--firmware', os.path.join(d, c['ovmf'])]
        cpu = 'count=%d' % (c['vcpus'] or 1)
        if c['vcpu_type']:
            cpu += ',model=' + c['vcpu_type']
        flags += ['--cpu', cpu]
        real_kernel = False
        if c['kernel']:
            # boot takes no empty kernel (a firmware boot needs a bzImage, as QEMU's):
            # a real one, then boot must equal measure rather than the vector
            flags += ['--kernel', kernel]
            real_kernel = True
            if c['initrd']:
                flags += ['--initramfs', kernel]
            if c['append']:
                flags += ['--cmdline', c['append']]
        name = 'vector %s' % c['test']
        if c['expected'].startswith('ERROR'):
            rc_b, dig_b, out_b, err_b = dry_run(cvmm, flags)
            key = 'SNP_KERNEL_HASHES' if 'SNP_KERNEL' in c['expected'] else \
                  'kernel/initrd/cmdline measurement'
            if rc_b != 1 or key not in err_b or len(err_b.strip().splitlines()) != 1:
                fail('%s: boot --dry-run rc %d %r' % (name, rc_b, err_b))
            errors += 1
            continue
        dig = same_flags(cvmm, name, flags)
        if dig is None:
            continue
        if real_kernel:
            substituted += 1
        elif dig != c['expected']:
            fail('%s: boot --dry-run %s, the vector %s' % (name, dig, c['expected']))
        else:
            exact += 1
    print('sev-snp-measure vectors: %d with their digests, %d with a real kernel '
          '(boot = measure), %d errors alike, %d not expressible as boot flags: %s' %
          (exact, substituted, errors, len(skipped), ', '.join(skipped)))
    if len(cases) != 24 or exact < 5:
        fail('vectors: %d cases, %d matched exactly' % (len(cases), exact))


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
    want = model_digest(name.split('/')[0], flags)
    if dig_b != want:
        fail('%s: dry run measured %s, the independent model says %s' % (name, dig_b, want))
        return 'differ'
    check_printed_line(cvmm, name, out_b, dig_b)
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

    print('%d vCPU identity cases: boot --dry-run = measure with the same flags' %
          identity_matrix(cvmm, images))
    if os.path.exists(kernel):
        vectors(cvmm, kernel)
    else:
        fail('no test kernel %s for the vectors' % kernel)

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
        # -v at a real launch prints the launch and its cvmm measure line first
        if not types & (1 << 4):
            rc, out, err = run([cvmm, 'boot', '-v', '--coco', specs['snp'], '--firmware',
                                images['ovmf'], '--cpu', 'count=2', '--console', 'none'])
            m = re.search(r'the measurement will be ([0-9a-f]{96}), as computed by:\n'
                          r'(cvmm measure .*)\n', err)
            if rc != 1 or not m:
                fail('boot -v did not print the measure line: rc %d %r' % (rc, err))
            else:
                rc2, got, err2 = run([cvmm] + shlex.split(m.group(2))[1:])
                if rc2 or got.strip() != m.group(1):
                    fail('boot -v: %r gives %r (%s), boot said %s' %
                         (m.group(2), got.strip(), err2.strip(), m.group(1)))
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
