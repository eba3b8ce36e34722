/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_FW_CFG_FW_CFG_H
#define CVMM_DEVICES_FW_CFG_FW_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/bus.h"
#include "mem/guest_mem.h"

/*
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst in QEMU) on
 * x86 I/O ports:
 *
 *   PORT_FW_CFG      selector, 16-bit write (resets the read offset)
 *   PORT_FW_CFG + 1  data, 8-bit reads advance through the selected item;
 *                    reads past its end return 0; writes are ignored
 *   PORT_FW_CFG_DMA  DMA address, big-endian: the high 32 bits at +0, the
 *                    low 32 bits at +4 (writing them starts the transfer),
 *                    or one 64-bit write at +0; reads give "QEMU CFG"
 *
 * Items are selected by a 16-bit key: the legacy keys below, the file
 * directory (FW_CFG_FILE_DIR) and named files from FW_CFG_FILE_FIRST,
 * sorted by name like QEMU.  Guests only ever read through the directory,
 * so a file's key may change when files are added.
 *
 * All functions take the device lock: vCPU threads may call the port
 * handlers concurrently, and items may be added while the guest runs.
 */

/* Selector keys */
#define FW_CFG_SIGNATURE	0x0000	/* "QEMU" */
#define FW_CFG_ID		0x0001	/* u32 LE feature bits */
#define FW_CFG_UUID		0x0002
#define FW_CFG_RAM_SIZE		0x0003	/* u64 LE */
#define FW_CFG_NOGRAPHIC	0x0004
#define FW_CFG_NB_CPUS		0x0005	/* u16 LE */
#define FW_CFG_MACHINE_ID	0x0006
#define FW_CFG_KERNEL_ADDR	0x0007	/* u32 LE */
#define FW_CFG_KERNEL_SIZE	0x0008	/* u32 LE */
#define FW_CFG_KERNEL_CMDLINE	0x0009
#define FW_CFG_INITRD_ADDR	0x000a
#define FW_CFG_INITRD_SIZE	0x000b
#define FW_CFG_BOOT_DEVICE	0x000c
#define FW_CFG_NUMA		0x000d
#define FW_CFG_BOOT_MENU	0x000e
#define FW_CFG_MAX_CPUS		0x000f	/* u16 LE */
#define FW_CFG_KERNEL_ENTRY	0x0010
#define FW_CFG_KERNEL_DATA	0x0011
#define FW_CFG_INITRD_DATA	0x0012
#define FW_CFG_CMDLINE_ADDR	0x0013
#define FW_CFG_CMDLINE_SIZE	0x0014
#define FW_CFG_CMDLINE_DATA	0x0015
#define FW_CFG_SETUP_ADDR	0x0016
#define FW_CFG_SETUP_SIZE	0x0017
#define FW_CFG_SETUP_DATA	0x0018
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_WRITE_CHANNEL	0x4000	/* legacy alias bit, ignored */
#define FW_CFG_ARCH_LOCAL	0x8000
#define FW_CFG_ACPI_TABLES	0x8000
#define FW_CFG_SMBIOS_ENTRIES	0x8001
#define FW_CFG_IRQ0_OVERRIDE	0x8002
#define FW_CFG_E820_TABLE	0x8003	/* reservation table (stage0: empty) */
#define FW_CFG_HPET		0x8004

#define FW_CFG_NAME_SIZE	56	/* file name field, NUL included */
#define FW_CFG_MAX_FILES	1024
#define FW_CFG_DIR_ENTRY_SIZE	64	/* u32 size, u16 select, u16, name */

/* FW_CFG_ID feature bits */
#define FW_CFG_VERSION		0x01	/* traditional interface */
#define FW_CFG_VERSION_DMA	0x02

/* struct FWCfgDmaAccess { be32 control; be32 length; be64 address; } */
#define FW_CFG_DMA_ACCESS_SIZE	16
#define FW_CFG_DMA_CTL_ERROR	0x01
#define FW_CFG_DMA_CTL_READ	0x02
#define FW_CFG_DMA_CTL_SKIP	0x04
#define FW_CFG_DMA_CTL_SELECT	0x08	/* key in bits 31..16 */
#define FW_CFG_DMA_CTL_WRITE	0x10
#define FW_CFG_DMA_SIGNATURE	"QEMU CFG"

/* I/O port ranges claimed by fw_cfg_register() */
#define FW_CFG_IO_LEN		2	/* selector + data */
#define FW_CFG_DMA_IO_LEN	8

struct fw_cfg;

/*
 * Item data ownership (flags of the _ex functions):
 *   default            copied; the caller keeps its buffer
 *   FW_CFG_F_BORROW    referenced: must outlive the device, never freed
 *   FW_CFG_F_TAKE      ownership of a malloc'd buffer passes to the
 *                      device, even when the call fails
 *   FW_CFG_F_WRITABLE  the guest may DMA-write into the item (without it,
 *                      writes set the DMA error bit); with BORROW the
 *                      caller's buffer is written
 * A write callback, if any, runs under the device lock after the guest
 * wrote [offset, offset + len); it must not call back into fw_cfg.
 */
#define FW_CFG_F_BORROW		(1u << 0)
#define FW_CFG_F_TAKE		(1u << 1)
#define FW_CFG_F_WRITABLE	(1u << 2)

typedef void (*fw_cfg_write_cb)(void *opaque, uint32_t offset, uint32_t len);

