/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_FILE_H
#define CVMM_UTIL_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * Read a whole regular file (or a pipe/device) into a fresh buffer.
 * Returns 0, -EFBIG when it is larger than @max, or another -errno.
 * The buffer has one extra NUL byte after @len so text parsers may use it
 * as a C string; free it with free().
 */
int file_read(const char *path, size_t max, uint8_t **data, size_t *len);

/*
 * file_read() with FILE_REGULAR: only a regular file, whose size is known
 * before anything is read; -ESPIPE for a pipe, device or socket (which
 * could feed an endless stream: /dev/zero).
 */
#define FILE_REGULAR	(1u << 0)
int file_read_flags(const char *path, size_t max, unsigned int flags,
		    uint8_t **data, size_t *len);

/*
 * file_read_flags() for an input named on the command line; a failure is
 * described in @e as one clause naming the file's role @what ("kernel"):
 * "the kernel must be a regular file, not a pipe or device" (-ESPIPE, with
 * FILE_REGULAR), "cannot read kernel: file too large" (-EFBIG), "cannot read
 * kernel: <strerror>" (any other -errno).
 */
int file_load(const char *path, const char *what, size_t max, unsigned int flags,
	      uint8_t **data, size_t *len, struct err_msg *e);

/*
 * file_load() with FILE_REGULAR, for a large input that is only read (the
 * firmware cvmm measure hashes): the file is mapped read-only instead of
 * copied into a fresh buffer; pages come from the page cache as they are
 * first read (not prefaulted: MAP_POPULATE costs more than those faults).
 * Same checks, errors and @e clauses as file_load(); an empty file gives
 * *@data NULL and *@len 0.  Release with file_unmap().  Like any mapping
 * it must not shrink while mapped (a truncated tail faults).
 */
int file_map(const char *path, const char *what, size_t max,
	     const uint8_t **data, size_t *len, struct err_msg *e);
void file_unmap(const uint8_t *data, size_t len);

/*
 * Write @len bytes to @path atomically: a temporary file in the same
 * directory is written, synced and renamed over @path, so a failure never
 * leaves a half-written file behind.  "-" writes to stdout.
 */
int file_write_atomic(const char *path, const void *data, size_t len);

/* Write all of @len bytes to @fd, retrying on EINTR/short writes. */
int fd_write_all(int fd, const void *data, size_t len);

/*
 * Raise this process's RLIMIT_NOFILE soft limit to the hard limit (a VMM
 * with many connections needs more than the default 1024).  Returns the
 * soft limit in force afterwards, or -errno.
 */
long fd_limit_raise(void);
/* The RLIMIT_NOFILE soft limit, or -errno. */
long fd_limit(void);
/* File descriptors open in this process (from /proc/self/fd), or -errno. */
long fd_count_open(void);

#endif
