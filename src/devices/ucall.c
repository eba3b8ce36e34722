// SPDX-License-Identifier: GPL-2.0-only
/* The test guests' ucall channel (see devices/ucall.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "devices/ucall.h"
#include "util/bytes.h"

/* A NUL-padded field of @len bytes as a printable, terminated string. */
static void field(char *out, const uint8_t *in, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len && in[i]; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? (char)in[i] : '?';
	out[i] = '\0';
}

int ucall_parse(const uint8_t buf[UCALL_SIZE], struct ucall_msg *out)
{
	uint32_t cmd = get_le32(buf + 4);

	if (get_le32(buf) != UCALL_MAGIC || get_le32(buf + 12) ||
	    (cmd != UCALL_DONE && cmd != UCALL_ASSERT))
		return -EINVAL;
	out->cmd = (enum ucall_cmd)cmd;
	out->line = get_le32(buf + 8);
	field(out->file, buf + 16, UCALL_FILE_LEN);
	field(out->msg, buf + 16 + UCALL_FILE_LEN, UCALL_MSG_LEN);
	return 0;
}

int ucall_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len, bool is_write)
{
	struct ucall_dev *u = opaque;
	uint8_t buf[UCALL_SIZE];
	struct ucall_msg m;

	if (!is_write) {
		memset(data, 0xff, len);
		return 0;
	}
	if (offset || len != 4) {
		u->bad++;
		return 0;
	}
	if (guest_mem_read(u->mem, get_le32(data), buf, sizeof(buf)) || ucall_parse(buf, &m)) {
		u->bad++;
		memset(&m, 0, sizeof(m));
		m.cmd = UCALL_MALFORMED;
		snprintf(m.msg, sizeof(m.msg), "the guest's ucall at 0x%x is %s", get_le32(data),
			 guest_mem_ptr(u->mem, get_le32(data), UCALL_SIZE) ? "malformed" :
			 "not in guest RAM");
	}
	if (u->fn)
		u->fn(u->opaque, &m);
	return 0;
}

void ucall_init(struct ucall_dev *u, const struct guest_mem *mem, ucall_fn fn, void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->mem = mem;
	u->fn = fn;
	u->opaque = opaque;
}

int ucall_register(struct ucall_dev *u, struct io_bus *pio, uint16_t port)
{
	return io_bus_register(pio, port, 4, ucall_io, u, "ucall");
}
