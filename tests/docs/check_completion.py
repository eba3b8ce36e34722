#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scripts/cvmm-completion.bash: commands, options, values, files.

usage: check_completion.py COMPLETION.bash CVMM
"""
import os
import shutil
import subprocess
import sys
import tempfile

CASES = [
    (['bo'], 'boot'),
    (['me'], 'measure'),
    (['boot', '--mem'], '--memory'),
    (['boot', '--console', 's'], 'stdio socket'),
    (['measure', '--vmm', ''], 'cvmm qemu ec2 gce'),
    (['measure', '--output-format', ''], 'hex base64'),
    (['verify', 't'], 'tdx tdx-eventlog'),
    (['help', 'host'], 'host-check'),
    (['host-check', '--j'], '--json'),
    (['boot', '--machine', ''], 'q35 cvmm'),
    (['ctl', '--api-socket', 's', 'p'], 'ping pause'),
    (['ctl', '--api-socket', 's', 'create', 'vmlin'], 'vmlinuz-test'),
    (['api', '--api'], '--api-socket'),
    (['boot', '--kernel', 'vmlin'], 'vmlinuz-test'),
    (['boot', '-k', 'vmlin'], 'vmlinuz-test'),
]


def main():
    script, cvmm = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    errors = []
    d = tempfile.mkdtemp(prefix='cvmm-compl-')
    open(os.path.join(d, 'vmlinuz-test'), 'w').close()
    for words, want in CASES:
        argv = ' '.join("'%s'" % w for w in [cvmm] + words)
        p = subprocess.run(['bash', '-c', 'source "%s"; COMP_WORDS=(%s); COMP_CWORD=%d; _cvmm; '
                            'echo "${COMPREPLY[*]}"' % (script, argv, len(words))],
                           cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.stdout.strip() != want or p.stderr:
            errors.append('cvmm %s<TAB>: %r (%s), expected %r' %
                          (' '.join(words), p.stdout.strip(), p.stderr.strip(), want))
    os.unlink(os.path.join(d, 'vmlinuz-test'))
    os.rmdir(d)
    if shutil.which('shellcheck'):
        p = subprocess.run(['shellcheck', '-s', 'bash', script], stdout=subprocess.PIPE,
                           text=True)
        if p.returncode:
            errors.append('shellcheck:\n' + p.stdout)
    for e in errors:
        print('FAIL: ' + e)
    print('%d completions, %d problems' % (len(CASES), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
