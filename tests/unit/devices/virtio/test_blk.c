// SPDX-License-Identifier: GPL-2.0-only
/* virtio-blk: request parsing and every request type against an image. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../machine/stderr_capture.h"

#include "devices/virtio/blk.h"
#include "vrig.h"

#define SECTORS		64
#define HDR		0x100000ULL
#define DATA		0x101000ULL
#define STATUS		0x1ff000ULL

struct rig {
	struct vrig r;
	struct blk_image img;
	struct blk_dev *b;
	struct dq q;
	char path[64];
};

static uint8_t pattern(unsigned int s, unsigned int j)
{
	return (uint8_t)(s * 7 + j);
}

static void make_image(const char *path, unsigned int sectors)
{
	FILE *f = fopen(path, "wb");
	unsigned int s, j;

	assert_non_null(f);
	for (s = 0; s < sectors; s++)
		for (j = 0; j < 512; j++)
			fputc(pattern(s, j), f);
	fclose(f);
}

/*
 * @rdwr_fd: the device gets a read-write descriptor of the image and only
 * its own readonly flag (blk_dev_create_fd), so the request handler's
 * check is tested without the O_RDONLY open behind it.
 */
static struct rig *rig_new_fd(bool readonly, bool direct, const char *dir, bool rdwr_fd)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct virtio_dev_env env = { .name = "virtio-blk-test" };
	struct virtio_dev *vd;
	int fd;

	snprintf(g->path, sizeof(g->path), "%s/cvmm-blk-XXXXXX", dir);
	fd = mkstemp(g->path);
	assert_true(fd >= 0);
	close(fd);
	make_image(g->path, SECTORS);
	vrig_init(&g->r);
	if (rdwr_fd) {
		env.mem = &g->r.mem;
		env.plat = &g->r.fp.plat;
		g->img.fd = -1;
		fd = open(g->path, O_RDWR | O_CLOEXEC);
		assert_true(fd >= 0);
		assert_int_equal(blk_dev_create_fd(fd, SECTORS * 512, readonly, &env, &vd), 0);
		goto started;
	}
	if (blk_image_open(&g->img, g->path, readonly, direct, NULL, NULL)) {
		unlink(g->path);
		vrig_free(&g->r);
		free(g);
		return NULL;
	}
	env.mem = &g->r.mem;
	env.plat = &g->r.fp.plat;
	if (blk_dev_create(&g->img, &env, &vd)) {
		blk_image_close(&g->img);
		unlink(g->path);
		vrig_free(&g->r);
		free(g);
		return NULL;
	}
started:
	g->b = blk_of(vd);
	dq_init(&g->q, &g->r, 16, 0x10000);
	assert_int_equal(drv_start(&g->b->vd, 1ULL << VIRTIO_BLK_F_FLUSH |
				   1ULL << VIRTIO_BLK_F_DISCARD |
				   1ULL << VIRTIO_BLK_F_WRITE_ZEROES |
				   1ULL << VIRTIO_BLK_F_RO, &g->q, 1, false) & 0xf, 0xf);
	return g;
}

static struct rig *rig_new(bool readonly, bool direct, const char *dir)
{
	return rig_new_fd(readonly, direct, dir, false);
}

static void rig_free(struct rig *g)
{
	virtio_dev_free(&g->b->vd);
	blk_image_close(&g->img);
	unlink(g->path);
	vrig_free(&g->r);
	free(g);
}

static void put_hdr(struct rig *g, uint32_t type, uint64_t sector)
{
	uint8_t *h = gp(&g->r, HDR);

	memset(h, 0, 16);
	memcpy(h, &type, 4);
	memcpy(h + 8, &sector, 8);
	*(uint8_t *)gp(&g->r, STATUS) = 0xee;
}

/* Run a chain; returns the status byte, *used the used length. */
static int run(struct rig *g, const struct tb *b, unsigned int n, uint32_t *used)
{
	uint32_t id, len = 0;

	dq_chain(&g->q, b, n);
	drv_kick(&g->r, &g->b->vd, 0);
	assert_int_equal(dq_used(&g->q, &id, &len), 1);
	if (used)
		*used = len;
	return *(uint8_t *)gp(&g->r, STATUS);
}

