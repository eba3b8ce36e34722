/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_SERIAL_H
#define CVMM_DEVICES_SERIAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/bus.h"

/*
 * A 16550A UART.  Transmitted bytes go to @out_fd at once; received bytes
 * are queued by serial_receive() (from the console thread) and raise the
 * data-ready interrupt.
 */
#define SERIAL_RX_FIFO	64

struct serial {
	pthread_mutex_t lock;
	struct irq_line irq;
	int out_fd;			/* -1: discard output */
	uint8_t ier, iir_fifo, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	uint8_t rx[SERIAL_RX_FIFO];
	unsigned int rx_head, rx_len;
	int thr_empty_pending;		/* THRE interrupt condition */
	int irq_level;
};

void serial_init(struct serial *s, int out_fd, const struct irq_line *irq);
void serial_destroy(struct serial *s);
int serial_register(struct serial *s, struct io_bus *pio, uint16_t base);
/* Queue input for the guest; returns how many bytes were accepted. */
size_t serial_receive(struct serial *s, const uint8_t *buf, size_t len);
/* Port handler (exported for tests and fuzzing). */
int serial_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	      bool is_write);

#endif
