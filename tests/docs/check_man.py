#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The generated man page: renders without a groff warning, names every
command and every option `cvmm help --list` has, and says exit status 2.

usage: check_man.py CVMM.1 CVMM
"""
import shutil
import subprocess
import sys


def main():
    page, cvmm = sys.argv[1], sys.argv[2]
    text = open(page, encoding='utf-8').read()
    errors = []
    if shutil.which('groff'):
        p = subprocess.run(['groff', '-man', '-Tutf8', '-ww', '-z', page],
                           stderr=subprocess.PIPE, text=True)
        if p.returncode or p.stderr:
            errors.append('groff: %s' % p.stderr.strip())
    else:
        print('no groff: rendering not checked')
    cmds = subprocess.run([cvmm, 'help', '--commands'], stdout=subprocess.PIPE,
                          text=True).stdout.split()
    for c in cmds:
        if '.SS cvmm %s' % c not in text:
            errors.append('command %s is not in the man page' % c)
        out = subprocess.run([cvmm, 'help', '--list', c], stdout=subprocess.PIPE,
                             text=True).stdout
        for line in out.splitlines():
            name = line.split('\t')[0]
            if '\\fB\\-\\-%s\\fR' % name[2:].replace('-', '\\-') not in text:
                errors.append('%s %s is not in the man page' % (c, name))
    if '2 a usage error' not in text:
        errors.append('the exit status 2 is not described')
    for e in errors:
        print('FAIL: ' + e)
    print('%d commands, %d problems' % (len(cmds), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
