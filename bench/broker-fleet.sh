#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# cvmm-broker as a fleet: full attestations per second (auth + attest +
# resource over keep-alive HTTPS on 127.0.0.1, CLIENTS concurrent clients x
# FLOWS flows, each step of a flow on the next replica) for 1, 2 and 3
# replicas sharing one PostgreSQL 15 (a throwaway cluster, fsync on), side by
# side with the SQLite broker alone, in one run; p50/p99 latency, the ratios,
# and the CPU each flow costs in the brokers, PostgreSQL and the clients
# (which share the cores), which says where the scaling stops.  The
# configurations run in interleaved rounds; the figures are medians.
#
# usage: bench/broker-fleet.sh [BUILD_DIR]   (env: CLIENTS=4 FLOWS=50 ROUNDS=3)
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$SRC/build}
BROKER=$BUILD/cvmm-broker

[ -x "$BROKER" ] || { echo "broker-fleet.sh: $BROKER not built" >&2; exit 2; }
/usr/bin/python3 -c 'import jwcrypto, requests' 2>/dev/null ||
	{ echo "broker-fleet.sh: needs python3-jwcrypto and python3-requests" >&2; exit 2; }
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 ||
	{ echo "broker-fleet.sh: needs PostgreSQL (apt-get install postgresql)" >&2; exit 2; }
exec /usr/bin/python3 "$SRC/bench/broker_fleet.py" "$BROKER"
