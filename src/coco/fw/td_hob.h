/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_FW_TD_HOB_H
#define CVMM_COCO_FW_TD_HOB_H

#include <stddef.h>
#include <stdint.h>

#include "coco/fw/tdvf.h"
#include "util/err.h"

/*
 * The TD HOB list the VMM hands TDVF (QEMU hw/i386/tdvf-hob.c): a PHIT
 * (handoff info table, version 9, memory fields 0, EfiEndOfHobList = GPA
 * just past the end HOB), one resource descriptor per RAM range --
 * SYSTEM_MEMORY for ranges the VMM accepts itself (the TD_HOB and TEMP_MEM
 * sections, split out of the RAM they sit in), MEMORY_UNACCEPTED for the
 * rest -- sorted by address, then END_OF_HOB_LIST.  Each HOB is 8-byte
 * aligned.  Resource attributes are PRESENT | INITIALIZED | TESTED.
 */
#define TD_HOB_PHIT_LEN		56
#define TD_HOB_RESOURCE_LEN	48
#define TD_HOB_END_LEN		8

#define EFI_HOB_TYPE_HANDOFF		0x0001
#define EFI_HOB_TYPE_RESOURCE_DESCRIPTOR 0x0003
#define EFI_HOB_TYPE_END_OF_HOB_LIST	0xffff
#define EFI_HOB_HANDOFF_TABLE_VERSION	9
#define EFI_RESOURCE_SYSTEM_MEMORY	0
#define EFI_RESOURCE_MEMORY_UNACCEPTED	7
#define EFI_RESOURCE_ATTR_TDVF		0x7	/* PRESENT | INITIALIZED | TESTED */

struct td_ram_range {
	uint64_t start;
	uint64_t len;
};

/*
 * Build the HOB list for a TD whose RAM is @ram (sorted or not, not
 * overlapping) and whose TDVF sections are @v, into @out (@out_len bytes:
 * the TD_HOB section's size).  *@used receives the bytes written.
 * -EINVAL (with @err): there is not exactly one TD_HOB section, an
 * accepted section is not inside RAM, or the list does not fit.
 */
int td_hob_build(const struct td_ram_range *ram, unsigned int nr_ram,
		 const struct tdvf *v, uint8_t *out, size_t out_len, size_t *used,
		 struct err_msg *err);

#endif