/*
 * A device with the signature, ID and (empty) file directory.  DMA is
 * offered (ID bit 1, DMA port) when @mem is given; every DMA address is
 * then checked against @mem's RAM regions.  Returns 0 or -ENOMEM.
 */
int fw_cfg_new(const struct guest_mem *mem, struct fw_cfg **out);
void fw_cfg_free(struct fw_cfg *fc);

/*
 * Legacy items: @key below FW_CFG_FILE_FIRST or arch-local (bit 15), not
 * one of the built-in SIGNATURE, ID and FILE_DIR.  -EINVAL for such keys
 * or a size above UINT32_MAX, -EEXIST if the key is taken, -ENOMEM.
 */
int fw_cfg_add_item(struct fw_cfg *fc, uint16_t key, const void *data,
		    size_t len);
int fw_cfg_add_item_ex(struct fw_cfg *fc, uint16_t key, void *data,
		       size_t len, unsigned int flags, fw_cfg_write_cb cb,
		       void *opaque);
/* Little-endian integers, as QEMU's fw_cfg_add_i16/i32/i64. */
int fw_cfg_add_u16(struct fw_cfg *fc, uint16_t key, uint16_t v);
int fw_cfg_add_u32(struct fw_cfg *fc, uint16_t key, uint32_t v);
int fw_cfg_add_u64(struct fw_cfg *fc, uint16_t key, uint64_t v);

/*
 * Named files ("etc/e820", "etc/table-loader", "bootorder", ...): @name
 * is 1..55 bytes.  -EINVAL, -EEXIST (duplicate name), -ENOSPC (more than
 * FW_CFG_MAX_FILES), -ENOMEM.
 */
int fw_cfg_add_file(struct fw_cfg *fc, const char *name, const void *data,
		    size_t len);
int fw_cfg_add_file_ex(struct fw_cfg *fc, const char *name, void *data,
		       size_t len, unsigned int flags, fw_cfg_write_cb cb,
		       void *opaque);
/* The current selector key of file @name: 0 or -ENOENT. */
int fw_cfg_file_key(struct fw_cfg *fc, const char *name, uint16_t *key);
/*
 * Replace the contents of file @name with a copy of @data (the directory
 * gives the new size; a guest reading the file meanwhile reads on from its
 * offset).  0, -ENOENT, -EINVAL, -ENOMEM.
 */
int fw_cfg_update_file(struct fw_cfg *fc, const char *name, const void *data, size_t len);
/*
 * From now on, refuse files whose name starts with @prefix (-EPERM from
 * the add functions).  One prefix; "" lifts it.  For SEV and SEV-SNP
 * launches cvmm reserves "etc/boot/": OVMF's AmdSev build (edk2 >=
 * 202502) serves every etc/boot/ file as a blob it must verify against
 * the kernel-hashes table, and stops the guest (CpuDeadLoop) for any
 * name it does not know.  -EINVAL for a prefix of FW_CFG_NAME_SIZE bytes
 * or more.
 */
int fw_cfg_reserve_prefix(struct fw_cfg *fc, const char *prefix);

/*
 * A Linux bzImage served to firmware the way QEMU does it: SETUP_* = the
 * first (setup_sects + 1) * 512 bytes (setup_sects 0 means 4), verbatim;
 * KERNEL_* = the rest; CMDLINE_* = the command line with its NUL;
 * INITRD_* when an initrd is given.  Sizes and addresses are u32 LE items.
 * The *_addr fields become the *_ADDR items: load-address hints for
 * firmware that wants them (OVMF and stage0 choose their own; 0 is fine).
 */
struct fw_cfg_kernel {
	const uint8_t *image;		/* the whole bzImage */
	size_t image_len;
	unsigned int setup_sects;	/* setup header byte 0x1f1 */
	const uint8_t *initrd;		/* NULL: none */
	size_t initrd_len;
	const char *cmdline;		/* NULL: empty */
	uint32_t setup_addr;
	uint32_t kernel_addr;
	uint32_t initrd_addr;
	uint32_t cmdline_addr;
	bool borrow;			/* image/initrd outlive the device */
};

/* Returns 0, -EINVAL (image not longer than its setup, setup_sects > 255),
 * -E2BIG (a part over 4 GiB), -EEXIST, -ENOMEM. */
int fw_cfg_add_kernel(struct fw_cfg *fc, const struct fw_cfg_kernel *k);

/*
 * Firmware boot: the ACPI builder's files "etc/acpi/rsdp" and
 * "etc/acpi/tables" (copied) and their "etc/table-loader" script.
 */
struct acpi_tables;
int fw_cfg_add_acpi_files(struct fw_cfg *fc, const struct acpi_tables *t);
/* The same three files rebuilt (the chipset moved the ECAM or the PM block). */
int fw_cfg_update_acpi_files(struct fw_cfg *fc, const struct acpi_tables *t);

/* Port handlers (devices/bus.h): the selector/data pair and DMA. */
int fw_cfg_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	      bool is_write);
int fw_cfg_dma_io(void *opaque, uint64_t offset, uint8_t *data,
		  uint32_t len, bool is_write);

/*
 * Claim [PORT_FW_CFG, +2) and, with DMA, [PORT_FW_CFG_DMA, +8) on @pio.
 * Returns 0 or the io_bus_register() error.
 */
int fw_cfg_register(struct fw_cfg *fc, struct io_bus *pio);

#endif
