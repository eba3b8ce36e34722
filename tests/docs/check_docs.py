#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The documentation's examples, checked so that they cannot rot.

usage: check_docs.py SOURCE_ROOT BUILD_DIR

1. Every `cvmm ...` command line in a code block of README.md and
   docs/*.md (backslash continuations joined, a leading "$ " or
   "./build/" dropped, up to a pipe, redirection or comment) is given to
   the built cvmm with CVMM_ARGS_ONLY=1: it must be accepted, i.e. parse
   and pass every check that needs no file.  A line with a placeholder
   (..., <...>, [...], A|B) is a synopsis, not an example, and is only
   counted.
2. A code block right after a line `<!-- doc-test: run -->` is run, as a
   newcomer would paste it: each "$ command" line runs with bash in the
   source root, build/ on PATH (so `cvmm` is the built one), one bash for
   the block (variables carry over, pipefail on), and its output must be
   the lines that follow it ("…" inside a line matches anything; a line
   "..." matches any number of lines).  "# exit N" at the end of a
   command says the status it must end with (default 0).
   Blocks that need hardware say so with `<!-- doc-test: run if KVM -->`
   (skipped without /dev/kvm).
"""
import glob
import os
import re
import shlex
import subprocess
import sys

PLACEHOLDER = re.compile(r'\.\.\.|…|<[^>]*>|\[[^\]]*\]|\S\|\S')
failures = []


def blocks(path):
    """(line number, marker, lines) of every fenced code block"""
    out, cur, marker, start, prev = [], None, None, 0, ''
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            s = line.rstrip('\n')
            if s.lstrip().startswith('```'):
                if cur is None:
                    lang = s.lstrip()[3:].strip()
                    cur, start = [], n
                    m = re.match(r'<!-- doc-test: (run|run if KVM) -->', prev.strip())
                    marker = m.group(1) if m else None
                    cur_lang = lang
                else:
                    out.append((start, marker, cur_lang, cur))
                    cur = None
                continue
            if cur is not None:
                cur.append(s[len(s) - len(s.lstrip()):] if False else s)
            elif s.strip():
                prev = s
    return out


def commands(lines):
    """the shell command lines of a block, continuations joined"""
    cmd, out = '', []
    for ln in lines:
        s = ln.strip()
        if s.startswith('$ '):
            s = s[2:]
        if cmd:
            cmd += ' ' + s
        else:
            cmd = s
        if cmd.endswith('\\'):
            cmd = cmd[:-1].rstrip()
            continue
        out.append(cmd)
        cmd = ''
    return out


def cvmm_words(line):
    """the words of the cvmm invocation in @line, or None"""
    m = re.search(r'(^|[;&|]\s*|\$\(\s*)(\./build/)?cvmm\s', line)
    if not m:
        return None
    text = line[m.start(2) if m.group(2) else m.end(1):]
    try:
        lex = shlex.shlex(text, posix=True, punctuation_chars='|;&<>')
        lex.whitespace_split = True
        lex.commenters = '#'
        words = []
        for w in lex:
            if w in ('|', '||', ';', '&', '&&', '>', '>>', '<', '2>', '2>&1'):
                break
            words.append(w)
    except ValueError:
        return None
    if not words or words[0] not in ('cvmm', './build/cvmm'):
        return None
    return words[1:]


def check_parse(cvmm, doc, start, lines, stats):
    for line in commands(lines):
        if line.startswith('--') and stats.get('prev_cvmm'):
            failures.append('%s:%d: `%s`: a continuation of the cvmm line above without a '
                            'backslash (a comment cannot come before one): pasted, the '
                            'shell runs it as a command of its own' % (doc, start, line[:60]))
            continue
        words = cvmm_words(line)
        stats['prev_cvmm'] = words is not None
        if words is None:
            continue
        if PLACEHOLDER.search(line) or '$' in line:
            stats['synopsis'] += 1
            if os.environ.get('CHECK_DOCS_VERBOSE'):
                print('synopsis %s:%d: %s' % (doc, start, line))
            continue
        stats['parsed'] += 1
        env = dict(os.environ, CVMM_ARGS_ONLY='1')
        p = subprocess.run([cvmm] + words, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           timeout=60)
        if p.returncode != 0:
            failures.append('%s:%d: `cvmm %s`: status %d: %s' %
                            (doc, start, ' '.join(words), p.returncode, p.stderr.strip()))


def expected_match(want, got):
    """want: lines with "…" wildcards and "..." runs; got: actual lines"""
    def line_ok(w, g):
        parts = [re.escape(x) for x in w.split('…')]
        return re.fullmatch('.*'.join(parts), g) is not None

    def rec(i, j):
        if i == len(want):
            return j == len(got)
        if want[i].strip() == '...':
            return any(rec(i + 1, k) for k in range(j, len(got) + 1))
        return j < len(got) and line_ok(want[i], got[j]) and rec(i + 1, j + 1)
    return rec(0, 0)


def run_block(root, build, doc, start, lines, stats):
    """the block's commands in one bash (variables carry over), output compared"""
    steps, cur = [], None
    for ln in lines:
        if ln.startswith('$ '):
            cur = [ln[2:], []]
            steps.append(cur)
        elif cur and cur[0].endswith('\\') and not cur[1]:
            cur[0] = cur[0][:-1] + ' ' + ln.strip()
        elif cur:
            cur[1].append(ln)
    script = 'set -o pipefail\n'
    for i, (cmd, _) in enumerate(steps):
        script += 'echo "@@doc-test %d@@"\n%s\necho "@@doc-status %d $?@@"\n' % (i, cmd, i)
    env = dict(os.environ, PATH=os.path.abspath(build) + os.pathsep + os.environ['PATH'])
    p = subprocess.run(['bash', '-c', script], cwd=root, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=300)
    for i, (cmd, want) in enumerate(steps):
        m = re.search(r'@@doc-test %d@@\n(.*?)@@doc-status %d (\d+)@@' % (i, i), p.stdout,
                      re.S)
        stats['run'] += 1
        e = re.search(r'#\s*exit (\d+)\s*$', cmd)
        status = int(e.group(1)) if e else 0
        if not m:
            failures.append('%s:%d: `%s` did not run:\n%s' % (doc, start, cmd, p.stdout))
            continue
        out = m.group(1)
        got = out.rstrip('\n').split('\n') if out else []
        if int(m.group(2)) != status or not expected_match(want, got):
            failures.append('%s:%d: `%s`: status %s (want %d), output:\n%s\nexpected:\n%s' %
                            (doc, start, cmd, m.group(2), status, out.rstrip(),
                             '\n'.join(want)))


def main():
    root, build = sys.argv[1], sys.argv[2]
    cvmm = os.path.join(build, 'cvmm')
    kvm = os.access('/dev/kvm', os.R_OK | os.W_OK)
    docs = [os.path.join(root, 'README.md')] + sorted(glob.glob(os.path.join(root, 'docs',
                                                                            '*.md')))
    stats = {'parsed': 0, 'synopsis': 0, 'run': 0, 'skipped': 0, 'prev_cvmm': False}
    for doc in docs:
        rel = os.path.relpath(doc, root)
        for start, marker, lang, lines in blocks(doc):
            if lang not in ('', 'sh', 'shell', 'console'):
                continue
            check_parse(cvmm, rel, start, lines, stats)
            if marker == 'run' or (marker == 'run if KVM' and kvm):
                run_block(root, build, rel, start, lines, stats)
            elif marker:
                stats['skipped'] += 1
    for f in failures:
        print('FAIL: ' + f)
    print('%(parsed)d command lines accepted, %(synopsis)d synopses, %(run)d commands run '
          'with their output, %(skipped)d blocks skipped (no /dev/kvm)' % stats)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
