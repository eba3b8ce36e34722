# SPDX-License-Identifier: GPL-2.0-only
"""Host side of cvmm-agent's tests: a real cvmm-broker with a test PKI.

Broker(build, tmp, pki) makes a KEK, an Ed25519 admin key and a TLS
certificate (its SPKI pin is .pin), then

  .admin(resource, secret, policy)  starts the broker on 127.0.0.1 (TLS),
        stores the secret and the policy with `cvmm-broker admin`, stops it
        (the admin client speaks plain HTTP on unix: listeners);
  .serve(listen)                    serves the same store on `listen`
        (unix:PATH for cvmm's hybrid vsock) with TLS and --test-roots;
  .stop()                           SIGTERM, wait.

Its log goes to tmp/broker.log.  Nothing here prints key material.
"""
import os
import signal
import socket
import subprocess
import time

import testpki


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Broker:
    def __init__(self, build, tmp, pki):
        self.exe = os.path.join(build, "cvmm-broker")
        self.tmp, self.pki = tmp, pki
        self.store = "sqlite:" + os.path.join(tmp, "broker.db")
        self.kek = os.path.join(tmp, "kek.bin")
        with open(os.open(self.kek, os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
            f.write(os.urandom(32))
        self.admin_key = os.path.join(tmp, "admin.key")
        self.admin_pub = os.path.join(tmp, "admin.pub")
        subprocess.run(["openssl", "genpkey", "-algorithm", "ed25519", "-out",
                        self.admin_key], check=True)
        subprocess.run(["openssl", "pkey", "-in", self.admin_key, "-pubout", "-out",
                        self.admin_pub], check=True)
        self.pin = testpki.tls_cert(tmp, "broker")
        self.cert = os.path.join(tmp, "broker.pem")
        self.log = open(os.path.join(tmp, "broker.log"), "a")
        self.proc = None

    def _start(self, listen):
        cmd = [self.exe, "serve", "--listen", listen, "--tls-cert", self.cert,
               "--tls-key", os.path.join(self.tmp, "broker.key"), "--store", self.store,
               "--kek", self.kek, "--admin-key", self.admin_pub,
               "--test-roots", os.path.join(self.pki, "test-roots.pem")]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=self.log)
        deadline = time.monotonic() + 30
        logpath = os.path.join(self.tmp, "broker.log")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("cvmm-broker exited with %d (see %s)"
                                   % (self.proc.returncode, logpath))
            with open(logpath) as f:
                if f.read().count('"serve.started"') > self.starts:
                    self.starts += 1
                    return
            time.sleep(0.1)
        raise RuntimeError("cvmm-broker did not start")

    starts = 0

    def admin(self, resource, secret, policy):
        port = free_port()
        self._start("127.0.0.1:%d" % port)
        try:
            url = "https://127.0.0.1:%d" % port
            base = [self.exe, "admin", "--url", url, "--admin-key", self.admin_key,
                    "--cacert", self.cert]
            sfile = os.path.join(self.tmp, "secret.tmp")
            with open(os.open(sfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                      "wb") as f:
                f.write(secret)
            pfile = os.path.join(self.tmp, "policy.json")
            with open(pfile, "w") as f:
                f.write(policy)
            for args in (["put-secret", resource, sfile], ["set-policy", resource, pfile]):
                r = subprocess.run(base + args, stdout=self.log, stderr=self.log)
                if r.returncode:
                    raise RuntimeError("cvmm-broker admin %s failed" % args[0])
            os.unlink(sfile)
        finally:
            self.stop()

    def serve(self, listen):
        self._start(listen)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
