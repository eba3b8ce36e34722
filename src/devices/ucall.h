/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_UCALL_H
#define CVMM_DEVICES_UCALL_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/bus.h"
#include "mem/guest_mem.h"

/*
 * The test guests' channel to the host, in the style of the KVM
 * selftests' ucall (--ucall): the guest fills a struct ucall in its RAM
 * and writes its guest-physical address (4 bytes, below 4 GiB) to the
 * port; the device reads the 256 bytes there, bounds-checked, and hands
 * the decoded call to the machine, which ends cvmm with the verdict.  So
 * a test's expectations live in the guest's source (guests/lib/ucall.h:
 * GUEST_ASSERT(), GUEST_DONE()), not in patterns the harness matches.
 *
 * Wire format, little-endian (guests/lib/ucall.h has the same):
 *     0  u32 magic 0x4c414355 ("UCAL")
 *     4  u32 cmd: UCALL_DONE (the test passed) or UCALL_ASSERT
 *     8  u32 line of the call in the guest's source
 *    12  u32 reserved (0)
 *    16  char file[64]: the guest source file, NUL-padded
 *    80  char msg[176]: the failed expression and the guest's details
 *
 * Everything in it is the guest's: strings are cut at their field and
 * every byte outside printable ASCII becomes '?'.
 */

#define UCALL_DEFAULT_PORT	0x1000		/* the KVM selftests' UCALL_PIO_PORT */
#define UCALL_SIZE		256
#define UCALL_MAGIC		0x4c414355u
#define UCALL_FILE_LEN		64
#define UCALL_MSG_LEN		176

enum ucall_cmd {
	UCALL_DONE = 1,
	UCALL_ASSERT = 2,
	UCALL_MALFORMED = 0x100,	/* not the guest's: a call the device refused */
};

struct ucall_msg {
	enum ucall_cmd cmd;
	uint32_t line;
	char file[UCALL_FILE_LEN + 1];
	char msg[UCALL_MSG_LEN + 1];
};

/*
 * Decode @buf: 0, or -EINVAL (bad magic, command or reserved field).  A
 * call the device cannot read or decode reaches the machine as
 * UCALL_MALFORMED with the reason in msg: the test fails, it does not hang.
 */
int ucall_parse(const uint8_t buf[UCALL_SIZE], struct ucall_msg *out);

typedef void (*ucall_fn)(void *opaque, const struct ucall_msg *m);

struct ucall_dev {
	const struct guest_mem *mem;
	ucall_fn fn;
	void *opaque;
	uint64_t bad;			/* calls refused: address or contents */
};

void ucall_init(struct ucall_dev *u, const struct guest_mem *mem, ucall_fn fn, void *opaque);
int ucall_register(struct ucall_dev *u, struct io_bus *pio, uint16_t port);
/* The port handler (exported for tests and fuzzing). */
int ucall_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write);

#endif
