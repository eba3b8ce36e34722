// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/i8042.h"

#define I8042_STATUS_OBF	0x01
#define I8042_STATUS_SYS	0x04
#define I8042_STATUS_CMD	0x08

#define I8042_CMD_READ_CTR	0x20
#define I8042_CMD_WRITE_CTR	0x60
#define I8042_CMD_SELF_TEST	0xaa
#define I8042_CMD_KBD_TEST	0xab
#define I8042_CMD_AUX_TEST	0xa9
#define I8042_CMD_WRITE_OUTPORT	0xd1
#define I8042_CMD_RESET		0xfe

void i8042_init(struct i8042 *k, const struct vm_control *ctl)
{
	memset(k, 0, sizeof(*k));
	pthread_mutex_init(&k->lock, NULL);
	k->ctl = *ctl;
	k->cmd_byte = 0x61;	/* kbd int, system flag, translate */
}

void i8042_destroy(struct i8042 *k)
{
	pthread_mutex_destroy(&k->lock);
}

static void put_out(struct i8042 *k, uint8_t v)
{
	k->out = v;
	k->out_full = 1;
}

static void i8042_command(struct i8042 *k, uint8_t cmd)
{
	switch (cmd) {
	case I8042_CMD_READ_CTR:
		put_out(k, k->cmd_byte);
		break;
	case I8042_CMD_WRITE_CTR:
	case I8042_CMD_WRITE_OUTPORT:
		k->pending_cmd = cmd;
		break;
	case I8042_CMD_SELF_TEST:
		put_out(k, 0x55);
		break;
	case I8042_CMD_KBD_TEST:
	case I8042_CMD_AUX_TEST:
		put_out(k, 0x00);
		break;
	case I8042_CMD_RESET:
		vm_control_request(&k->ctl, VM_REQ_RESET, 0);
		break;
	default:
		/* enable/disable port and friends: accepted, no effect */
		break;
	}
}

int i8042_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	     bool is_write)
{
	struct i8042 *k = opaque;
	uint64_t port = PORT_I8042_DATA + offset;

	if (len != 1) {
		/* byte registers only: wider reads see all ones, not stale data */
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	pthread_mutex_lock(&k->lock);
	if (port == PORT_I8042_CMD) {
		if (is_write)
			i8042_command(k, data[0]);
		else
			data[0] = I8042_STATUS_SYS | (k->out_full ? I8042_STATUS_OBF : 0);
	} else if (port == PORT_I8042_DATA) {
		if (is_write) {
			if (k->pending_cmd == I8042_CMD_WRITE_CTR)
				k->cmd_byte = data[0];
			else if (k->pending_cmd == I8042_CMD_WRITE_OUTPORT &&
				 !(data[0] & 1))
				/* output port bit 0 low: system reset */
				vm_control_request(&k->ctl, VM_REQ_RESET, 0);
			else if (!k->pending_cmd)
				put_out(k, 0xfe);	/* no device: resend */
			k->pending_cmd = 0;
		} else {
			data[0] = k->out;
			k->out_full = 0;
		}
	} else if (!is_write) {
		data[0] = 0xff;
	}
	pthread_mutex_unlock(&k->lock);
	return 0;
}

int i8042_register(struct i8042 *k, struct io_bus *pio)
{
	/* 0x60..0x64; 0x61 (PC speaker / NMI status) reads as 0xff here. */
	return io_bus_register(pio, PORT_I8042_DATA, 5, i8042_io, k, "i8042");
}
