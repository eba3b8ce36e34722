/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_MISC_PORTS_H
#define CVMM_DEVICES_MISC_PORTS_H

#include <stdint.h>

#include "devices/bus.h"
#include "devices/vm_control.h"

/*
 * Single-register devices:
 *  - reset control (port 0xcf9): writing a value with RST_CPU (bit 2)
 *    resets the machine; also the FADT RESET_REG;
 *  - debug exit (opt-in, QEMU's isa-debug-exit): a write of V ends cvmm
 *    with status (V << 1) | 1;
 *  - debug console (port 0x402): bytes written go to a file; reads return
 *    0xe9 so firmware can detect it;
 *  - POST code port 0x80: writes are accepted and ignored (Linux's
 *    io_delay uses it).
 */
struct reset_ctl {
	struct vm_control ctl;
	uint8_t value;
};

struct debug_exit {
	struct vm_control ctl;
};

struct debugcon {
	int fd;
};

void reset_ctl_init(struct reset_ctl *r, const struct vm_control *ctl);
int reset_ctl_register(struct reset_ctl *r, struct io_bus *pio);
int reset_ctl_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		 bool is_write);

void debug_exit_init(struct debug_exit *d, const struct vm_control *ctl);
int debug_exit_register(struct debug_exit *d, struct io_bus *pio, uint16_t port);
int debug_exit_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
		  bool is_write);

int debugcon_register(struct debugcon *d, struct io_bus *pio);
int post_port_register(struct io_bus *pio);

#endif
