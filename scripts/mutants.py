# SPDX-License-Identifier: GPL-2.0-only
"""The mutants of scripts/mutate.py: one-line breaks of security checks.

Each is Mutant(id, file, original, replacement, what it breaks, tests):
`original` must occur exactly once in `file` (else the mutant is reported
STALE and must be updated); `tests` are meson test names run first, so a
kill is found quickly (the full fast suites run when they do not kill it).
Pin each on text unlikely to change for other reasons.
"""
from collections import namedtuple

Mutant = namedtuple("Mutant", "id file orig repl breaks tests")


def M(id, file, orig, repl, breaks, tests=()):
    return Mutant(id, file, orig, repl, breaks, list(tests))


MUTANTS = [
    # ---- fw_cfg ----
    M("fwcfg-dma-end-off-by-one", "src/devices/fw_cfg/dma.c",
      "if (avail >= len)", "if (avail + 1 >= len)",
      "DMA 1 byte past the end of a RAM region reports success (short transfer)",
      ["fw-cfg-dma"]),

    # ---- virtio-blk ----
    M("blk-ro-out-allowed", "src/devices/virtio/blk.c",
      "status = b->readonly ? VIRTIO_BLK_S_IOERR : blk_rw(b, &r, true, &written);",
      "status = blk_rw(b, &r, true, &written);",
      "a read-only disk accepts OUT requests (the handler's check)",
      ["virtio-blk", "fuzz-corpus-virtio_blk"]),
    M("blk-ro-discard-allowed", "src/devices/virtio/blk.c",
      "status = b->readonly ? VIRTIO_BLK_S_IOERR : blk_discard(b, &r);",
      "status = blk_discard(b, &r);",
      "a read-only disk accepts DISCARD/WRITE_ZEROES",
      ["virtio-blk", "fuzz-corpus-virtio_blk"]),
    M("blk-ro-open-rdwr", "src/devices/virtio/blk_image.c",
      "int flags = (readonly ? O_RDONLY : O_RDWR)", "int flags = (O_RDWR)",
      "readonly=on images are opened read-write (the O_RDONLY open)",
      ["virtio-blk"]),
]
