/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_FW_CFG_HARNESS_H
#define CVMM_TESTS_FW_CFG_HARNESS_H

/*
 * A fw_cfg device on a real port bus with real guest RAM, driven the way
 * guest firmware drives it: outw/inb on the ports, DMA descriptors
 * written into guest memory.
 */
#include <stdint.h>

#include "devices/bus.h"
#include "devices/fw_cfg/fw_cfg.h"
#include "mem/guest_mem.h"

#define RAM_SIZE	(1u << 20)

struct rig {
	struct guest_mem mem;
	struct io_bus pio;
	struct fw_cfg *fc;
};

/* RAM [0, RAM_SIZE); @dma: device with DMA. */
void rig_init(struct rig *r, int dma);
void rig_free(struct rig *r);

void outw(struct rig *r, uint16_t port, uint16_t v);
void outl(struct rig *r, uint16_t port, uint32_t v);
uint8_t inb(struct rig *r, uint16_t port);
uint32_t inl(struct rig *r, uint16_t port);

void fw_select(struct rig *r, uint16_t key);
void fw_read(struct rig *r, void *buf, size_t len);

/* Write a descriptor at @desc, kick the DMA port, return the control word
 * the device wrote back (host order). */
uint32_t fw_dma(struct rig *r, uint64_t desc, uint32_t control,
		uint32_t length, uint64_t addr);
/* The same with one 8-byte write (MMIO style) at +0. */
uint32_t fw_dma64(struct rig *r, uint64_t desc, uint32_t control,
		  uint32_t length, uint64_t addr);

uint32_t get_be32(const uint8_t *p);
uint16_t get_be16(const uint8_t *p);

#endif
