// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reset the machine three times, each time another way, then pass: the
 * fourth boot must see the count the first three left in CMOS RAM, which
 * survives a reset like a battery-backed chip (the VMM rebuilds
 * everything else).
 */
#include "guest.h"
#include "ucall.h"

#define CMOS_BOOT_COUNT	0x50

void guest_main(const struct guest_boot *boot)
{
	uint8_t count = cmos_read(CMOS_BOOT_COUNT);

	printf("reboot: boot %u\n", count + 1);
	GUEST_ASSERT_MSG(count <= 3, "boot %u: CMOS holds a count from elsewhere", count + 1);
	cmos_write(CMOS_BOOT_COUNT, (uint8_t)(count + 1));
	switch (count) {
	case 0:
		printf("reboot: resetting through the i8042\n");
		reset_i8042();
	case 1:
		printf("reboot: resetting through port 0xcf9\n");
		reset_cf9();
	case 2:
		printf("reboot: resetting through the i8042 again\n");
		reset_i8042();
	default:
		printf("reboot: done after %u resets\n", count);
		GUEST_ASSERT_EQ(cmos_read(CMOS_BOOT_COUNT), 4);
		GUEST_DONE();
	}
}
