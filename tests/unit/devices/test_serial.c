// SPDX-License-Identifier: GPL-2.0-only
/*
 * 16550A register semantics as Linux's 8250 driver uses them: DLAB, IER,
 * IIR/THRI acknowledgement, LSR, FCR, loopback (MSR from MCR), the RX
 * FIFO and the interrupt line (gated by OUT2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/serial.h"
#include "fakes.h"

enum { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5,
       MSR = 6, SCR = 7 };

struct fixture {
	struct serial s;
	struct fake_irq irq;
	int pipe[2];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct irq_line line;

	assert_non_null(f);
	assert_int_equal(pipe2(f->pipe, O_NONBLOCK), 0);
	line = fake_irq_line(&f->irq, 4);
	serial_init(&f->s, f->pipe[1], &line);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	serial_destroy(&f->s);
	if (f->pipe[0] >= 0)
		close(f->pipe[0]);
	close(f->pipe[1]);
	free(f);
	return 0;
}

static void out(struct fixture *f, unsigned int reg, uint8_t v)
{
	pio_out(serial_io, &f->s, reg, v);
}

static uint8_t in(struct fixture *f, unsigned int reg)
{
	return pio_in(serial_io, &f->s, reg);
}

/* What the host saw on the console fd. */
static size_t drain(struct fixture *f, char *buf, size_t len)
{
	ssize_t n = read(f->pipe[0], buf, len);

	return n < 0 ? 0 : (size_t)n;
}

static void test_reset_state(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(in(f, LSR), 0x60);	/* THRE | TEMT */
	assert_int_equal(in(f, IIR), 0x01);	/* no interrupt, no FIFO */
	assert_int_equal(in(f, IER), 0);
	assert_int_equal(in(f, LCR), 0);
	assert_int_equal(in(f, MCR), 0);
	assert_int_equal(in(f, MSR), 0xb0);	/* DCD, DSR, CTS */
	assert_int_equal(in(f, SCR), 0);
	assert_int_equal(in(f, RBR), 0);	/* nothing received */
	out(f, LCR, 0x80);
	assert_int_equal(in(f, 0), 12);		/* 9600 baud */
	assert_int_equal(in(f, 1), 0);
	assert_int_equal(f->irq.changes, 0);
	assert_int_equal(f->irq.level, 0);
}