static int req(struct rig *g, uint32_t type, uint64_t sector, uint64_t data,
	       uint32_t len, bool to_guest, uint32_t *used)
{
	struct tb b[3];
	unsigned int n = 0;

	put_hdr(g, type, sector);
	b[n++] = (struct tb){ HDR, 16, false };
	if (len)
		b[n++] = (struct tb){ data, len, to_guest };
	b[n++] = (struct tb){ STATUS, 1, true };
	return run(g, b, n, used);
}

static void file_read(struct rig *g, unsigned int sector, uint8_t *buf, size_t len)
{
	int fd = open(g->path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, (off_t)sector * 512), (ssize_t)len);
	close(fd);
}

static void test_config(void **state)
{
	struct rig *g = rig_new(false, false, "/tmp");
	struct virtio_dev *vd = &g->b->vd;

	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE, 8), SECTORS);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 12, 4), VIRTIO_BLK_MAX_SEGS);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 20, 4), 512);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 40, 4), VIRTIO_BLK_MAX_DISCARD_SEGS);
	assert_true(virtio_has(vd, VIRTIO_BLK_F_FLUSH));
	assert_true(virtio_has(vd, VIRTIO_BLK_F_DISCARD));
	assert_false(virtio_has(vd, VIRTIO_BLK_F_RO));
	rig_free(g);
}

static void test_read_write(void **state)
{
	struct rig *g = rig_new(false, false, "/tmp");
	uint8_t buf[1024], *d = gp(&g->r, DATA);
	uint32_t used;
	unsigned int j;

	assert_int_equal(req(g, VIRTIO_BLK_T_IN, 3, DATA, 1024, true, &used), 0);
	assert_int_equal(used, 1025);
	for (j = 0; j < 1024; j++)
		assert_int_equal(d[j], pattern(3 + j / 512, j % 512));
	memset(d, 0xa5, 1024);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 5, DATA, 1024, false, &used), 0);
	assert_int_equal(used, 1);
	file_read(g, 5, buf, 1024);
	assert_int_equal(buf[0], 0xa5);
	assert_int_equal(buf[1023], 0xa5);
	file_read(g, 7, buf, 1);
	assert_int_equal(buf[0], pattern(7, 0));
	/* the last sector, and zero-length transfers */
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, SECTORS - 1, DATA, 512, true, NULL), 0);
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, SECTORS, DATA, 0, true, &used), 0);
	assert_int_equal(used, 1);
	/* data split over three buffers and a header split over two */
	{
		struct tb b[6] = {
			{ HDR, 8, false }, { HDR + 8, 8, false },
			{ DATA, 100, true }, { DATA + 0x1000, 312, true },
			{ DATA + 0x2000, 100, true }, { STATUS, 1, true },
		};

		put_hdr(g, VIRTIO_BLK_T_IN, 2);
		assert_int_equal(run(g, b, 6, &used), 0);
		assert_int_equal(used, 513);
		assert_int_equal(d[99], pattern(2, 99));
		assert_int_equal(d[0x1000], pattern(2, 100));
		assert_int_equal(d[0x2000 + 99], pattern(2, 511));
	}
	rig_free(g);
}

