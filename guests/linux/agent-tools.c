// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tools archive of cvmm-agent's test guest, verified before use:
 * /dev/vda holds an uncompressed newc cpio (scripts/build-agent-image.sh),
 * zero-padded to 4 KiB; its SHA-256 is on the measured kernel command line
 * (cvmm.tools=<hex>).  The whole device is read with O_DIRECT (the host's
 * virtio-blk writes it into our buffer: no guest kernel copying), hashed
 * here at CPL3 -- native speed, where dm-verity would hash at emulated CPL0
 * (~90 s per MiB on the KVM the tests run on) -- and only if it matches is
 * it unpacked into a tmpfs.  Nothing is read from the host again, so a host
 * cannot change the bytes after the check.
 *
 * The hash is nettle's (Debian's libnettle): OpenSSL's static libcrypto
 * would add 4 MB to the initramfs, which the kernel unpacks at ~4-5 s/MB
 * here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>
#include <nettle/sha2.h>

#include "agent-tools.h"

#define MAX_IMAGE	(256u << 20)
#define CHUNK		(1u << 20)
#define HDR		110

static int hex8(const uint8_t *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 8; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static size_t align4(size_t v)
{
	return (v + 3) & ~(size_t)3;
}

/* A relative path without "." or ".." components (leading "./" dropped). */
static const char *safe_name(const char *n)
{
	const char *p;

	while (!strncmp(n, "./", 2))
		n += 2;
	if (!*n || !strcmp(n, ".") || *n == '/')
		return NULL;
	for (p = n; *p; ) {
		size_t l = strcspn(p, "/");

		if ((l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.') || !l)
			return NULL;
		p += l;
		if (*p == '/')
			p++;
	}
	return n;
}

static const char *put(const char *dest, const char *name, uint32_t mode,
		       const uint8_t *data, size_t len)
{
	char path[512], target[512];
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dest, name) >= sizeof(path))
		return "tools archive: name too long";
	if (S_ISDIR(mode)) {
		if (mkdir(path, mode & 07777) && errno != EEXIST)
			return "tools archive: cannot make a directory";
		return NULL;
	}
	if (S_ISLNK(mode)) {
		if (!len || len >= sizeof(target))
			return "tools archive: bad symbolic link";
		memcpy(target, data, len);
		target[len] = 0;
		return symlink(target, path) ? "tools archive: cannot make a link" : NULL;
	}
	if (!S_ISREG(mode))
		return "tools archive: not a file, directory or link";
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 07777);
	if (fd < 0)
		return "tools archive: cannot create a file";
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n <= 0) {
			close(fd);
			return "tools archive: cannot write a file";
		}
		data += n;
		len -= (size_t)n;
	}
	return close(fd) ? "tools archive: cannot write a file" : NULL;
}

static const char *unpack(const uint8_t *a, size_t size, const char *dest)
{
	size_t pos = 0;

	for (;;) {
		uint32_t mode, fsize, nsize;
		const char *name, *err;
		size_t data;

		if (size - pos < HDR || memcmp(a + pos, "070701", 6) ||
		    hex8(a + pos + 14, &mode) || hex8(a + pos + 54, &fsize) ||
		    hex8(a + pos + 94, &nsize) || !nsize || nsize > 4096 ||
		    nsize > size - pos - HDR || a[pos + HDR + nsize - 1])
			return "tools archive: malformed cpio header";
		name = (const char *)a + pos + HDR;
		if (!strcmp(name, "TRAILER!!!"))
			return NULL;
		data = align4(pos + HDR + nsize);
		if (data > size || fsize > size - data)
			return "tools archive: entry past the end";
		if (strcmp(name, ".")) {
			name = safe_name(name);
			if (!name)
				return "tools archive: unsafe name";
			err = put(dest, name, mode, a + data, fsize);
			if (err)
				return err;
		}
		pos = align4(data + fsize);
	}
}

static int unhex(const char *h, uint8_t out[SHA256_DIGEST_SIZE])
{
	uint32_t v;
	char b[9];
	int i;

	if (strlen(h) != 2 * SHA256_DIGEST_SIZE)
		return -1;
	for (i = 0; i < SHA256_DIGEST_SIZE; i += 4) {
		memcpy(b, h + 2 * i, 8);
		if (hex8((const uint8_t *)b, &v))
			return -1;
		out[i] = (uint8_t)(v >> 24);
		out[i + 1] = (uint8_t)(v >> 16);
		out[i + 2] = (uint8_t)(v >> 8);
		out[i + 3] = (uint8_t)v;
	}
	return 0;
}

const char *tools_unpack(const char *dev, const char *want_hex, const char *dest)
{
	uint8_t want[SHA256_DIGEST_SIZE], got[SHA256_DIGEST_SIZE], *img = NULL;
	struct sha256_ctx ctx;
	const char *err = NULL;
	uint64_t size = 0, off;
	int fd;

	if (unhex(want_hex, want))
		return "cvmm.tools= is not a SHA-256 in hex";
	fd = open(dev, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &size) || !size || size > MAX_IMAGE ||
	    size % 4096 || posix_memalign((void **)&img, 4096, size)) {
		if (fd >= 0)
			close(fd);
		return "cannot read the tools archive";
	}
	sha256_init(&ctx);
	for (off = 0; off < size && !err; off += CHUNK) {
		size_t n = size - off < CHUNK ? size - off : CHUNK;

		if (pread(fd, img + off, n, (off_t)off) != (ssize_t)n)
			err = "cannot read the tools archive";
		else
			sha256_update(&ctx, n, img + off);
	}
	close(fd);
	sha256_digest(&ctx, sizeof(got), got);
	if (!err && memcmp(got, want, sizeof(got)))
		err = "the tools archive does not match cvmm.tools= (measured): refused";
	if (!err)
		err = unpack(img, size, dest);
	free(img);
	return err;
}
