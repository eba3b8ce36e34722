// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int file_read(const char *path, size_t max, uint8_t **data, size_t *len)
{
	return file_read_flags(path, max, 0, data, len);
}

int file_read_flags(const char *path, size_t max, unsigned int flags,
		    uint8_t **data, size_t *len)
{
	uint8_t *buf = NULL, *nbuf;
	size_t cap = 0, used = 0;
	struct stat st;
	int fd, ret;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		goto out_close;
	}
	if ((flags & FILE_REGULAR) && !S_ISREG(st.st_mode)) {
		ret = -ESPIPE;
		goto out_close;
	}
	if (S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > max) {
			ret = -EFBIG;
			goto out_close;
		}
		cap = (size_t)st.st_size + 1;
	}
	if (cap < 4096)
		cap = 4096;
	buf = malloc(cap);
	if (!buf) {
		ret = -ENOMEM;
		goto out_close;
	}
	for (;;) {
		ssize_t n;

		if (used + 1 >= cap) {
			if (cap > max + 1) {
				ret = -EFBIG;
				goto out_free;
			}
			cap = cap * 2 > max + 2 ? max + 2 : cap * 2;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
		}
		n = read(fd, buf + used, cap - 1 - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			goto out_free;
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > max) {
			ret = -EFBIG;
			goto out_free;
		}
	}
	buf[used] = 0;
	*data = buf;
	*len = used;
	close(fd);
	return 0;

out_free:
	free(buf);
out_close:
	close(fd);
	return ret;
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
