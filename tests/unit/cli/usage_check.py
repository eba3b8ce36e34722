#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Every usage error of every cvmm command: exit status 2, one line
"cvmm <cmd>: <option as typed>: <why>", nothing on stdout.

usage: usage_check.py CVMM

Driven by the option tables themselves (`cvmm help --commands`,
`cvmm help --list CMD`), so a command or option added later is covered
without editing this file:
  - each option mistyped (its name + 'x'): "unknown option; did you mean --NAME?"
  - each option taking a value, given none: "needs a value (SYNTAX)"
  - each option taking none, given one (--name=1): "takes no value"
  - a short option as typed (-m) in its message
and from BAD below, one malformed value per value-taking option (an
option whose value is a path or free text is marked FREE: a missing file
is not a usage error but "the work could not be done", status 1).  A
value-taking option with no row in BAD fails the test: add one.
Also: unknown commands with "did you mean", `cvmm help CMD`, -V, -vvv.
"""
import os
import re
import subprocess
import sys

FREE = None     # any value is well-formed (a path, a command line)

# What comes before the option: a verification kind, a machine that parses.
PREFIX = {
    'verify': ['snp'],
    'sim-ca': ['init', 'DIR'],
}

# One malformed value per value-taking option, by command; the message must
# name the option (or, for measure's boot-only options, refuse it).
MACHINE = {
    '--memory': 'size=12Q', '--cpu': 'count=0', '--kernel': FREE, '--pvh': FREE,
    '--initramfs': FREE, '--cmdline': FREE, '--firmware': FREE, '--coco': 'snpp',
    '--console': 'serial', '--blk': 'readonly=on', '--net': 'mac=zz',
    '--vsock': 'cid=1,uds=x', '--debugcon': 'tcp', '--fw-cfg': 'name=x',
    '--hypervisor': 'xen', '--debug-exit': 'iobase=0x10000', '--ucall': 'iobase=x',
    '--machine': 'q36', '--igvm': FREE,
}
# the sandbox's rows, in boot and api (src/sandbox/opts.c)
SANDBOX = {'--seccomp': 'maybe', '--landlock': 'yes', '--user': '1000'}
BAD = {
    'boot': dict(MACHINE, **SANDBOX, **{'--api-socket': FREE, '--config': FREE}),
    'measure': dict(MACHINE, **{
        '--vcpu-type': 'Nope', '--vcpu-sig': 'zz', '--vcpu-family': '999',
        '--vcpu-model': 'x', '--vcpu-stepping': 'x', '--guest-features': 'zz',
        '--vmm': 'xen', '--ovmf-hash': '00', '--svsm': FREE, '--vars-size': 'x',
        '--tdx-order': 'x', '--zero-pages': 'qemu-ish', '--output-format': 'b64', '--id-key': FREE,
        '--author-key': FREE, '--family-id': '00', '--image-id': '00', '--guest-svn': 'x',
        '--measurement': '00', '--id-block-out': FREE, '--id-auth-out': FREE,
    }),
    'verify': {
        '--certs': FREE, '--vcek': FREE, '--auxblob': FREE, '--tcb-info': FREE,
        '--qe-identity': FREE, '--tcb-chain': FREE, '--quote': FREE, '--ca': FREE,
        '--crl': FREE, '--policy': FREE, '--at': 'yesterday',
    },
    'host-check': {'--qgs': FREE},
    'sim-ca': {'--rsa-bits': '1024'},
    'api': dict(SANDBOX, **{'--api-socket': FREE}),
    'ctl': {'--api-socket': FREE, '--timeout': '0'},
    'help': {},
}

failures = []
checked = 0


def run(cvmm, args):
    p = subprocess.run([cvmm] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def expect(cvmm, args, prefix_re, what):
    """status 2, nothing on stdout, one stderr line matching prefix_re"""
    global checked
    checked += 1
    rc, out, err = run(cvmm, args)
    ok = rc == 2 and out == '' and err.count('\n') == 1 and re.match(prefix_re, err)
    if not ok:
        failures.append('%s: cvmm %s: status %d, stdout %r, stderr %r (want /%s/)' %
                        (what, ' '.join(args), rc, out[:80], err, prefix_re))
    return err


def options(cvmm, cmd):
    rc, out, err = run(cvmm, ['help', '--list', cmd])
    if rc:
        failures.append('cvmm help --list %s: status %d %r' % (cmd, rc, err))
    rows = []
    for line in out.splitlines():
        name, kind, value, short, flags = line.split('\t')
        rows.append((name, kind, value, short, flags))
    return rows


def check_command(cvmm, cmd):
    pre = [cmd] + PREFIX.get(cmd, [])
    head = re.escape('cvmm %s: ' % cmd)
    table = BAD.get(cmd)
    if table is None:
        failures.append('%s: a command without a row in BAD (tests/unit/cli/usage_check.py)'
                        % cmd)
        table = {}
    for name, kind, value, short, flags in options(cvmm, cmd):
        # mistyped
        expect(cvmm, pre + [name + 'x'],
               head + re.escape('%sx: unknown option; did you mean %s?' % (name, name)) + '$',
               'typo')
        if kind == 'required':
            expect(cvmm, pre + [name], head + re.escape('%s: needs a value (%s)' %
                                                         (name, value)) + '$', 'no value')
            if short != '-':
                expect(cvmm, pre + [short], head + re.escape('%s: needs a value' % short),
                       'short, no value')
        if kind == 'none' and name not in ('--help', '--verbose', '--quiet'):
            expect(cvmm, pre + [name + '=1'], head + re.escape('%s=1: takes no value' % name),
                   'value given')
        if kind == 'none' or name in ('--help',):
            continue
        if name not in table:
            failures.append('%s %s: takes a value but has no row in BAD '
                            '(tests/unit/cli/usage_check.py)' % (cmd, name))
            continue
        bad = table[name]
        if bad is None:
            continue
        arg = [name + '=' + bad] if kind == 'optional' else [name, bad]
        if flags == 'boot-only' and cmd == 'measure':
            expect(cvmm, pre + arg, head + re.escape('%s: a cvmm boot option' % name),
                   'boot-only in measure')
        else:
            expect(cvmm, pre + arg, head + re.escape(name + ': '), 'bad value')
            if short != '-':    # as typed
                expect(cvmm, pre + [short, bad], head + re.escape(short + ': '),
                       'short, bad value')


def check_commands(cvmm):
    rc, out, err = run(cvmm, ['help', '--commands'])
    cmds = out.split()
    if rc or 'boot' not in cmds or 'measure' not in cmds:
        failures.append('cvmm help --commands: %d %r' % (rc, out))
    for cmd in cmds:
        check_command(cvmm, cmd)
        rc, out, err = run(cvmm, ['help', cmd])
        rc2, out2, err2 = run(cvmm, [cmd, '--help'])
        if rc or rc2 or out != out2 or not out.startswith('usage: '):
            failures.append('cvmm help %s (%d) differs from cvmm %s --help (%d)' %
                            (cmd, rc, cmd, rc2))
    return cmds


def check_top(cvmm):
    expect(cvmm, ['bot'], r'^cvmm: bot: unknown command; did you mean boot\?$', 'command')
    expect(cvmm, ['meausre'], r'^cvmm: meausre: unknown command; did you mean measure\?$',
           'command')
    expect(cvmm, ['--bogus'], r'^cvmm: --bogus: unknown option', 'top-level option')
    expect(cvmm, ['help', 'bot'], r'^cvmm help: bot: unknown command; did you mean boot\?$',
           'help')
    expect(cvmm, ['boot', 'vmlinuz'], r'^cvmm boot: vmlinuz: unexpected argument', 'positional')
    expect(cvmm, ['boot', '--memory', 'size=1G', '--mem'],
           r'^cvmm boot: --mem: unknown option; did you mean --memory\?$', 'prefix')
    expect(cvmm, ['boot', '-memory', 'size=1G'], r'^cvmm boot: -m: ', 'single dash')
    expect(cvmm, ['verify', 'snpp', 'r.bin'],
           r'^cvmm verify: snpp: unknown verification; did you mean snp\?$', 'verify kind')
    expect(cvmm, ['measure', '--coco', 'snp', '--firmware', '/dev/null', '--blk', 'path=x'],
           r'^cvmm measure: --blk: a cvmm boot option', 'boot-only')
    expect(cvmm, ['measure', '--coco', 'snp', '--firmware', '/dev/null', '--zero-pages',
                  'zero'], r'^cvmm measure: --zero-pages: needs --igvm FILE$', 'zero pages')
    expect(cvmm, ['measure', '--igvm', '/dev/null', '--firmware', '/dev/null'],
           r'^cvmm measure: --igvm: the IGVM file is the whole guest image: leave out '
           r'--firmware$', 'igvm and firmware')
    expect(cvmm, ['boot', '--igvm', '/dev/null', '--pvh', '/dev/null'],
           r'^cvmm boot: --igvm: the IGVM file is the whole guest image: leave out '
           r'--pvh$', 'igvm and pvh')
    expect(cvmm, ['boot', '--igvm', '/dev/null', '--coco', 'snp', '--kernel', '/dev/null'],
           r'^cvmm boot: --kernel: a confidential IGVM launch measures the file only',
           'igvm, snp and kernel')
    expect(cvmm, ['measure', '--igvm', '/dev/null', '--kernel', '/dev/null'],
           r'^cvmm measure: --kernel: does not go with --igvm', 'measure igvm and kernel')
    expect(cvmm, ['measure', '--igvm', '/dev/null', '--coco', 'tdx'],
           r'^cvmm measure: --coco: tdx: cvmm launches the SEV-SNP platform', 'igvm and tdx')
    expect(cvmm, ['measure', '--igvm', '/dev/null', '--svsm', 'x', '--vars-size', '0'],
           r'^cvmm measure: --svsm: does not go with --igvm', 'igvm and svsm')
    expect(cvmm, ['boot', '--dry-run'], r'^cvmm boot: --dry-run: runs a confidential launch',
           'check after parsing')
    expect(cvmm, ['boot', '--cpu', 'count=1,+avx22'],
           r"^cvmm boot: --cpu: unknown CPU feature 'avx22'; did you mean '\+avx2'\?$",
           'feature')
    expect(cvmm, ['boot', '--machine', 'q35'], r'^cvmm boot: --machine: q35 needs --firmware',
           'machine')
    expect(cvmm, ['api'], r'^cvmm api: --api-socket: required', 'api without a socket')
    expect(cvmm, ['ctl', '--api-socket', '/nonexistent', 'pasue'],
           r'^cvmm ctl: pasue: unknown command; did you mean pause\?$', 'ctl command')
    expect(cvmm, ['ctl', '--api-socket', '/nonexistent'], r'^cvmm ctl: a COMMAND is required',
           'ctl without a command')
    expect(cvmm, ['ctl', '--api-socket', '/nonexistent', 'create'],
           r'^cvmm ctl: create: needs a FILE', 'ctl create without a file')
    expect(cvmm, ['ctl', '--api-socket', '/nonexistent', 'info', 'x'],
           r"^cvmm ctl: x: unexpected argument \('info' takes none\)$", 'ctl extra word')
    rc, out, err = run(cvmm, [])
    if rc != 2 or 'usage: cvmm' not in err:
        failures.append('cvmm alone: %d %r' % (rc, err))
    for v in ('-V', '--version'):
        rc, out, err = run(cvmm, [v])
        for want in ('cvmm ', 'OpenSSL', 'fuzzing:', 'sanitizers:'):
            if rc or want not in out:
                failures.append('cvmm %s: %d, no %r in %r' % (v, rc, want, out))


def check_verbosity(cvmm):
    """-vvv prints at least what -vv prints (measure needs no KVM)"""
    data = os.environ.get('CVMM_TEST_DATA', 'tests/data')
    fw = os.path.join(data, 'measure/sev-snp-measure/ovmf_AmdSev_suffix.bin')
    base = ['measure', '--coco', 'snp', '--firmware', fw, '--cpu', 'model=EPYC-v4']
    counts = []
    for v in ([], ['-v'], ['-vv'], ['-vvv'], ['-v', '-v', '-v', '-v']):
        rc, out, err = run(cvmm, base + v)
        if rc:
            failures.append('measure %s: status %d %r' % (v, rc, err))
        counts.append(len(err.splitlines()))
    if not (counts[0] <= counts[1] <= counts[2] <= counts[3] == counts[4]) or \
            counts[1] == 0:
        failures.append('verbosity: lines on stderr for none, -v, -vv, -vvv, -v x4: %r' %
                        counts)


def main():
    cvmm = sys.argv[1]
    cmds = check_commands(cvmm)
    check_top(cvmm)
    check_verbosity(cvmm)
    for f in failures:
        print('FAIL: ' + f)
    print('%d usage errors checked over %d commands, %d failures' %
          (checked, len(cmds), len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
