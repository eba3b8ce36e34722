// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>
#include <time.h>

#include "arch/x86/layout.h"
#include "devices/cmos.h"
#include "util/compiler.h"

#define RTC_SECONDS		0x00
#define RTC_MINUTES		0x02
#define RTC_HOURS		0x04
#define RTC_DAY_OF_WEEK		0x06
#define RTC_DAY_OF_MONTH	0x07
#define RTC_MONTH		0x08
#define RTC_YEAR		0x09
#define RTC_REG_A		0x0a
#define RTC_REG_B		0x0b
#define RTC_REG_C		0x0c
#define RTC_REG_D		0x0d
#define RTC_CENTURY		0x32

#define RTC_B_24H		0x02
#define RTC_B_DM_BINARY		0x04

static uint8_t to_bcd(int v)
{
	return (uint8_t)((v / 10) << 4 | (v % 10));
}

static void put16(uint8_t *ram, unsigned int idx, uint64_t v)
{
	ram[idx] = (uint8_t)v;
	ram[idx + 1] = (uint8_t)(v >> 8);
}

void cmos_init(struct cmos *c, uint64_t ram_below_4g, uint64_t ram_above_4g,
	       unsigned int nr_vcpus)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->ram[RTC_REG_A] = 0x26;		/* 32.768 kHz, 1024 Hz rate */
	c->ram[RTC_REG_B] = RTC_B_24H;
	c->ram[RTC_REG_D] = 0x80;		/* valid RAM and time */
	c->ram[0x5f] = (uint8_t)(nr_vcpus - 1);
	cmos_set_memory(c, ram_below_4g, ram_above_4g);
}

void cmos_set_memory(struct cmos *c, uint64_t ram_below_4g, uint64_t ram_above_4g)
{
	uint64_t ext_kb, above16m, high64k;

	pthread_mutex_lock(&c->lock);
	put16(c->ram, 0x15, 640);		/* base memory in KiB */
	ext_kb = ram_below_4g > SZ_1M ? (ram_below_4g - SZ_1M) >> 10 : 0;
	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	put16(c->ram, 0x17, ext_kb);		/* extended memory, KiB */
	put16(c->ram, 0x30, ext_kb);
	above16m = ram_below_4g > 16 * SZ_1M ? (ram_below_4g - 16 * SZ_1M) >> 16 : 0;
	if (above16m > 0xffff)
		above16m = 0xffff;
	put16(c->ram, 0x34, above16m);		/* 64 KiB units above 16 MiB */
	high64k = ram_above_4g >> 16;
	c->ram[0x5b] = (uint8_t)high64k;	/* 64 KiB units above 4 GiB */
	c->ram[0x5c] = (uint8_t)(high64k >> 8);
	c->ram[0x5d] = (uint8_t)(high64k >> 16);
	pthread_mutex_unlock(&c->lock);
}

void cmos_destroy(struct cmos *c)
{
	pthread_mutex_destroy(&c->lock);
}

static uint8_t rtc_value(const struct cmos *c, unsigned int idx)
{
	int binary = c->ram[RTC_REG_B] & RTC_B_DM_BINARY;
	time_t now = time(NULL);
	struct tm tm;
	int v;

	gmtime_r(&now, &tm);
	switch (idx) {
	case RTC_SECONDS:
		v = tm.tm_sec;
		break;
	case RTC_MINUTES:
		v = tm.tm_min;
		break;
	case RTC_HOURS:
		v = tm.tm_hour;
		break;
	case RTC_DAY_OF_WEEK:
		v = tm.tm_wday + 1;
		break;
	case RTC_DAY_OF_MONTH:
		v = tm.tm_mday;
		break;
	case RTC_MONTH:
		v = tm.tm_mon + 1;
		break;
	case RTC_YEAR:
		v = tm.tm_year % 100;
		break;
	case RTC_CENTURY:
		v = (tm.tm_year + 1900) / 100;
		break;
	default:
		return c->ram[idx];
	}
	return binary ? (uint8_t)v : to_bcd(v);
}

int cmos_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	    bool is_write)
{
	struct cmos *c = opaque;
	unsigned int idx;

	if (len != 1) {
		/* byte registers only: wider reads see all ones, not stale data */
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	pthread_mutex_lock(&c->lock);
	if (offset == 0) {
		if (is_write)
			c->index = data[0] & 0x7f;	/* bit 7: NMI mask */
		else
			data[0] = 0xff;
	} else {
		idx = c->index;
		if (is_write) {
			/* the clock, status C and D are read-only here */
			if (idx == RTC_REG_A || idx == RTC_REG_B || idx > RTC_REG_D)
				if (idx != RTC_CENTURY)
					c->ram[idx] = data[0];
		} else if (idx == RTC_REG_A) {
			data[0] = c->ram[idx] & 0x7f;	/* never "update in progress" */
		} else if (idx == RTC_REG_C) {
			data[0] = 0;
		} else {
			data[0] = rtc_value(c, idx);
		}
	}
	pthread_mutex_unlock(&c->lock);
	return 0;
}

int cmos_register(struct cmos *c, struct io_bus *pio)
{
	return io_bus_register(pio, PORT_CMOS, 2, cmos_io, c, "cmos");
}
