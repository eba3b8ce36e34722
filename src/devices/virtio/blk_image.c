// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio/blk_image.h"

/* QEMU's lock bytes (block/file-posix.c) and permission bits */
#define LOCK_PERM_BASE		100
#define LOCK_SHARED_BASE	200
#define PERM_CONSISTENT_READ	0
#define PERM_WRITE		1

static int lock_byte(int fd, int cmd, short type, off_t byte, short *got)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = byte, .l_len = 1 };

	if (fcntl(fd, cmd, &fl) < 0)
		return -errno;
	if (got)
		*got = fl.l_type;
	return 0;
}

/* Does another open file hold a lock on @byte?  1, 0 or -errno. */
static int byte_taken(int fd, off_t byte)
{
	short type = F_UNLCK;
	int ret = lock_byte(fd, F_OFD_GETLK, F_WRLCK, byte, &type);

	return ret ? ret : type != F_UNLCK;
}

static int image_lock(const struct blk_image *img, struct dev_err *err)
{
	/* held: read (+ write); not shared: write */
	const off_t rw_bytes[] = { LOCK_PERM_BASE + PERM_CONSISTENT_READ,
				   LOCK_PERM_BASE + PERM_WRITE,
				   LOCK_SHARED_BASE + PERM_WRITE };
	const off_t ro_bytes[] = { LOCK_PERM_BASE + PERM_CONSISTENT_READ,
				   LOCK_SHARED_BASE + PERM_WRITE };
	const off_t *bytes = img->readonly ? ro_bytes : rw_bytes;
	unsigned int i, n = img->readonly ? 2 : 3;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = lock_byte(img->fd, F_OFD_SETLK, F_RDLCK, bytes[i], NULL);
	/* the conflicts: someone holding write (we do not share it) ... */
	if (!ret)
		ret = byte_taken(img->fd, LOCK_PERM_BASE + PERM_WRITE);
	/* ... or not sharing write (when we write) or read */
	if (!ret && !img->readonly)
		ret = byte_taken(img->fd, LOCK_SHARED_BASE + PERM_WRITE);
	if (!ret)
		ret = byte_taken(img->fd, LOCK_SHARED_BASE + PERM_CONSISTENT_READ);
	if (ret == 1 || ret == -EAGAIN || ret == -EACCES) {
		if (img->readonly)
			dev_err_set(err, "another process (a cvmm or QEMU) writes to this "
				    "disk image: it cannot be shared read-only");
		else
			dev_err_set(err, "the disk image is in use by another process (a cvmm "
				    "or QEMU): cannot lock it for writing");
		return -EBUSY;
	}
	if (ret == -EINVAL || ret == -EOPNOTSUPP || ret == -ENOLCK) {
		dev_warn(err, "the file system cannot lock the disk image (%s): "
			 "nothing stops another process from using it", strerror(-ret));
		return 0;
	}
	if (ret)
		dev_err_set(err, "cannot lock the disk image: %s", strerror(-ret));
	return ret;
}

static int image_size(struct blk_image *img, struct dev_err *err)
{
	struct stat st;
	int ret;

	if (fstat(img->fd, &st) < 0)
		goto fail_errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(img->fd, BLKGETSIZE64, &img->size) < 0)
			goto fail_errno;
	} else if (S_ISREG(st.st_mode)) {
		img->size = (uint64_t)st.st_size;
	} else {
		dev_err_set(err, "disk image is neither a file nor a block device");
		return -EINVAL;
	}
	/* GET_ID: the device and inode, like a disk serial number */
	snprintf(img->id, sizeof(img->id), "%llx:%llx", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	return 0;
fail_errno:
	ret = -errno;
	dev_err_set(err, "cannot size disk image: %s", strerror(-ret));
	return ret;
}

int blk_image_open(struct blk_image *img, const char *path, bool readonly, bool direct,
		   const char *rw_hint, struct dev_err *err)
{
	int flags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (direct ? O_DIRECT : 0);
	int ret;

	memset(img, 0, sizeof(*img));
	img->readonly = readonly;
	img->direct = direct;
	img->fd = open(path, flags);
	if (img->fd < 0) {
		ret = -errno;
		dev_err_set(err, "cannot open disk image%s%s: %s", readonly ? "" : " for writing",
			    readonly || !rw_hint ? "" : rw_hint, strerror(errno));
		return ret;
	}
	ret = image_size(img, err);
	if (!ret && img->size % BLK_IMAGE_SECTOR) {
		/* QEMU would round up and read zeros past the end: say so instead */
		dev_err_set(err, "the disk image is %llu bytes, not a multiple of %u: its last "
			    "%llu bytes would be lost (pad it: truncate -s %%%u %s)",
			    (unsigned long long)img->size, BLK_IMAGE_SECTOR,
			    (unsigned long long)(img->size % BLK_IMAGE_SECTOR), BLK_IMAGE_SECTOR,
			    path);
		ret = -EINVAL;
	}
	if (!ret && !img->size)
		dev_warn(err, "the disk image is empty");
	if (!ret)
		ret = image_lock(img, err);
	if (ret)
		blk_image_close(img);
	return ret;
}

void blk_image_close(struct blk_image *img)
{
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}
