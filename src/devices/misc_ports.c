// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/misc_ports.h"
#include "util/file.h"

#define CF9_RST_CPU	0x04

void reset_ctl_init(struct reset_ctl *r, const struct vm_control *ctl)
{
	r->ctl = *ctl;
	r->value = 0;
}

int reset_ctl_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		 bool is_write)
{
	struct reset_ctl *r = opaque;

	if (len != 1) {
		/* byte registers only: wider reads see all ones, not stale data */
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	if (!is_write) {
		data[0] = r->value;
		return 0;
	}
	r->value = data[0] & 0x0e;
	if (data[0] & CF9_RST_CPU)
		vm_control_request(&r->ctl, VM_REQ_RESET, 0);
	return 0;
}

int reset_ctl_register(struct reset_ctl *r, struct io_bus *pio)
{
	return io_bus_register(pio, PORT_RESET_CF9, 1, reset_ctl_io, r, "reset");
}

void debug_exit_init(struct debug_exit *d, const struct vm_control *ctl)
{
	d->ctl = *ctl;
}

int debug_exit_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		  bool is_write)
{
	struct debug_exit *d = opaque;
	uint32_t v = 0;

	if (!is_write) {
		memset(data, 0xff, len);
		return 0;
	}
	memcpy(&v, data, len > 4 ? 4 : len);
	vm_control_request(&d->ctl, VM_REQ_EXIT, (int)(((v << 1) | 1) & 0xff));
	return 0;
}

int debug_exit_register(struct debug_exit *d, struct io_bus *pio, uint16_t port)
{
	return io_bus_register(pio, port, 4, debug_exit_io, d, "debug-exit");
}

static int debugcon_io(void *opaque, uint64_t offset, uint8_t *data,
		       uint32_t len, bool is_write)
{
	struct debugcon *d = opaque;

	if (!is_write) {
		memset(data, 0, len);
		data[0] = 0xe9;
		return 0;
	}
	if (d->fd >= 0)
		fd_write_all(d->fd, data, len);
	return 0;
}

int debugcon_register(struct debugcon *d, struct io_bus *pio)
{
	return io_bus_register(pio, PORT_DEBUGCON, 1, debugcon_io, d, "debugcon");
}

static int post_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		   bool is_write)
{
	if (!is_write)
		memset(data, 0xff, len);
	return 0;
}

int post_port_register(struct io_bus *pio)
{
	return io_bus_register(pio, 0x80, 1, post_io, NULL, "post");
}
