// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "devices/serial.h"
#include "util/file.h"

#define UART_RX		0
#define UART_TX		0
#define UART_IER	1
#define UART_IIR	2
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01
#define UART_IER_THRI	0x02
#define UART_IER_RLSI	0x04
#define UART_IER_MSI	0x08

#define UART_IIR_NO_INT	0x01
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_FIFO	0xc0

#define UART_LCR_DLAB	0x80
#define UART_MCR_LOOP	0x10
#define UART_MCR_OUT2	0x08

#define UART_LSR_DR	0x01
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02

void serial_init(struct serial *s, int out_fd, const struct irq_line *irq)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->out_fd = out_fd;
	if (irq)
		s->irq = *irq;
	s->lsr = UART_LSR_THRE | UART_LSR_TEMT;
	s->msr = 0xb0;		/* DCD, DSR, CTS */
	s->dll = 12;		/* 9600 baud */
}

void serial_destroy(struct serial *s)
{
	pthread_mutex_destroy(&s->lock);
}

/* Recompute IIR and the interrupt line; called with the lock held. */
static uint8_t serial_iir(struct serial *s)
{
	if ((s->ier & UART_IER_RDI) && s->rx_len)
		return UART_IIR_RDI;
	if ((s->ier & UART_IER_THRI) && s->thr_empty_pending)
		return UART_IIR_THRI;
	return UART_IIR_NO_INT;
}

static void serial_update_irq(struct serial *s)
{
	int level = serial_iir(s) != UART_IIR_NO_INT;

	/* OUT2 gates the interrupt on PC-compatible wiring. */
	if (!(s->mcr & UART_MCR_OUT2))
		level = 0;
	if (level != s->irq_level) {
		s->irq_level = level;
		irq_line_set(&s->irq, level);
	}
}

static void rx_push(struct serial *s, uint8_t c)
{
	if (s->rx_len == SERIAL_RX_FIFO)
		return;		/* overrun: drop */
	s->rx[(s->rx_head + s->rx_len) % SERIAL_RX_FIFO] = c;
	s->rx_len++;
	s->lsr |= UART_LSR_DR;
}

size_t serial_receive(struct serial *s, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	while (n < len && s->rx_len < SERIAL_RX_FIFO)
		rx_push(s, buf[n++]);
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void serial_write(struct serial *s, unsigned int reg, uint8_t v)
{
	switch (reg) {
	case UART_TX:
		if (s->lcr & UART_LCR_DLAB) {
			s->dll = v;
			break;
		}
		if (s->mcr & UART_MCR_LOOP)
			rx_push(s, v);
		else if (s->out_fd >= 0 && fd_write_all(s->out_fd, &v, 1) == -EPIPE)
			s->out_fd = -1;	/* nobody reads any more: drop output */
		/* The byte left at once: the holding register is empty again. */
		s->thr_empty_pending = 1;
		break;
	case UART_IER:
		if (s->lcr & UART_LCR_DLAB) {
			s->dlm = v;
			break;
		}
		/* Enabling THRI with an empty THR raises it (as on hardware). */
		if (!(s->ier & UART_IER_THRI) && (v & UART_IER_THRI))
			s->thr_empty_pending = 1;
		s->ier = v & 0x0f;
		break;
	case UART_FCR:
		s->fcr = v;
		s->iir_fifo = (v & UART_FCR_ENABLE) ? UART_IIR_FIFO : 0;
		if (v & UART_FCR_CLR_RX) {
			s->rx_len = 0;
			s->lsr &= ~UART_LSR_DR;
		}
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		s->mcr = v & 0x1f;
		break;
	case UART_LSR:
	case UART_MSR:
		break;		/* read-only */
	case UART_SCR:
		s->scr = v;
		break;
	}
}

static uint8_t serial_read(struct serial *s, unsigned int reg)
{
	uint8_t v = 0;

	switch (reg) {
	case UART_RX:
		if (s->lcr & UART_LCR_DLAB)
			return s->dll;
		if (s->rx_len) {
			v = s->rx[s->rx_head];
			s->rx_head = (s->rx_head + 1) % SERIAL_RX_FIFO;
			s->rx_len--;
		}
		if (!s->rx_len)
			s->lsr &= ~UART_LSR_DR;
		return v;
	case UART_IER:
		return (s->lcr & UART_LCR_DLAB) ? s->dlm : s->ier;
	case UART_IIR:
		v = serial_iir(s);
		/* Reading IIR with THRI reported acknowledges it. */
		if (v == UART_IIR_THRI)
			s->thr_empty_pending = 0;
		return v | s->iir_fifo;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		return s->lsr;
	case UART_MSR:
		if (s->mcr & UART_MCR_LOOP)
			/* loopback: modem outputs appear on the inputs */
			return (uint8_t)((s->mcr & 0x0c) << 4 | (s->mcr & 0x01) << 5 |
					 (s->mcr & 0x02) << 3);
		return s->msr;
	case UART_SCR:
		return s->scr;
	}
	return 0xff;
}

int serial_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	      bool is_write)
{
	struct serial *s = opaque;
	uint32_t i;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < len && offset + i < 8; i++) {
		if (is_write)
			serial_write(s, (unsigned int)(offset + i), data[i]);
		else
			data[i] = serial_read(s, (unsigned int)(offset + i));
	}
	serial_update_irq(s);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int serial_register(struct serial *s, struct io_bus *pio, uint16_t base)
{
	return io_bus_register(pio, base, 8, serial_io, s, "serial");
}
