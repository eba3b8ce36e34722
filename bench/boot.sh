#!/bin/sh
# Boot-time and footprint benchmark, cvmm vs QEMU microvm (see boot.py).
# usage: bench/boot.sh [--runs N] [--memory 512M]
exec python3 "$(dirname "$0")/boot.py" "$@"
