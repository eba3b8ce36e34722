/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_FW_CFG_FW_CFG_INTERNAL_H
#define CVMM_DEVICES_FW_CFG_FW_CFG_INTERNAL_H

/* Internal to the fw_cfg device: shared by fw_cfg.c, dma.c, kernel.c. */

#include <pthread.h>

#include "devices/fw_cfg/fw_cfg.h"

struct fw_cfg_item {
	uint16_t key;			/* legacy items only */
	char name[FW_CFG_NAME_SIZE];	/* files only */
	uint8_t *data;
	uint32_t len;
	bool owned;
	bool writable;
	fw_cfg_write_cb write_cb;
	void *opaque;
};

struct fw_cfg {
	pthread_mutex_t lock;
	const struct guest_mem *mem;	/* NULL: no DMA */

	struct fw_cfg_item *items;	/* legacy keys, unsorted */
	unsigned int nr_items, cap_items;
	struct fw_cfg_item *files;	/* sorted by name */
	unsigned int nr_files, cap_files;

	char reserved[FW_CFG_NAME_SIZE];	/* refused file-name prefix, "" none */

	uint16_t selector;
	uint32_t offset;		/* in the selected item */
	uint64_t dma_addr;
};

/* The item @key selects, or NULL (lock held). */
struct fw_cfg_item *fw_cfg_lookup(struct fw_cfg *fc, uint16_t key);
void fw_cfg_select(struct fw_cfg *fc, uint16_t key);
/* Run the DMA request whose descriptor is at @gpa (lock held). */
void fw_cfg_dma_transfer(struct fw_cfg *fc, uint64_t gpa);

static inline uint32_t be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint64_t be64_get(const uint8_t *p)
{
	return (uint64_t)be32_get(p) << 32 | be32_get(p + 4);
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline void be16_put(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

#endif
