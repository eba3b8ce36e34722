#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`cvmm measure` against an independent model (issue 21).

First the model (measure_model.py, written for the tests with hashlib from
the published algorithms) must reproduce sev-snp-measure's expected digests
and VMSA pages; then `cvmm measure` must print the model's digest for SEV,
SEV-ES, SEV-SNP and TDX on Debian's OVMF.fd (when installed), the synthetic
stage0- and OVMF-shaped images, 1, 2 and 4 vCPUs, two CPU signatures and a
measured direct boot (kernel, initrd, command line).  For TDX this model is
the only check of MRTD: no external MRTD vector with its firmware exists
here (docs/testing.md).

usage: model_check.py CVMM FWIMG
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure_model as mm  # noqa: E402

SPECS = {"sev": "sev,policy=0x1", "sev-es": "sev,policy=0x5", "snp": "snp,policy=0x30000",
         "tdx": "tdx,attr=0x10000000"}
SIGS = {"EPYC-v4": 0x800F12, "EPYC-Milan": 0xA00F11}


def cvmm_measure(cvmm, args):
    p = subprocess.run([cvmm, "measure"] + args, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, timeout=120)
    return p.returncode, p.stdout.strip(), p.stderr.strip()


def main():
    cvmm, fwimg = sys.argv[1], sys.argv[2]
    data = os.environ.get("CVMM_TEST_DATA", os.path.join(os.path.dirname(__file__), "..",
                                                         "data"))
    failures = []
    done, errors = mm.self_test(data)
    failures += ["model vs sev-snp-measure: " + e for e in errors]
    print("the model reproduces %d of sev-snp-measure's values" % (done - len(errors)))

    tmp = tempfile.mkdtemp(prefix="cvmm-model-")
    images = {}
    for kind in ("stage0-sev", "stage0-tdx", "ovmf"):
        images[kind] = os.path.join(tmp, kind + ".img")
        subprocess.run([fwimg, kind, images[kind]], check=True)
    if os.path.exists("/usr/share/ovmf/OVMF.fd"):
        images["OVMF.fd"] = "/usr/share/ovmf/OVMF.fd"
    kernel = os.path.join(tmp, "kernel")
    initrd = os.path.join(tmp, "initrd")
    with open(kernel, "wb") as f:
        f.write(b"a kernel, as far as the measurement goes\n" * 100)
    with open(initrd, "wb") as f:
        f.write(bytes(range(256)) * 30)

    n = 0
    for iname, path in images.items():
        with open(path, "rb") as f:
            fw = f.read()
        for pname, spec in SPECS.items():
            if (pname == "tdx") != (iname == "stage0-tdx") and iname.startswith("stage0"):
                continue
            for cpus in (1, 2, 4):
                for signame, sig in SIGS.items():
                    if pname in ("sev", "tdx") and signame != "EPYC-v4":
                        continue	# no VMSA: the signature is not measured
                    runs = [([], None, None, None)]
                    if pname != "tdx" and cpus == 2:
                        runs.append((["--kernel", kernel, "--initramfs", initrd, "--cmdline",
                                      "console=ttyS0 quiet"], kernel, initrd,
                                     "console=ttyS0 quiet"))
                    for extra, k, i, c in runs:
                        name = "%s/%s/%dcpu/%s%s" % (pname, iname, cpus, signame,
                                                     "/kernel" if k else "")
                        rc, got, err = cvmm_measure(cvmm, ["--coco", spec, "--firmware", path,
                                                           "--cpu", "count=%d" % cpus,
                                                           "--vcpu-sig", "0x%x" % sig] + extra)
                        try:
                            want = mm.measure(pname, fw, cpus, sig, 1,
                                              open(k, "rb").read() if k else None,
                                              open(i, "rb").read() if i else None, c)
                        except mm.ModelError as e:
                            want = None
                            if rc == 0:
                                failures.append("%s: cvmm measured %s, the model refuses: %s"
                                                % (name, got, e))
                        if want is not None and (rc or got != want):
                            failures.append("%s: cvmm measure %s (rc %d %s), the model %s"
                                            % (name, got, rc, err, want))
                        n += 1
        # the firmware pages alone (sev-snp-measure's snp:ovmf-hash)
        if not iname.startswith("stage0-tdx"):
            rc, got, err = cvmm_measure(cvmm, ["--coco", "snp", "--firmware", path,
                                               "--vcpu-type", "EPYC-v4", "--ovmf-hash-only"])
            if rc or got != mm.snp(fw, firmware_only=True):
                failures.append("%s: --ovmf-hash-only %s (rc %d %s), the model %s" %
                                (iname, got, rc, err, mm.snp(fw, firmware_only=True)))
            n += 1
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    for f in failures:
        print("FAIL:", f)
    print("%d cvmm measure cases against the model, %d failures" % (n, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
