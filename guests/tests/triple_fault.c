// SPDX-License-Identifier: GPL-2.0-only
/* Fault with no IDT: #UD -> #GP -> #DF -> shutdown (triple fault). */
#include "guest.h"

void guest_main(const struct guest_boot *boot)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { 0, 0 };

	printf("triple-fault: loading an empty IDT and faulting\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(idtr));
	printf("triple-fault: still alive?\n");
	guest_exit(GUEST_FAIL);
}
