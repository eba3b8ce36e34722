// SPDX-License-Identifier: GPL-2.0-only
/*
 * configfs-tsm (Linux >= 6.7, Documentation/ABI/testing/configfs-tsm):
 * mkdir a report entry under @root (/sys/kernel/config/tsm/report), write
 * inblob (and privlevel for a VMPL > 0), read outblob and auxblob, and
 * check that "generation" did not move while we read (another writer to
 * the same entry would have changed the report under us).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/evidence.h"
#include "util/file.h"

static int entry_path(char *buf, size_t size, const char *dir, const char *attr)
{
	int n = snprintf(buf, size, "%s/%s", dir, attr);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

static int write_attr(const char *dir, const char *attr, const void *d, size_t n)
{
	char p[512];
	int fd, err;

	err = entry_path(p, sizeof(p), dir, attr);
	if (err)
		return err;
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = fd_write_all(fd, d, n);
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

static int read_attr(const char *dir, const char *attr, size_t max,
		     uint8_t **d, size_t *n)
{
	char p[512];
	int err = entry_path(p, sizeof(p), dir, attr);

	return err ? err : file_read(p, max, d, n);
}

static int read_generation(const char *dir, unsigned long *gen)
{
	uint8_t *d;
	size_t n;
	int err = read_attr(dir, "generation", 64, &d, &n);

	if (err)
		return err;
	*gen = strtoul((char *)d, NULL, 10);
	free(d);
	return 0;
}

static int provider_tee(const char *dir, enum agent_tee *tee)
{
	uint8_t *d;
	size_t n;
	int err = read_attr(dir, "provider", 64, &d, &n);

	if (err)
		return err;
	while (n && (d[n - 1] == '\n'))
		d[--n] = 0;
	if (!strcmp((char *)d, "sev_guest"))
		*tee = AGENT_TEE_SNP;
	else if (!strcmp((char *)d, "tdx_guest"))
		*tee = AGENT_TEE_TDX;
	else
		err = -EPROTONOSUPPORT;
	free(d);
	return err;
}

static int make_entry(const char *root, char *dir, size_t size)
{
	int n = snprintf(dir, size, "%s/cvmm-agent-%d", root, (int)getpid());

	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int ev_tsm_probe(const char *root, enum agent_tee *tee, char *why, size_t whylen)
{
	char dir[400];
	int err = make_entry(root, dir, sizeof(dir));

	if (err) {
		snprintf(why, whylen, "%s: cannot create a report: %s", root, strerror(-err));
		return err;
	}
	err = provider_tee(dir, tee);
	if (err)
		snprintf(why, whylen, "%s: %s", dir, err == -EPROTONOSUPPORT ?
			 "unknown provider" : strerror(-err));
	rmdir(dir);
	return err;
}

static int tsm_read(const char *dir, const struct agent_config *c,
		    const uint8_t report_data[64], struct evidence *ev)
{
	unsigned long g1, g2;
	char lvl[16];
	int err;

	err = write_attr(dir, "inblob", report_data, 64);
	if (!err && ev->tee == AGENT_TEE_SNP && c->vmpl) {
		snprintf(lvl, sizeof(lvl), "%u", c->vmpl);
		err = write_attr(dir, "privlevel", lvl, strlen(lvl));
	}
	if (!err)
		err = read_generation(dir, &g1);
	if (!err)
		err = read_attr(dir, "outblob", EVIDENCE_MAX_QUOTE, &ev->report,
				&ev->report_len);
	if (!err && ev->tee == AGENT_TEE_SNP) {
		err = read_attr(dir, "auxblob", EVIDENCE_MAX_CERTS, &ev->certs,
				&ev->certs_len);
		if (err == -ENOENT || err == -EINVAL || err == -ENXIO)
			err = 0;	/* no certificates from this host */
	}
	if (!err)
		err = read_generation(dir, &g2);
	if (!err && g1 != g2)
		err = -EAGAIN;
	return err;
}

int ev_tsm_collect(const char *root, const struct agent_config *c,
		   const uint8_t report_data[64], struct evidence *ev,
		   char *why, size_t whylen)
{
	char dir[400];
	int err = make_entry(root, dir, sizeof(dir));

	ev->provider = "tsm";
	if (!err)
		err = provider_tee(dir, &ev->tee);
	if (!err)
		err = tsm_read(dir, c, report_data, ev);
	if (err)
		snprintf(why, whylen, "%s: %s", dir, err == -EAGAIN ?
			 "another writer changed the report entry" : strerror(-err));
	rmdir(dir);
	return err;
}
