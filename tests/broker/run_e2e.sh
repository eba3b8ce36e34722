#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# cvmm-broker end-to-end test: a fresh test PKI (python3 on PATH, whose
# `cryptography` signs RSA-PSS certificates), then the independent client
# under Debian's /usr/bin/python3 (python3-jwcrypto, python3-requests).
# usage: run_e2e.sh CVMM_BROKER [TEST.py (default test_e2e.py)].
# Exit 77 (skip) when a tool is missing.
set -eu
broker=$1
test=${2:-test_e2e.py}
here=$(cd "$(dirname "$0")" && pwd)
client_py=${CVMM_BROKER_CLIENT_PYTHON:-/usr/bin/python3}
pki_py=${CVMM_BROKER_PKI_PYTHON:-python3}

if ! "$client_py" -c 'import jwcrypto, requests, cryptography' 2>/dev/null; then
	echo "SKIP: $client_py lacks python3-jwcrypto/python3-requests (apt-get install python3-jwcrypto python3-requests)"
	exit 77
fi
if ! "$pki_py" -c 'from cryptography.x509 import CertificateBuilder as B; import inspect, sys; sys.exit("rsa_padding" not in inspect.signature(B.sign).parameters)' 2>/dev/null; then
	echo "SKIP: $pki_py's cryptography cannot sign RSA-PSS certificates (need >= 41)"
	exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$pki_py" "$here/testpki.py" "$work/pki"
"$client_py" "$here/$test" "$broker" "$work/pki" "$work"
