#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Writes the seed corpus of fuzz_igvm (fuzz/corpus/igvm) with tests/igvm/mkigvm.py.

Small files that still reach every record type: a two-page "ROM", SNP
metadata pages given directly, parameter areas, VP contexts, an ID block,
the rule-pinning extras, three platforms.  Run from anywhere; rewrites the
corpus files in place.
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'tests', 'igvm'))
import mkigvm  # noqa: E402

ROM = bytes(range(256)) * 16 + b'\xf4' * 4096          # 8 KiB ending at 4 GiB
SECTIONS = [(0x20000, 0x2000, 1), (0x1000, 0x1000, 2), (0x2000, 0x1000, 3),
            (0x10000, 0x1000, 0x10)]


def id_block():
    """An unsigned IGVM ID block (after its mask): fields, no signatures."""
    return (struct.pack('<B3x', 0) + bytes(range(48)) + b'family'.ljust(16, b'\0') +
            b'image'.ljust(16, b'\0') + struct.pack('<IIII', 1, 3, 1, 0) + bytes(592))


SEEDS = {
    'native_snp_params': dict(platforms=('native', 'snp'), policy=0x30000, param_pages=1,
                              native_ctx=True, id_block=id_block(), sections=SECTIONS),
    'snp_rules': dict(platforms=('snp',), vcpus=2, param_pages=2, sections=SECTIONS,
                      extra=[('shared', 0x5000), ('unmeasured', 0x6000),
                             ('zero-2m', 0x200000), ('after-vmsa', 0x7000)],
                      optional_unknown=True),
    'three_platforms': dict(platforms=('native', 'snp', 'tdx'), sections=[]),
    'native_only': dict(platforms=('native',), native_ctx=True, dedupe=False),
}


def main():
    out = os.path.join(HERE, '..', 'corpus', 'igvm')
    os.makedirs(out, exist_ok=True)
    for name, kw in SEEDS.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(mkigvm.build(ROM, **kw))
    return 0


if __name__ == '__main__':
    sys.exit(main())