static void test_other_requests(void **state)
{
	struct rig *g = rig_new(false, false, "/tmp");
	struct stat st;
	uint8_t buf[512], *d = gp(&g->r, DATA);
	char id[32];
	uint32_t used;

	assert_int_equal(req(g, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), 0);
	/* get-id: device and inode, at most 20 bytes */
	memset(d, 0, 32);
	assert_int_equal(req(g, VIRTIO_BLK_T_GET_ID, 0, DATA, 32, true, &used), 0);
	assert_int_equal(stat(g->path, &st), 0);
	snprintf(id, sizeof(id), "%llx:%llx", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	id[20] = 0;
	assert_string_equal((char *)d, id);
	assert_int_equal(used, VIRTIO_BLK_ID_BYTES + 1);
	/* a 4-byte buffer gets 4 bytes */
	assert_int_equal(req(g, VIRTIO_BLK_T_GET_ID, 0, DATA, 4, true, &used), 0);
	assert_int_equal(used, 5);
	/* discard 10..11 and write zeroes over 12 */
	{
		uint64_t seg[2] = { 10, 2 };	/* sector; num_sectors, flags */

		memcpy(d, seg, 16);
		assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 16, false, NULL), 0);
		seg[0] = 12;
		seg[1] = 1;
		memcpy(d, seg, 16);
		assert_int_equal(req(g, VIRTIO_BLK_T_WRITE_ZEROES, 0, DATA, 16, false, NULL), 0);
		file_read(g, 12, buf, 512);
		for (unsigned int j = 0; j < 512; j++)
			assert_int_equal(buf[j], 0);
		/* with the unmap flag */
		seg[0] = 13;
		seg[1] = 1ULL | (uint64_t)VIRTIO_BLK_WZ_UNMAP << 32;
		memcpy(d, seg, 16);
		assert_int_equal(req(g, VIRTIO_BLK_T_WRITE_ZEROES, 0, DATA, 16, false, NULL), 0);
		file_read(g, 13, buf, 512);
		assert_int_equal(buf[100], 0);
		/* reserved flags, a range past the end, too many segments */
		seg[0] = 1;
		seg[1] = 1ULL | 1ULL << 32;
		memcpy(d, seg, 16);
		assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 16, false, NULL),
				 VIRTIO_BLK_S_UNSUPP);
		seg[0] = SECTORS - 1;
		seg[1] = 2;
		memcpy(d, seg, 16);
		assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 16, false, NULL),
				 VIRTIO_BLK_S_IOERR);
		assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 16 * 17, false, NULL),
				 VIRTIO_BLK_S_UNSUPP);
		assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 15, false, NULL),
				 VIRTIO_BLK_S_UNSUPP);
	}
	assert_int_equal(req(g, 99, 0, 0, 0, false, NULL), VIRTIO_BLK_S_UNSUPP);
	assert_int_equal(g->b->reqs[VIRTIO_BLK_T_DISCARD], 5);
	rig_free(g);
}

static void test_bad_requests(void **state)
{
	struct rig *g = rig_new(false, false, "/tmp");
	uint8_t buf[512];
	uint32_t used;

	/* past the end, across the end, overflowing offsets, odd lengths */
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, SECTORS, DATA, 512, true, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, SECTORS - 1, DATA, 1024, true, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 1ULL << 63, DATA, 512, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, ~0ULL, DATA, 512, true, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 0, DATA, 100, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	file_read(g, 0, buf, 512);
	assert_int_equal(buf[5], pattern(0, 5));
	/* no status byte: the chain fails with length 0 and nothing happens */
	{
		struct tb b[2] = { { HDR, 16, false }, { DATA, 512, false } };

		put_hdr(g, VIRTIO_BLK_T_OUT, 0);
		memset(gp(&g->r, DATA), 0x11, 512);
		assert_int_equal(run(g, b, 2, &used), 0xee);
		assert_int_equal(used, 0);
		file_read(g, 0, buf, 512);
		assert_int_equal(buf[5], pattern(0, 5));
	}
	/* a 15-byte header */
	{
		struct tb b[2] = { { HDR, 15, false }, { STATUS, 1, true } };

		put_hdr(g, VIRTIO_BLK_T_IN, 0);
		assert_int_equal(run(g, b, 2, &used), 0xee);
		assert_int_equal(used, 0);
	}
	rig_free(g);
}

static void test_parse(void **state)
{
	struct vq_buf bufs[3];
	struct vq_chain c = { .bufs = bufs };
	uint8_t hdr[16] = { 1, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0 };
	uint8_t data[8], st;
	struct blk_req r;

	bufs[0] = (struct vq_buf){ .len = 16, .hva = hdr };
	bufs[1] = (struct vq_buf){ .len = 8, .hva = data };
	bufs[2] = (struct vq_buf){ .len = 1, .write = true, .hva = &st };
	c.nr = 3;
	c.nr_out = 2;
	c.nr_in = 1;
	c.out_len = 24;
	c.in_len = 1;
	assert_int_equal(blk_req_parse(&c, &r), 0);
	assert_int_equal(r.type, VIRTIO_BLK_T_OUT);
	assert_int_equal(r.sector, 9);
	assert_int_equal(r.data_len, 8);
	assert_ptr_equal(r.status, &st);
	c.in_len = 0;
	assert_int_equal(blk_req_parse(&c, &r), -EINVAL);
	c.in_len = 1;
	c.out_len = 15;
	assert_int_equal(blk_req_parse(&c, &r), -EINVAL);
}

