#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""docs/coco.md's kernel-rule table against the simulator and its tests.

Every row of the table names a rule [Kn]/[Vn]/[Sn]/[Nn]/[Tn] and the
simulator line that enforces it (sim*.c:LINE).  This check holds the
three together so the table cannot go stale:

 - the cited line of src/sim/<file> carries the rule's [tag];
 - every tag in src/sim/sim*.c has a row, and every row a tag there;
 - every rule has a case in tests/unit/sim/test_sim_rules*.c.

usage: rule_table_check.py SOURCE_ROOT [--fix]

--fix rewrites each row's citations (the cells of sim*.c:LINE) with where
the tags are now, after the simulator's sources moved lines.
"""
import glob
import os
import re
import sys

TAG = re.compile(r'\[([KVSNT][0-9]+)\]')
ROW = re.compile(r'^\|\s*\[([KVSNT][0-9]+)\]\s*\|')
CITE = re.compile(r'\b(sim[a-z_]*\.c):([0-9]+)\b')


def tags_in(paths):
    found = {}
    for path in paths:
        with open(path, encoding='utf-8') as f:
            for n, line in enumerate(f, 1):
                for t in TAG.findall(line):
                    found.setdefault(t, []).append((path, n))
    return found


def fix(doc, src):
    """Rewrite the citation cell of every row from the tags' positions."""
    where = {}
    for rule, places in tags_in(src).items():
        where[rule] = ', '.join('`%s:%d`' % (os.path.basename(p), n) for p, n in places)
    out = []
    with open(doc, encoding='utf-8') as f:
        for line in f:
            m = ROW.match(line)
            if m and m.group(1) in where:
                cells = line.split('|')
                for i, cell in enumerate(cells):
                    if CITE.search(cell):
                        cells[i] = ' %s ' % where[m.group(1)]
                        break
                line = '|'.join(cells)
            out.append(line)
    with open(doc, 'w', encoding='utf-8') as f:
        f.writelines(out)


def main():
    root = sys.argv[1]
    doc = os.path.join(root, 'docs', 'coco.md')
    src = sorted(glob.glob(os.path.join(root, 'src', 'sim', 'sim*.c')))
    if '--fix' in sys.argv[2:]:
        fix(doc, src)
    tests = sorted(glob.glob(os.path.join(root, 'tests', 'unit', 'sim',
                                          'test_sim_rules*.c')))
    errors = []
    rows = {}
    with open(doc, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            m = ROW.match(line)
            if not m:
                continue
            rule = m.group(1)
            if rule in rows:
                errors.append('docs/coco.md:%d: [%s] has two rows' % (n, rule))
            cites = CITE.findall(line)
            rows[rule] = cites
            if not cites:
                errors.append('docs/coco.md:%d: [%s] cites no simulator line' % (n, rule))
            for name, lineno in cites:
                path = os.path.join(root, 'src', 'sim', name)
                try:
                    with open(path, encoding='utf-8') as s:
                        lines = s.read().split('\n')
                except OSError:
                    errors.append('docs/coco.md:%d: [%s] cites %s, which does not exist'
                                  % (n, rule, name))
                    continue
                i = int(lineno)
                if i < 1 or i > len(lines) or '[%s]' % rule not in lines[i - 1]:
                    errors.append('docs/coco.md:%d: [%s] cites %s:%s, which does not '
                                  'carry the tag' % (n, rule, name, lineno))
    in_src = tags_in(src)
    in_tests = tags_in(tests)
    for rule in sorted(set(in_src) - set(rows)):
        errors.append('%s:%d: [%s] has no row in docs/coco.md' % (in_src[rule][0] + (rule,)))
    for rule in sorted(set(rows) - set(in_src)):
        errors.append('docs/coco.md: [%s] has no tag in src/sim/sim*.c' % rule)
    for rule in sorted(set(rows) - set(in_tests)):
        errors.append('[%s] has no case in tests/unit/sim/test_sim_rules*.c' % rule)
    if not rows:
        errors.append('docs/coco.md has no rule table')
    for e in errors:
        print(e)
    print('%d rules, %d problems' % (len(rows), len(errors)))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
