// SPDX-License-Identifier: GPL-2.0-only
/* Say so, then halt forever (for signal and console tests). */
#include "guest.h"

void guest_main(const struct guest_boot *boot)
{
	printf("idle: halting\n");
	for (;;)
		__asm__ volatile("cli; hlt");
}
