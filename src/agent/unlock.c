// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/alog.h"
#include "agent/unlock.h"
#include "util/bytes.h"

int keybuf_init(struct keybuf *k)
{
	k->len = 0;
	k->p = mmap(NULL, KEYBUF_MAX, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (k->p == MAP_FAILED) {
		k->p = NULL;
		return -errno;
	}
	madvise(k->p, KEYBUF_MAX, MADV_DONTDUMP);
	if (mlock(k->p, KEYBUF_MAX) < 0) {
		int err = -errno;

		munmap(k->p, KEYBUF_MAX);
		k->p = NULL;
		return err;
	}
	return 0;
}

void keybuf_free(struct keybuf *k)
{
	if (!k->p)
		return;
	explicit_bzero(k->p, KEYBUF_MAX);
	munlock(k->p, KEYBUF_MAX);
	munmap(k->p, KEYBUF_MAX);
	k->p = NULL;
	k->len = 0;
}

static bool magic_at(const uint8_t *b, size_t len, size_t off, const char *m)
{
	return off + 6 <= len && !memcmp(b + off, m, 6);
}

enum disk_state disk_classify(const uint8_t *buf, size_t len)
{
	size_t off;

	if (magic_at(buf, len, 0, "LUKS\xba\xbe"))
		return DISK_LUKS;
	/* LUKS2 secondary header offsets: 16 KiB, 32 KiB, ..., 4 MiB. */
	for (off = 0x4000; off <= 0x400000; off <<= 1)
		if (magic_at(buf, len, off, "SKUL\xba\xbe"))
			return DISK_LUKS;
	return bytes_all_zero(buf, len < DISK_BLANK_LEN ? len : DISK_BLANK_LEN) ?
	       DISK_BLANK : DISK_OTHER;
}

static int read_prefix(const char *dev, uint8_t *buf, size_t max, size_t *got)
{
	int fd = open(dev, O_RDONLY | O_CLOEXEC), err = 0;

	*got = 0;
	if (fd < 0)
		return -errno;
	while (*got < max) {
		ssize_t n = pread(fd, buf + *got, max - *got, (off_t)*got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		*got += (size_t)n;
	}
	close(fd);
	return err;
}

/*
 * The first MiB (blank check, primary header, secondary headers up to
 * 1 MiB) and the sectors of the farther LUKS2 secondary header offsets:
 * reading all 4 MiB costs seconds on a slow guest.
 */
int disk_probe(const char *dev, enum disk_state *st, char *why, size_t whylen)
{
	uint8_t *buf = calloc(1, DISK_PROBE_LEN);
	size_t got, off;
	int fd, err;

	if (!buf)
		return -ENOMEM;
	err = read_prefix(dev, buf, DISK_BLANK_LEN, &got);
	if (!err && got < 4096)
		err = -ENOSPC;
	fd = err ? -1 : open(dev, O_RDONLY | O_CLOEXEC);
	if (!err && fd < 0)
		err = -errno;
	for (off = DISK_BLANK_LEN * 2; !err && off <= (4u << 20); off <<= 1)
		if (pread(fd, buf + off, 512, (off_t)off) == 512)
			got = off + 512;
	if (fd >= 0)
		close(fd);
	if (err)
		snprintf(why, whylen, "%s: %s", dev, err == -ENOSPC ?
			 "smaller than 4 KiB" : strerror(-err));
	else
		*st = disk_classify(buf, got);
	free(buf);
	return err;
}

int run_with_stdin(const char *const argv[], const uint8_t *in, size_t inlen)
{
	int p[2], st, err = 0;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(p[0]);
		close(p[1]);
		return err;
	}
	if (pid == 0) {
		if (dup2(p[0], 0) < 0)
			_exit(127);
		execvp(argv[0], (char *const *)argv);
		alog_err(argv[0], "cannot run: %s", strerror(errno));
		_exit(127);
	}
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	while (inlen) {
		ssize_t n = write(p[1], in, inlen);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* the child will say what went wrong */
		in += n;
		inlen -= (size_t)n;
	}
	close(p[1]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFSIGNALED(st))
		return 256 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int run_plain(const char *const argv[])
{
	return run_with_stdin(argv, (const uint8_t *)"", 0);
}

static int luks_format(const struct agent_config *c, const struct keybuf *key)
{
	char ks[48];
	const char *argv[] = {
		"cryptsetup", "luksFormat", "--batch-mode", "--type", "luks2",
		"--cipher", "aes-xts-plain64", "--key-size", "512",
		"--hash", "sha256", "--pbkdf", "pbkdf2",
		"--pbkdf-force-iterations", "1000", "--key-file=-",
		c->device, NULL, NULL
	};

	if (c->keyslots_kib) {
		/* before the device name: cryptsetup takes options anywhere */
		snprintf(ks, sizeof(ks), "--luks2-keyslots-size=%uk", c->keyslots_kib);
		argv[16] = ks;
		argv[17] = c->device;
	}
	return run_with_stdin(argv, key->p, key->len);
}

static int luks_open(const struct agent_config *c, const struct keybuf *key)
{
	const char *argv[] = {
		"cryptsetup", "open", "--type", "luks", "--key-file=-",
		c->device, c->name, NULL
	};

	return run_with_stdin(argv, key->p, key->len);
}

/* cryptsetup has the key (or failed): the page need not hold it any more. */
static void key_wipe(struct keybuf *key)
{
	explicit_bzero(key->p, key->len);
	key->len = 0;
}

static void luks_close(const struct agent_config *c)
{
	const char *argv[] = { "cryptsetup", "close", c->name, NULL };

	if (run_plain(argv))
		alog_err(c->name, "cannot close the opened device again");
}

/*
 * Only on a container formatted by this very run: what a fresh LUKS2
 * mapping reads is the decryption of whatever the disk held (not zeros),
 * so "no file system inside" cannot be told from data.
 */
static int make_fs(const struct agent_config *c, const char *mapped,
		   char *why, size_t whylen)
{
	const char *argv[] = { "mke2fs", "-q", "-F", "-t", c->fstype, mapped, NULL };
	int r;

	alog_info("%s: making an %s file system (--format-empty)", mapped, c->fstype);
	r = run_plain(argv);
	if (r) {
		snprintf(why, whylen, "mke2fs on %s failed (status %d)", mapped, r);
		return -EIO;
	}
	return 0;
}

static int mount_fs(const struct agent_config *c, const char *mapped,
		    char *why, size_t whylen)
{
	if (mkdir(c->mount, 0755) < 0 && errno != EEXIST) {
		snprintf(why, whylen, "%s: %s", c->mount, strerror(errno));
		return -errno;
	}
	if (mount(mapped, c->mount, c->fstype, MS_NOSUID | MS_NODEV, NULL) < 0) {
		int err = -errno;

		snprintf(why, whylen, "mount %s on %s (%s): %s", mapped, c->mount,
			 c->fstype, strerror(errno));
		return err;
	}
	return 0;
}

/* Format a blank device when allowed; refuse anything that is not LUKS. */
static int prepare(const struct agent_config *c, const struct keybuf *key,
		   bool *formatted, char *why, size_t whylen)
{
	enum disk_state st;
	int r = disk_probe(c->device, &st, why, whylen);

	if (r)
		return r;
	if (st == DISK_LUKS)
		return 0;
	if (st == DISK_OTHER) {
		snprintf(why, whylen, "%s has no LUKS header but is not blank: "
			 "refusing to touch it", c->device);
		return -EEXIST;
	}
	if (!c->format_empty) {
		snprintf(why, whylen, "%s is blank (no LUKS header); "
			 "--format-empty would format it", c->device);
		return -ENOENT;
	}
	alog_info("%s: blank, formatting LUKS2 (--format-empty)", c->device);
	r = luks_format(c, key);
	if (!r)
		alog_info("%s: formatted", c->device);
	if (r) {
		snprintf(why, whylen, "cryptsetup luksFormat %s failed (status %d)",
			 c->device, r);
		return -EIO;
	}
	*formatted = true;
	return 0;
}

int unlock_disk(const struct agent_config *c, struct keybuf *key,
		char *why, size_t whylen)
{
	char mapped[256];
	bool formatted = false;
	int r;

	r = prepare(c, key, &formatted, why, whylen);
	if (r)
		return r;
	r = luks_open(c, key);
	key_wipe(key);
	if (r) {
		snprintf(why, whylen, "cryptsetup open %s failed (status %d%s)", c->device,
			 r, r == 2 ? ": the broker's key does not open it" : "");
		return r == 2 ? -EPERM : -EIO;
	}
	snprintf(mapped, sizeof(mapped), "/dev/mapper/%s", c->name);
	alog_debug("%s opened as %s", c->device, mapped);
	r = 0;
	if (formatted)
		r = make_fs(c, mapped, why, whylen);
	if (!r && c->mount[0])
		r = mount_fs(c, mapped, why, whylen);
	if (r)
		luks_close(c);
	return r;
}

int unlock_test_key(const struct agent_config *c, struct keybuf *key,
		    char *why, size_t whylen)
{
	const char *argv[] = {
		"cryptsetup", "open", "--test-passphrase", "--type", "luks",
		"--key-file=-", c->device, NULL
	};
	enum disk_state st;
	int r = disk_probe(c->device, &st, why, whylen);

	if (r)
		return r;
	if (st != DISK_LUKS) {
		snprintf(why, whylen, "%s has no LUKS header", c->device);
		return -ENOENT;
	}
	r = run_with_stdin(argv, key->p, key->len);
	key_wipe(key);
	if (r)
		snprintf(why, whylen, "%s: %s (cryptsetup status %d)", c->device,
			 r == 2 ? "the broker's key does not open it" : "cannot test the key", r);
	return r == 2 ? -EPERM : r ? -EIO : 0;
}

int unlock_close(const struct agent_config *c, char *why, size_t whylen)
{
	const char *argv[] = { "cryptsetup", "close", c->name, NULL };
	int r;

	if (c->mount[0] && umount2(c->mount, 0) < 0 && errno != EINVAL && errno != ENOENT) {
		snprintf(why, whylen, "umount %s: %s", c->mount, strerror(errno));
		return -errno;
	}
	r = run_plain(argv);
	if (r) {
		snprintf(why, whylen, "cryptsetup close %s failed (status %d)", c->name, r);
		return -EIO;
	}
	return 0;
}
