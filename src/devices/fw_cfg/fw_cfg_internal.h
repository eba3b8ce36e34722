/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_FW_CFG_FW_CFG_INTERNAL_H
#define CVMM_DEVICES_FW_CFG_FW_CFG_INTERNAL_H

/* Internal to the fw_cfg device: shared by fw_cfg.c, dma.c, kernel.c. */

#include <pthread.h>

#include "devices/fw_cfg/fw_cfg.h"
#include "util/bytes.h"

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

#endif
