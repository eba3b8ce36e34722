/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's firmware configuration device, read the way Oak stage0 reads it
 * (stage0/src/fw_cfg.rs): selector writes on port 0x510, the directory and
 * small items byte by byte on port 0x511, file contents by DMA (READ only,
 * 4 KiB per descriptor, high half of the descriptor address on 0x514 first,
 * then the low half on 0x518, both big-endian) when the device offers DMA.
 */
#ifndef FW_FW_CFG_H
#define FW_FW_CFG_H

#include "fw.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_PORT_DMA_HI	0x514
#define FW_CFG_PORT_DMA_LO	0x518

#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_KERNEL_SIZE	0x0008
#define FW_CFG_INITRD_SIZE	0x000b
#define FW_CFG_KERNEL_DATA	0x0011
#define FW_CFG_INITRD_DATA	0x0012
#define FW_CFG_CMDLINE_SIZE	0x0014
#define FW_CFG_CMDLINE_DATA	0x0015
#define FW_CFG_SETUP_SIZE	0x0017
#define FW_CFG_SETUP_DATA	0x0018
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_E820_TABLE	0x8003

#define FW_CFG_F_TRADITIONAL	0x01
#define FW_CFG_F_DMA		0x02

#define FW_CFG_DMA_ERROR	0x01
#define FW_CFG_DMA_READ		0x02
#define FW_CFG_DMA_SKIP		0x04
#define FW_CFG_DMA_SELECT	0x08
#define FW_CFG_DMA_WRITE	0x10

#define FW_CFG_NAME_LEN		56
#define FW_CFG_MAX_DIR		4096	/* a larger directory is rejected */
#define FW_CFG_DMA_CHUNK	4096	/* stage0's DMA buffer size */

struct fw_cfg_file {
	char name[FW_CFG_NAME_LEN];	/* NUL-terminated */
	uint32_t size;
	uint16_t key;
};

/* Probe signature and features; fatal when there is no usable device. */
void fw_cfg_init(void);

void fw_cfg_select(uint16_t key);
/* Byte interface, from the current offset of the selected item. */
void fw_cfg_read_bytes(void *buf, uint32_t len);
/* DMA when available (stage0's read_file), else the byte interface. */
void fw_cfg_read(void *buf, uint32_t len);
/* Select @key and read a little-endian u32 (u16) item byte by byte. */
uint32_t fw_cfg_read_u32(uint16_t key);
uint16_t fw_cfg_read_u16(uint16_t key);
/* Select @key and read @len bytes of it (fw_cfg_read). */
void fw_cfg_read_item(uint16_t key, void *buf, uint32_t len);

/* Look @name up in the file directory; false when absent. */
bool fw_cfg_find(const char *name, struct fw_cfg_file *f);

/* DMA-write @len bytes at @offset of item @key (WRITE_POINTER); needs DMA. */
void fw_cfg_write(uint16_t key, uint32_t offset, const void *buf, uint32_t len);

#endif
