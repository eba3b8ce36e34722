// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault with no IDT: #UD -> #GP -> #DF -> shutdown (triple fault).  What
 * cvmm then does (status 33, the RIP and code) is the harness's to check.
 */
#include "guest.h"
#include "ucall.h"

void guest_main(const struct guest_boot *boot)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { 0, 0 };

	printf("triple-fault: loading an empty IDT and faulting\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(idtr));
	GUEST_ASSERT_MSG(0, "still alive after a fault without an IDT");
}
