/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_CMOS_H
#define CVMM_DEVICES_CMOS_H

#include <pthread.h>
#include <stdint.h>

#include "devices/bus.h"

/*
 * MC146818 RTC + 128 bytes of CMOS RAM.  The clock reads the host's time
 * (BCD, 24-hour); no periodic or alarm interrupts.  The RAM holds the
 * memory-size bytes firmware reads (0x15-0x18, 0x30-0x31, 0x34-0x35,
 * 0x5b-0x5d) and the vCPU count (0x5f).  Like battery-backed RAM it
 * survives a guest reboot: the machine keeps one struct cmos for its
 * whole life and re-registers it with each rebuilt VM.
 */
#define CMOS_SIZE	128

struct cmos {
	pthread_mutex_t lock;
	uint8_t index;
	uint8_t ram[CMOS_SIZE];
};

void cmos_init(struct cmos *c, uint64_t ram_below_4g, uint64_t ram_above_4g,
	       unsigned int nr_vcpus);
/* The memory-size bytes, again: each boot of the machine lays RAM out anew. */
void cmos_set_memory(struct cmos *c, uint64_t ram_below_4g, uint64_t ram_above_4g);
void cmos_destroy(struct cmos *c);
int cmos_register(struct cmos *c, struct io_bus *pio);
int cmos_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	    bool is_write);

#endif