static void test_readonly(void **state)
{
	struct rig *g = rig_new(true, false, "/tmp");
	uint64_t seg[2] = { 0, 1 };
	uint8_t buf[512];

	assert_true(virtio_has(&g->b->vd, VIRTIO_BLK_F_RO));
	assert_false(virtio_has(&g->b->vd, VIRTIO_BLK_F_DISCARD));
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, 1, DATA, 512, true, NULL), 0);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 1, DATA, 512, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	memcpy(gp(&g->r, DATA), seg, 16);
	assert_int_equal(req(g, VIRTIO_BLK_T_WRITE_ZEROES, 0, DATA, 16, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_FLUSH, 0, 0, 0, false, NULL), 0);
	file_read(g, 0, buf, 512);
	assert_int_equal(buf[1], pattern(0, 1));
	rig_free(g);
}

/*
 * Read-only, the request handler alone (issue 21): the device holds a
 * read-write descriptor, so only its own check stands between a guest
 * write and the image.  OUT, WRITE_ZEROES and DISCARD fail with IOERR and
 * leave every byte of the image as it was.
 */
static void test_readonly_handler_alone(void **state)
{
	struct rig *g = rig_new_fd(true, false, "/tmp", true);
	uint64_t seg[2] = { 0, 4 };
	uint8_t buf[4 * 512];
	unsigned int s, j;

	assert_non_null(g);
	assert_true(virtio_has(&g->b->vd, VIRTIO_BLK_F_RO));
	memset(gp(&g->r, DATA), 0xee, 512);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 1, DATA, 512, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	memcpy(gp(&g->r, DATA), seg, 16);
	assert_int_equal(req(g, VIRTIO_BLK_T_WRITE_ZEROES, 0, DATA, 16, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	assert_int_equal(req(g, VIRTIO_BLK_T_DISCARD, 0, DATA, 16, false, NULL),
			 VIRTIO_BLK_S_IOERR);
	/* reads still work */
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, 1, DATA, 512, true, NULL), 0);
	assert_int_equal(*(uint8_t *)gp(&g->r, DATA + 5), pattern(1, 5));
	file_read(g, 0, buf, sizeof(buf));
	for (s = 0; s < 4; s++)
		for (j = 0; j < 512; j++)
			assert_int_equal(buf[s * 512 + j], pattern(s, j));
	rig_free(g);
}

/*
 * Read-only, the open alone (issue 21): an image opened readonly=on holds
 * a descriptor the kernel refuses writes on, whatever the device does.
 */
