/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_CONFIG_H
#define CVMM_AGENT_CONFIG_H

/*
 * cvmm-agent's configuration (docs/agent.md).  Two measured sources, both
 * KEY=VALUE with the same keys:
 *
 *   - a file inside the initramfs (default /etc/cvmm-agent.conf): one
 *     KEY=VALUE per line, '#' comments, blank lines; surrounding blanks of
 *     a value are dropped;
 *   - the kernel command line: cvmm.agent.KEY=VALUE words (a value may be
 *     quoted as the kernel allows: "cvmm.agent.key=a b" or
 *     cvmm.agent.key="a b"); other words are ignored.
 *
 * The file is read first, the command line overrides it key by key; inside
 * one source a key given twice, an unknown key or a bad value is an error
 * (a typo must not silently fall back to a default).
 *
 * Keys:
 *   url         broker base URL, https://HOST[:PORT] (http:// only with the
 *               agent's --insecure-http); required
 *   pin         the broker's TLS public key: "sha256//<base64 of the SHA-256
 *               of its DER SubjectPublicKeyInfo>" (several joined by ';'), or
 *               an absolute path to a PEM/DER public key in the initramfs;
 *               required with https
 *   connect     vsock:CID:PORT or unix:PATH: reach the broker through that
 *               stream instead of the network (TLS and the pin still apply;
 *               the URL's host only names the broker)
 *   resource    REPO/TYPE/TAG of the disk key at the broker; required
 *   device      the LUKS2 block device (absolute path); required to unlock
 *   name        device-mapper name (default cvmm-data)
 *   mount       mount point (absolute; empty: do not mount)
 *   fstype      file system type for mount and --format-empty (ext2, ext3,
 *               ext4; default ext4)
 *   tee         evidence provider: auto (default), tsm, sev-guest,
 *               tdx-guest, sim
 *   sim         the simulated TEE: vsock:CID:PORT (default vsock:2:4051)
 *               or unix:PATH
 *   report-version  3 or 5: SNP report version asked of the sim (default 3)
 *   vmpl        0..3: VMPL of SNP reports (default 0)
 *   key-type    tee key: P-256 (default), P-521, RSA (RSA-OAEP-256)
 *   timeout     total deadline in seconds, 1..86400 (default 300)
 *   format-empty  yes|no: allow formatting a blank device (default no)
 *   keyslots-size LUKS2 keyslots area of a format, in KiB (256..16384,
 *               a multiple of 4; default 0: cryptsetup's, 16 MiB)
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/net.h"

#define AGENT_CONF_PATH		"/etc/cvmm-agent.conf"
#define AGENT_CONF_MAX		(64u << 10)
#define AGENT_CMDLINE_MAX	(64u << 10)
#define AGENT_VALUE_MAX		1024

enum agent_tee_src {
	AGENT_TEE_AUTO,
	AGENT_TEE_TSM,
	AGENT_TEE_SEV_GUEST,
	AGENT_TEE_TDX_GUEST,
	AGENT_TEE_SIM,
};

struct agent_config {
	char url[AGENT_VALUE_MAX];
	char pin[AGENT_VALUE_MAX];
	bool has_connect;
	struct agent_addr connect;
	char resource[AGENT_VALUE_MAX];
	char device[AGENT_VALUE_MAX];
	char name[128];
	char mount[AGENT_VALUE_MAX];
	char fstype[16];
	enum agent_tee_src tee;
	struct agent_addr sim;
	uint32_t report_version;
	uint32_t vmpl;
	char key_type[16];
	unsigned timeout;
	bool format_empty;
	uint32_t keyslots_kib;
	/* bit i set: key i was given (file or command line) */
	uint32_t given;
};

/* Defaults (no url, pin, resource or device). */
void agent_config_init(struct agent_config *c);

/*
 * Apply the KEY=VALUE lines of a configuration file (@len bytes).
 * Returns 0 or -EINVAL with "line N: ..." in @why.
 */
int agent_config_parse_file(struct agent_config *c, const char *text,
			    size_t len, char *why, size_t whylen);

/*
 * Apply the cvmm.agent.* words of a kernel command line (@len bytes, as
 * /proc/cmdline gives it).  Returns 0 or -EINVAL with the reason.
 */
int agent_config_parse_cmdline(struct agent_config *c, const char *cmdline,
			       size_t len, char *why, size_t whylen);

/*
 * Apply one KEY=VALUE (@src names the source in messages).  Returns 0,
 * -ENOENT (unknown key) or -EINVAL (bad value), with @why.
 */
int agent_config_set(struct agent_config *c, const char *key,
		     const char *value, char *why, size_t whylen);

/*
 * Whole-configuration checks: url (and pin with https) and resource given;
 * device given when @need_device.  @insecure_http allows http://.
 */
int agent_config_check(const struct agent_config *c, bool need_device,
		       bool insecure_http, char *why, size_t whylen);

/* Does @url (already checked) use https? */
bool agent_url_is_https(const char *url);

#endif
