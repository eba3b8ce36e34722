// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read COM1 until a '.': a paste far longer than the UART's receive FIFO
 * must arrive whole and in order (tests/guest/meson.build pipes 4096
 * bytes 'A' + i % 26, then '.').
 */
#include "guest.h"
#include "ucall.h"

#define COM1		0x3f8
#define LSR_DR		0x01
#define LEN		4096

void guest_main(const struct guest_boot *boot)
{
	unsigned int n = 0, bad = 0, first_bad = 0;

	printf("paste: ready\n");
	for (;;) {
		char c;

		while (!(inb(COM1 + 5) & LSR_DR))
			cpu_relax();
		c = (char)inb(COM1);
		if (c == '.')
			break;
		if (c != (char)('A' + n % 26) && !bad++)
			first_bad = n;
		n++;
	}
	printf("paste: got %u bytes, %u out of place\n", n, bad);
	GUEST_ASSERT_MSG(n == LEN, "got %u bytes, not %u (lost or doubled input)", n, LEN);
	GUEST_ASSERT_MSG(!bad, "%u bytes out of place, the first at %u", bad, first_bad);
	GUEST_DONE();
}
