/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_I8042_H
#define CVMM_DEVICES_I8042_H

#include <pthread.h>
#include <stdint.h>

#include "devices/bus.h"
#include "devices/vm_control.h"

/*
 * Just enough of the PS/2 controller for firmware and Linux to probe it
 * and for the 0xfe "pulse reset line" command to reset the machine.
 * No keyboard or mouse is attached.
 */
struct i8042 {
	pthread_mutex_t lock;
	struct vm_control ctl;
	uint8_t cmd_byte;
	uint8_t pending_cmd;	/* command waiting for its data byte */
	uint8_t out;		/* output buffer */
	int out_full;
};

void i8042_init(struct i8042 *k, const struct vm_control *ctl);
void i8042_destroy(struct i8042 *k);
int i8042_register(struct i8042 *k, struct io_bus *pio);
int i8042_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	     bool is_write);

#endif
