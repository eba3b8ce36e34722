// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"

int fd_write_all(int fd, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_load(const char *path, const char *what, size_t max, unsigned int flags,
	      uint8_t **data, size_t *len, struct err_msg *e)
{
	int ret = file_read_flags(path, max, flags, data, len);

	if (ret == -ESPIPE)
		err_set(e, "the %s must be a regular file, not a pipe or device", what);
	else if (ret)
		err_set(e, "cannot read %s: %s", what,
			ret == -EFBIG ? "file too large" : strerror(-ret));
	return ret;
}

int file_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
	return file_read_flags(path, max, 0, data, len);
}

/*
 * Open @path for file_read_flags(): refuse a directory, and with
 * FILE_REGULAR anything but a regular file; *@hint is the buffer a
 * regular file needs (its size + 1, or 0 when unknown).
 */
static int open_input(const char *path, size_t max, unsigned int flags, size_t *hint)
{
	struct stat st;
	int fd, ret;

	*hint = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0)
		ret = -errno;
	else if (S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else if ((flags & FILE_REGULAR) && !S_ISREG(st.st_mode))
		ret = -ESPIPE;
	else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
		ret = -EFBIG;
	else
		ret = 0;
	if (ret) {
		close(fd);
		return ret;
	}
	if (S_ISREG(st.st_mode))
		*hint = (size_t)st.st_size + 1;
	return fd;
}

/* Read @fd to its end into a buffer grown from @cap, at most @max bytes. */
static int read_all(int fd, size_t max, size_t cap, uint8_t **data, size_t *len)
{
	uint8_t *buf, *nbuf;
	size_t used = 0;
	ssize_t n;

	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (used + 1 >= cap) {
			if (cap > max + 1)
				goto too_big;
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				free(buf);
				return -ENOMEM;
			}
			buf = nbuf;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return -errno;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max)
			goto too_big;
	}
	buf[used] = 0;
	*data = buf;
	*len = used;
	return 0;
too_big:
	free(buf);
	return -EFBIG;
}

int file_read_flags(const char *path, size_t max, unsigned int flags,
		    uint8_t **data, size_t *len)
{
	size_t cap;
	int fd, ret;

	*data = NULL;
	*len = 0;
	fd = open_input(path, max, flags, &cap);
	if (fd < 0)
		return fd;
	/* one byte more than size + NUL: read() sees the end without a realloc() */
	ret = read_all(fd, max, cap < 4096 ? 4096 : cap + 1, data, len);
	close(fd);
	return ret;
}

static int map_fd(int fd, size_t size, const uint8_t **data)
{
	void *p;

	if (!size)
		return 0;
	/*
	 * Not MAP_POPULATE: its page-by-page walk costs more than the faults
	 * of the first read, each of which maps the 64 KiB around it (the
	 * kernel's fault-around: 32 faults for a 2 MiB firmware).
	 */
	p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	*data = p;
	return 0;
}

int file_map(const char *path, const char *what, size_t max,
	     const uint8_t **data, size_t *len, struct err_msg *e)
{
	size_t hint;
	int fd, ret;

	*data = NULL;
	*len = 0;
	fd = open_input(path, max, FILE_REGULAR, &hint);
	if (fd < 0) {
		ret = fd;
	} else {
		ret = map_fd(fd, hint - 1, data);
		close(fd);
	}
	if (!ret)
		*len = hint - 1;
	else if (ret == -ESPIPE)
		err_set(e, "the %s must be a regular file, not a pipe or device", what);
	else
		err_set(e, "cannot read %s: %s", what,
			ret == -EFBIG ? "file too large" : strerror(-ret));
	return ret;
}

void file_unmap(const uint8_t *data, size_t len)
{
	if (data && len)
		munmap((void *)data, len);
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	int fd, ret;

	if (!strcmp(path, "-"))
		return fd_write_all(STDOUT_FILENO, data, len);
	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fd_write_all(fd, data, len);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret) {
		/* mkostemp() creates 0600; give the file the usual umask mode. */
		mode_t mask = umask(0);

		umask(mask);
		if (chmod(tmp, 0666 & ~mask) < 0)
			ret = -errno;
	}
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

long fd_limit_raise(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			return -errno;
	}
	return fd_limit();
}

long fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	return rl.rlim_cur > (rlim_t)LONG_MAX ? LONG_MAX : (long)rl.rlim_cur;
}

long fd_count_open(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	long n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}