static void test_transmit(void **state)
{
	struct fixture *f = *state;
	char buf[16];

	out(f, THR, 'o');
	out(f, THR, 'k');
	out(f, THR, '\n');
	assert_int_equal(drain(f, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "ok\n", 3);
	/* the byte leaves at once: the transmitter is always empty */
	assert_int_equal(in(f, LSR), 0x60);
	/* no interrupt without IER */
	assert_int_equal(in(f, IIR), 0x01);
	assert_int_equal(f->irq.changes, 0);
}

static void test_dlab(void **state)
{
	struct fixture *f = *state;
	char buf[4];

	out(f, IER, 0x01);
	out(f, LCR, 0x83);			/* DLAB, 8N1 */
	out(f, 0, 0x01);			/* 115200 */
	out(f, 1, 0x00);
	assert_int_equal(in(f, 0), 0x01);
	assert_int_equal(in(f, 1), 0x00);
	assert_int_equal(in(f, LCR), 0x83);
	/* nothing was transmitted, IER untouched */
	assert_int_equal(drain(f, buf, sizeof(buf)), 0);
	out(f, LCR, 0x03);
	assert_int_equal(in(f, IER), 0x01);
	assert_int_equal(in(f, LCR), 0x03);
	/* the divisor survives clearing DLAB */
	out(f, LCR, 0x83);
	assert_int_equal(in(f, 0), 0x01);
	out(f, LCR, 0x03);
	out(f, THR, 'x');
	assert_int_equal(drain(f, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'x');
}

static void test_ier_mask(void **state)
{
	struct fixture *f = *state;

	out(f, IER, 0xff);
	assert_int_equal(in(f, IER), 0x0f);
	out(f, MCR, 0xff);
	assert_int_equal(in(f, MCR), 0x1f);
}

static void test_thri(void **state)
{
	struct fixture *f = *state;
	char buf[8];

	out(f, MCR, 0x08);			/* OUT2: interrupts reach the PIC */
	assert_int_equal(f->irq.changes, 0);
	/* enabling THRI with an empty THR raises it */
	out(f, IER, 0x02);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(f->irq.gsi, 4);
	assert_int_equal(in(f, IIR), 0x02);
	/* reading IIR acknowledged it */
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(in(f, IIR), 0x01);
	/* re-writing the same IER does not raise it again */
	out(f, IER, 0x02);
	assert_int_equal(in(f, IIR), 0x01);
	/* each transmitted byte does */
	out(f, THR, 'a');
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(in(f, IIR), 0x02);
	assert_int_equal(f->irq.level, 0);
	/* disabling THRI drops the line; re-enabling raises it again */
	out(f, THR, 'b');
	assert_int_equal(f->irq.level, 1);
	out(f, IER, 0x00);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(in(f, IIR), 0x01);
	out(f, IER, 0x02);
	assert_int_equal(in(f, IIR), 0x02);
	assert_int_equal(drain(f, buf, sizeof(buf)), 2);
	/* every change of the line was a real change */
	assert_int_equal(f->irq.changes, 8);
}

static void test_out2_gates_irq(void **state)
{
	struct fixture *f = *state;

	out(f, IER, 0x02);
	/* IIR reports the interrupt, but the line stays low without OUT2 */
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(f->irq.changes, 0);
	out(f, MCR, 0x08);
	assert_int_equal(f->irq.level, 1);
	out(f, MCR, 0x00);
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(in(f, IIR), 0x02);
}

static void test_receive(void **state)
{
	struct fixture *f = *state;

	out(f, MCR, 0x08);
	out(f, IER, 0x01);			/* RDI */
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(serial_receive(&f->s, (const uint8_t *)"hi", 2), 2);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(in(f, LSR), 0x61);	/* DR */
	assert_int_equal(in(f, IIR), 0x04);
	/* reading IIR does not acknowledge RDI: only draining RBR does */
	assert_int_equal(in(f, IIR), 0x04);
	assert_int_equal(in(f, RBR), 'h');
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(in(f, RBR), 'i');
	assert_int_equal(f->irq.level, 0);
	assert_int_equal(in(f, LSR), 0x60);
	assert_int_equal(in(f, IIR), 0x01);
	assert_int_equal(in(f, RBR), 0);	/* empty */
}

static void test_rx_before_thri(void **state)
{
	struct fixture *f = *state;

	out(f, MCR, 0x08);
	out(f, IER, 0x03);
	assert_int_equal(serial_receive(&f->s, (const uint8_t *)"z", 1), 1);
	/* data ready has priority; THRI stays pending behind it */
	assert_int_equal(in(f, IIR), 0x04);
	assert_int_equal(in(f, RBR), 'z');
	assert_int_equal(in(f, IIR), 0x02);
	assert_int_equal(in(f, IIR), 0x01);
	assert_int_equal(f->irq.level, 0);
}

static void test_rx_fifo_full(void **state)
{
	struct fixture *f = *state;
	uint8_t in_buf[100];
	unsigned int i;

	for (i = 0; i < sizeof(in_buf); i++)
		in_buf[i] = (uint8_t)(i + 1);
	/* the FIFO takes 64 bytes; the caller keeps the rest */
	assert_int_equal(serial_receive(&f->s, in_buf, sizeof(in_buf)), SERIAL_RX_FIFO);
	assert_int_equal(serial_receive(&f->s, in_buf, 1), 0);
	for (i = 0; i < 10; i++)
		assert_int_equal(in(f, RBR), i + 1);
	/* room again: the ring wraps and keeps the order */
	assert_int_equal(serial_receive(&f->s, in_buf + 64, 36), 10);
	for (i = 10; i < 74; i++)
		assert_int_equal(in(f, RBR), i + 1);
	assert_int_equal(in(f, LSR) & 0x01, 0);
	assert_int_equal(in(f, RBR), 0);
}

static void test_fcr(void **state)
{
	struct fixture *f = *state;

	out(f, FCR, 0x01);
	assert_int_equal(in(f, IIR), 0xc1);	/* FIFOs enabled */
	assert_int_equal(serial_receive(&f->s, (const uint8_t *)"abc", 3), 3);
	out(f, FCR, 0x03);			/* clear RX */
	assert_int_equal(in(f, LSR), 0x60);
	assert_int_equal(in(f, RBR), 0);
	out(f, FCR, 0x00);
	assert_int_equal(in(f, IIR), 0x01);
	/* FCR is write-only: offset 2 reads IIR, LCR is unaffected */
	assert_int_equal(in(f, LCR), 0);
}

static void test_loopback(void **state)
{
	struct fixture *f = *state;
	char buf[4];

	out(f, MCR, 0x10 | 0x08);
	out(f, IER, 0x01);
	out(f, THR, 0x5a);
	/* looped back into the receiver, not sent to the console */
	assert_int_equal(drain(f, buf, sizeof(buf)), 0);
	assert_int_equal(in(f, LSR) & 0x01, 0x01);
	assert_int_equal(f->irq.level, 1);
	assert_int_equal(in(f, RBR), 0x5a);
	assert_int_equal(f->irq.level, 0);

	/* modem outputs appear on the inputs: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD */
	out(f, MCR, 0x10);
	assert_int_equal(in(f, MSR), 0x00);
	out(f, MCR, 0x11);
	assert_int_equal(in(f, MSR), 0x20);
	out(f, MCR, 0x12);
	assert_int_equal(in(f, MSR), 0x10);
	out(f, MCR, 0x14);
	assert_int_equal(in(f, MSR), 0x40);
	out(f, MCR, 0x18);
	assert_int_equal(in(f, MSR), 0x80);
	out(f, MCR, 0x1f);
	assert_int_equal(in(f, MSR), 0xf0);
	/* out of loopback: the fixed modem status again */
	out(f, MCR, 0x00);
	assert_int_equal(in(f, MSR), 0xb0);
	out(f, THR, 'q');
	assert_int_equal(drain(f, buf, sizeof(buf)), 1);
}

static void test_read_only_and_scratch(void **state)
{
	struct fixture *f = *state;

	out(f, LSR, 0x00);
	out(f, MSR, 0x00);
	assert_int_equal(in(f, LSR), 0x60);
	assert_int_equal(in(f, MSR), 0xb0);
	out(f, SCR, 0xa5);
	assert_int_equal(in(f, SCR), 0xa5);
	out(f, LCR, 0x80);			/* SCR ignores DLAB */
	assert_int_equal(in(f, SCR), 0xa5);
}

static void test_wide_access(void **state)
{
	struct fixture *f = *state;
	uint8_t d[4] = { 0 };

	/* a 4-byte read at offset 4: MCR, LSR, MSR, SCR */
	out(f, SCR, 0x77);
	assert_int_equal(serial_io(&f->s, 4, d, 4, false), 0);
	assert_memory_equal(d, "\x00\x60\xb0\x77", 4);
	/* a 2-byte write at LCR: LCR then MCR */
	memcpy(d, "\x03\x08", 2);
	assert_int_equal(serial_io(&f->s, 3, d, 2, true), 0);
	assert_int_equal(in(f, LCR), 0x03);
	assert_int_equal(in(f, MCR), 0x08);
	/* past the 8 registers: ignored, the rest of the buffer untouched */
	memset(d, 0xee, sizeof(d));
	assert_int_equal(serial_io(&f->s, 6, d, 4, false), 0);
	assert_int_equal(d[0], 0xb0);
	assert_int_equal(d[1], 0x77);
	assert_int_equal(d[2], 0xee);
	assert_int_equal(serial_io(&f->s, 100, d, 1, true), 0);
}

static void test_no_output_no_irq(void **state)
{
	struct serial s;
	uint8_t v = 'x';

	serial_init(&s, -1, NULL);
	assert_int_equal(serial_io(&s, THR, &v, 1, true), 0);
	v = 0x0a;
	assert_int_equal(serial_io(&s, MCR, &v, 1, true), 0);
	v = 0x02;
	assert_int_equal(serial_io(&s, IER, &v, 1, true), 0);
	assert_int_equal(serial_io(&s, IIR, &v, 1, false), 0);
	assert_int_equal(v, 0x02);
	serial_destroy(&s);
}

static void test_register(void **state)
{
	struct fixture *f = *state;
	struct io_bus bus = { .name = "pio" };
	uint8_t v = 0;

	assert_int_equal(serial_register(&f->s, &bus, 0x3f8), 0);
	assert_int_equal(io_bus_dispatch(&bus, 0x3fd, &v, 1, false), 0);
	assert_int_equal(v, 0x60);
	assert_int_equal(io_bus_dispatch(&bus, 0x400, &v, 1, false), -ENOENT);
	assert_int_equal(serial_register(&f->s, &bus, 0x3fc), -EBUSY);
	io_bus_free(&bus);
}

/* The reader of the output went away: the guest runs on, output is dropped. */
static void test_output_reader_gone(void **state)
{
	struct fixture *f = *state;

	signal(SIGPIPE, SIG_IGN);	/* as main() does */
	close(f->pipe[0]);
	f->pipe[0] = -1;
	out(f, THR, 'a');
	assert_int_equal(f->s.out_fd, -1);
	out(f, THR, 'b');
	assert_true(in(f, LSR) & 0x20);	/* THR empty: the guest is not stuck */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_state),
		T(test_transmit),
		T(test_dlab),
		T(test_ier_mask),
		T(test_thri),
		T(test_out2_gates_irq),
		T(test_receive),
		T(test_rx_before_thri),
		T(test_rx_fifo_full),
		T(test_fcr),
		T(test_loopback),
		T(test_read_only_and_scratch),
		T(test_wide_access),
		cmocka_unit_test(test_no_output_no_irq),
		T(test_register),
		T(test_output_reader_gone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
