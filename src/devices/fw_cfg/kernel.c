// SPDX-License-Identifier: GPL-2.0-only
/* A bzImage, initrd and command line served to firmware, QEMU-style. */
#include <errno.h>
#include <string.h>

#include "devices/fw_cfg/fw_cfg.h"

static int add_blob(struct fw_cfg *fc, uint16_t size_key, uint16_t data_key,
		    const uint8_t *data, size_t len, bool borrow)
{
	int ret;

	if (len > UINT32_MAX)
		return -E2BIG;
	ret = fw_cfg_add_u32(fc, size_key, (uint32_t)len);
	if (ret)
		return ret;
	return fw_cfg_add_item_ex(fc, data_key, (void *)data, len,
				  borrow ? FW_CFG_F_BORROW : 0, NULL, NULL);
}

int fw_cfg_add_kernel(struct fw_cfg *fc, const struct fw_cfg_kernel *k)
{
	const char *cmdline = k->cmdline ? k->cmdline : "";
	unsigned int sects = k->setup_sects ? k->setup_sects : 4;
	size_t setup_len = ((size_t)sects + 1) * 512;
	int ret;

	if (!k->image || k->setup_sects > 255 || k->image_len <= setup_len ||
	    (k->initrd_len && !k->initrd))
		return -EINVAL;
	if (k->image_len - setup_len > UINT32_MAX ||
	    strlen(cmdline) >= UINT32_MAX)
		return -E2BIG;

	ret = fw_cfg_add_u32(fc, FW_CFG_SETUP_ADDR, k->setup_addr);
	if (!ret)
		ret = add_blob(fc, FW_CFG_SETUP_SIZE, FW_CFG_SETUP_DATA,
			       k->image, setup_len, false);
	if (!ret)
		ret = fw_cfg_add_u32(fc, FW_CFG_KERNEL_ADDR, k->kernel_addr);
	if (!ret)
		ret = add_blob(fc, FW_CFG_KERNEL_SIZE, FW_CFG_KERNEL_DATA,
			       k->image + setup_len, k->image_len - setup_len,
			       k->borrow);
	if (!ret)
		ret = fw_cfg_add_u32(fc, FW_CFG_CMDLINE_ADDR, k->cmdline_addr);
	if (!ret)
		ret = add_blob(fc, FW_CFG_CMDLINE_SIZE, FW_CFG_CMDLINE_DATA,
			       (const uint8_t *)cmdline, strlen(cmdline) + 1,
			       false);
	if (!ret && k->initrd) {
		ret = fw_cfg_add_u32(fc, FW_CFG_INITRD_ADDR, k->initrd_addr);
		if (!ret)
			ret = add_blob(fc, FW_CFG_INITRD_SIZE,
				       FW_CFG_INITRD_DATA, k->initrd,
				       k->initrd_len, k->borrow);
	}
	return ret;
}
