// SPDX-License-Identifier: GPL-2.0-only
/* Read COM1 and echo what arrives until a 'q', then pass. */
#include "guest.h"

#define COM1		0x3f8
#define LSR_DR		0x01

void guest_main(const struct guest_boot *boot)
{
	char line[64];
	unsigned int n = 0;

	printf("echo: ready\n");
	for (;;) {
		char c;

		while (!(inb(COM1 + 5) & LSR_DR))
			cpu_relax();
		c = (char)inb(COM1);
		if (c == 'q')
			break;
		if (n < sizeof(line) - 1)
			line[n++] = c;
	}
	line[n] = 0;
	printf("echo: got '%s'\n", line);
	guest_exit(GUEST_PASS);
}