static void test_readonly_image_is_opened_rdonly(void **state)
{
	char path[] = "/tmp/cvmm-blk-ro-XXXXXX";
	struct blk_image img;
	uint8_t b = 0x42, c;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	make_image(path, 8);
	assert_int_equal(blk_image_open(&img, path, true, false, NULL, NULL), 0);
	assert_int_equal(fcntl(img.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	assert_int_equal(pwrite(img.fd, &b, 1, 0), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(pread(img.fd, &c, 1, 3), 1);
	assert_int_equal(c, pattern(0, 3));
	blk_image_close(&img);
	/* read-write images are opened for writing */
	assert_int_equal(blk_image_open(&img, path, false, false, NULL, NULL), 0);
	assert_int_equal(fcntl(img.fd, F_GETFL) & O_ACCMODE, O_RDWR);
	blk_image_close(&img);
	unlink(path);
}

static void test_direct(void **state)
{
	const char *dir = getenv("CVMM_BUILD");
	struct rig *g = rig_new(false, true, dir ? dir : ".");
	uint8_t *d;
	uint32_t used;

	if (!g) {
		skip();		/* no O_DIRECT on this file system */
		return;
	}
	d = gp(&g->r, DATA);
	/* an unaligned guest buffer goes through the bounce buffer */
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, 4, DATA + 3, 1024, true, &used), 0);
	assert_int_equal(d[3], pattern(4, 0));
	assert_int_equal(d[3 + 1023], pattern(5, 511));
	memset(d + 3, 0x3c, 512);
	assert_int_equal(req(g, VIRTIO_BLK_T_OUT, 6, DATA + 3, 512, false, NULL), 0);
	/* aligned: straight through */
	assert_int_equal(req(g, VIRTIO_BLK_T_IN, 6, DATA + 0x1000, 512, true, NULL), 0);
	assert_int_equal(d[0x1000 + 10], 0x3c);
	rig_free(g);
}

static void test_open_errors(void **state)
{
	struct dev_err err = { 0 };
	struct blk_image img;

	/* the caller's hint follows "for writing"; devices name no option */
	assert_int_equal(blk_image_open(&img, "/nonexistent/disk.img", false, false,
					 " (HINT)", &err), -ENOENT);
	assert_string_equal(err.msg, "cannot open disk image for writing (HINT): No such "
			    "file or directory");
	assert_int_equal(blk_image_open(&img, "/nonexistent/disk.img", true, false,
					 " (HINT)", &err), -ENOENT);
	assert_string_equal(err.msg, "cannot open disk image: No such file or directory");
	assert_true(blk_image_open(&img, "/", true, false, NULL, &err) < 0);
	assert_int_equal(img.fd, -1);
}

/*
 * Two users of one image: readers share, a writer excludes everyone, in
 * QEMU's lock bytes (issue 12, finding 4).  Each open is its own open
 * file description, so this works inside one process too.
 */
static void test_image_locks(void **state)
{
	char path[] = "/tmp/cvmm-blk-lock-XXXXXX";
	struct dev_err err = { 0 };
	struct blk_image a, b, c;
	struct capture cap;
	int fd, ret;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	make_image(path, 8);
	assert_int_equal(blk_image_open(&a, path, false, false, NULL, &err), 0);
	assert_int_equal(a.size, 8 * 512);
	capture_start(&cap);
	ret = blk_image_open(&b, path, false, false, NULL, &err);
	capture_stop(&cap);
	assert_int_equal(ret, -EBUSY);
	assert_string_equal(err.msg, "the disk image is in use by another process (a cvmm "
			    "or QEMU): cannot lock it for writing");
	assert_string_equal(cap.text, "");	/* the machine prints it */
	ret = blk_image_open(&b, path, true, false, NULL, &err);
	assert_int_equal(ret, -EBUSY);
	assert_non_null(strstr(err.msg, "writes to this disk image: it cannot be shared"));
	/* the writer leaves: readers share the image, and keep writers out */
	blk_image_close(&a);
	assert_int_equal(blk_image_open(&b, path, true, false, NULL, &err), 0);
	assert_int_equal(blk_image_open(&c, path, true, false, NULL, &err), 0);
	ret = blk_image_open(&a, path, false, false, NULL, &err);
	assert_int_equal(ret, -EBUSY);
	blk_image_close(&b);
	blk_image_close(&c);
	assert_int_equal(blk_image_open(&a, path, false, false, NULL, NULL), 0);
	blk_image_close(&a);
	blk_image_close(&a);	/* idempotent */
	unlink(path);
}

/*
 * An image whose size is not a multiple of 512 bytes is refused, not cut
 * to whole sectors (issue 12, finding 8).
 */
static void test_image_partial_sector(void **state)
{
	char path[] = "/tmp/cvmm-blk-odd-XXXXXX", want[300];
	struct dev_err err = { 0 };
	struct blk_image img;
	int fd, ret;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 1000), 0);
	close(fd);
	ret = blk_image_open(&img, path, true, false, NULL, &err);
	assert_int_equal(ret, -EINVAL);
	snprintf(want, sizeof(want), "the disk image is 1000 bytes, not a multiple of 512: "
		 "its last 488 bytes would be lost (pad it: truncate -s %%512 %s)", path);
	assert_string_equal(err.msg, want);
	assert_int_equal(img.fd, -1);
	/* whole sectors are fine */
	assert_int_equal(truncate(path, 1024), 0);
	assert_int_equal(blk_image_open(&img, path, true, false, NULL, &err), 0);
	assert_int_equal(img.size, 1024);
	blk_image_close(&img);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_read_write),
		cmocka_unit_test(test_other_requests),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_readonly),
		cmocka_unit_test(test_readonly_handler_alone),
		cmocka_unit_test(test_readonly_image_is_opened_rdonly),
		cmocka_unit_test(test_direct),
		cmocka_unit_test(test_image_locks),
		cmocka_unit_test(test_image_partial_sector),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
