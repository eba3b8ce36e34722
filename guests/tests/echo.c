// SPDX-License-Identifier: GPL-2.0-only
/* Read COM1 until a 'q': the line typed on the host must arrive whole. */
#include "guest.h"
#include "ucall.h"

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
	/* tests/guest/meson.build types "hi thereq" */
	GUEST_ASSERT_MSG(n == 8 && !memcmp(line, "hi there", 8), "got '%s'", line);
	GUEST_DONE();
}
